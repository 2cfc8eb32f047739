package discourse

import (
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

const testPage = `<!doctype html><html lang="ru"><head><title>Ignored title</title>
<meta property="og:title" content="Заголовок статьи">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://example.org/a/1">
<script>var наркоманы = 1;</script><style>.x{}</style></head>
<body><nav>Главная · Наркоманы (меню)</nav><header>Шапка</header>
<article><h1>Заголовок</h1><p>Первый абзац без точки</p><p>Эти <b>наркоманы</b> — просто животные.</p>
<aside>Реклама</aside><p>Третий&nbsp;абзац.</p></article><footer>Подвал</footer></body></html>`

func TestReadHTML(t *testing.T) {
	doc, err := ReadHTML(strings.NewReader(testPage), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	want := "Заголовок\n\nПервый абзац без точки\n\nЭти наркоманы — просто животные.\n\nТретий абзац."
	if doc.Text != want {
		t.Errorf("text = %q, want %q", doc.Text, want)
	}
	if doc.Title != "Заголовок статьи" || doc.Language != "ru" || doc.Published != "2024-03-05T10:00:00Z" || doc.URL != "https://example.org/a/1" {
		t.Errorf("doc = %+v", doc)
	}
	// The paragraph break ends the sentence: the metaphor is quoted with its own paragraph.
	hits, _ := newTestScanner(t, Options{}).ScanString(doc.Text)
	if terms(hits) != "наркоманы/label животные/dehumanisation" || hits[1].Sentence != "Эти наркоманы — просто животные." {
		t.Errorf("hits = %s", terms(hits))
	}
}

func TestReadHTML_Windows1251(t *testing.T) {
	page := "<html><head><meta charset=\"windows-1251\"></head><body><p>\xcd\xe0\xf0\xea\xee\xec\xe0\xed\xfb</p></body></html>" // Наркоманы
	doc, err := ReadHTML(strings.NewReader(page), "")
	if err != nil || doc.Text != "Наркоманы" {
		t.Errorf("doc = %+v, err %v", doc, err)
	}
}

func TestReadHTML_NoArticle(t *testing.T) {
	doc, err := ReadHTML(strings.NewReader("<p>One<br>two</p><div>three</div>"), "")
	if err != nil || doc.Text != "One\n\ntwo\n\nthree" {
		t.Errorf("doc = %q, err %v", doc.Text, err)
	}
}

const testRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Газета</title><language>ru</language>
<item><title>Первая</title><link>https://example.org/1</link><guid>g1</guid><pubDate>Tue, 05 Mar 2024 10:00:00 +0300</pubDate>
<description>&lt;p&gt;Эти наркоманы — просто животные.&lt;/p&gt;</description></item>
<item><title>Вторая</title><link>https://example.org/2</link><pubDate>not a date</pubDate>
<content:encoded><![CDATA[<p>Полный текст.</p>]]></content:encoded><description>Кратко</description></item>
</channel></rss>`

const testAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>The Paper</title>
<entry><title>First</title><link rel="alternate" href="https://example.com/1"/><id>urn:1</id>
<updated>2024-04-01T12:00:00Z</updated><summary type="html">&lt;b&gt;Junkies&lt;/b&gt; are scum.</summary></entry>
</feed>`

func TestParseFeed(t *testing.T) {
	f, err := ParseFeed(strings.NewReader(testRSS))
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Газета" || f.Language != "ru" || len(f.Items) != 2 {
		t.Fatalf("feed = %+v", f)
	}
	a, b := f.Items[0], f.Items[1]
	if a.URL != "https://example.org/1" || a.GUID != "g1" || a.Text != "Эти наркоманы — просто животные." || a.Published == nil || a.Published.Format("2006-01-02T15") != "2024-03-05T07" {
		t.Errorf("item 1 = %+v", a)
	}
	if b.Text != "Полный текст." || b.Published != nil {
		t.Errorf("item 2 = %+v", b)
	}
	at, err := ParseFeed(strings.NewReader(testAtom))
	if err != nil {
		t.Fatal(err)
	}
	if at.Title != "The Paper" || len(at.Items) != 1 || at.Items[0].URL != "https://example.com/1" || at.Items[0].Text != "Junkies are scum." || at.Items[0].Published == nil {
		t.Errorf("atom = %+v", at)
	}
}

func TestParseFeed_Errors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not xml", "<rss><channel><title>x</title>\n<item></rss", "line"},
		{"not a feed", "<html><body>x</body></html>", "not an RSS or Atom feed (root element <html>)"},
		{"encoding", `<?xml version="1.0" encoding="big5"?><rss/>`, `encoding "big5" is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFeed(strings.NewReader(tc.doc))
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"outlet":"Газета","date":"2024-03-05","url":"https://example.org/1","title":"Т","text":"Эти наркоманы — животные."}

{"outlet":"Paper","html":"<p>Junkies are <i>scum</i>.</p>","date":"2024-04-01T10:00:00Z"}
`
	var got []*Record
	if err := ReadJSONL(strings.NewReader(in), "in.jsonl", func(r *Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Outlet != "Газета" || got[0].Published.Format("2006-01") != "2024-03" || got[0].Line != 1 ||
		got[1].Text != "Junkies are scum." || got[1].Line != 3 || !strings.HasPrefix(string(got[1].Raw), `{"outlet":"Paper"`) {
		t.Errorf("records = %+v %+v", got[0], got[1])
	}
	for _, tc := range []struct{ name, in, want string }{
		{"syntax", "{\"text\": \"x\"}\n{\"text\": }\n", "in.jsonl:2: not valid JSON"},
		{"type", `{"text": 5}`, "in.jsonl:1: field text: want a string"},
		{"unknown", `{"text": "x", "body": "y"}`, `in.jsonl:1: unknown field "body"`},
		{"no text", `{"title": "x"}`, "in.jsonl:1: field text (or html) is required"},
		{"date", `{"text": "x", "date": "yesterday"}`, `in.jsonl:1: field date: "yesterday" is not a date`},
		{"two values", `{"text": "x"} {"text": "y"}`, "in.jsonl:1: more than one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadJSONL(strings.NewReader(tc.in), "in.jsonl", func(*Record) error { return nil })
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func FuzzReadHTML(f *testing.F) {
	for _, s := range []string{testPage, "<p>One<br>two</p>", "<article><article>", "<meta charset=koi8-r><p>\xee\xc1", "<svg><p>x</svg>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := ReadHTML(strings.NewReader(page), "")
		if err != nil {
			return
		}
		if strings.Contains(doc.Text, "\n\n\n") || doc.Text != strings.TrimSpace(doc.Text) {
			t.Fatalf("text not normalised: %q", doc.Text)
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	for _, s := range []string{testRSS, testAtom, "<rss><channel><item><title>x", "<feed><entry><link href='x'/></entry></feed>", "<rdf:RDF><item><title>t</title></item></rdf:RDF>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		feed, err := ParseFeed(strings.NewReader(doc))
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("error kind %s: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		for _, it := range feed.Items {
			if it.Published != nil && it.Published.Location().String() != "UTC" {
				t.Fatalf("date not in UTC")
			}
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"outlet":"a","date":"2024-03-05","text":"x"}` + "\n" + `{"html":"<p>y</p>"}`)
	f.Add(`{"text": 5}`)
	f.Add("\n\n{}")
	f.Fuzz(func(t *testing.T, in string) {
		err := ReadJSONL(strings.NewReader(in), "f.jsonl", func(r *Record) error {
			if (r.Text == "" && r.HTML == "") || r.Line < 1 {
				t.Fatalf("record without text or line: %+v", r)
			}
			return nil
		})
		if err != nil && casefile.ErrorKind(err) != casefile.EINVALID {
			t.Fatalf("error kind %s: %v", casefile.ErrorKind(err), err)
		}
	})
}
