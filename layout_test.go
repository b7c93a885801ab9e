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
// the domain, the standard library and x/text; stores never import each
// other or HTTP; the shared SQL helpers (internal/sqlstore) import only the
// domain and the standard library, and only stores import them; HTTP and
// console never import a concrete store; only cmd/concord picks concrete
// stores.
func TestImportRules(t *testing.T) {
	const mod = "concord"
	std := func(p string) bool {
		return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") && p != mod && !strings.HasPrefix(p, mod+"/")
	}
	under := func(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }
	stores := []string{"internal/sqlite", "internal/postgres"}

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
					!(under(pkg, "match") && under(rel, "match")) &&
					!(under(pkg, "internal/importer") && under(rel, "internal/importer")) &&
					!(under(pkg, "access") && under(rel, "access")) {
					bad = "the engine, access and importers import only the domain, the standard library and x/text"
				}
			case under(pkg, "internal/sqlite") || under(pkg, "internal/postgres"):
				for _, s := range stores {
					if under(rel, s) && !under(pkg, s) {
						bad = "a store never imports another store"
					}
				}
				if p == "net/http" || under(rel, "internal/httpapi") || under(rel, "internal/web") {
					bad = "a store never imports HTTP"
				}
			case under(pkg, "internal/sqlstore"):
				if !std(p) && p != mod {
					bad = "the shared SQL helpers import only the domain and the standard library"
				}
			case under(pkg, "internal/httpapi") || under(pkg, "internal/web"):
				for _, s := range stores {
					if under(rel, s) && !isTest {
						bad = "HTTP and console depend on contracts, never on a concrete store"
					}
				}
			}
			if bad == "" && !under(pkg, "cmd/concord") && !isTest {
				for _, s := range stores {
					if under(rel, s) && !under(pkg, s) {
						bad = "only cmd/concord picks a concrete store"
					}
				}
			}
			if bad == "" && under(rel, "internal/sqlstore") && !under(pkg, "internal/sqlstore") && !isTest {
				isStore := false
				for _, s := range stores {
					isStore = isStore || under(pkg, s)
				}
				if !isStore {
					bad = "only the stores import the shared SQL helpers"
				}
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
