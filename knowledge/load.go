package knowledge

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxFileSize is the largest document accepted (4 MiB): a career page is
// tens of kilobytes, so anything near this is a mistake.
const MaxFileSize = 4 << 20

// The embedded page is the Markdown copy of the seed, which carries the
// links of its "Find out more" lines (knowledge/seed holds it as text).
//
//go:embed seed-linked/*.md
var seedFS embed.FS

// Default returns the knowledge base built from the embedded seed page.
func Default() (*Base, error) {
	b, problems := LoadFS(seedFS, "seed-linked")
	if err := fatal(problems); err != nil {
		return nil, err
	}
	return b, nil
}

// Supported reports whether name has an extension the loader reads.
func Supported(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text", ".md", ".markdown", ".html", ".htm":
		return true
	}
	return false
}

// Parse parses one document of the format its name's extension gives.
func Parse(name string, data []byte) (*Document, []Problem, error) {
	if len(data) == 0 || len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file", name)
	}
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("%s: file is %d bytes, over the %d byte limit", name, len(data), MaxFileSize)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, nil, fmt.Errorf("%s:%d: binary file (NUL byte)", name, 1+bytes.Count(data[:i], []byte("\n")))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var (
		meta   Meta
		blocks []Block
		err    error
	)
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text":
		meta, blocks, err = parseText(name, data)
	case ".md", ".markdown":
		meta, blocks, err = parseMarkdown(name, data)
	case ".html", ".htm":
		meta, blocks, err = parseHTML(name, data)
	default:
		return nil, nil, fmt.Errorf("%s: unsupported file type %q (want .txt, .md or .html)", name, path.Ext(name))
	}
	if err != nil {
		return nil, nil, err
	}
	doc, problems := build(name, meta, blocks)
	for _, p := range problems {
		if p.Msg == "no text found" {
			return nil, nil, p
		}
	}
	return doc, problems, nil
}

// Load builds a knowledge base from files and directories (walked
// recursively), replacing the default. Any file that cannot be read or
// parsed fails the load, naming every bad file; warnings that do not stop
// a document from answering are kept in Base.Problems.
func Load(paths ...string) (*Base, error) {
	b, problems := Check(paths...)
	if err := fatal(problems); err != nil {
		return nil, err
	}
	return b, nil
}

// Check loads what it can from paths and returns every problem found,
// fatal or not, with the base built from the good documents.
func Check(paths ...string) (*Base, []Problem) {
	c := collector{start: time.Now()}
	if len(paths) == 0 {
		c.problems = append(c.problems, Problem{Msg: "no knowledge paths given", fatal: true})
	}
	var files []string
	for _, p := range paths {
		fs, errs := expand(p)
		c.problems = append(c.problems, errs...)
		files = append(files, fs...)
	}
	// Files are read and parsed on every core, then collected in order,
	// so a load gives the same base whatever the scheduling.
	type parsed struct {
		doc      *Document
		problems []Problem
		err      error
	}
	out := make([]parsed, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
				data, err := readFile(files[i])
				if err != nil {
					out[i].err = readErr{err}
					continue
				}
				out[i].doc, out[i].problems, out[i].err = Parse(files[i], data)
			}
		}()
	}
	wg.Wait()
	for i, f := range files {
		c.collect(f, out[i].doc, out[i].problems, out[i].err)
	}
	return c.base(strings.Join(paths, ","))
}

// readErr marks an error reading a file, as opposed to parsing it.
type readErr struct{ error }

// LoadFS builds a knowledge base from the documents under dir in fsys.
func LoadFS(fsys fs.FS, dir string) (*Base, []Problem) {
	c := collector{start: time.Now()}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			c.problems = append(c.problems, Problem{Path: p, Msg: readErrMsg(err), fatal: true})
		case !d.IsDir() && Supported(p):
			data, err := fs.ReadFile(fsys, p)
			c.add(p, data, err)
		}
		return nil
	})
	if err != nil {
		c.problems = append(c.problems, Problem{Path: dir, Msg: err.Error(), fatal: true})
	}
	return c.base(dir)
}

// collector gathers the documents and problems of one load.
type collector struct {
	start    time.Time
	docs     []*Document
	problems []Problem
}

// add parses one file's contents, or records why it could not be read.
func (c *collector) add(name string, data []byte, readErr error) {
	if readErr != nil {
		c.problems = append(c.problems, Problem{Path: name, Msg: readErrMsg(readErr), fatal: true})
		return
	}
	d, ps, err := Parse(name, data)
	c.collect(name, d, ps, err)
}

// collect records one parsed file: its document, or why there is none.
func (c *collector) collect(name string, d *Document, ps []Problem, err error) {
	var re readErr
	if errors.As(err, &re) {
		c.problems = append(c.problems, Problem{Path: name, Msg: readErrMsg(re.error), fatal: true})
		return
	}
	c.problems = append(c.problems, ps...)
	if err != nil {
		c.problems = append(c.problems, asProblem(name, err))
		return
	}
	c.docs = append(c.docs, d)
}

// base builds the Base, adding a problem when nothing could be loaded.
func (c *collector) base(where string) (*Base, []Problem) {
	if len(c.docs) == 0 && fatal(c.problems) == nil {
		c.problems = append(c.problems, Problem{Path: where, Msg: "no documents found (want .txt, .md or .html files)", fatal: true})
	}
	b := newBase(c.docs, c.problems)
	b.LoadTime = time.Since(c.start)
	return b, c.problems
}

// readFile reads a document, refusing one over MaxFileSize from its size
// rather than reading it all first. Parse reports a file that grows past
// the limit while it is read.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > MaxFileSize {
			return nil, fmt.Errorf("file is %d bytes, over the %d byte limit", info.Size(), MaxFileSize)
		}
		size = int(info.Size())
	}
	// Read into a buffer of the file's size (and a byte more, to see the
	// end without growing it), as os.ReadFile does.
	data := make([]byte, 0, size+1)
	lr := io.LimitReader(f, MaxFileSize+1)
	for {
		n, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// expand lists the supported files a path names.
func expand(p string) ([]string, []Problem) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, []Problem{{Path: p, Msg: readErrMsg(err), fatal: true}}
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	var problems []Problem
	err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, Problem{Path: f, Msg: readErrMsg(err), fatal: true})
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && f != p {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !Supported(name) {
			problems = append(problems, Problem{Path: f, Msg: "skipped: not a .txt, .md or .html file"})
			return nil
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		problems = append(problems, Problem{Path: p, Msg: readErrMsg(err), fatal: true})
	}
	sort.Strings(files)
	return files, problems
}

func readErrMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// asProblem turns a parse error (which names the file) into a Problem.
func asProblem(path string, err error) Problem {
	var p Problem
	if errors.As(err, &p) {
		p.fatal = true
		return p
	}
	// Parsers say "path: msg" or "path:line: msg".
	msg, line := err.Error(), 0
	if rest, ok := strings.CutPrefix(msg, path+":"); ok {
		msg = strings.TrimSpace(rest)
		if n, after, ok := strings.Cut(rest, ":"); ok {
			if v, err := strconv.Atoi(n); err == nil && v > 0 {
				line, msg = v, strings.TrimSpace(after)
			}
		}
	}
	return Problem{Path: path, Line: line, Msg: msg, fatal: true}
}

// fatal joins the problems that stop a load, or returns nil.
func fatal(problems []Problem) error {
	var errs []error
	for _, p := range problems {
		if p.fatal {
			errs = append(errs, p)
		}
	}
	return errors.Join(errs...)
}

// newBase indexes documents into a Base.
func newBase(docs []*Document, problems []Problem) *Base {
	b := &Base{Documents: docs}
	for _, p := range problems {
		if !p.fatal {
			b.Problems = append(b.Problems, p)
		}
	}
	for _, d := range docs {
		for _, s := range d.Sections {
			for _, sen := range s.Sentences {
				sen.ID = len(b.Sentences)
				b.Sentences = append(b.Sentences, sen)
			}
		}
	}
	b.Topics = deriveTopics(docs)
	return b
}
