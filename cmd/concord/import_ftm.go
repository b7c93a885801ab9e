package main

import (
	"errors"
	"slices"

	"concord"
	"concord/internal/importer/ftm"
)

// ftmStream is an FtM file streamed into the store: one partial batch per
// dataset, each reading the file as the store writes it and keeping that
// dataset's entities, so that memory stays bounded whatever the size of
// the file. Each entity's statements carry its first referent as source and
// keep its first/last seen times, so export → import → export is
// identical.
type ftmStream struct {
	m       *Main
	file    string
	dataset string // --dataset, else each entity's first dataset
	prov    concord.Provenance
	// datasets are the file's datasets, in the order they come: all of
	// them when the file was checked first (or --dataset names the one),
	// else (lone) the first entity's, whose stream reads the whole file
	// and finds the others.
	datasets []string
	lone     bool
	first    *concord.ImportBatch
	others   []string // the datasets the first stream found
}

// errFirst stops reading at the first entity.
var errFirst = errors.New("first entity")

// openFtM prepares the streams of an FtM file. With check (the command has
// several files) the file is read once first, so that a bad line in it is
// refused before any file is imported; a lone file is checked by its own
// stream, in the import's transaction.
func (m *Main) openFtM(file, dataset string, prov concord.Provenance, check bool) (*ftmStream, error) {
	fs := &ftmStream{m: m, file: file, dataset: dataset, prov: prov}
	switch {
	case check:
		if err := fs.read(func(e *concord.Entity) error {
			if ds := fs.datasetOf(e); !slices.Contains(fs.datasets, ds) {
				fs.datasets = append(fs.datasets, ds)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	case dataset != "":
		fs.datasets = []string{dataset}
	default:
		err := fs.read(func(e *concord.Entity) error {
			fs.datasets = []string{fs.datasetOf(e)}
			return errFirst
		})
		if err != nil && !errors.Is(err, errFirst) {
			return nil, err
		}
		fs.lone = true
	}
	return fs, nil
}

// read reads the file's entities.
func (fs *ftmStream) read(fn func(*concord.Entity) error) error {
	r, done, err := fs.m.openProgress(fs.file)
	if err != nil {
		return err
	}
	defer done()
	return ftm.Read(r, fs.file, fn)
}

func (fs *ftmStream) datasetOf(e *concord.Entity) string {
	switch {
	case fs.dataset != "":
		return fs.dataset
	case len(e.Datasets) > 0:
		return e.Datasets[0]
	}
	return "ftm"
}

// batches are the batches known before the first import.
func (fs *ftmStream) batches() []*concord.ImportBatch {
	var out []*concord.ImportBatch
	for _, ds := range fs.datasets {
		out = append(out, fs.batch(ds))
	}
	if fs.lone && len(out) > 0 {
		fs.first = out[0]
	}
	return out
}

// more are the batches of the datasets that the lone file's first stream
// found, once b, that stream's batch, is imported.
func (fs *ftmStream) more(b *concord.ImportBatch) []*concord.ImportBatch {
	if b != fs.first || b == nil {
		return nil
	}
	var out []*concord.ImportBatch
	for _, ds := range fs.others {
		out = append(out, fs.batch(ds))
	}
	fs.others = nil
	return out
}

// batch is the partial batch of the file's entities of dataset ds.
func (fs *ftmStream) batch(ds string) *concord.ImportBatch {
	b := &concord.ImportBatch{Dataset: ds, Source: fs.file, Partial: true}
	b.Stream = func(yield func(*concord.Statement) error) error {
		first := b == fs.first
		var stmts []concord.Statement
		return fs.read(func(e *concord.Entity) error {
			eds := fs.datasetOf(e)
			if eds != ds {
				if first && !slices.Contains(fs.others, eds) {
					fs.others = append(fs.others, eds)
				}
				return nil
			}
			p := fs.prov
			p.Dataset = ds
			if len(e.Refs) > 0 {
				p.SourceRef = e.Refs[0]
			} else {
				p.SourceRef = "ftm:" + e.ID
			}
			// Without ids: the import works each out as it checks it.
			stmts = e.AppendStatements(stmts[:0], p)
			for i := range stmts {
				s := &stmts[i]
				s.FirstSeen, s.LastSeen = e.FirstSeen, e.LastSeen
				if err := yield(s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return b
}
