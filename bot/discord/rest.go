package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Interaction responses and edits go through here rather than discordgo's
// REST methods: discordgo keys its rate-limit buckets by URL and never drops
// one, and these URLs hold a fresh interaction token every time, so a busy
// bot would keep every token it ever saw (bwmarrin/discordgo#1333). Discord
// does not apply the global rate limit to these endpoints; a 429 is still
// honoured and retried.

const (
	maxAttempts = 3
	maxWait     = 10 * time.Second // longest retry_after honoured
	userAgent   = "DiscordBot (https://github.com/careersbot/careersbot, 1)"
)

// respond sends the first response to an interaction.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	return a.call(ctx, http.MethodPost, discordgo.EndpointInteractionResponse(i.ID, i.Token), resp)
}

// editOriginal replaces the deferred response of an interaction.
func (a *Adapter) editOriginal(ctx context.Context, appID, token string, edit *discordgo.WebhookEdit) error {
	return a.call(ctx, http.MethodPatch, discordgo.EndpointInteractionResponseActions(appID, token), edit)
}

// call sends v as JSON, retrying after 429 and 502/503. Errors never carry
// the URL.
func (a *Adapter) call(ctx context.Context, method, url string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("new request: %s", safeError(err))
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", userAgent)
		resp, err := a.session.Client.Do(req)
		if err != nil {
			return fmt.Errorf("%s", safeError(err))
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		wait, retry := retryAfter(resp, msg)
		if !retry || attempt == maxAttempts {
			if len(msg) > 200 {
				msg = msg[:200]
			}
			return fmt.Errorf("HTTP %s: %s", resp.Status, msg)
		}
		a.log.Warn("discord REST retry", "status", resp.StatusCode, "bucket", resp.Header.Get("X-RateLimit-Bucket"), "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// retryAfter says whether a failed response is worth retrying, and when.
func retryAfter(resp *http.Response, body []byte) (time.Duration, bool) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		var rl struct {
			RetryAfter float64 `json:"retry_after"` // seconds
		}
		d := time.Second
		if json.Unmarshal(body, &rl) == nil && rl.RetryAfter > 0 {
			d = time.Duration(rl.RetryAfter * float64(time.Second))
		} else if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s >= 0 {
			d = time.Duration(s * float64(time.Second))
		}
		return d, d <= maxWait
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return 500 * time.Millisecond, true
	}
	return 0, false
}
