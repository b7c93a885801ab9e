// Package taxii serves and reads TAXII 2.1, the HTTP API of the threat
// intelligence field: discovery, one API root, one collection per audience
// the caller may read (public, coalition, its member, each of its
// groups), and the STIX 2.1 objects of each, with added_after, match[type],
// match[id], limit and next, in the TAXII media types; so that MISP and
// OpenCTI subscribe to a member's view. The client (Pull) reads a
// collection's objects page by page.
package taxii

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/internal/stix"
)

// Media types of TAXII 2.1.
const (
	MediaTAXII = "application/taxii+json;version=2.1"
	MediaSTIX  = "application/stix+json;version=2.1"
)

// Store is what the server reads.
type Store interface {
	stix.Source
	Members(ctx context.Context) ([]concord.Member, error)
	Groups(ctx context.Context) ([]concord.Group, error)
	Audit(ctx context.Context, action, object, detail string) error
}

// Authenticator turns a credential (an API token or session; with the
// user's name under HTTP Basic) into a viewer.
type Authenticator interface {
	Viewer(ctx context.Context, user, cred string) (access.Viewer, error)
}

// AuthFunc is an Authenticator.
type AuthFunc func(ctx context.Context, user, cred string) (access.Viewer, error)

// Viewer calls f.
func (f AuthFunc) Viewer(ctx context.Context, user, cred string) (access.Viewer, error) {
	return f(ctx, user, cred)
}

// Server is the TAXII 2.1 handler, mounted at Prefix (default /taxii2).
type Server struct {
	Store  Store
	Auth   Authenticator
	Log    *slog.Logger
	Prefix string
	Title  string
	// MaxPage bounds limit (default 1000).
	MaxPage int
}

func (s *Server) prefix() string {
	if s.Prefix == "" {
		return "/taxii2"
	}
	return strings.TrimSuffix(s.Prefix, "/")
}

// Handler routes the TAXII endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	p := s.prefix()
	mux.HandleFunc("GET "+p+"/{$}", s.wrap(s.discovery))
	mux.HandleFunc("GET "+p+"/api/{$}", s.wrap(s.apiRoot))
	mux.HandleFunc("GET "+p+"/api/collections/{$}", s.wrap(s.collections))
	mux.HandleFunc("GET "+p+"/api/collections/{id}/{$}", s.wrap(s.collection))
	mux.HandleFunc("GET "+p+"/api/collections/{id}/objects/{$}", s.wrap(s.objects))
	mux.HandleFunc("GET "+p+"/api/collections/{id}/objects/{object}/{$}", s.wrap(s.objects))
	mux.HandleFunc("GET "+p+"/api/collections/{id}/manifest/{$}", s.wrap(s.manifest))
	mux.HandleFunc(p+"/", s.wrap(func(http.ResponseWriter, *http.Request, access.Viewer) error {
		return concord.Errorf(concord.ENOTFOUND, "no such TAXII endpoint")
	}))
	return mux
}

// taxiiError is the TAXII error message.
type taxiiError struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	HTTPStatus  string `json:"http_status"`
}

func (s *Server) wrap(h func(http.ResponseWriter, *http.Request, access.Viewer) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := s.acceptable(r)
		var v access.Viewer
		if err == nil {
			v, err = s.authenticate(r)
		}
		if err == nil {
			ctx := concord.WithActor(r.Context(), concord.Actor{User: v.User, Member: v.Member, Via: "taxii"})
			err = h(w, r.WithContext(ctx), v)
		}
		if err == nil {
			return
		}
		code := concord.ErrorCode(err)
		status := concord.HTTPStatus(code)
		msg := err.Error()
		if code == concord.EINTERNAL {
			if s.Log != nil {
				s.Log.Error("taxii", "path", r.URL.Path, "err", err)
			}
			msg = "internal error"
		}
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="concord taxii", Bearer realm="concord taxii"`)
		}
		if code == concord.EUNSUPPORTED {
			status = http.StatusNotAcceptable
		}
		write(w, status, taxiiError{Title: http.StatusText(status), Description: msg, HTTPStatus: strconv.Itoa(status)})
	}
}

// acceptable checks the Accept header: TAXII 2.1 (any version parameter
// other than 2.1 is refused); none or */* is taken as TAXII.
func (s *Server) acceptable(r *http.Request) error {
	acc := r.Header.Get("Accept")
	if acc == "" {
		return nil
	}
	for _, part := range strings.Split(acc, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mt == "*/*" || mt == "application/*" {
			return nil
		}
		if mt == "application/taxii+json" && (params["version"] == "" || params["version"] == "2.1") {
			return nil
		}
	}
	return &concord.Error{Code: concord.EUNSUPPORTED, Message: "Accept: this server answers " + MediaTAXII}
}

// authenticate reads "Authorization: Bearer TOKEN" or HTTP Basic with the
// user's name and an API token as password (what MISP and OpenCTI send).
func (s *Server) authenticate(r *http.Request) (access.Viewer, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return access.Viewer{}, concord.Errorf(concord.EUNAUTHORIZED, "TAXII needs credentials: Authorization: Bearer <token>, or Basic with the user name and a token")
	}
	if user, pw, ok := r.BasicAuth(); ok {
		return s.Auth.Viewer(r.Context(), user, pw)
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return access.Viewer{}, concord.Errorf(concord.EUNAUTHORIZED, "Authorization: want Bearer <token> or Basic")
	}
	return s.Auth.Viewer(r.Context(), "", strings.TrimSpace(tok))
}

func write(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"title":"Internal Server Error","http_status":"500"}`)
	}
	w.Header().Set("Content-Type", MediaTAXII)
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// base is the server's URL as the client reached it.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	root := base(r) + s.prefix() + "/api/"
	write(w, http.StatusOK, map[string]any{
		"title":       s.title(),
		"description": "Concord: the coalition's shared records as STIX 2.1, one collection per audience you may read",
		"default":     root,
		"api_roots":   []string{root},
	})
	return nil
}

func (s *Server) title() string {
	if s.Title == "" {
		return "Concord TAXII"
	}
	return s.Title
}

func (s *Server) apiRoot(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	write(w, http.StatusOK, map[string]any{
		"title":              s.title(),
		"versions":           []string{MediaTAXII},
		"max_content_length": 0,
	})
	return nil
}

// Collection is a TAXII collection: one audience.
type Collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
	audience    concord.Audience
}

// CollectionID is the id of an audience's collection (a UUIDv5).
func CollectionID(a concord.Audience) string {
	_, u, _ := strings.Cut(stix.ID("x-concord-collection", string(a)), "--")
	return u
}

// collectionsOf lists the collections v may read.
func (s *Server) collectionsOf(ctx context.Context, v access.Viewer) ([]Collection, error) {
	if !v.Can(access.Read) {
		return nil, nil
	}
	names := map[string]string{}
	ms, err := s.Store.Members(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		names["member:"+m.ID] = m.Name
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		names["group:"+g.ID] = g.Name
	}
	var out []Collection
	for _, a := range v.Audiences() {
		c := Collection{ID: CollectionID(a), Alias: string(a), CanRead: true, MediaTypes: []string{MediaSTIX}, audience: a}
		switch {
		case a == concord.AudiencePublic:
			c.Title, c.Description = "Published lists", "The lists published for everyone: the UN Security Council Consolidated List and others"
		case a == concord.AudienceCoalition:
			c.Title, c.Description = "Coalition", "What members share with the whole coalition"
		default:
			c.Title = names[string(a)]
			if c.Title == "" {
				c.Title = string(a)
			}
			if strings.HasPrefix(string(a), "member:") {
				c.Description = "What is shared with " + c.Title + " alone"
			} else {
				c.Description = "What members share with the group " + c.Title
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Server) collections(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	cs, err := s.collectionsOf(r.Context(), v)
	if err != nil {
		return err
	}
	out := map[string]any{}
	if len(cs) > 0 {
		out["collections"] = cs
	}
	write(w, http.StatusOK, out)
	return nil
}

// find returns the collection id if v may read it; hidden and missing
// collections answer alike.
func (s *Server) find(ctx context.Context, v access.Viewer, id string) (*Collection, error) {
	cs, err := s.collectionsOf(ctx, v)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].ID == id || cs[i].Alias == id {
			return &cs[i], nil
		}
	}
	return nil, concord.Errorf(concord.ENOTFOUND, "collection %s not found", id)
}

func (s *Server) collection(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	c, err := s.find(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	write(w, http.StatusOK, c)
	return nil
}

// filter is what a collection holds for v: the statements of its audience
// v may receive.
func filter(c *Collection, v access.Viewer) concord.Filter {
	return concord.Filter{Audiences: []concord.Audience{c.audience}, Handlings: v.Filter().Handlings}
}

// cursor is a page's position: the date added and id of the last record.
type cursor struct {
	at time.Time
	id string
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at.UnixMicro(), 10) + " " + c.id))
}

func parseCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	at, id, ok := strings.Cut(string(b), " ")
	us, perr := strconv.ParseInt(at, 10, 64)
	if err != nil || !ok || perr != nil {
		return cursor{}, concord.Errorf(concord.EINVALID, "next %q: not a page token of this server", s)
	}
	return cursor{at: time.UnixMicro(us).UTC(), id: id}, nil
}

// entry is a record of a collection, by date added.
type entry struct {
	cursor
	typ string
}

// query reads what the request asks of collection c: the records after
// added_after (and next), matching match[type] and match[id], by date added.
type query struct {
	after time.Time
	next  *cursor
	types []string
	ids   []string
	limit int
}

func (s *Server) parseQuery(r *http.Request) (*query, error) {
	q := &query{limit: s.maxPage()}
	v := r.URL.Query()
	if a := v.Get("added_after"); a != "" {
		t, err := time.Parse(time.RFC3339Nano, a)
		if err != nil {
			return nil, concord.Errorf(concord.EINVALID, "added_after %q: want a timestamp such as 2026-03-01T00:00:00.000Z", a)
		}
		q.after = t.UTC()
	}
	if n := v.Get("next"); n != "" {
		c, err := parseCursor(n)
		if err != nil {
			return nil, err
		}
		q.next = &c
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 {
			return nil, concord.Errorf(concord.EINVALID, "limit %q: want a positive number", l)
		}
		q.limit = min(n, s.maxPage())
	}
	for _, k := range []string{"match[type]", "match[id]", "match[version]", "match[spec_version]"} {
		var vals []string
		for _, x := range v[k] {
			vals = append(vals, strings.Split(x, ",")...)
		}
		switch k {
		case "match[type]":
			q.types = vals
		case "match[id]":
			q.ids = vals
		case "match[version]":
			for _, x := range vals {
				if x != "last" && x != "all" && x != "first" {
					if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
						return nil, concord.Errorf(concord.EINVALID, "match[version] %q: want last, first, all or a timestamp", x)
					}
				}
			}
		case "match[spec_version]":
			if len(vals) > 0 && !slices.Contains(vals, "2.1") {
				q.ids = []string{"none"} // nothing here is of another version
			}
		}
	}
	if o := r.PathValue("object"); o != "" {
		q.ids = append(q.ids, o)
	}
	return q, nil
}

func (s *Server) maxPage() int {
	if s.MaxPage <= 0 {
		return 1000
	}
	return s.MaxPage
}

// select lists the collection's records the query asks for, by date added.
func (s *Server) selectEntries(ctx context.Context, f concord.Filter, q *query) ([]entry, map[string]string, error) {
	types, err := stix.Types(ctx, s.Store, f, concord.EntityQuery{})
	if err != nil {
		return nil, nil, err
	}
	var out []entry
	err = s.Store.EachEntity(ctx, f, concord.EntityQuery{Props: []string{"id"}}, func(e *concord.Entity) error {
		typ := types[e.ID]
		switch {
		case typ == "":
		case len(q.types) > 0 && !slices.Contains(q.types, typ) && !(typ == "indicator" && slices.Contains(q.types, "relationship")):
		case len(q.ids) > 0 && !slices.Contains(q.ids, stix.ID(typ, e.ID)):
		case !e.LastSeen.After(q.after):
		case q.next != nil && (e.LastSeen.Before(q.next.at) || e.LastSeen.Equal(q.next.at) && e.ID <= q.next.id):
		default:
			out = append(out, entry{cursor{at: e.LastSeen, id: e.ID}, typ})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if !out[i].at.Equal(out[j].at) {
			return out[i].at.Before(out[j].at)
		}
		return out[i].id < out[j].id
	})
	return out, types, err
}

// envelope is a page of objects.
type envelope struct {
	More    bool          `json:"more"`
	Next    string        `json:"next,omitempty"`
	Objects []stix.Object `json:"objects,omitempty"`
}

func (s *Server) objects(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	ctx := r.Context()
	if !v.Can(access.Export) {
		return concord.Errorf(concord.EFORBIDDEN, "reading TAXII objects needs the analyst role and the read scope")
	}
	c, err := s.find(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	q, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	f := filter(c, v)
	entries, types, err := s.selectEntries(ctx, f, q)
	if err != nil {
		return err
	}
	names := s.memberNames(ctx)
	env := envelope{Objects: []stix.Object{}}
	seen := map[string]bool{}
	var first, last time.Time
	n := 0
	for i, e := range entries {
		ent, err := s.entity(ctx, f, e.id)
		if err != nil {
			return err
		}
		rec, err := stix.Load(ctx, s.Store, f, ent, names)
		if err != nil {
			return err
		}
		rec.Added = e.at // the object's version is its date added
		var objs []stix.Object
		if !seen[rec.Author.Key] {
			objs = append(objs, stix.Object{Type: "identity", SpecVersion: "2.1", ID: stix.ID("identity", rec.Author.Key),
				Created: "2014-09-01T00:00:00.000Z", Modified: "2014-09-01T00:00:00.000Z", Name: rec.Author.Name, IdentityClass: rec.Author.Class})
		}
		if !seen[string(rec.Handling)] {
			objs = append(objs, stix.MarkingOf(rec.Handling))
		}
		objs = append(objs, stix.Objects(rec, func(id string) string { return types[id] })...)
		objs = slices.DeleteFunc(objs, func(o stix.Object) bool { return len(q.types) > 0 && !slices.Contains(q.types, o.Type) })
		if n > 0 && n+len(objs) > q.limit {
			env.More, env.Next = true, entries[i-1].cursor.String()
			break
		}
		seen[rec.Author.Key], seen[string(rec.Handling)] = true, true
		env.Objects = append(env.Objects, objs...)
		n += len(objs)
		if first.IsZero() {
			first = e.at
		}
		last = e.at
		if n >= q.limit && i+1 < len(entries) {
			env.More, env.Next = true, e.cursor.String()
			break
		}
	}
	if err := s.Store.Audit(ctx, "taxii.objects", string(c.audience), fmt.Sprintf("%d objects", len(env.Objects))); err != nil {
		return err
	}
	if !first.IsZero() {
		w.Header().Set("X-TAXII-Date-Added-First", stix.Timestamp(first))
		w.Header().Set("X-TAXII-Date-Added-Last", stix.Timestamp(last))
	}
	if r.PathValue("object") != "" && len(env.Objects) == 0 {
		return concord.Errorf(concord.ENOTFOUND, "object %s not found", r.PathValue("object"))
	}
	write(w, http.StatusOK, env)
	return nil
}

func (s *Server) entity(ctx context.Context, f concord.Filter, id string) (*concord.Entity, error) {
	var out *concord.Entity
	err := s.Store.EachEntity(ctx, f, concord.EntityQuery{IDs: []string{id}}, func(e *concord.Entity) error {
		out = e
		return nil
	})
	if err == nil && out == nil {
		err = concord.Errorf(concord.ENOTFOUND, "record %s changed while it was read", id)
	}
	return out, err
}

func (s *Server) memberNames(ctx context.Context) func(string) string {
	names := map[string]string{}
	if ms, err := s.Store.Members(ctx); err == nil {
		for _, m := range ms {
			names[m.ID] = m.Name
		}
	}
	return func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
}

// manifest lists the collection's objects by id, date added and version.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request, v access.Viewer) error {
	ctx := r.Context()
	if !v.Can(access.Export) {
		return concord.Errorf(concord.EFORBIDDEN, "reading TAXII objects needs the analyst role and the read scope")
	}
	c, err := s.find(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	q, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	entries, _, err := s.selectEntries(ctx, filter(c, v), q)
	if err != nil {
		return err
	}
	type item struct {
		ID        string `json:"id"`
		DateAdded string `json:"date_added"`
		Version   string `json:"version"`
		MediaType string `json:"media_type"`
	}
	out := struct {
		More    bool   `json:"more"`
		Next    string `json:"next,omitempty"`
		Objects []item `json:"objects,omitempty"`
	}{}
	for i, e := range entries {
		if i == q.limit {
			out.More, out.Next = true, entries[i-1].cursor.String()
			break
		}
		at := stix.Timestamp(e.at)
		out.Objects = append(out.Objects, item{ID: stix.ID(e.typ, e.id), DateAdded: at, Version: at, MediaType: MediaSTIX})
	}
	write(w, http.StatusOK, out)
	return nil
}
