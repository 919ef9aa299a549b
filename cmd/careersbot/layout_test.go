package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeLayout keeps the README's layout section in step with the
// tree: every directory holding Go code has a line there.
func TestReadmeLayout(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "## Layout")
	if i < 0 {
		t.Fatal("README has no Layout section")
	}
	layout := readme[i:]
	if j := strings.Index(layout[3:], "\n## "); j >= 0 {
		layout = layout[:j+3]
	}
	seen := map[string]bool{}
	err = filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && p != "../..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		dir, _ := filepath.Rel("../..", filepath.Dir(p))
		if dir == "." || seen[dir] {
			return nil
		}
		seen[dir] = true
		if !strings.Contains(layout, "\n"+filepath.ToSlash(dir)+"/ ") {
			t.Errorf("README's layout has no line for %s/", dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 10 {
		t.Errorf("found only %d Go directories; is the walk right?", len(seen))
	}
}
