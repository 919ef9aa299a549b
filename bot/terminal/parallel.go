package terminal

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/careersbot/careersbot/bot"
)

// answerBatch is consecutive questions one worker answers, and their
// replies.
type answerBatch struct {
	lines []string
	out   []byte // one JSON reply a line, in the questions' order
	err   error
	done  chan struct{}
}

// batchLines is how many questions a batch holds at most; batchesAhead
// how many batches may be answered ahead of the one being written.
const (
	batchLines   = 32
	batchesAhead = 8
)

// runParallel answers JSON lines that share no conversation with workers
// goroutines: the lines are cut into batches, answered at once and written
// in order. Before a read of the input that may wait, every question read
// so far is answered and its reply flushed, as Run does one line at a time.
func (a *Adapter) runParallel(ctx context.Context, workers int) (err error) {
	out := bufio.NewWriterSize(a.o.Out, outBuffer)
	jobs := make(chan *answerBatch)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				a.answerBatch(ctx, b)
				close(b.done)
			}
		}()
	}
	var pending []*answerBatch // sent to the workers, not yet written
	cur := &answerBatch{}
	send := func() {
		if len(cur.lines) > 0 {
			cur.done = make(chan struct{})
			jobs <- cur
			pending = append(pending, cur)
			cur = &answerBatch{}
		}
	}
	writeOldest := func() error {
		b := pending[0]
		pending = pending[1:]
		<-b.done
		if b.err != nil {
			return b.err
		}
		_, err := out.Write(b.out)
		return err
	}
	drain := func() error {
		send()
		for len(pending) > 0 {
			if err := writeOldest(); err != nil {
				return err
			}
		}
		return out.Flush()
	}
	in := &hookReader{r: a.o.In, before: drain}
	defer func() {
		close(jobs)
		wg.Wait() // a batch still being answered after an error finishes first
	}()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	for sc.Scan() {
		if ctx.Err() != nil {
			break
		}
		if line := strings.TrimSpace(sc.Text()); line != "" {
			cur.lines = append(cur.lines, line)
		}
		if len(cur.lines) == batchLines {
			send()
			for len(pending) > batchesAhead {
				if err := writeOldest(); err != nil {
					return err
				}
			}
		}
	}
	if in.err != nil {
		return in.err
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	if ctx.Err() != nil {
		cur.lines = nil // stop: what was answered is written, nothing new asked
	}
	return drain()
}

// answerBatch asks the core each of b's questions and appends the replies.
func (a *Adapter) answerBatch(ctx context.Context, b *answerBatch) {
	b.out = make([]byte, 0, len(b.lines)*replyGuess)
	for _, line := range b.lines {
		r := a.h.Handle(ctx, bot.Message{Adapter: Name, Text: questionOf(line)})
		var err error
		if b.out, err = appendJSONLine(b.out, r); err != nil {
			b.err = err
			return
		}
	}
}

// replyGuess is about the size of one JSON reply, to size a batch's buffer.
const replyGuess = 768

// hookReader calls before ahead of each read of r (a session flushes its
// replies there), since a read may wait for input that only comes once
// the replies so far are seen. A failed before ends the input; err keeps
// why.
type hookReader struct {
	r      io.Reader
	before func() error
	err    error
}

func (h *hookReader) Read(p []byte) (int, error) {
	if err := h.before(); err != nil {
		h.err = err
		return 0, err
	}
	return h.r.Read(p)
}
