package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Routes mounts the Events API, slash command and interactivity endpoints
// when a signing secret is configured. Every request must carry a valid v0
// signature with a timestamp at most five minutes off, or it gets 401 and
// nothing is answered.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.secret == "" {
		return
	}
	mux.HandleFunc("POST /slack/events", a.serveEvents)
	mux.HandleFunc("POST /slack/commands", a.serveCommands)
	mux.HandleFunc("POST /slack/interactions", a.serveInteractions)
}

// verified reads the body and checks its signature. On failure it has
// answered the request and returns false.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	sv, err := slackgo.NewSecretsVerifier(r.Header, a.secret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		reason := "bad signature"
		switch {
		case errors.Is(err, slackgo.ErrMissingHeaders):
			reason = "missing signature"
		case errors.Is(err, slackgo.ErrExpiredTimestamp):
			reason = "stale timestamp"
		}
		// Anyone can send these: at most one line a second per client.
		a.noisy.Log(r.Context(), a.log, slog.LevelWarn, remoteHost(r)+" "+reason, "request refused",
			"path", r.URL.Path, "reason", reason, "remote", remoteHost(r))
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// remoteHost is the peer address of r without its port: the source that
// refused requests are counted by.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// serveEvents handles POST /slack/events: the URL verification challenge
// and event callbacks, acknowledged at once and answered in the background.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
		EventID   string `json:"event_id"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = io.WriteString(w, outer.Challenge)
		return
	case slackevents.CallbackEvent:
	default:
		w.WriteHeader(http.StatusOK) // app_rate_limited and the like
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		// We acknowledge every delivery at once; a retry means the first
		// acknowledgement was lost, not that we failed.
		w.Header().Set("X-Slack-No-Retry", "1")
		a.log.Info("retried delivery", "event", outer.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		// An event type slack-go does not know: nothing for us to answer.
		a.log.Debug("event not understood", "event", outer.EventID, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	a.onEventsAPI(ev)
	w.WriteHeader(http.StatusOK)
}

// serveCommands handles POST /slack/commands: /careers QUESTION, answered
// in the response.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slackgo.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	msg := a.answerCommand(cmd)
	if msg == nil {
		w.WriteHeader(http.StatusOK) // answered later through response_url
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := json.NewEncoder(w).Encode(msg); err != nil {
		a.log.Warn("command response not written", "trigger", cmd.TriggerID, "err", err)
	}
}

// serveInteractions handles POST /slack/interactions: button clicks,
// acknowledged at once and answered in the background.
func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var cb slackgo.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	a.onInteraction(cb)
	w.WriteHeader(http.StatusOK)
}
