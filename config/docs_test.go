package config

import (
	"os"
	"strings"
	"testing"
)

// TestEnvironmentDocumented keeps docs/environment.md's table complete:
// every setting config reads has a row.
func TestEnvironmentDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/environment.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, name := range Names() {
		if !strings.Contains(doc, "| `"+name+"` |") {
			t.Errorf("docs/environment.md has no row for %s", name)
		}
	}
}
