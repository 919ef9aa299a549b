package synth

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// SynthKB returns a directory of n realistic pages written by the shared
// synthkb.py tool (sentences of real NHS pages recombined, so that pages
// share words as real ones do), writing it the first time and keeping it
// under the temporary directory for later runs. A benchmark that cannot
// run the tool (no python3, no shared/ beside the repository) is skipped
// with the reason.
func SynthKB(tb testing.TB, n int) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "tools", "synthkb.py")
	if _, err := os.Stat(script); err != nil {
		tb.Skipf("no synthkb.py beside the repository (%v)", err)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		tb.Skip("python3 is needed to write synthkb pages")
	}
	dir := filepath.Join(os.TempDir(), "careersbot-synthkb-"+strconv.Itoa(n))
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == n {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if out, err := exec.Command(py, script, tmp, strconv.Itoa(n)).CombinedOutput(); err != nil {
		tb.Fatalf("synthkb.py: %v\n%s", err, out)
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(fmt.Errorf("synthkb pages: %w", err))
	}
	return dir
}
