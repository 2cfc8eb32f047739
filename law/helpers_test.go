package law

import (
	"encoding/json"
)

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}
