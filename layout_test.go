package concord_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportRules enforces the layout rules of DESIGN.md §7: the domain
// imports only the standard library; the engine, access and importers only
// the domain, the standard library and x/text (the engine also
// github.com/mozillazg/go-unidecode, the long-tail transliteration table);
// the EDIFACT scanner imports no message reader; the PNR service
// (internal/pnr) never imports HTTP, the console or the search service; the
// media hashes (media/…)
// only the domain, the standard library, x/image and each other; the one SQL store
// (internal/store, both dialects) imports the domain, the standard library
// and the database drivers, never HTTP, the console, the engine or a
// service; HTTP, console and the services they share (internal/service,
// which imports no adapter) never import it; the console does not import
// the JSON API; the HTTP helpers both share (internal/httpkit) import only
// the standard library; only cmd/concord picks the store (tests may open it);
// the change-feed follower (internal/follow) imports only the domain and the
// standard library, the snapshot files (internal/snapshot) only the standard
// library; the identifier index (internal/idindex) reads the store
// through the domain's contracts only: the domain, access, the engine's types
// and the payment model (and the snapshot codec); the network (graph) only
// the domain, the standard library, gonum and the snapshot codec; internal/recheck, which the services use to
// read stored outcomes through the reader's view, reads through the
// contracts only; STIX (internal/stix) only the domain and the standard
// library (its tests also the JSON Schema validator); TAXII (internal/taxii)
// the domain, access, STIX and the standard library; federation
// (internal/federation) the domain, access, the standard library, age and
// x/crypto — none of the three a concrete store.
func TestImportRules(t *testing.T) {
	const mod = "concord"
	std := func(p string) bool {
		return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") && p != mod && !strings.HasPrefix(p, mod+"/")
	}
	under := func(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }
	const store = "internal/store"
	drivers := []string{"modernc.org/sqlite", "github.com/jackc/pgx/v5"}

	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		isTest := strings.HasSuffix(path, "_test.go")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			rel := strings.TrimPrefix(p, mod+"/")
			bad := ""
			switch {
			case pkg == ".":
				if !std(p) && !(isTest && p == mod) {
					bad = "the domain package imports only the standard library"
				}
			case under(pkg, "match") || pkg == "access" || under(pkg, "internal/importer"):
				if !std(p) && p != mod && !strings.HasPrefix(p, "golang.org/x/text") &&
					!(under(pkg, "match") && p == "github.com/mozillazg/go-unidecode") &&
					!(under(pkg, "match") && under(rel, "match")) &&
					!(under(pkg, "internal/importer") && under(rel, "internal/importer")) &&
					!(under(pkg, "access") && under(rel, "access")) {
					bad = "the engine, access and importers import only the domain, the standard library and x/text (the engine also go-unidecode)"
				}
				if under(pkg, "internal/importer/edifact") && under(rel, "internal/importer") && !under(rel, "internal/importer/edifact") {
					bad = "the EDIFACT scanner imports no message reader: they import it"
				}
			case under(pkg, "media"):
				if !std(p) && p != mod && !strings.HasPrefix(p, "golang.org/x/image") && !under(rel, "media") {
					bad = "media hashes import only the domain, the standard library, x/image and media/…"
				}
			case under(pkg, store):
				driver := false
				for _, d := range drivers {
					driver = driver || under(p, d)
				}
				switch {
				case p == "net/http" || under(rel, "internal/httpapi") || under(rel, "internal/web"):
					bad = "the store never imports HTTP or the console"
				case !std(p) && p != mod && !driver && !isTest:
					bad = "the store imports only the domain, the standard library and the database drivers"
				}
			case under(pkg, "internal/snapshot"):
				if !std(p) && !isTest {
					bad = "the snapshot files import only the standard library"
				}
			case under(pkg, "internal/follow"):
				if !std(p) && p != mod && !isTest {
					bad = "the feed follower imports only the domain and the standard library"
				}
			case pkg == "graph":
				if !std(p) && p != mod && !strings.HasPrefix(p, "gonum.org/v1/gonum/") && rel != "internal/snapshot" &&
					!(isTest && (under(rel, "internal/importer") || rel == "internal/seed")) {
					bad = "the network imports only the domain, the standard library, gonum and the snapshot codec"
				}
			case pkg == "internal/idindex" && !isTest:
				if !std(p) && p != mod && rel != "access" && rel != "match" && rel != "internal/importer/payment" && rel != "internal/snapshot" {
					bad = "the identifier index imports only the domain, access, match, the payment model and the snapshot codec"
				}
			case under(pkg, "internal/pnr"):
				if p == "net/http" || under(rel, "internal/httpapi") || under(rel, "internal/web") || under(rel, "internal/search") {
					bad = "the PNR service depends on contracts, access, the importers and jobs, never on HTTP, the console or the search service"
				}
			case under(pkg, "internal/recheck"):
				if !std(p) && p != mod && rel != "access" && !under(rel, "match") && rel != "internal/job" && !isTest {
					bad = "recheck reads through the contracts: the domain, access, the engine's types and the job contract"
				}
			case under(pkg, "internal/httpapi") || under(pkg, "internal/web") || under(pkg, "internal/service"):
				if under(rel, store) && !isTest {
					bad = "HTTP, console and the services depend on contracts, never on the concrete store"
				}
				if under(pkg, "internal/service") && (p == "net/http" || under(rel, "internal/httpapi") || under(rel, "internal/web")) {
					bad = "the services know no adapter: HTTP and console call them, not the other way round"
				}
				if under(pkg, "internal/web") && under(rel, "internal/httpapi") && !isTest {
					bad = "the console is an adapter beside the JSON API, over the same services: it never imports it"
				}
			case pkg == "internal/stix":
				if !std(p) && p != mod && !(isTest && (p == "github.com/santhosh-tekuri/jsonschema/v6" ||
					under(rel, "internal/importer") || rel == "internal/seed" || rel == "internal/stix")) {
					bad = "STIX imports only the domain and the standard library"
				}
			case pkg == "internal/taxii":
				if !std(p) && p != mod && rel != "access" && rel != "internal/stix" && !(isTest && (rel == "internal/seed" || rel == store || rel == "internal/taxii")) {
					bad = "TAXII imports only the domain, access, STIX and the standard library"
				}
			case pkg == "internal/federation":
				if !std(p) && p != mod && rel != "access" && !under(p, "filippo.io/age") && !under(p, "golang.org/x/crypto") &&
					!(isTest && (rel == "internal/seed" || rel == store || rel == "internal/pgtest" || rel == "internal/federation")) {
					bad = "federation imports only the domain, access, the standard library, age and x/crypto"
				}
			case under(pkg, "internal/httpkit"):
				if !std(p) {
					bad = "the HTTP helpers shared by the API and the console import only the standard library"
				}
			case under(pkg, "internal/ical"):
				if !std(p) {
					bad = "the iCalendar writer imports only the standard library"
				}
			}
			if bad == "" && under(rel, store) && !under(pkg, store) && !under(pkg, "cmd/concord") && !isTest {
				bad = "only cmd/concord picks the concrete store"
			}
			if bad != "" {
				t.Errorf("%s imports %s: %s", path, p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
