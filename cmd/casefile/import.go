package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/exchange"
)

func init() {
	register(&command{Name: "import", Summary: "import JSON bundles and CSV files, all or nothing", Run: runImport})
}

// readImportFile reads one file given to import: a JSON bundle, or a CSV file of persons, events
// or acts (told apart by the extension).
func readImportFile(path string) (*casefile.Bundle, error) {
	// A signed bundle folder (casefile export) is verified first; then its records are read.
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		p, err := verifiedRecords(path)
		if err != nil {
			return nil, err
		}
		path = p
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "import", "%s: cannot open the file", path)
	}
	defer f.Close()
	name := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return exchange.ReadCSV(f, name)
	}
	return exchange.ReadBundle(f, name)
}

func runImport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("import")
	asJSON := fs.Bool("json", false, "print what was imported as JSON")
	files, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("name at least one file: casefile import FILE…")
	}
	// Every file is read and checked before anything is written; then all of them land in one
	// transaction, so one bad row anywhere leaves the store as it was.
	all := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion}
	for _, path := range files {
		b, err := readImportFile(path)
		if err != nil {
			return err
		}
		merge(all, b)
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ImportBundle(actorContext(ctx), all); err != nil {
		return err
	}
	counts := map[string]int{"persons": len(all.Persons), "consents": len(all.Consents), "sources": len(all.Sources), "evidence": len(all.Evidence),
		"testimonies": len(all.Testimonies), "events": len(all.Events), "acts": len(all.Acts), "information": len(all.Information),
		"interventions": len(all.Interventions), "indicators": len(all.Indicators), "assessments": len(all.Assessments)}
	if *asJSON {
		return a.printJSON(map[string]any{"imported": counts, "files": files})
	}
	a.infof("Imported %d persons, %d events, %d acts, %d testimonies, %d sources from %d file(s).",
		counts["persons"], counts["events"], counts["acts"], counts["testimonies"], counts["sources"], len(files))
	return nil
}

// merge appends the records of b to all.
func merge(all, b *casefile.Bundle) {
	all.Persons = append(all.Persons, b.Persons...)
	all.Consents = append(all.Consents, b.Consents...)
	all.Sources = append(all.Sources, b.Sources...)
	all.Evidence = append(all.Evidence, b.Evidence...)
	all.Testimonies = append(all.Testimonies, b.Testimonies...)
	all.Events = append(all.Events, b.Events...)
	all.Acts = append(all.Acts, b.Acts...)
	all.Information = append(all.Information, b.Information...)
	all.Interventions = append(all.Interventions, b.Interventions...)
	all.Indicators = append(all.Indicators, b.Indicators...)
	all.Assessments = append(all.Assessments, b.Assessments...)
}
