package search

import (
	"fmt"
	"io"
	"os"
	"slices"

	"concord"
	"concord/internal/snapshot"
	"concord/match"
	"concord/match/index"
)

// snapshotMagic names the service's snapshot files (the format of what
// follows it is versioned by snapshotFormat and match's own version).
const (
	snapshotMagic  = "concord-search"
	snapshotFormat = 1
)

// Save writes the indexes as they are, with version (the store's change
// feed position they reflect), so that Load can start from them instead of
// the store. Writers wait meanwhile; queries go on.
func (s *Service) Save(w io.Writer, version int64) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := index.NewEncoder(w, snapshotMagic)
	e.Uvarint(snapshotFormat)
	e.Uvarint(uint64(version))
	s.base.Encode(e)
	roots := make([]string, 0, len(s.members))
	for root := range s.members {
		roots = append(roots, root)
	}
	slices.Sort(roots)
	e.Uvarint(uint64(len(roots)))
	for _, root := range roots {
		e.Strings(s.members[root])
		for _, id := range s.members[root] {
			encodeRecord(e, s.parts[id])
		}
	}
	e.Uvarint(uint64(len(s.audiences)))
	for _, a := range s.audiences {
		e.String(string(a))
		s.classes[a].Encode(e)
	}
	return e.Close()
}

// SaveFile writes a snapshot to path atomically (a temporary file renamed
// over it).
func (s *Service) SaveFile(path string, version int64) error {
	return snapshot.WriteFile(path, func(w io.Writer) error { return s.Save(w, version) })
}

// Load replaces the indexes with a snapshot written by Save and returns
// the version it was saved with. A snapshot that does not decode changes
// nothing.
func (s *Service) Load(r io.Reader) (int64, error) {
	d, err := index.NewDecoder(r, snapshotMagic)
	if err != nil {
		return 0, err
	}
	if f := d.Uvarint(); f != snapshotFormat {
		return 0, fmt.Errorf("%w: format %d, want %d", index.ErrCorrupt, f, snapshotFormat)
	}
	version := int64(d.Uvarint())
	base, err := match.DecodeIndex(d)
	if err != nil {
		return 0, err
	}
	members, clusterOf, parts := map[string][]string{}, map[string]string{}, map[string]match.Record{}
	for range d.Len(base.Len()) {
		ids := d.Strings()
		if len(ids) < 2 || !base.Has(ids[0]) {
			return 0, fmt.Errorf("%w: merged record", index.ErrCorrupt)
		}
		members[ids[0]] = ids
		for _, id := range ids {
			clusterOf[id] = ids[0]
			parts[id] = decodeRecord(d)
		}
	}
	classes := map[concord.Audience]*match.Index{}
	var audiences []concord.Audience
	for range d.Len(1 << 20) {
		a := concord.Audience(d.String())
		ix, err := match.DecodeIndex(d)
		if err != nil {
			return 0, err
		}
		ix.WeighBy(base)
		classes[a] = ix
		audiences = append(audiences, a)
	}
	if err := d.Done(); err != nil {
		return 0, err
	}
	if !slices.IsSorted(audiences) || len(classes) != len(audiences) {
		return 0, fmt.Errorf("%w: audiences", index.ErrCorrupt)
	}
	s.mu.Lock()
	s.base, s.members, s.clusterOf, s.parts = base, members, clusterOf, parts
	s.classes, s.audiences = classes, audiences
	s.mu.Unlock()
	return version, nil
}

// LoadFile is Load from a file.
func (s *Service) LoadFile(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return s.Load(f)
}

func encodeRecord(e *index.Encoder, r match.Record) {
	for _, s := range []string{r.ID, r.Schema, r.Caption, r.Gender} {
		e.String(s)
	}
	for _, ss := range [][]string{r.Names, r.WeakNames, r.BirthDates, r.Nationalities, r.Identifiers, r.Refs} {
		e.Strings(ss)
	}
}

func decodeRecord(d *index.Decoder) match.Record {
	r := match.Record{ID: d.String(), Schema: d.String(), Caption: d.String(), Gender: d.String()}
	for _, p := range []*[]string{&r.Names, &r.WeakNames, &r.BirthDates, &r.Nationalities, &r.Identifiers, &r.Refs} {
		*p = d.Strings()
	}
	return r
}
