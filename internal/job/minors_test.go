package job

import (
	"context"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestDropLoneMinors: a hit on a minor's watch record is never an alert on
// its own; beside a hit on another record of the same row it is kept.
func TestDropLoneMinors(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	prov := concord.Provenance{Dataset: "watch-fr", ContributedBy: "fr", Audience: "member:fr", Handling: concord.TLPAmberStrict}
	child := concord.NewEntity("watch-fr-det-1", "Person")
	child.Add("name", "Yusuf Quraishi")
	child.Add("topics", "watch", concord.TopicMinor)
	mother := concord.NewEntity("watch-fr-det-2", "Person")
	mother.Add("name", "Amina Quraishi")
	mother.Add("topics", "watch")
	if err := db.Contribute(ctx, append(child.Statements(prov), mother.Statements(prov)...)); err != nil {
		t.Fatal(err)
	}
	alert := func(id string) concord.Alert { return concord.Alert{EntityID: id, Member: "fr"} }
	tests := []struct {
		name string
		in   []string
		want int
	}{
		{"a minor alone", []string{child.ID}, 0},
		{"a minor beside an adult", []string{child.ID, mother.ID}, 2},
		{"an adult", []string{mother.ID}, 1},
		{"a record that is gone", []string{"watch-fr-gone"}, 1},
		{"nothing", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []concord.Alert
			for _, id := range tt.in {
				in = append(in, alert(id))
			}
			got, err := dropLoneMinors(ctx, db, in)
			if err != nil || len(got) != tt.want {
				t.Errorf("%d alerts, %v; want %d", len(got), err, tt.want)
			}
		})
	}
}
