package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"concord"
	"concord/graph"
	"concord/internal/idindex"
	"concord/internal/mediabank"
	"concord/internal/snapshot"
	"concord/match/index"
)

// The identifier index, the hash bank and the network are saved beside the
// match index's snapshot, in files of their own (FILE.ids, FILE.bank,
// FILE.network), each with the feed position it reflects.
const (
	idsMagic       = "concord-idindex"
	bankMagic      = "concord-hashbank"
	networkMagic   = "concord-network"
	snapshotFormat = 1
)

func idsSnapshot(path string) string     { return path + ".ids" }
func bankSnapshot(path string) string    { return path + ".bank" }
func networkSnapshot(path string) string { return path + ".network" }

// saveIndexFile writes one index's snapshot atomically: magic, format,
// version, the index.
func saveIndexFile(path, magic string, version int64, encode func(*index.Encoder)) error {
	return snapshot.WriteFile(path, func(w io.Writer) error {
		e := index.NewEncoder(w, magic)
		e.Uvarint(snapshotFormat)
		e.Uvarint(uint64(version))
		encode(e)
		return e.Close()
	})
}

// loadIndexFile reads a snapshot saveIndexFile wrote and returns its
// version; decode reads the index (and changes nothing on an error).
func loadIndexFile(path, magic string, decode func(*index.Decoder) error) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	d, err := index.NewDecoder(f, magic)
	if err != nil {
		return 0, err
	}
	if v := d.Uvarint(); v != snapshotFormat {
		return 0, fmt.Errorf("%w: format %d, want %d", index.ErrCorrupt, v, snapshotFormat)
	}
	version := int64(d.Uvarint())
	if err := d.Err(); err != nil {
		return 0, err
	}
	// decode fills a value the caller takes only when no error is
	// returned: Done verifies the checksum after it.
	if err := decode(d); err != nil {
		return 0, err
	}
	if err := d.Done(); err != nil {
		return 0, err
	}
	return version, nil
}

// usable says whether a snapshot of version v, read with err, can be
// brought up to date by the feed at head; it logs why not.
func usable(log *slog.Logger, what, path string, v, head int64, err error) bool {
	switch {
	case err == nil && v <= head:
		return true
	case err == nil:
		log.Warn("the "+what+" snapshot is ahead of the store (restored from a backup?): building it from the store", "file", path)
	case !errors.Is(err, os.ErrNotExist):
		log.Warn("the "+what+" snapshot is unusable: building it from the store", "file", path, "err", err)
	}
	return false
}

// loadIDs loads the identifier index from its snapshot (when usable) or
// the store, and returns the feed position it reflects and whether it
// came from the snapshot. building, when not nil, is called before a
// build from the store.
func loadIDs(ctx context.Context, st concord.Store, path string, head int64, log *slog.Logger, building func()) (*idindex.Index, int64, bool, error) {
	return loadFollowing(ctx, log, "identifier index", idsSnapshot(path), idsMagic, path != "", head, building,
		func() *idindex.Index { return idindex.Open(st) },
		func(ix *idindex.Index, d *index.Decoder) error { return ix.Decode(d) },
		func() (*idindex.Index, error) { return idindex.New(ctx, st) })
}

// loadBank is loadIDs for the hash bank.
func loadBank(ctx context.Context, st concord.Store, path string, head int64, log *slog.Logger, building func()) (*mediabank.Bank, int64, bool, error) {
	return loadFollowing(ctx, log, "hash bank", bankSnapshot(path), bankMagic, path != "", head, building,
		func() *mediabank.Bank { return mediabank.Open(st) },
		func(b *mediabank.Bank, d *index.Decoder) error { return b.Decode(d) },
		func() (*mediabank.Bank, error) { return mediabank.New(ctx, st) })
}

// loadFollowing loads an index that follows the feed record by record
// from its snapshot file (when use and usable) or builds it from the store,
// and returns the feed position it reflects and whether it came from the
// snapshot.
func loadFollowing[T interface{ Len() int }](ctx context.Context, log *slog.Logger, what, file, magic string, use bool, head int64, building func(),
	open func() T, decode func(T, *index.Decoder) error, build func() (T, error)) (T, int64, bool, error) {
	t0 := time.Now()
	if use {
		ix := open()
		v, err := loadIndexFile(file, magic, func(d *index.Decoder) error { return decode(ix, d) })
		if usable(log, what, file, v, head, err) {
			log.Info(what+" loaded from its snapshot", "size", ix.Len(), "changes behind", head-v, "took", time.Since(t0).String())
			return ix, v, true, nil
		}
	}
	if building != nil {
		building()
	}
	ix, err := build()
	if err != nil {
		var zero T
		return zero, 0, false, err
	}
	log.Info(what+" loaded", "size", ix.Len(), "took", time.Since(t0).String())
	return ix, head, false, nil
}

// loadNetwork loads the network from its snapshot when the feed can
// bring it up to date (the node's follower then applies the changes since,
// entity by entity), else from the store.
func loadNetwork(ctx context.Context, st concord.Store, network *graph.Live, path string, head int64, log *slog.Logger, building func()) (bool, error) {
	t0 := time.Now()
	if path != "" {
		var ix *graph.Index
		v, err := loadIndexFile(networkSnapshot(path), networkMagic, func(d *index.Decoder) (err error) {
			ix, err = graph.DecodeIndex(d)
			return err
		})
		if usable(log, "network", networkSnapshot(path), v, head, err) {
			network.Set(ix, v)
			nodes, edges := ix.Len()
			log.Info("network loaded from its snapshot", "entities", nodes, "edges", edges, "changes behind", head-v, "took", time.Since(t0).String())
			return true, nil
		}
	}
	if building != nil {
		building()
	}
	if err := network.Rebuild(ctx); err != nil {
		return false, err
	}
	nodes, edges := network.Current().Len()
	log.Info("network loaded", "entities", nodes, "edges", edges, "took", time.Since(t0).String())
	return false, nil
}

// saveEntities saves the match and identifier indexes' and the hash
// bank's snapshots as of feed position v: they reflect at least v when the follower is there (it
// moves on once a change is applied to them).
func (nx *nodeIndexes) saveEntities(path string, v int64, log *slog.Logger) error {
	t0 := time.Now()
	if err := nx.match.SaveFile(path, v); err != nil {
		log.Error("saving the match index snapshot", "file", path, "err", err)
		return err
	}
	if err := saveIndexFile(idsSnapshot(path), idsMagic, v, func(e *index.Encoder) { nx.ids.Encode(e) }); err != nil {
		log.Error("saving the identifier index snapshot", "file", idsSnapshot(path), "err", err)
		return err
	}
	if err := saveIndexFile(bankSnapshot(path), bankMagic, v, func(e *index.Encoder) { nx.bank.Encode(e) }); err != nil {
		log.Error("saving the hash bank snapshot", "file", bankSnapshot(path), "err", err)
		return err
	}
	log.Info("match, identifier and hash bank snapshots saved", "file", path, "version", v, "took", time.Since(t0).String())
	return nil
}

// saveNetwork saves the network's snapshot, as of the position read
// before its last build, unless that is saved already; it returns that
// position.
func (nx *nodeIndexes) saveNetwork(path string, saved int64, log *slog.Logger) (int64, error) {
	net, at := nx.network.CurrentAt()
	if net == nil || at == saved {
		return saved, nil
	}
	t0 := time.Now()
	if err := saveIndexFile(networkSnapshot(path), networkMagic, at, func(e *index.Encoder) { net.Encode(e) }); err != nil {
		log.Error("saving the network snapshot", "file", networkSnapshot(path), "err", err)
		return saved, err
	}
	log.Info("network snapshot saved", "file", networkSnapshot(path), "version", at, "took", time.Since(t0).String())
	return at, nil
}
