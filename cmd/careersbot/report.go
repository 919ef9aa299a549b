package main

import (
	"context"
	"errors"
)

// runReport is being built (issue 3).
func (m *Main) runReport(ctx context.Context, args []string) error {
	return errors.New("report: not built yet")
}
