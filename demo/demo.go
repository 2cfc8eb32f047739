// Package demo holds Casefile's demonstration data: the interviews, events, acts, media quotations
// and figures of the reference paper (Golichenko and Sarang, "Atmospheric Pressure", Health and
// Human Rights 15/1, 2013), each cited to the paper, as one bundle shipped inside the binary.
package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"

	"github.com/casefile/casefile"
)

//go:embed bundle.json
var bundleJSON []byte

// Passphrase is the passphrase the demo store gets when CASEFILE_PASSPHRASE is not set. It is
// printed by 'casefile demo': the demonstration data is published material, not a secret.
const Passphrase = "casefile-demo-passphrase"

// Bundle returns a fresh copy of the demonstration bundle.
func Bundle() (*casefile.Bundle, error) {
	var b casefile.Bundle
	dec := json.NewDecoder(bytes.NewReader(bundleJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, casefile.Wrap("demo.Bundle", err)
	}
	return &b, nil
}

// JSON returns the demonstration bundle as shipped.
func JSON() []byte { return bytes.Clone(bundleJSON) }
