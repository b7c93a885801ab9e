package search_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/search"
	"concord/match"
	"concord/match/index"
)

// A service loaded from a snapshot answers every viewer as the one saved,
// and both follow the same changes alike.
func TestSnapshot(t *testing.T) {
	f := newFixture(t, "sqlite")
	f.list("un", [3]string{"un-1", "Abdulrahman Qasim Haddad", "1975"}, [3]string{"un-2", "Omar Farouk Bashir", "1966"})
	f.list("eu", [3]string{"eu-1", "Haddad Abdulrahman Qasim", "1975-02-03"})
	f.contribute("es", concord.MemberAudience("es"), concord.TLPRed, "eu-1", "alias", "Zoltan Kwiatkowski")
	f.contribute("fr", concord.GroupAudience("ttwg"), concord.TLPAmber, "m-fr-1", "name", "Omar Farouk Bashir", "birthDate", "1966")
	saved, err := search.New(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "index.snapshot")
	if err := saved.SaveFile(path, 42); err != nil {
		t.Fatal(err)
	}
	loaded := search.Open(f.db)
	if v, err := loaded.LoadFile(path); err != nil || v != 42 {
		t.Fatalf("LoadFile: %d, %v", v, err)
	}
	qs := []match.Query{{Name: "Abdulrahman Qasim Haddad"}, {Name: "Zoltan Kwiatkowski"}, {Name: "Omar Farouk Bashir", BirthDate: "1966"}, {Name: "Bashir Omar"}}
	same := func(step string) {
		t.Helper()
		for _, v := range []access.Viewer{viewerES, viewerFR, viewerUZ} {
			for _, q := range qs {
				opt := match.Options{Threshold: 0.5, Limit: 10}
				if a, b := f.match(saved, v, q, opt), f.match(loaded, v, q, opt); !reflect.DeepEqual(a, b) {
					t.Errorf("%s: %s %q:\nsaved  %+v\nloaded %+v", step, v.Member, q.Name, a, b)
				}
			}
		}
		if saved.Len() != loaded.Len() {
			t.Errorf("%s: Len %d, %d", step, saved.Len(), loaded.Len())
		}
	}
	same("loaded")
	f.list("eu", [3]string{"eu-1", "Haddad Abdulrahman Qasim", "1960"})
	f.contribute("uz", concord.AudienceCoalition, concord.TLPGreen, "un-2", "alias", "Zoltan Kwiatkowski")
	for _, s := range []*search.Service{saved, loaded} {
		if err := s.Apply(f.ctx, []string{"eu-1", "un-2"}); err != nil {
			t.Fatal(err)
		}
	}
	same("after changes")
	var a, b bytes.Buffer
	if err := saved.Save(&a, 43); err != nil {
		t.Fatal(err)
	}
	if err := loaded.Save(&b, 43); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the two services' snapshots differ")
	}
	// A damaged snapshot changes nothing.
	bad := bytes.Clone(a.Bytes())
	bad[len(bad)/2] ^= 1
	if _, err := loaded.Load(bytes.NewReader(bad)); !errors.Is(err, index.ErrCorrupt) {
		t.Errorf("damaged snapshot: %v", err)
	}
	same("after a damaged snapshot")
}
