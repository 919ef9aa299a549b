package unanswered

import (
	"testing"
	"time"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: "7d", want: now.AddDate(0, 0, -7)},
		{in: "2w", want: now.AddDate(0, 0, -14)},
		{in: "36h", want: now.Add(-36 * time.Hour)},
		{in: "all", want: time.Time{}},
		{in: "2026-06-01", want: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2026-06-01T10:00:00Z", want: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)},
		{in: "", bad: true},
		{in: "-3h", bad: true},
		{in: "soon", bad: true},
		{in: "<script>", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSince(tc.in, now)
			if tc.bad {
				if err == nil {
					t.Fatalf("ParseSince(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("ParseSince(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
