package service

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fsnotify/fsnotify"
)

// watcher watches the --kb paths so that a change reloads the knowledge,
// whichever way editors and deploy tools make it:
//
//   - a file written in place, or replaced by renaming a new one over it;
//   - a directory's files added, edited or removed, at any depth;
//   - a whole --kb directory (or file) removed and recreated, renamed
//     away and another renamed into its place, or a symlink swapped to
//     point at a new one.
//
// To see the last kind it watches the parent directory of every --kb path
// as well as the path itself, and re-arms the watches on a path whenever
// that path appears again (and on SIGHUP). It logs when a path is lost and
// when it is watched again.
type watcher struct {
	w   *fsnotify.Watcher
	log *slog.Logger

	roots   map[string]bool // the --kb paths, cleaned
	targets map[string]bool // where --kb files that are symlinks point, cleaned

	mu   sync.Mutex      // protects dirs and lost
	dirs map[string]bool // directories inside a --kb directory, watched for everything in them
	lost map[string]bool // --kb paths that are gone for now
}

func newWatcher(paths []string, log *slog.Logger) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, log: log, roots: map[string]bool{}, targets: map[string]bool{},
		dirs: map[string]bool{}, lost: map[string]bool{}}
	for _, p := range paths {
		w.roots[filepath.Clean(p)] = true
	}
	for root := range w.roots {
		if _, err := os.Stat(root); err != nil {
			w.close()
			return nil, err
		}
		parent := filepath.Dir(root)
		if err := fw.Add(parent); err != nil {
			w.close()
			return nil, fmt.Errorf("watch %s: %w", parent, err)
		}
		if err := w.arm(root); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

// arm watches root: every directory in it, or, for a file that is a
// symlink, the directory it points into.
func (w *watcher) arm(root string) error {
	fi, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		if target, err := filepath.EvalSymlinks(root); err == nil && filepath.Clean(target) != root {
			target = filepath.Clean(target)
			w.mu.Lock()
			w.targets[target] = true
			w.mu.Unlock()
			if err := w.w.Add(filepath.Dir(target)); err != nil {
				return fmt.Errorf("watch %s: %w", filepath.Dir(target), err)
			}
		}
		return nil
	}
	return w.addTree(root)
}

// addTree watches dir and every directory below it. The path of dir is
// followed if it is a symlink; symlinks inside are not.
func (w *watcher) addTree(dir string) error {
	if err := w.w.Add(dir); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.mu.Lock()
	w.dirs[filepath.Clean(dir)] = true
	w.mu.Unlock()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := w.addTree(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// forgetTree drops dir and everything below it from the watched tree.
func (w *watcher) forgetTree(dir string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	prefix := dir + string(filepath.Separator)
	for d := range w.dirs {
		if d == dir || strings.HasPrefix(d, prefix) {
			delete(w.dirs, d)
			_ = w.w.Remove(d) // gone already when the directory was removed
		}
	}
}

// rearm watches every --kb path afresh (SIGHUP, or the kernel's queue
// overflowed), logging the paths that are gone.
func (w *watcher) rearm() {
	for root := range w.roots {
		w.forgetTree(root)
		if err := w.arm(root); err != nil {
			w.setLost(root, err)
			continue
		}
		w.setFound(root)
	}
}

func (w *watcher) setLost(root string, err error) {
	w.mu.Lock()
	was := w.lost[root]
	w.lost[root] = true
	w.mu.Unlock()
	if !was {
		w.log.Warn("knowledge path gone; watching for it to come back", "path", root, "err", err)
	}
}

func (w *watcher) setFound(root string) {
	w.mu.Lock()
	was := w.lost[root]
	delete(w.lost, root)
	w.mu.Unlock()
	if was {
		w.log.Info("knowledge path back; watching it again", "path", root)
	}
}

// relevant reports whether ev touches the knowledge, keeping the watches
// up to date as directories come and go.
func (w *watcher) relevant(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	if ev.Op == fsnotify.Chmod {
		return false
	}
	if w.roots[name] {
		// The --kb path itself was created, replaced, renamed or removed.
		w.forgetTree(name)
		if err := w.arm(name); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				w.setLost(name, err)
			} else {
				w.log.Warn("watching knowledge path", "path", name, "err", err)
			}
		} else {
			w.setFound(name)
		}
		return true
	}
	w.mu.Lock()
	target := w.targets[name]
	inTree := w.dirs[filepath.Dir(name)]
	isDir := w.dirs[name]
	w.mu.Unlock()
	if target {
		return true
	}
	if !inTree {
		return false // a sibling of a --kb path in its parent directory
	}
	if isDir && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
		w.forgetTree(name)
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(name); err == nil && fi.IsDir() {
			if err := w.addTree(name); err != nil {
				w.log.Warn("watching knowledge directory", "path", name, "err", err)
			}
		}
	}
	base := filepath.Base(name)
	// Editor droppings: swap files, backups, hidden temporary files.
	if base == "" || base[0] == '.' || base[len(base)-1] == '~' || filepath.Ext(base) == ".swp" {
		return false
	}
	return true
}

func (w *watcher) close() { w.w.Close() }
