package unanswered

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSince reads the start of a report's period: "all" (everything), a
// duration with d (days) or w (weeks) allowed as units ("7d", "2w",
// "36h"), or a date (2006-01-02) or RFC 3339 time.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty; use a duration such as 7d or a date such as 2025-06-01")
	}
	if s == "all" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.UTC); err == nil {
		return t, nil
	}
	if unit := s[len(s)-1]; unit == 'd' || unit == 'w' {
		n, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err == nil && n >= 0 && n < 100000 {
			day := 24 * time.Hour
			if unit == 'w' {
				day *= 7
			}
			return now.Add(-time.Duration(n * float64(day))), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("%q is not a duration such as 7d, 2w or 36h, nor a date such as 2025-06-01", s)
	}
	return now.Add(-d), nil
}
