// Package stix writes and reads STIX 2.1, the exchange format of the threat
// intelligence field (MISP, OpenCTI), for Concord's records: persons and
// organisations as identity, threat-actor or intrusion-set; documents,
// accounts, wallets and media hashes as indicators with patterns; links as
// relationships; TLP 2.0 as marking definitions; provenance as
// created_by_ref and external references. Each exported object also
// carries the record's own id, schema and properties (x_concord_*), so that
// Concord to Concord loses nothing; other producers' objects are mapped
// from their STIX properties. Pure: no I/O beyond the readers and writers
// it is given.
package stix

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"concord"
)

// Object is one STIX 2.1 object, with the properties Concord writes and
// reads (others are kept out on export and ignored on import).
type Object struct {
	Type         string `json:"type"`
	SpecVersion  string `json:"spec_version"`
	ID           string `json:"id"`
	Created      string `json:"created"`
	Modified     string `json:"modified,omitempty"`
	CreatedByRef string `json:"created_by_ref,omitempty"`
	Name         string `json:"name,omitempty"`
	Description  string `json:"description,omitempty"`

	IdentityClass    string   `json:"identity_class,omitempty"`
	Aliases          []string `json:"aliases,omitempty"`
	ThreatActorTypes []string `json:"threat_actor_types,omitempty"`
	ResourceLevel    string   `json:"resource_level,omitempty"`
	FirstSeen        string   `json:"first_seen,omitempty"`
	LastSeen         string   `json:"last_seen,omitempty"`

	IndicatorTypes []string `json:"indicator_types,omitempty"`
	Pattern        string   `json:"pattern,omitempty"`
	PatternType    string   `json:"pattern_type,omitempty"`
	ValidFrom      string   `json:"valid_from,omitempty"`

	RelationshipType string `json:"relationship_type,omitempty"`
	SourceRef        string `json:"source_ref,omitempty"`
	TargetRef        string `json:"target_ref,omitempty"`

	// marking-definition
	DefinitionType string         `json:"definition_type,omitempty"`
	Definition     map[string]any `json:"definition,omitempty"`

	Labels             []string            `json:"labels,omitempty"`
	ExternalReferences []ExternalReference `json:"external_references,omitempty"`
	ObjectMarkingRefs  []string            `json:"object_marking_refs,omitempty"`
	Extensions         map[string]any      `json:"extensions,omitempty"`

	// Concord's own: the record's id, schema and properties.
	ConcordID         string              `json:"x_concord_id,omitempty"`
	ConcordSchema     string              `json:"x_concord_schema,omitempty"`
	ConcordProperties map[string][]string `json:"x_concord_properties,omitempty"`
	ConcordSource     string              `json:"x_concord_source_id,omitempty"` // relationships: the records they link
	ConcordTarget     string              `json:"x_concord_target_id,omitempty"`
}

// ExternalReference points outside STIX: the list record a statement
// came from (un:QDi.001 is source_name "un", external_id "QDi.001").
type ExternalReference struct {
	SourceName  string `json:"source_name"`
	ExternalID  string `json:"external_id,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
}

// Timestamp formats a time as STIX does (UTC, milliseconds).
func Timestamp(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// namespace is the UUIDv5 namespace of Concord's STIX ids.
var namespace = [16]byte{0x6f, 0x2c, 0x1e, 0x7a, 0x3b, 0x5d, 0x4e, 0x91, 0x8a, 0x27, 0x0c, 0x44, 0x5f, 0x13, 0x9e, 0x02}

// ID is the STIX id of type for name: a UUIDv5, so that the same record is
// the same object in every export.
func ID(typ, name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(typ + "\x00" + name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u)
	return fmt.Sprintf("%s--%s-%s-%s-%s-%s", typ, x[0:8], x[8:12], x[12:16], x[16:20], x[20:32])
}

// uuidOf is the UUID part of a STIX id, or "" when id is not one.
func uuidOf(id string) (typ, uuid string) {
	t, u, ok := strings.Cut(id, "--")
	if !ok || len(u) != 36 {
		return "", ""
	}
	return t, strings.ToLower(u)
}

// The TLP 2.0 marking definitions (the STIX extension FIRST's TLP 2.0
// standard publishes, with its fixed ids).
const tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

var tlp2IDs = map[concord.TLP]string{
	concord.TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	concord.TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	concord.TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	concord.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	concord.TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// tlp1IDs are the TLP 1.0 marking definitions of STIX 2.x, read as TLP 2.0.
var tlp1IDs = map[string]concord.TLP{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": concord.TLPClear,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": concord.TLPGreen,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": concord.TLPAmber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": concord.TLPRed,
}

// MarkingOf returns the TLP 2.0 marking definition object of t.
func MarkingOf(t concord.TLP) Object {
	return Object{Type: "marking-definition", SpecVersion: "2.1", ID: tlp2IDs[t], Created: "2022-10-01T00:00:00.000Z",
		Name: "TLP:" + string(t), Extensions: map[string]any{tlp2Extension: map[string]any{
			"extension_type": "property-extension", "tlp_2_0": strings.ToLower(string(t))}}}
}

// TLPOf reads the TLP of a marking reference (TLP 2.0 or 1.0 ids).
func TLPOf(ref string) (concord.TLP, bool) {
	for t, id := range tlp2IDs {
		if id == ref {
			return t, true
		}
	}
	t, ok := tlp1IDs[ref]
	return t, ok
}

// stricter returns the more restrictive of two TLP labels.
func stricter(a, b concord.TLP) concord.TLP {
	rank := func(t concord.TLP) int {
		for i, x := range concord.TLPs {
			if x == t {
				return i
			}
		}
		return -1
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}
