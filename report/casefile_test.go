package report_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/report"
	"github.com/casefile/casefile/vocab"
)

// normalise replaces what differs from run to run in a case file (random assessment IDs, the
// hashes that cover them, ledger times) so that the rest can be held to a golden file.
func normalise(s string) string {
	s = regexp.MustCompile(`asm\\?_[0-9a-z]{16}`).ReplaceAllString(s, "asm_ID")
	s = regexp.MustCompile(`[0-9a-f]{64}`).ReplaceAllString(s, "HASH")
	s = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`).ReplaceAllString(s, "TIME")
	return s
}

func TestCaseFile(t *testing.T) {
	ctx := context.Background()
	db := demoStore(t)
	ev := &casefile.EvidenceItem{ID: "evi_volgograd_audio", SourceID: "src_int_volgograd", FileName: "interview-volgograd.mp3", MediaType: "audio/mpeg", Size: 48213,
		SHA256: "9b74c9897bac770ffc029102a200c5de0b1b6a1f2a8e1f1f5f1d8e4a5c3b2a10", AddedBy: "interviewer", AddedAt: time.Date(2012, 11, 30, 10, 0, 0, 0, time.UTC)}
	if err := db.CreateEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	d, err := report.BuildCase(ctx, db, report.CaseOptions{ID: "act_volgograd_beating", Now: reportTime, Vocab: vocab.Default()})
	if err != nil {
		t.Fatal(err)
	}
	md := string(render(t, d, "md"))
	for _, want := range []string{
		"# Case file: Male drug user, 29, Volgograd", "Restricted: identifies a case", "anonymised submission to UN bodies",
		"pinches the tube", "interview-volgograd.mp3", ev.SHA256, "## Audit trail", "| create | evidence ",
		"alleged torture (CAT Art. 1)", "Rule R1\\_torture\\_CAT1",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the case file lacks %q", want)
		}
	}
	// Each ledger entry shown is the ledger's own, hash included.
	es, _, err := db.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: ptr("evidence"), ObjectID: &ev.ID})
	if err != nil || len(es) == 0 {
		t.Fatalf("the ledger has no entry for the evidence item: %v", err)
	}
	if !strings.Contains(md, es[0].Hash) {
		t.Errorf("the audit trail does not show the ledger entry %d with its hash", es[0].Seq)
	}
	// The record hash of the act is the hash of the act as stored.
	act, _ := db.FindActByID(ctx, "act_volgograd_beating")
	if !strings.Contains(md, "| act act\\_volgograd\\_beating | "+casefile.HashObject(act)+" |") {
		t.Error("the record hash of the act is not the hash of the stored act")
	}
	golden(t, "case-volgograd-en.md", []byte(normalise(md)))

	// A person's file gathers their acts and the testimony their parents gave.
	d, err = report.BuildCase(ctx, db, report.CaseOptions{ID: "per_samokhin", Lang: "ru", Now: reportTime, Vocab: vocab.Default()})
	if err != nil {
		t.Fatal(err)
	}
	md = string(render(t, d, "md"))
	for _, want := range []string{"# Материалы дела: V. P. Samokhin", "tes\\_samokhin", "Vova had not been given anything", "## Журнал аудита"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Russian case file of per_samokhin lacks %q", want)
		}
	}
	if text := pdfText(t, render(t, d, "pdf")); text != nil {
		flat := strings.Join(strings.Fields(string(text)), " ")
		for _, want := range []string{"Материалы дела", "Для служебного пользования", "Хеши записей"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the case file PDF lacks %q", want)
			}
		}
	}

	if _, err := report.BuildCase(ctx, db, report.CaseOptions{ID: "act_nobody"}); casefile.ErrorKind(err) != casefile.ENOTFOUND {
		t.Errorf("unknown subject: %v, want ENOTFOUND", err)
	}
}

func ptr[T any](v T) *T { return &v }
