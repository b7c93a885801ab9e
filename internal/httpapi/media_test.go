package httpapi

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"os"
	"strings"
	"testing"

	"concord"
	"concord/media/pdq"
)

const pdqTestdata = "../../media/testdata/pdq/"

// multipartBody builds an upload of the named files (contents given).
func multipartBody(t *testing.T, files map[string][]byte, order []string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, name := range order {
		w, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[name])
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func readTestFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(pdqTestdata + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type mediaMatchBody struct {
	Radius    int `json:"radius"`
	Responses map[string]struct {
		Hash       string `json:"hash"`
		Quality    *int   `json:"quality"`
		Unreliable bool   `json:"unreliable"`
		Matches    []struct {
			EntityID string   `json:"entity_id"`
			Distance int      `json:"distance"`
			Labels   []string `json:"labels"`
		} `json:"matches"`
		Alerts []int64 `json:"alerts"`
		Error  *struct {
			Code, Message string
		} `json:"error"`
	} `json:"responses"`
}

func TestMediaHashEndpoint(t *testing.T) {
	e := newEnv(t)
	files := map[string][]byte{
		"orig.jpg":  readTestFile(t, "bridge-mods/aaa-orig.jpg"),
		"small.jpg": readTestFile(t, "misc/small.jpg"),
		"notes.txt": []byte("not a picture"),
	}
	body, ct := multipartBody(t, files, []string{"orig.jpg", "small.jpg", "notes.txt"})
	var res struct {
		Results []struct {
			Name, PDQ, MD5, Format string
			Quality                int
			Unreliable             bool
			Dihedral               []string
			Error                  *struct{ Code, Message string }
		}
	}
	e.must(200, e.do("POST", "/v1/media/hash?dihedral=true", "uz-viewer", body, "Content-Type", ct)).json(t, &res)
	if len(res.Results) != 3 {
		t.Fatalf("results %+v", res.Results)
	}
	ref, _ := pdq.Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	h, err := pdq.Parse(res.Results[0].PDQ)
	if err != nil || h.Distance(ref) > 10 || res.Results[0].Quality != 100 || res.Results[0].MD5 != "d35c785545392755e7e4164457657269" || len(res.Results[0].Dihedral) != 8 {
		t.Errorf("orig.jpg: %+v", res.Results[0])
	}
	if !res.Results[1].Unreliable || res.Results[1].Quality != 0 {
		t.Errorf("small.jpg: %+v", res.Results[1])
	}
	if r := res.Results[2]; r.Error == nil || r.Error.Code != "invalid" || !strings.Contains(r.Error.Message, "not an image") {
		t.Errorf("notes.txt: %+v", r)
	}
	e.must(400, e.do("POST", "/v1/media/hash", "uz-viewer", `{"x":1}`, "Content-Type", "application/json"))
	e.must(401, e.do("POST", "/v1/media/hash", "", body, "Content-Type", ct))
}

// TestMediaMatchEndpoint: hashes and pictures matched against the bank
// as the caller sees it, hits raised as alerts of its member.
func TestMediaMatchEndpoint(t *testing.T) {
	e := newEnv(t)
	poster, _ := pdq.Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	var rec struct {
		EntityID string `json:"entity_id"`
	}
	e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"schema": "Media", "audience": "coalition", "handling": "AMBER",
		"properties": map[string][]string{"pdqHash": {strings.ToUpper(poster.String())}, "pdqQuality": {"100"}, "label": {"outlet:amaq", "campaign:spring"}, "description": {"drone strike poster"}}})).json(t, &rec)
	e.must(400, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"schema": "Media", "audience": "coalition", "handling": "AMBER",
		"properties": map[string][]string{"pdqHash": {"abc"}}}))

	// A picture, re-encoded and shrunk, and a hash.
	files := map[string][]byte{"upload.jpg": readTestFile(t, "bridge-mods/shrink-a-lot.jpg"), "other.jpg": readTestFile(t, "labelme/q2821.jpg")}
	body, ct := multipartBody(t, files, []string{"upload.jpg", "other.jpg"})
	var mb mediaMatchBody
	e.must(200, e.do("POST", "/v1/media/match", "fr-viewer", body, "Content-Type", ct)).json(t, &mb)
	if e.bank.Len() != 1 {
		t.Fatalf("bank holds %d hashes", e.bank.Len())
	}
	up := mb.Responses["1"]
	if len(up.Matches) != 1 || up.Matches[0].EntityID != rec.EntityID || up.Matches[0].Distance > 31 || len(up.Alerts) != 1 || len(mb.Responses["2"].Matches) != 0 {
		t.Fatalf("picture match: %+v", mb)
	}
	// The alert is fr's, pending, and explains itself.
	var al struct {
		Member, Status, EntityID string
		Score                    float64
		Match                    json.RawMessage
	}
	e.must(200, e.do("GET", fmt.Sprintf("/v1/alerts/%d", up.Alerts[0]), "fr-reviewer", nil)).json(t, &al)
	var m struct {
		Kind, Algorithm, Caption string
		Distance, Radius         int
		Labels                   []string
		Explanation              []struct{ Feature, Description string }
	}
	json.Unmarshal(al.Match, &m)
	if al.Member != "fr" || al.Status != "pending" || m.Kind != "media" || m.Radius != 31 || m.Caption != "drone strike poster" ||
		len(m.Labels) != 2 || len(m.Explanation) < 2 || !strings.Contains(m.Explanation[0].Description, "bits apart") {
		t.Errorf("alert %+v %s", al, al.Match)
	}
	e.must(404, e.do("GET", fmt.Sprintf("/v1/alerts/%d", up.Alerts[0]), "es-reviewer", nil))

	// JSON queries: radius, quality flags.
	e.must(200, e.do("POST", "/v1/media/match?radius=0", "uz-viewer", map[string]any{"queries": map[string]any{
		"exact": map[string]any{"hash": poster.String()},
		"low":   map[string]any{"hash": poster.String(), "quality": 20},
	}})).json(t, &mb)
	if len(mb.Responses["exact"].Matches) != 1 || mb.Responses["exact"].Matches[0].Distance != 0 || !mb.Responses["low"].Unreliable || len(mb.Responses["low"].Matches) != 0 {
		t.Errorf("json match: %+v", mb)
	}
	// A dismissed (query, record) pair is not raised again while the record is unchanged.
	e.must(200, e.do("POST", "/v1/media/match?radius=0", "fr-viewer", map[string]any{"queries": map[string]any{"exact": map[string]any{"hash": poster.String()}}})).json(t, &mb)
	e.must(200, e.do("POST", fmt.Sprintf("/v1/alerts/%d/decision", mb.Responses["exact"].Alerts[0]), "fr-reviewer", map[string]any{"status": "dismissed", "reason": "our own copy"}))
	e.must(200, e.do("POST", "/v1/media/match?radius=0", "fr-viewer", map[string]any{"queries": map[string]any{"exact": map[string]any{"hash": poster.String()}}})).json(t, &mb)
	if len(mb.Responses["exact"].Matches) != 1 || len(mb.Responses["exact"].Alerts) != 0 {
		t.Errorf("after dismissal: %+v", mb.Responses["exact"])
	}
	for _, bad := range []string{`{"queries":{}}`, `{"queries":{"q":{"hash":"xyz"}}}`, `{"queries":{"q":{"hash":"` + poster.String() + `","quality":101}}}`} {
		e.must(400, e.do("POST", "/v1/media/match", "uz-viewer", bad))
	}
	e.must(400, e.do("POST", "/v1/media/match?radius=65", "uz-viewer", `{"queries":{"q":{"hash":"`+poster.String()+`"}}}`))

	// Exact matches by the file's digests, even for a picture whose PDQ
	// hash is unreliable (a flat gradient).
	small := readTestFile(t, "misc/small.jpg")
	sum := md5.Sum(small)
	var smallRec struct {
		EntityID string `json:"entity_id"`
	}
	e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"schema": "Media", "audience": "member:es", "handling": "RED",
		"properties": map[string][]string{"md5": {hex.EncodeToString(sum[:])}, "label": {"outlet:test"}}})).json(t, &smallRec)
	body, ct = multipartBody(t, map[string][]byte{"small.jpg": small}, []string{"small.jpg"})
	var exact struct {
		Responses map[string]struct {
			Unreliable bool
			Matches    []struct {
				EntityID string   `json:"entity_id"`
				Exact    []string `json:"exact"`
			}
			Alerts []int64
		}
	}
	e.must(200, e.do("POST", "/v1/media/match", "es-viewer", body, "Content-Type", ct)).json(t, &exact)
	if r := exact.Responses["1"]; !r.Unreliable || len(r.Matches) != 1 || r.Matches[0].EntityID != smallRec.EntityID || r.Matches[0].Exact[0] != "md5" || len(r.Alerts) != 1 {
		t.Errorf("exact match of an unreliable picture: %+v", r)
	}
	e.must(200, e.do("POST", "/v1/media/match", "fr-viewer", body, "Content-Type", ct)).json(t, &exact)
	if r := exact.Responses["1"]; len(r.Matches) != 0 {
		t.Errorf("fr matched es's RED digest: %+v", r)
	}
	e.must(200, e.do("POST", "/v1/media/match", "es-viewer", map[string]any{"queries": map[string]any{"d": map[string]any{"md5": strings.ToUpper(hex.EncodeToString(sum[:]))}}})).json(t, &exact)
	if r := exact.Responses["d"]; len(r.Matches) != 1 {
		t.Errorf("md5 query: %+v", r)
	}
	e.must(400, e.do("POST", "/v1/media/match", "es-viewer", `{"queries":{"d":{"md5":"123"}}}`))
	e.must(400, e.do("POST", "/v1/media/match", "es-viewer", `{"queries":{"d":{}}}`))

	// Narrowed to es only, then retracted: the bank follows at once.
	var sts struct {
		Statements []concord.Statement `json:"statements"`
	}
	e.must(200, e.do("GET", "/v1/entities/"+rec.EntityID+"/statements", "es-analyst", nil)).json(t, &sts)
	var ids []string
	for _, st := range sts.Statements {
		ids = append(ids, st.ID)
	}
	e.must(200, e.do("POST", "/v1/statements/reshare", "es-analyst", map[string]any{"ids": ids, "audience": "member:es", "handling": "RED"}))
	query := map[string]any{"queries": map[string]any{"q": map[string]any{"hash": poster.String()}}}
	e.must(200, e.do("POST", "/v1/media/match", "uz-viewer", query)).json(t, &mb)
	if len(mb.Responses["q"].Matches) != 0 {
		t.Errorf("after narrowing uz matches %+v", mb.Responses["q"])
	}
	e.must(200, e.do("POST", "/v1/media/match", "es-viewer", query)).json(t, &mb)
	if len(mb.Responses["q"].Matches) != 1 {
		t.Errorf("after narrowing es matches %+v", mb.Responses["q"])
	}
	e.must(200, e.do("POST", "/v1/statements/retract", "es-analyst", map[string]any{"ids": ids}))
	e.must(200, e.do("POST", "/v1/media/match", "es-viewer", query)).json(t, &mb)
	if len(mb.Responses["q"].Matches) != 0 || e.bank.Len() != 0 { // the digest-only record holds no PDQ hash
		t.Errorf("after retraction: %+v, bank %d", mb.Responses["q"], e.bank.Len())
	}
}

// TestMediaAccessMatrix extends the access matrix to media records: for
// every viewer and every (audience, TLP) a record is shared under, a
// lookup of its exact hash finds it iff the viewer may see it, and a
// hidden record answers exactly like a hash no record has.
func TestMediaAccessMatrix(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testMediaAccessMatrix(t, newEnvOn(t, b)) })
	}
}

func testMediaAccessMatrix(t *testing.T, e *env) {
	r := rand.New(rand.NewPCG(12, 12))
	type rec struct {
		id       string
		hash     pdq.Hash
		audience concord.Audience
		handling concord.TLP
	}
	var recs []rec
	for _, a := range []concord.Audience{"member:es", "group:ttwg", "coalition"} {
		for _, h := range concord.TLPs {
			if (h == concord.TLPAmberStrict || h == concord.TLPRed) && a != "member:es" {
				continue
			}
			hash := pdq.Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
			var res struct {
				EntityID string `json:"entity_id"`
			}
			e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"schema": "Media", "audience": a, "handling": h,
				"properties": map[string][]string{"pdqHash": {hash.String()}, "label": {"outlet:test-" + string(h)}}})).json(t, &res)
			recs = append(recs, rec{res.EntityID, hash, a, h})
		}
	}
	viewers := []struct {
		user, member string
		groups       []string
	}{
		{"es-viewer", "es", []string{"ttwg"}}, {"fr-viewer", "fr", []string{"ttwg", "africa"}},
		{"fr-analyst", "fr", []string{"ttwg", "africa"}}, {"uz-viewer", "uz", nil}, {"sec-secretariat", "sec", nil},
	}
	strip := func(b []byte) string { // the answer without the echoed hash
		var m mediaMatchBody
		json.Unmarshal(b, &m)
		q := m.Responses["q"]
		q.Hash = ""
		out, _ := json.Marshal(q)
		return string(out)
	}
	for _, v := range viewers {
		nobody := pdq.Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
		missing := strip(e.must(200, e.do("POST", "/v1/media/match", v.user, map[string]any{"queries": map[string]any{"q": map[string]any{"hash": nobody.String()}}})).Body)
		for _, s := range recs {
			vis := sees(v.member, v.groups, shared{audience: s.audience, handling: s.handling})
			body := e.must(200, e.do("POST", "/v1/media/match", v.user, map[string]any{"queries": map[string]any{"q": map[string]any{"hash": s.hash.String()}}})).Body
			var mb mediaMatchBody
			json.Unmarshal(body, &mb)
			found := len(mb.Responses["q"].Matches) == 1 && mb.Responses["q"].Matches[0].EntityID == s.id
			if found != vis {
				t.Errorf("%s, record %s %s: found %v, want %v", v.user, s.audience, s.handling, found, vis)
			}
			if !vis && strip(body) != missing {
				t.Errorf("%s, hidden record %s %s: %s differs from a missing hash %s", v.user, s.audience, s.handling, strip(body), missing)
			}
		}
	}
}
