// Package seed holds the data Concord ships with: the default coalition
// (members and groups after the Madrid meeting), the UN Security Council
// Consolidated List loaded into a fresh node, and a sample of travellers to
// screen. It is data, not code: edit the files, not this package.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"concord"
)

//go:embed coalition.json
var coalitionJSON []byte

//go:embed un_consolidated.xml
var unList []byte

//go:embed travellers.csv
var travellers []byte

// UNListName is the name the bundled list is reported under.
const UNListName = "un_consolidated.xml (bundled, generated 2026-02-27)"

// Coalition returns the default coalition, validated.
func Coalition() (*concord.Coalition, error) {
	var c concord.Coalition
	dec := json.NewDecoder(bytes.NewReader(coalitionJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("seed: coalition.json: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("seed: coalition.json: %w", err)
	}
	return &c, nil
}

// UNList returns the bundled UN Consolidated List XML.
func UNList() io.Reader { return bytes.NewReader(unList) }

// Travellers returns a sample query CSV in the `concord screen` format.
func Travellers() io.Reader { return bytes.NewReader(travellers) }
