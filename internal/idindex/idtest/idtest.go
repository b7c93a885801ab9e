// Package idtest loads the lists the payment screening tests run against
// into a store: the bundled UN Consolidated List, three real OFAC rows with
// BICs and wallets, and made-up bank accounts held by UN-listed records
// (internal/idindex/testdata, see its README).
package idtest

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/ftm"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
)

// Dir is internal/idindex/testdata.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// Load imports the UN list, the OFAC rows and the made-up accounts as
// public statements.
func Load(ctx context.Context, st concord.EntityStore) error {
	p := concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear, Seen: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)}
	var un []importer.Record
	if _, err := unxml.Read(seed.UNList(), "un_consolidated.xml", func(r importer.Record) error { un = append(un, r); return nil }); err != nil {
		return err
	}
	var ofac []importer.Record
	files := ofaccsv.Files{SDN: filepath.Join(Dir(), "ofac_sdn.csv"), Alt: filepath.Join(Dir(), "ofac_alt.csv"), Add: filepath.Join(Dir(), "ofac_add.csv")}
	if _, err := ofaccsv.Read(files, func(r importer.Record) error { ofac = append(ofac, r); return nil }); err != nil {
		return err
	}
	var fiu []importer.Record
	f, err := os.Open(filepath.Join(Dir(), "fiu_accounts.ftm.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := ftm.Read(f, "fiu_accounts.ftm.json", func(e *concord.Entity) error {
		fiu = append(fiu, importer.Record{Ref: e.Refs[0], Entities: []*concord.Entity{e}})
		return nil
	}); err != nil {
		return err
	}
	for _, b := range []*concord.ImportBatch{
		importer.Batch("un", "2026-02-27", "un_consolidated.xml", un, p),
		importer.Batch("ofac", "test", "ofac_sdn.csv", ofac, p),
		importer.Batch("fiu-shared", "test", "fiu_accounts.ftm.json", fiu, p),
	} {
		if _, err := st.Import(ctx, b); err != nil {
			return err
		}
	}
	return nil
}
