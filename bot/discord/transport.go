package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// newHTTPClient returns the REST client. discordgo fixes its endpoint
// addresses (https://discord.com/api/v9/...) when the package loads, so a
// base other than Discord's goes in as a RoundTripper that sends every
// request there, path kept.
func newHTTPClient(base string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32 // bursts of interaction callbacks
	c := &http.Client{Timeout: 20 * time.Second, Transport: tr}
	base = strings.TrimSpace(base)
	if base == "" || strings.TrimSuffix(base, "/") == DefaultBaseURL {
		return c, nil
	}
	rt, err := newBaseTransport(base, tr)
	if err != nil {
		return nil, err
	}
	c.Transport = rt
	return c, nil
}

// baseTransport rewrites the scheme and host of every request to a base
// URL, and puts the base's path (if any) in front of the request's.
type baseTransport struct {
	scheme, host, prefix string
	next                 http.RoundTripper
}

func newBaseTransport(base string, next http.RoundTripper) (*baseTransport, error) {
	// The value is never quoted: a query string or user info may carry a
	// credential. The message names the setting and what is wrong.
	u, err := url.Parse(base)
	why := ""
	switch {
	case err != nil:
		why = "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		why = "must be an http or https URL"
	case u.Host == "":
		why = "has no host"
	case u.User != nil:
		why = "must not carry a user name or password"
	case u.RawQuery != "" || u.ForceQuery:
		why = "must not have a query string"
	case u.Fragment != "":
		why = "must not have a fragment"
	}
	if why != "" {
		return nil, fmt.Errorf("discord: DISCORD_BASE_URL %s (want https://host[:port][/path])", why)
	}
	return &baseTransport{scheme: u.Scheme, host: u.Host, prefix: strings.TrimSuffix(u.EscapedPath(), "/"), next: next}, nil
}

// RoundTrip sends a copy of r to the base.
func (t *baseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = t.scheme
	r2.URL.Host = t.host
	r2.Host = ""
	if t.prefix != "" {
		u, err := url.Parse(t.prefix + r.URL.EscapedPath())
		if err != nil {
			if r.Body != nil {
				r.Body.Close()
			}
			return nil, err
		}
		r2.URL.Path, r2.URL.RawPath = u.Path, u.RawPath
	}
	return t.next.RoundTrip(r2)
}
