package knowledge

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

const goodPage = "Careers in audiology\n\nAudiologists test hearing and balance.\n\nWhere you'll work\n\nMost audiologists work in hospital clinics.\n"

// writeFiles creates files (path -> content) under a new temporary
// directory and returns it.
func writeFiles(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	huge := "Careers in size\n\n" + strings.Repeat("Scientists test samples every day.\n", 10<<20/35+1)
	tests := []struct {
		name  string
		files map[string]string
		path  string   // relative to the directory; "" is the directory itself
		want  []string // substrings of the error
	}{
		{"missing path", nil, "nope.txt", []string{"nope.txt", "no such file"}},
		{"empty file", map[string]string{"empty.txt": ""}, "empty.txt", []string{"empty.txt: empty file"}},
		{"whitespace-only file", map[string]string{"blank.txt": " \n\t\r\n\u00a0\n"}, "blank.txt", []string{"blank.txt: empty file"}},
		{"binary file", map[string]string{"bin.txt": "Title\n\nText\x00\x01\x02\n"}, "bin.txt", []string{"bin.txt:3: binary file"}},
		{"invalid UTF-8", map[string]string{"latin1.txt": "Title\n\nCaf\xe9 staff.\n"}, "latin1.txt", []string{"latin1.txt:3: not UTF-8"}},
		{"10 MB file", map[string]string{"huge.txt": huge}, "huge.txt", []string{"huge.txt: file is", "byte limit"}},
		{"unsupported extension", map[string]string{"notes.pdf": "%PDF-1.4 text"}, "notes.pdf", []string{"notes.pdf", "unsupported file type", ".pdf"}},
		{"no extension", map[string]string{"README": goodPage}, "README", []string{"README", "unsupported file type"}},
		{"headings but no text", map[string]string{"heads.txt": "Title\n\nFirst heading\n\nSecond heading\n"}, "heads.txt", []string{"heads.txt: no text found"}},
		{"only a title", map[string]string{"title.txt": "Careers in audiology\n"}, "title.txt", []string{"title.txt: no text found"}},
		{"directory with no documents", map[string]string{"notes.pdf": "x", "img.png": "x"}, "", []string{"no documents found"}},
		{"empty directory", map[string]string{}, "", []string{"no documents found"}},
		{"directory of hidden documents only", map[string]string{".hidden.txt": goodPage, ".git/page.txt": goodPage}, "", []string{"no documents found"}},
		{"bad file in directory", map[string]string{"good.txt": goodPage, "sub/empty.md": ""}, "", []string{filepath.Join("sub", "empty.md") + ": empty file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			p := filepath.Join(dir, tt.path)
			b, err := Load(p)
			if err == nil {
				t.Fatalf("Load(%s) gave %d documents and no error", p, len(b.Documents))
			}
			if b != nil {
				t.Errorf("Load returned a base with its error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the path under %s", err, dir)
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	dir := writeFiles(t, map[string]string{"locked.txt": goodPage})
	p := filepath.Join(dir, "locked.txt")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), p+": open: permission denied") {
		t.Errorf("error = %v, want the file and 'permission denied'", err)
	}
}

func TestLoadNoPaths(t *testing.T) {
	_, err := Load()
	if err == nil || err.Error() != "no knowledge paths given" {
		t.Errorf("Load() error = %v, want \"no knowledge paths given\"", err)
	}
}

// TestLoadHugeSparseFile checks that an oversized file is refused from its
// size, not after reading it all into memory.
func TestLoadHugeSparseFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sparse.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 34); err != nil { // 16 GiB of holes
		f.Close()
		t.Skipf("no sparse files here: %v", err)
	}
	f.Close()
	_, err = Load(p)
	if err == nil || !strings.Contains(err.Error(), "sparse.txt: file is 17179869184 bytes") {
		t.Errorf("error = %v, want the file's size named", err)
	}
}

func TestCheckDirectoryMix(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"good.txt":          goodPage,
		"sub/deeper/b.TXT":  strings.Replace(goodPage, "audiology", "cardiology", 1),
		"notes.pdf":         "%PDF",
		"image.png":         "\x89PNG",
		".hidden.txt":       "",             // hidden: skipped, so no error
		".git/objects/x.md": "\x00\x00",     // hidden directory: skipped
		"empty.txt":         "",             // fatal
		"bin.txt":           "Hi\n\x00\n",   // fatal
		"heads.txt":         "Title\n\nA\n", // fatal: no text
	})

	t.Run("Load fails naming every bad file", func(t *testing.T) {
		b, err := Load(dir)
		if err == nil {
			t.Fatalf("no error; %d documents", len(b.Documents))
		}
		for _, w := range []string{"empty.txt: empty file", "bin.txt:2: binary file", "heads.txt: no text found"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q lacks %q", err, w)
			}
		}
		for _, w := range []string{".hidden", ".git", "notes.pdf", "image.png"} {
			if strings.Contains(err.Error(), w) {
				t.Errorf("error %q names %q, which is not fatal", err, w)
			}
		}
	})

	t.Run("Check returns the good documents and every problem", func(t *testing.T) {
		b, problems := Check(dir)
		var titles []string
		for _, d := range b.Documents {
			titles = append(titles, d.Title)
		}
		sort.Strings(titles)
		if want := []string{"Careers in audiology", "Careers in cardiology"}; strings.Join(titles, "|") != strings.Join(want, "|") {
			t.Errorf("documents = %q, want %q", titles, want)
		}
		if len(b.Topics) == 0 || len(b.Sentences) == 0 {
			t.Errorf("base has %d topics and %d sentences", len(b.Topics), len(b.Sentences))
		}
		var fatal, warn []string
		for _, p := range problems {
			rel, err := filepath.Rel(dir, p.Path)
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("problem %v does not name a file under the directory", p)
			}
			if p.Fatal() {
				fatal = append(fatal, rel)
			} else {
				warn = append(warn, rel)
			}
		}
		sort.Strings(fatal)
		sort.Strings(warn)
		if want := "bin.txt empty.txt heads.txt"; strings.Join(fatal, " ") != want {
			t.Errorf("fatal problems on %q, want %s", fatal, want)
		}
		if want := "image.png notes.pdf"; strings.Join(warn, " ") != want {
			t.Errorf("warnings on %q, want %s", warn, want)
		}
		for _, p := range b.Problems {
			if p.Fatal() {
				t.Errorf("Base.Problems holds fatal %v", p)
			}
		}
	})

	t.Run("Load of the good files keeps warnings", func(t *testing.T) {
		for _, name := range []string{"empty.txt", "bin.txt", "heads.txt"} {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
		b, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Documents) != 2 || len(b.Problems) != 2 {
			t.Errorf("%d documents, problems %v; want 2 documents and 2 warnings", len(b.Documents), b.Problems)
		}
		for _, p := range b.Problems {
			if !strings.Contains(p.Msg, "skipped") {
				t.Errorf("warning %v does not say the file was skipped", p)
			}
		}
	})
}

func TestCheckWarnings(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p.txt": "Careers in audiology\n\nIntro text.\n\nEmpty heading\n\nOther heading\n\nText.\n",
	})
	b, problems := Check(filepath.Join(dir, "p.txt"))
	if len(b.Documents) != 1 {
		t.Fatalf("%d documents", len(b.Documents))
	}
	if len(problems) != 1 || problems[0].Fatal() || problems[0].Line != 5 ||
		problems[0].Error() != filepath.Join(dir, "p.txt")+`:5: heading "Empty heading" has no text` {
		t.Errorf("problems = %v, want one warning on line 5", problems)
	}
}

func TestCheckOneSentencePage(t *testing.T) {
	dir := writeFiles(t, map[string]string{"one.txt": "Audiologists test hearing and balance in hospital clinics.\n"})
	b, err := Load(filepath.Join(dir, "one.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sentences) != 1 || b.Sentences[0].Text != "Audiologists test hearing and balance in hospital clinics." {
		t.Errorf("sentences = %q", sentenceTexts(b.Sentences))
	}
	if len(b.Problems) != 1 || b.Problems[0].Msg != "no title found" {
		t.Errorf("problems = %v, want a 'no title found' warning", b.Problems)
	}
}

func TestLoadSeveralPaths(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a/one.txt": goodPage, "b/two.txt": strings.Replace(goodPage, "audiology", "cardiology", 1)})
	b, err := Load(filepath.Join(dir, "a"), filepath.Join(dir, "b", "two.txt"), "testdata/txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Documents) != 3 {
		t.Errorf("%d documents, want 3", len(b.Documents))
	}
	for i, s := range b.Sentences {
		if s.ID != i {
			t.Fatalf("sentence %d has id %d", i, s.ID)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantErr string
		title   string
	}{
		{"page.txt", goodPage, "", "Careers in audiology"},
		{"upper case extension.TXT", goodPage, "", "Careers in audiology"},
		{"text extension.text", goodPage, "", "Careers in audiology"},
		{"byte order mark.txt", "\ufeff" + goodPage, "", "Careers in audiology"},
		{"empty.txt", "", "empty.txt: empty file", ""},
		{"nul late.txt", goodPage + "\n\n\x00", "nul late.txt:10: binary file (NUL byte)", ""},
		{"unsupported.doc", goodPage, `unsupported.doc: unsupported file type ".doc" (want .txt, .md or .html)`, ""},
		{"over limit.txt", strings.Repeat("a", MaxFileSize+1), "over limit.txt: file is 4194305 bytes, over the 4194304 byte limit", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _, err := Parse(tt.name, []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				if doc != nil {
					t.Errorf("document returned with error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Path != tt.name {
				t.Errorf("title %q path %q", doc.Title, doc.Path)
			}
		})
	}
}

func TestLoadFS(t *testing.T) {
	seed := readSeed(t)
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		docs    int
		fatal   []string
		noFatal bool
	}{
		{"good", fstest.MapFS{"kb/a.txt": {Data: seed}, "kb/readme.pdf": {Data: []byte("x")}}, 1, nil, true},
		{"bad and good", fstest.MapFS{"kb/a.txt": {Data: seed}, "kb/b.txt": {Data: []byte("\x00")}}, 1, []string{"kb/b.txt:1: binary file (NUL byte)"}, false},
		{"nothing", fstest.MapFS{"kb/readme.pdf": {Data: []byte("x")}}, 0, []string{"kb: no documents found"}, false},
		{"missing dir", fstest.MapFS{}, 0, []string{"kb: "}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, problems := LoadFS(tt.fsys, "kb")
			if len(b.Documents) != tt.docs {
				t.Errorf("%d documents, want %d", len(b.Documents), tt.docs)
			}
			err := fatal(problems)
			if tt.noFatal != (err == nil) {
				t.Errorf("fatal error = %v", err)
			}
			for _, w := range tt.fatal {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v lacks %q", err, w)
				}
			}
		})
	}
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "a.txt", Msg: "empty file"}, "a.txt: empty file"},
		{Problem{Path: "a.txt", Line: 12, Msg: "bad"}, "a.txt:12: bad"},
		{Problem{Path: "a.txt", Line: 1234567, Msg: "bad"}, "a.txt:1234567: bad"},
		{Problem{Msg: "no knowledge paths given"}, "no knowledge paths given"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.p.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSupported(t *testing.T) {
	for name, want := range map[string]bool{
		"a.txt": true, "a.TXT": true, "a.md": true, "a.markdown": true, "a.html": true, "a.htm": true, "a.text": true,
		"a.pdf": false, "a": false, "a.txt.bak": false, ".txt": true,
	} {
		if got := Supported(name); got != want {
			t.Errorf("Supported(%q) = %v, want %v", name, got, want)
		}
	}
}
