package main

import (
	"context"
	"errors"
)

func (m *Main) runAsk(ctx context.Context, args []string) error  { return errors.New("todo") }
func (m *Main) runChat(ctx context.Context, args []string) error { return errors.New("todo") }
func (m *Main) runEval(ctx context.Context, args []string) error { return errors.New("todo") }
