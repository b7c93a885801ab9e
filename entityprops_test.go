package concord

import (
	"slices"
	"testing"
)

// TestEntityProps: the list the stores index is every entity-typed
// property of every schema (migration 0050 spells the same list).
func TestEntityProps(t *testing.T) {
	var want []string
	for _, name := range SchemaNames() {
		for p, typ := range SchemaByName(name).Props {
			if typ == TypeEntity && !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	slices.Sort(want)
	if !slices.Equal(EntityProps, want) {
		t.Errorf("EntityProps = %v, want %v", EntityProps, want)
	}
}
