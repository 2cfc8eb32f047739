package sqldb

import (
	"fmt"

	"github.com/casefile/casefile"
)

// checkCodes returns EINVALID naming the field when a record's coded field holds a code that is not
// in its vocabulary. Stores opened without vocabularies (db.Vocab nil) accept any code.
func (db *DB) checkCodes(rec any) error {
	vs := db.Vocab
	if vs == nil {
		return nil
	}
	type f struct{ vocab, field, code string }
	var fields []f
	switch r := rec.(type) {
	case *casefile.Person:
		fields = append(fields, f{"sex", "sex", r.Sex}, f{"counting_unit", "counting_unit", r.CountingUnit})
		for i, c := range r.Characteristics {
			fields = append(fields, f{"characteristic", fmt.Sprintf("characteristics[%d]", i), c})
		}
	case *casefile.Source:
		fields = append(fields, f{"source_kind", "kind", r.Kind}, f{"reliability", "reliability", r.Reliability})
	case *casefile.Event:
		fields = append(fields, f{"domain", "domain", r.Domain}, f{"setting", "setting", r.Setting})
	case *casefile.Act:
		fields = append(fields, f{"act_type", "type", r.Type}, f{"setting", "setting", r.Setting})
		for i, c := range r.Consequences {
			fields = append(fields, f{"consequence", fmt.Sprintf("consequences[%d]", i), c})
		}
		for i, inv := range r.Involvements {
			fields = append(fields, f{"perpetrator_type", fmt.Sprintf("involvements[%d].perpetrator_type", i), inv.PerpetratorType},
				f{"degree", fmt.Sprintf("involvements[%d].degree", i), inv.Degree})
		}
	case *casefile.Information:
		fields = append(fields, f{"connection", "connection", r.Connection}, f{"reliability", "reliability", r.Reliability})
	case *casefile.Intervention:
		fields = append(fields, f{"intervention_kind", "kind", r.Kind})
	}
	for _, x := range fields {
		if err := vs.Check(x.vocab, x.code, x.field); err != nil {
			return err
		}
	}
	return nil
}
