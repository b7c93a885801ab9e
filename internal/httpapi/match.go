package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/internal/service"
	"concord/match"
)

// Bounds of /v1/match, as yente's defaults.
const (
	maxBatch      = 100 // queries per request
	maxMatchLimit = 500 // results per query
	defaultLimit  = match.DefaultLimit
	maxNames      = 20 // names of one query matched separately
)

// values is a property's values: yente accepts a string or a list.
type values []string

func (v *values) UnmarshalJSON(b []byte) error {
	// The common shape first: a list of strings, decoded once.
	if len(b) > 0 && b[0] == '[' && !bytes.Contains(b, []byte("null")) {
		var ss []string
		if json.Unmarshal(b, &ss) == nil {
			*v = append(*v, ss...)
			return nil
		}
	}
	var list []any
	if err := json.Unmarshal(b, &list); err != nil {
		var one any
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		list = []any{one}
	}
	for _, x := range list {
		switch x := x.(type) {
		case string:
			*v = append(*v, x)
		case float64:
			*v = append(*v, strconv.FormatFloat(x, 'f', -1, 64))
		case nil:
		default:
			return concord.Errorf(concord.EINVALID, "property values must be strings")
		}
	}
	return nil
}

// example is one query of a yente match request: an entity by example.
type example struct {
	ID         string            `json:"id,omitempty"`
	Schema     string            `json:"schema"`
	Properties map[string]values `json:"properties"`
}

type matchRequest struct {
	Queries map[string]*example `json:"queries"`
	Weights map[string]float64  `json:"weights,omitempty"` // accepted for yente clients; ignored
	Config  map[string]any      `json:"config,omitempty"`  // idem
}

// result is a scored entity, in yente's ScoredEntityResponse shape plus
// Concord's explanation.
type result struct {
	entityJSON
	Score       float64            `json:"score"`
	Match       bool               `json:"match"`
	Features    map[string]float64 `json:"features"`
	Explanation []match.Feature    `json:"explanation"`
}

// entityJSON is an entity as the viewer sees it, in yente's shape.
type entityJSON struct {
	ID         string              `json:"id"`
	Caption    string              `json:"caption"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	Referents  []string            `json:"referents"`
	Target     bool                `json:"target"`
	FirstSeen  *time.Time          `json:"first_seen,omitempty"`
	LastSeen   *time.Time          `json:"last_seen,omitempty"`
}

func toJSON(e *concord.Entity) entityJSON {
	j := entityJSON{ID: e.ID, Caption: e.Caption(), Schema: e.Schema, Properties: e.Properties,
		Datasets: e.Datasets, Referents: e.Refs}
	j.Target = len(e.Properties["program"]) > 0 || len(e.Properties["topics"]) > 0
	if !e.FirstSeen.IsZero() {
		j.FirstSeen, j.LastSeen = &e.FirstSeen, &e.LastSeen
	}
	if j.Datasets == nil {
		j.Datasets = []string{}
	}
	if j.Referents == nil {
		j.Referents = []string{}
	}
	return j
}

type total struct {
	Value    int    `json:"value"`
	Relation string `json:"relation"`
}

type matchResponse struct {
	Status  int      `json:"status"`
	Results []result `json:"results"`
	Total   total    `json:"total"`
	Query   *example `json:"query"`
}

// featureDocs describes the features of results, as yente's "matcher";
// featureDocsJSON is its encoding, written into every response.
var featureDocs = map[string]map[string]any{
	"name_similarity": {"description": "Calibrated probability that the names are one (a logistic regression over the best alignment of the query name's parts with one of the record's names; its weights are in each explanation's name.model lines)", "coefficient": 1.0},
	"birth_date":      {"description": "Agreement of birth dates (exact, year, near miss; negative when conflicting), added to the name score in log-odds", "coefficient": 5.0},
	"nationality":     {"description": "Agreement of nationality (negative when conflicting), in log-odds", "coefficient": 0.5},
	"gender":          {"description": "Conflicting gender (negative), in log-odds", "coefficient": 2.0},
	"identifier":      {"description": "Passport or ID number equal or one transcription error apart, in log-odds", "coefficient": 6.0},
}

var featureDocsJSON = func() json.RawMessage {
	b, err := json.Marshal(featureDocs)
	if err != nil {
		panic(err)
	}
	return b
}()

// matchEnvelope is the body of a /v1/match response (fields in the order a
// map would give them).
type matchEnvelope struct {
	Limit     int                      `json:"limit"`
	Matcher   json.RawMessage          `json:"matcher"`
	Responses map[string]matchResponse `json:"responses"`
}

// match is POST /v1/match and /v1/match/{dataset}: yente's
// query-by-example matching, for the caller's view of the data.
func (s *Server) match(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Match, "matching"); err != nil {
		return err
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxMatchLimit)
	if err != nil {
		return err
	}
	threshold, err := floatParam(r, "threshold", match.DefaultThreshold)
	if err != nil {
		return err
	}
	cutoff, err := floatParam(r, "cutoff", threshold)
	if err != nil {
		return err
	}
	cutoff = min(cutoff, threshold)
	var req matchRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, true); err != nil {
		return err
	}
	if len(req.Queries) == 0 {
		return concord.Errorf(concord.EINVALID, "no queries provided")
	}
	if len(req.Queries) > maxBatch {
		return concord.Errorf(concord.EINVALID, "too many queries in one batch (limit: %d)", maxBatch)
	}
	for k := range req.Queries {
		if err := concord.CheckText(k, concord.MaxIDLen, false); err != nil || k == "" {
			return concord.Errorf(concord.EINVALID, "queries: key %s: want 1 to %d bytes of text", concord.Quote(k), concord.MaxIDLen)
		}
	}
	dataset := r.PathValue("dataset")
	if dataset == "default" || dataset == "all" {
		dataset = ""
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range req.Queries {
			if !yield(k) {
				return
			}
		}
	})
	out := make(map[string]matchResponse, len(keys))
	hits, results := 0, 0
	for _, k := range keys {
		ex := req.Queries[k]
		if ex == nil {
			continue
		}
		qs, err := queries(k, ex)
		if err != nil {
			return err
		}
		res, err := s.matchOne(r.Context(), c.v, qs, dataset, limit, threshold, cutoff)
		if err != nil {
			return err
		}
		for i := range res {
			if res[i].Match {
				hits++
			}
		}
		results += len(res)
		out[k] = matchResponse{Status: 200, Results: res, Total: total{Value: len(res), Relation: "eq"}, Query: ex}
	}
	s.metrics.inc("concord_match_queries_total", "match", len(out))
	if err := s.audit(r.Context(), "match", dataset, "queries="+strings.Join(keys, ",")+" hits="+strconv.Itoa(hits)); err != nil {
		return err
	}
	w.Header().Set("X-Batch-Size", strconv.Itoa(len(out)))
	writeJSON(w, http.StatusOK, matchEnvelope{Responses: out, Matcher: featureDocsJSON, Limit: limit})
	return nil
}

// queries turns an example into one engine query per name.
func queries(key string, ex *example) ([]match.Query, error) {
	sch := concord.SchemaByName(ex.Schema)
	if sch == nil {
		return nil, concord.Errorf(concord.EINVALID, "queries.%s.schema: unknown schema %s", key, concord.Quote(ex.Schema))
	}
	for _, prop := range slices.Sorted(maps.Keys(ex.Properties)) {
		for i, v := range ex.Properties[prop] {
			v = strings.TrimSpace(v)
			var err error
			switch {
			case v == "":
				continue
			case sch.Props[prop] == concord.TypeDate && !concord.ValidDate(v):
				err = concord.Errorf(concord.EINVALID, "%s is not a date: want YYYY, YYYY-MM or YYYY-MM-DD", concord.Quote(v))
			default:
				err = concord.CheckText(v, concord.MaxValueLen, sch.Props[prop] == concord.TypeText)
			}
			if err != nil {
				return nil, concord.FieldError(fmt.Sprintf("queries.%s.properties.%s[%d]", key, prop, i), err)
			}
		}
	}
	p := func(props ...string) []string {
		var out []string
		for _, pr := range props {
			for _, v := range ex.Properties[pr] {
				if v = strings.TrimSpace(v); v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
	names := p("name", "alias")
	if len(names) == 0 {
		if parts := p("firstName", "secondName", "middleName", "fatherName", "lastName"); len(parts) > 0 {
			names = []string{strings.Join(parts, " ")}
		}
	}
	if len(names) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "queries.%s.properties.name: a name is needed", key)
	}
	names = slices.Compact(names)
	if len(names) > maxNames {
		names = names[:maxNames]
	}
	base := match.Query{ID: key, Schema: ex.Schema}
	if v := p("birthDate"); len(v) > 0 {
		base.BirthDate = v[0]
	}
	for _, v := range p("nationality", "citizenship", "country") {
		if cc, ok := concord.CountryCode(v); ok {
			base.Nationality = cc
			break
		}
	}
	if v := p("gender"); len(v) > 0 {
		base.Gender = strings.ToLower(v[0])
	}
	if v := p("passportNumber", "idNumber", "registrationNumber", "taxNumber"); len(v) > 0 {
		base.DocumentNumber = v[0]
	}
	out := make([]match.Query, len(names))
	for i, n := range names {
		out[i] = base
		out[i].Name = n
	}
	return out, nil
}

// matchOne matches each name of a query, keeps the best score per entity,
// and returns the entities as the viewer sees them.
func (s *Server) matchOne(ctx context.Context, v access.Viewer, qs []match.Query, dataset string, limit int, threshold, cutoff float64) ([]result, error) {
	hits, err := s.svc.Rank(ctx, v, qs, dataset, limit, threshold, cutoff)
	if err != nil {
		return nil, err
	}
	return results(hits), nil
}

// results turns ranked hits into yente's result shape.
func results(hits []service.Hit) []result {
	res := make([]result, len(hits))
	for i, h := range hits {
		j := toJSON(h.Entity)
		if len(h.Match.Refs) > 0 {
			// Every ref of the matched record (list records the engine
			// merged: un:… and ofac:… of one person), as concord screen
			// returns them; the matcher built them from what the viewer
			// sees.
			j.Referents = h.Match.Refs
		}
		res[i] = result{entityJSON: j, Score: h.Match.Score, Match: h.IsMatch,
			Features: features(h.Match.Explanation), Explanation: h.Match.Explanation}
	}
	return res
}

// features summarises an explanation as yente's feature map.
func features(ex []match.Feature) map[string]float64 {
	out := map[string]float64{}
	for _, f := range ex {
		k := f.Feature
		switch k {
		case "name.part":
			continue
		case "name":
			k = "name_similarity"
		}
		if _, ok := out[k]; !ok {
			out[k] = f.Score
		}
	}
	return out
}

// search is GET /v1/search?q=&schema=&limit=: a name search through the
// matcher with a low threshold.
func (s *Server) search(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "searching"); err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	threshold, err := floatParam(r, "threshold", 0.5)
	if err != nil {
		return err
	}
	hits, err := s.svc.Search(r.Context(), c.v, service.SearchRequest{Q: r.URL.Query().Get("q"),
		Schema: r.URL.Query().Get("schema"), Limit: limit, Threshold: threshold})
	if err != nil {
		return err
	}
	res := results(hits)
	s.metrics.inc("concord_match_queries_total", "search", 1)
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "total": total{Value: len(res), Relation: "eq"}, "limit": limit})
	return nil
}
