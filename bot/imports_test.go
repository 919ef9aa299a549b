package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAdaptersDoNotImportTheEngine keeps the layering of docs/architecture.md:
// the adapters know the core (bot), never the answering engine (intents)
// or the knowledge base below it.
func TestAdaptersDoNotImportTheEngine(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is needed to list imports:", err)
	}
	for _, pkg := range []string{".", "./slack", "./discord", "./httpapi", "./limit", "./unanswered", "./terminal", "./web", "./redisstate"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasSuffix(dep, "/careersbot/intents") || strings.HasSuffix(dep, "/careersbot/knowledge") {
				t.Errorf("%s imports %s", pkg, dep)
			}
		}
	}
}
