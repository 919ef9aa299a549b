package knowledge

import (
	"errors"
)

// Default returns the knowledge base built from the embedded seed page.
func Default() (*Base, error) { return nil, errors.New("knowledge: not built yet") }

// Load builds a knowledge base from files and directories (walked
// recursively), replacing the default.
func Load(paths ...string) (*Base, error) { return nil, errors.New("knowledge: not built yet") }
