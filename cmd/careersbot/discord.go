package main

import (
	"context"
	"errors"
)

// runDiscord is being built (issue 5).
func (m *Main) runDiscord(ctx context.Context, args []string) error {
	return errors.New("discord: not built yet")
}
