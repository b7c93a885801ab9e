package concord

import (
	"os"
	"slices"
	"strings"
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

// TestReferencesMigration: the latest migration that creates the
// references index (0050, then 0131) indexes exactly EntityProps (the
// store's query writes the list out, and the planners use the partial
// index only when the lists agree).
func TestReferencesMigration(t *testing.T) {
	b, err := os.ReadFile("internal/store/migrations/0131_references_work.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := "'" + strings.Join(EntityProps, "', '") + "'"
	got := strings.Join(strings.Fields(string(b)), " ")
	if !strings.Contains(got, "WHERE prop IN ("+want+")") {
		t.Errorf("0050_references.sql does not index %s", want)
	}
}
