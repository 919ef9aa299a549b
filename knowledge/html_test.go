package knowledge

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		meta Meta
		want []Block
	}{
		{
			name: "headings, paragraphs and list items",
			in: "<html><body>\n<h1>Title</h1>\n<p>Intro <em>text</em>.</p>\n<h2>Section</h2>\n" +
				"<ul>\n<li>one</li>\n<li>two <strong>bold</strong></li>\n</ul>\n<h3>Sub</h3><h6>Tiny</h6>\n</body></html>",
			meta: Meta{Title: "Title"},
			want: []Block{
				{Kind: Heading, Level: 1, Text: "Title", Line: 2},
				{Kind: Paragraph, Text: "Intro text.", Line: 3},
				{Kind: Heading, Level: 2, Text: "Section", Line: 4},
				{Kind: Bullet, Text: "one", Line: 6},
				{Kind: Bullet, Text: "two bold", Line: 7},
				{Kind: Heading, Level: 3, Text: "Sub", Line: 9},
				{Kind: Heading, Level: 6, Text: "Tiny", Line: 9},
			},
		},
		{
			name: "chrome is ignored",
			in: `<head><title>T</title><style>p{color:red}</style><script>var p = "<p>no</p>";</script></head>
<body><nav><p>Menu</p></nav><header><p>Site name</p><h2>Header h2</h2></header>
<aside><p>Related</p></aside><form><label>Search</label><button>Go</button></form>
<noscript><p>Enable JS</p></noscript><template><p>tpl</p></template>
<svg><title>logo</title><text>svg text</text></svg>
<div hidden><p>hidden</p></div><div aria-hidden="true">aria hidden</div>
<div role="navigation">role nav</div><div role="contentinfo">role info</div>
<div style="display: none">no display</div><h2><span class="nhsuk-u-visually-hidden">Information: </span>Visible</h2>
<p>Kept.</p><footer><p>Footer</p></footer></body>`,
			meta: Meta{Title: "T"},
			want: []Block{
				{Kind: Heading, Level: 2, Text: "Visible", Line: 8},
				{Kind: Paragraph, Text: "Kept.", Line: 9},
			},
		},
		{
			name: "h1 inside header counts",
			in:   "<header><a href=/>Home</a><h1>Page title</h1><p>tagline</p></header><p>Body.</p>",
			meta: Meta{Title: "Page title"},
			want: []Block{
				{Kind: Heading, Level: 1, Text: "Page title", Line: 1},
				{Kind: Paragraph, Text: "Body.", Line: 1},
			},
		},
		{
			name: "implied end tags",
			in:   "<p>one<p>two<ul><li>a<li>b<p>inside b</ul><dl><dt>term<dd>definition</dl><h2>h<h3>x</h3>",
			want: []Block{
				{Kind: Paragraph, Text: "one", Line: 1},
				{Kind: Paragraph, Text: "two", Line: 1},
				{Kind: Bullet, Text: "a", Line: 1},
				{Kind: Bullet, Text: "b inside b", Line: 1},
				{Kind: Paragraph, Text: "term", Line: 1},
				{Kind: Paragraph, Text: "definition", Line: 1},
				{Kind: Heading, Level: 2, Text: "h", Line: 1},
				{Kind: Heading, Level: 3, Text: "x", Line: 1},
			},
		},
		{
			name: "nested lists and list items with paragraphs",
			in:   "<ul><li><p>First.</p><p>Second.</p></li><li>Outer<ul><li>inner one</li><li>inner two</li></ul></li></ul>",
			want: []Block{
				{Kind: Bullet, Text: "First. Second.", Line: 1},
				{Kind: Bullet, Text: "Outer", Line: 1},
				{Kind: Bullet, Text: "inner one", Line: 1},
				{Kind: Bullet, Text: "inner two", Line: 1},
			},
		},
		{
			name: "text directly in containers, br and entities",
			in:   "<main>Loose text<p>para</p>more loose<div>line one<br>line&nbsp;two &amp; caf&eacute; &#8217;s</div></main>",
			want: []Block{
				{Kind: Paragraph, Text: "Loose text", Line: 1},
				{Kind: Paragraph, Text: "para", Line: 1},
				{Kind: Paragraph, Text: "more loose", Line: 1},
				{Kind: Paragraph, Text: "line one line two & café \u2019s", Line: 1},
			},
		},
		{
			name: "block quote and table rows",
			in:   "<blockquote><p>Quoted.</p></blockquote><table><tr><th>Area<th>Where<tr><td><p>Genetics</p><td>labs</table>",
			want: []Block{
				{Kind: Paragraph, Text: "Quoted.", Line: 1},
				{Kind: Paragraph, Text: "Area; Where", Line: 1},
				{Kind: Paragraph, Text: "Genetics; labs", Line: 1},
			},
		},
		{
			name: "find out more resolved against canonical",
			in: `<link rel="Canonical" href="https://example.test/a/page"><meta property="og:url" content="https://other.test/">
<p><a href="genetics">Find out more about genetics</a></p>
<li><a href="/b">find out MORE about audiology</a></li>
<p>Find out more about nothing</p>
<a href="https://abs.test/x">Find out more about x</a>`,
			meta: Meta{URL: "https://example.test/a/page"},
			want: []Block{
				{Kind: More, Text: "Find out more about genetics", URL: "https://example.test/a/genetics", Line: 2},
				{Kind: More, Text: "find out MORE about audiology", URL: "https://example.test/b", Line: 3},
				{Kind: More, Text: "Find out more about nothing", Line: 4},
				{Kind: More, Text: "Find out more about x", URL: "https://abs.test/x", Line: 5},
			},
		},
		{
			name: "og:url when no canonical; link after text split off",
			in:   `<meta property="og:url" content="https://example.test/dir/"><p>Staff work in labs. <a href="more">Find out more about labs</a></p>`,
			meta: Meta{URL: "https://example.test/dir/"},
			want: []Block{
				{Kind: Paragraph, Text: "Staff work in labs.", Line: 1},
				{Kind: More, Text: "Find out more about labs", URL: "https://example.test/dir/more", Line: 1},
			},
		},
		{
			name: "relative link kept without a page URL",
			in:   `<p><a href="/x">Find out more</a></p><p><a href="/y">Other link</a> text</p>`,
			want: []Block{
				{Kind: More, Text: "Find out more", URL: "/x", Line: 1},
				{Kind: Paragraph, Text: "Other link text", Line: 1},
			},
		},
		{
			name: "title fallback trims the site suffix",
			in:   "<title>\n  Audiology | Health Careers - NHS Careers\n</title><p>x</p>",
			meta: Meta{Title: "Audiology"},
			want: []Block{{Kind: Paragraph, Text: "x", Line: 3}},
		},
		{
			name: "breadcrumb from list items, back link ignored",
			in: `<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/hs">Healthcare science</a></li><li>Audiology</li></ol>
<p class="back"><a href="/hs">Back to Healthcare science</a></p></nav><h1>Audiology</h1>`,
			meta: Meta{Title: "Audiology", Breadcrumb: []string{"Home", "Healthcare science", "Audiology"}},
			want: []Block{{Kind: Heading, Level: 1, Text: "Audiology", Line: 2}},
		},
		{
			name: "breadcrumb from links in a div, not repeated in blocks",
			in:   `<div class="site-breadcrumbs"><a href="/">NHS Careers</a> &gt; <a href="/x">Life sciences</a></div><p>Body</p><div class="breadcrumb"><a>Second</a></div>`,
			meta: Meta{Breadcrumb: []string{"NHS Careers", "Life sciences"}},
			want: []Block{{Kind: Paragraph, Text: "Body", Line: 1}},
		},
		{
			name: "line numbers with CRLF, CR and leading blank lines",
			in:   "<body>\r\n<p>one</p>\r\n\r\n<p>\r\n\r\n  two</p>\r<p>three</p>",
			want: []Block{
				{Kind: Paragraph, Text: "one", Line: 2},
				{Kind: Paragraph, Text: "two", Line: 6},
				{Kind: Paragraph, Text: "three", Line: 7},
			},
		},
		{
			name: "head without end tag, stray end tags, text outside elements",
			in:   "<html><head><title>T</title>\n<body>Fragment text</span></div><p>After</p></p></li>",
			meta: Meta{Title: "T"},
			want: []Block{
				{Kind: Paragraph, Text: "Fragment text", Line: 2},
				{Kind: Paragraph, Text: "After", Line: 2},
			},
		},
		{
			name: "plain fragment with angle brackets and comments",
			in:   "a < b and c > d <!-- <p>comment</p> --> e",
			want: []Block{{Kind: Paragraph, Text: "a < b and c > d e", Line: 1}},
		},
		{
			name: "empty document",
			in:   "",
		},
		{
			name: "only chrome",
			in:   "<!DOCTYPE html><html><head><title></title></head><body><nav>menu</nav><script>x()</script></body></html>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, got, err := parseHTML("page.html", []byte(tt.in))
			if err != nil {
				t.Fatalf("parseHTML: %v", err)
			}
			if !reflect.DeepEqual(meta, tt.meta) {
				t.Errorf("meta = %#v, want %#v", meta, tt.meta)
			}
			assertBlocks(t, got, tt.want)
		})
	}
}

func TestParseHTMLErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"invalid UTF-8", "<p>ok</p>\n<p>caf\xe9</p>", []string{"site/page.html:2:", "UTF-8"}},
		{"NUL byte", "<p>\x00</p>", []string{"site/page.html:1:", "binary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, blocks, err := parseHTML("site/page.html", []byte(tt.in))
			if err == nil {
				t.Fatalf("parseHTML succeeded with %d blocks, want an error", len(blocks))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParseHTMLDeepNesting checks that pathological nesting neither panics
// nor loses the text.
func TestParseHTMLDeepNesting(t *testing.T) {
	in := strings.Repeat("<div><span>", 5000) + "deep" + strings.Repeat("</span></div>", 5000)
	_, blocks, err := parseHTML("deep.html", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	assertBlocks(t, blocks, []Block{{Kind: Paragraph, Text: "deep", Line: 1}})
}

func FuzzParseHTML(f *testing.F) {
	addFileSeeds(f, ".html")
	for _, s := range []string{"", "<", "<p>", "</p>", "<li><li>", "<table><td>x", "<nav aria-label=breadcrumb><li>",
		"<a href=x>Find out more", "<title>", "<h1><h2>x", "<svg><title>x</title>", "<br/>", "\r\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, blocks, err := parseHTML("fuzz.html", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.html") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		checkFuzzBlocks(t, blocks)
	})
}
