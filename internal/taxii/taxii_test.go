package taxii_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/seed"
	"concord/internal/stix"
	"concord/internal/store"
	"concord/internal/taxii"
)

// stepClock advances a second on every reading, so records differ in
// their dates.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

type fixture struct {
	st    *store.DB
	srv   *httptest.Server
	clock *stepClock
}

// viewers are the test's callers, by token.
var viewers = map[string]access.Viewer{
	"uz-token": {User: "amina", Member: "uz", Roles: []concord.Role{concord.RoleAnalyst}},
	"iq-token": {User: "haidar", Member: "iq", Roles: []concord.Role{concord.RoleAnalyst}},
	"viewer":   {User: "vera", Member: "uz", Roles: []concord.Role{concord.RoleViewer}},
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &stepClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	st, err := store.OpenSQLite(ctx, t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, _ := seed.Coalition()
	if err := st.LoadCoalition(ctx, c); err != nil {
		t.Fatal(err)
	}
	s := &taxii.Server{Store: st, MaxPage: 50, Auth: taxii.AuthFunc(func(ctx context.Context, user, cred string) (access.Viewer, error) {
		v, ok := viewers[cred]
		if !ok || (user != "" && user != v.User) {
			return access.Viewer{}, concord.Errorf(concord.EUNAUTHORIZED, "invalid credentials")
		}
		v.Groups, _ = st.MemberGroups(ctx, v.Member)
		return v, nil
	})}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &fixture{st: st, srv: srv, clock: clock}
}

func (f *fixture) contribute(t *testing.T, member, id, schema string, aud concord.Audience, h concord.TLP, props map[string]string) {
	t.Helper()
	e := concord.NewEntity(id, schema)
	for k, v := range props {
		e.Add(k, v)
	}
	ctx := concord.WithActor(context.Background(), concord.Actor{User: member + "-analyst", Member: member})
	if err := f.st.Contribute(ctx, e.Statements(concord.Provenance{Dataset: "member-" + member, SourceRef: member + ":" + id,
		ContributedBy: member, Audience: aud, Handling: h})); err != nil {
		t.Fatal(err)
	}
}

// get requests path with the TAXII Accept header and token.
func (f *fixture) get(t *testing.T, path, token string, out any) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	req.Header.Set("Accept", taxii.MediaTAXII)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return resp
}

type envelope struct {
	More    bool          `json:"more"`
	Next    string        `json:"next"`
	Objects []stix.Object `json:"objects"`
}

func (f *fixture) seed(t *testing.T) {
	f.contribute(t, "fr", "fr-1", "Person", concord.AudienceCoalition, concord.TLPGreen, map[string]string{"name": "Abou Coalition", "topics": "crime.terror"})
	f.contribute(t, "fr", "fr-2", "CryptoWallet", concord.AudienceCoalition, concord.TLPGreen, map[string]string{"publicKey": "bc1qcoalition", "holder": "fr-1"})
	f.contribute(t, "de", "de-1", "Organization", concord.GroupAudience("tf-central-asia"), concord.TLPAmber, map[string]string{"name": "Central Front", "program": "ISIL (Da'esh) & Al-Qaida"})
	f.contribute(t, "iq", "iq-1", "Person", concord.MemberAudience("iq"), concord.TLPRed, map[string]string{"name": "Hidden From Uz"})
	f.contribute(t, "uz", "uz-1", "Person", concord.MemberAudience("uz"), concord.TLPAmberStrict, map[string]string{"name": "Uz Own"})
	for i := range 7 {
		f.contribute(t, "fr", "fr-p"+string(rune('a'+i)), "Person", concord.AudienceCoalition, concord.TLPClear,
			map[string]string{"name": "Paged " + string(rune('A'+i)), "program": "sanctions"})
	}
}

func TestDiscoveryAndCollections(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	var disc map[string]any
	resp := f.get(t, "/taxii2/", "uz-token", &disc)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != taxii.MediaTAXII {
		t.Fatalf("discovery: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	if disc["default"] != f.srv.URL+"/taxii2/api/" {
		t.Errorf("discovery: %v", disc)
	}
	var root map[string]any
	f.get(t, "/taxii2/api/", "uz-token", &root)
	if vs, _ := root["versions"].([]any); len(vs) != 1 || vs[0] != taxii.MediaTAXII {
		t.Errorf("api root: %v", root)
	}
	// Errors: no credentials, a wrong Accept, an unknown path.
	if resp := f.get(t, "/taxii2/", "", nil); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no credentials: %s", resp.Status)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/taxii2/", nil)
	req.Header.Set("Accept", "application/taxii+json;version=2.0")
	req.Header.Set("Authorization", "Bearer uz-token")
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 406 {
		t.Errorf("TAXII 2.0 asked: %s", resp.Status)
	}
	var cols struct{ Collections []taxii.Collection }
	f.get(t, "/taxii2/api/collections/", "uz-token", &cols)
	var aliases []string
	for _, c := range cols.Collections {
		aliases = append(aliases, c.Alias)
		if !c.CanRead || c.CanWrite || c.MediaTypes[0] != taxii.MediaSTIX {
			t.Errorf("collection %+v", c)
		}
	}
	want := []string{"public", "coalition", "member:uz", "group:isis-k-dg", "group:tf-central-asia"}
	for _, w := range want {
		if !slices.Contains(aliases, w) {
			t.Errorf("collections %v lack %s", aliases, w)
		}
	}
	if slices.Contains(aliases, "member:iq") || slices.Contains(aliases, "group:tf-syria-iraq") {
		t.Errorf("uz lists another audience's collection: %v", aliases)
	}
	// Another member's collection answers like a missing one.
	var e1, e2 map[string]any
	r1 := f.get(t, "/taxii2/api/collections/"+taxii.CollectionID(concord.MemberAudience("iq"))+"/objects/", "uz-token", &e1)
	r2 := f.get(t, "/taxii2/api/collections/00000000-0000-5000-8000-000000000000/objects/", "uz-token", &e2)
	if r1.StatusCode != 404 || r2.StatusCode != 404 || strings.Replace(e1["description"].(string), taxii.CollectionID(concord.MemberAudience("iq")), "X", 1) !=
		strings.Replace(e2["description"].(string), "00000000-0000-5000-8000-000000000000", "X", 1) {
		t.Errorf("hidden collection %s %v, missing %s %v", r1.Status, e1, r2.Status, e2)
	}
	// A viewer (no export right) reads the list but not the objects.
	if resp := f.get(t, "/taxii2/api/collections/coalition/objects/", "viewer", nil); resp.StatusCode != 403 {
		t.Errorf("viewer reading objects: %s", resp.Status)
	}
}

// all reads every page of a collection's objects with limit.
func (f *fixture) all(t *testing.T, col, token, query string) ([]stix.Object, int) {
	t.Helper()
	var out []stix.Object
	next, pages := "", 0
	for {
		q := query
		if next != "" {
			q += "&next=" + next
		}
		var env envelope
		resp := f.get(t, "/taxii2/api/collections/"+col+"/objects/?"+q, token, &env)
		if resp.StatusCode != 200 {
			t.Fatalf("objects: %s", resp.Status)
		}
		pages++
		out = append(out, env.Objects...)
		if !env.More {
			return out, pages
		}
		next = env.Next
	}
}

func TestObjects(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	whole, pages := f.all(t, "coalition", "uz-token", "")
	if pages != 1 {
		t.Fatalf("%d pages without a limit", pages)
	}
	byType := map[string]int{}
	ids := map[string]bool{}
	for _, o := range whole {
		byType[o.Type]++
		ids[o.ID] = true
	}
	if byType["threat-actor"] != 8 || byType["indicator"] != 1 || byType["relationship"] != 1 {
		t.Errorf("coalition objects by type: %v", byType)
	}
	// Pages of 3 objects hold the same objects, each once.
	paged, pages := f.all(t, "coalition", "uz-token", "limit=3")
	if pages < 4 {
		t.Errorf("limit=3: %d pages", pages)
	}
	seen := map[string]bool{}
	for _, o := range paged {
		if seen[o.ID] && o.Type != "identity" && o.Type != "marking-definition" {
			t.Errorf("%s on two pages", o.ID)
		}
		seen[o.ID] = true
	}
	for id := range ids {
		if !seen[id] {
			t.Errorf("%s missing from the pages", id)
		}
	}
	// match[type].
	ind, _ := f.all(t, "coalition", "uz-token", "match[type]=indicator")
	if len(ind) != 1 || ind[0].Type != "indicator" || ind[0].Pattern != "[cryptocurrency-wallet:value = 'bc1qcoalition']" {
		t.Errorf("match[type]=indicator: %+v", ind)
	}
	// added_after: only what was added since.
	var env envelope
	resp := f.get(t, "/taxii2/api/collections/coalition/objects/", "uz-token", &env)
	last := resp.Header.Get("X-TAXII-Date-Added-Last")
	if last == "" || resp.Header.Get("X-TAXII-Date-Added-First") == "" {
		t.Fatal("no X-TAXII-Date-Added headers")
	}
	f.contribute(t, "gb", "gb-1", "Person", concord.AudienceCoalition, concord.TLPGreen, map[string]string{"name": "Added Later", "topics": "crime.terror"})
	later, _ := f.all(t, "coalition", "uz-token", "added_after="+last)
	var names []string
	for _, o := range later {
		if o.Type == "threat-actor" {
			names = append(names, o.Name)
		}
	}
	if !slices.Equal(names, []string{"Added Later"}) {
		t.Errorf("added_after %s: %v", last, names)
	}
	// The group's collection: the task force's record, an intrusion-set.
	grp, _ := f.all(t, "group:tf-central-asia", "uz-token", "")
	if !slices.ContainsFunc(grp, func(o stix.Object) bool { return o.Type == "intrusion-set" && o.Name == "Central Front" }) {
		t.Errorf("tf-central-asia: %+v", grp)
	}
	// Nothing iq alone may see reaches uz, in any collection.
	var cols struct{ Collections []taxii.Collection }
	f.get(t, "/taxii2/api/collections/", "uz-token", &cols)
	for _, c := range cols.Collections {
		objs, _ := f.all(t, c.ID, "uz-token", "")
		for _, o := range objs {
			if strings.Contains(o.Name, "Hidden") {
				t.Errorf("collection %s serves iq's record to uz", c.Alias)
			}
		}
	}
	// The client reads pages into one result.
	res, err := taxii.Pull(context.Background(), taxii.PullOptions{URL: f.srv.URL + "/taxii2/api/collections/coalition/", Token: "uz-token", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages < 5 || len(res.Records) != 10 {
		t.Errorf("pull: %d pages, %d records", res.Pages, len(res.Records))
	}
	for _, r := range res.Records {
		if r.Entity.ID == "fr-2" && r.Entity.First("holder") != "fr-1" {
			t.Errorf("the wallet's holder was lost across pages: %+v", r.Entity)
		}
	}
	// Basic auth with the user's name and a token.
	if _, err := taxii.Pull(context.Background(), taxii.PullOptions{URL: f.srv.URL + "/taxii2/api/collections/coalition/", User: "amina", Password: "uz-token"}); err != nil {
		t.Errorf("basic: %v", err)
	}
	if _, err := taxii.Pull(context.Background(), taxii.PullOptions{URL: f.srv.URL + "/taxii2/api/collections/coalition/", User: "haidar", Password: "uz-token"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("basic with another user's token: %v", err)
	}
}
