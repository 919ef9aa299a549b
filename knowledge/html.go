package knowledge

import "fmt"

// parseHTML is being written on the parsers branch.
func parseHTML(path string, data []byte) (Meta, []Block, error) {
	return Meta{}, nil, fmt.Errorf("%s: html not supported yet", path)
}
