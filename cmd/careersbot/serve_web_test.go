package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testTeamToken = "serve-team-token-Hunter2-0123456789"

// get sends a GET with optional headers.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestServeWebDefaults(t *testing.T) {
	s := startServe(t, nil, nil)
	resp, body := get(t, s.url+"/", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<main id="careersbot"`) {
		t.Fatalf("GET / = %d\n%s", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("CSP %q", csp)
	}
	resp, body = get(t, s.url+"/widget.js", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "healthcare science") {
		t.Errorf("GET /widget.js = %d, want the script with the embedded page's subject", resp.StatusCode)
	}
	for _, p := range []string{"/team", "/team/api/kb", "/team/unanswered.csv"} {
		if resp, _ := get(t, s.url+p, map[string]string{"Authorization": "Bearer " + testTeamToken}); resp.StatusCode != 404 {
			t.Errorf("GET %s without CAREERSBOT_TEAM_TOKEN = %d, want 404", p, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("OPTIONS", s.url+"/v1/ask", nil)
	req.Header.Set("Origin", "https://careers.example.org")
	req.Header.Set("Access-Control-Request-Method", "POST")
	pre, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if pre.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("an origin is allowed with CAREERSBOT_ALLOWED_ORIGINS unset")
	}
}

func TestServeWebConsole(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	s := startServe(t, map[string]string{
		"CAREERSBOT_TEAM_TOKEN":      testTeamToken,
		"CAREERSBOT_ALLOWED_ORIGINS": "https://careers.example.org",
	}, nil, "--kb", kb)
	auth := map[string]string{"Authorization": "Bearer " + testTeamToken}

	if resp, _ := get(t, s.url+"/team", nil); resp.StatusCode != 401 {
		t.Errorf("GET /team without the token = %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, s.url+"/team/api/kb", map[string]string{"Authorization": "Bearer wrong-wrong-wrong-wrong"}); resp.StatusCode != 401 {
		t.Errorf("wrong token = %d, want 401", resp.StatusCode)
	}
	resp, body := get(t, s.url+"/team/api/kb", auth)
	var k struct {
		Documents []struct{ Path string } `json:"documents"`
		Topics    []struct{ Name string } `json:"topics"`
	}
	if err := json.Unmarshal(body, &k); err != nil || resp.StatusCode != 200 || len(k.Documents) != 1 || k.Documents[0].Path != kb || len(k.Topics) == 0 {
		t.Errorf("GET /team/api/kb = %d %s", resp.StatusCode, body)
	}

	// A question the page cannot answer, asked over /v1/ask, is listed.
	q := "how much do genetics staff earn"
	if resp, body := request(t, "POST", s.url+"/v1/ask", `{"question":"`+q+`"}`); resp.StatusCode != 200 || !strings.Contains(string(body), `"answered":false`) {
		t.Fatalf("ask: %d %s", resp.StatusCode, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := get(t, s.url+"/team/api/unanswered?since=1h", auth)
		if strings.Contains(string(body), q) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unanswered question never showed: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Trying a question explains it and is not recorded.
	req, _ := http.NewRequest("POST", s.url+"/team/api/try", strings.NewReader(`{"question":"where do genetics staff work"}`))
	req.Header.Set("Authorization", "Bearer "+testTeamToken)
	tr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var x map[string]any
	json.NewDecoder(tr.Body).Decode(&x)
	tr.Body.Close()
	if tr.StatusCode != 200 || x["answered"] != true || x["intent"] != "location" || x["features"] == nil {
		t.Errorf("try: %d %v", tr.StatusCode, x)
	}

	// The allowed origin may call /v1/ask from a browser.
	req, _ = http.NewRequest("POST", s.url+"/v1/ask", strings.NewReader(`{"question":"where do genetics staff work"}`))
	req.Header.Set("Origin", "https://careers.example.org")
	cr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cr.Body.Close()
	if cr.Header.Get("Access-Control-Allow-Origin") != "https://careers.example.org" {
		t.Errorf("allowed origin got Access-Control-Allow-Origin %q", cr.Header.Get("Access-Control-Allow-Origin"))
	}

	// A failed reload shows in the console, and the old page keeps serving.
	writeKB(t, kb, "")
	if err := s.waitReload(t); err == nil {
		t.Fatal("reloading an empty page succeeded")
	}
	_, body = get(t, s.url+"/team/api/kb", auth)
	var after struct {
		Reload *struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		} `json:"last_reload"`
		Documents []any `json:"documents"`
	}
	if err := json.Unmarshal(body, &after); err != nil || after.Reload == nil || after.Reload.OK || after.Reload.Error == "" || len(after.Documents) != 1 {
		t.Errorf("after a failed reload: %s", body)
	}
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.stderr.String(), testTeamToken) {
		t.Errorf("serve logged the team token:\n%s", s.stderr)
	}
}
