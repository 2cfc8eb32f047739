package report

// Doc is a document laid out as blocks, the one form every renderer (Markdown, HTML, PDF) reads.
// Shadow reports and case files are both written into a Doc, so they share the renderers.
type Doc struct {
	Lang       string
	Title      string
	TitleLines []string // the title page, after the title
	Restricted string   // a warning printed on the title page and every page, "" for none
	Blocks     []Block
	Notes      []Footnote
	tr         func(string) string
}

// BlockKind says what a block is.
type BlockKind int

// Block kinds.
const (
	H1 BlockKind = iota + 1
	H2
	H3
	Para
	Bullets
	Table
	Quote
	BarChart
)

// Block is one heading, paragraph, list, table, quotation or chart. Notes are footnote numbers
// shown at the end of the block's text.
type Block struct {
	Kind     BlockKind
	ID       string // anchor of a heading
	Text     string
	Strong   string // bold lead-in of a paragraph
	Notes    []int
	Items    []Item   // Bullets
	Head     []string // Table
	Rows     [][]string
	RowNotes [][]int
	Chart    []Count // BarChart: one bar per row
	Mono     bool    // Para: fixed-width (hashes)
}

// Item is one bullet.
type Item struct {
	Text  string
	Notes []int
}

func (d *Doc) add(b Block) { d.Blocks = append(d.Blocks, b) }

func (d *Doc) h(kind BlockKind, id, text string) { d.add(Block{Kind: kind, ID: id, Text: text}) }

func (d *Doc) p(text string, notes ...int) { d.add(Block{Kind: Para, Text: text, Notes: notes}) }

// headings returns the level-1 and level-2 headings, for a table of contents.
func (d *Doc) headings() []Block {
	var out []Block
	for _, b := range d.Blocks {
		if b.Kind == H1 || b.Kind == H2 {
			out = append(out, b)
		}
	}
	return out
}
