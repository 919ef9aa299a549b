package main

import (
	"context"
	"errors"
)

// runServe is being built (issue 3).
func (m *Main) runServe(ctx context.Context, args []string) error {
	return errors.New("serve: not built yet")
}
