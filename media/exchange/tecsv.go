package exchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"concord"
)

// teColumns are the columns written, in order: the descriptor's id and
// the fields of ThreatExchange's bulk upload that a media hash uses.
var teColumns = []string{"id", "td_raw_indicator", "td_indicator_type", "td_description", "td_status",
	"td_share_level", "td_subjective_tags", "td_owner_name", "td_first_active", "td_last_active", "pdq_quality"}

func readTECSV(r io.Reader, name string, l *List) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvError(name, err)
	}
	header = slices.Clone(header) // the reader reuses its slice
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		col[h] = i
	}
	// The UI's and the API's names of the same fields.
	pick := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	iv, it := pick("td_raw_indicator", "raw_indicator", "indicator"), pick("td_indicator_type", "type", "indicator_type")
	if iv < 0 || it < 0 {
		return concord.Errorf(concord.EINVALID, "%s:1: a ThreatExchange CSV needs the columns td_raw_indicator and td_indicator_type", name)
	}
	fields := map[string]int{
		"id":          pick("id", "td_id"),
		"description": pick("td_description", "description"),
		"status":      pick("td_status", "status"),
		"share":       pick("td_share_level", "share_level"),
		"tags":        pick("td_subjective_tags", "tags"),
		"owner":       pick("td_owner_name", "owner_name", "owner"),
		"first":       pick("td_first_active", "first_active"),
		"added":       pick("added_on"),
		"last":        pick("td_last_active", "last_active"),
		"updated":     pick("last_updated"),
		"quality":     pick("pdq_quality"),
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(k string) string {
			if i := fields[k]; i >= 0 && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		cell := func(i int) string {
			if i < len(rec) {
				return rec[i]
			}
			return ""
		}
		bad := func(field string, err error) error {
			return concord.Errorf(concord.EINVALID, "%s:%d: %s: %v", name, line, field, err)
		}
		typ := cell(it)
		if !hashType(typ) {
			if strings.TrimSpace(typ) == "" {
				return bad(header[it], errors.New("empty indicator type"))
			}
			l.Skipped[strings.ToUpper(strings.TrimSpace(typ))]++
			continue
		}
		t, v, err := normalize(typ, cell(iv))
		if err != nil {
			return bad(header[iv], err)
		}
		r := Record{ID: strings.TrimSpace(get("id")), Type: t, Value: v, Quality: -1,
			Description: get("description"), Status: strings.TrimSpace(get("status")),
			Owner: strings.TrimSpace(get("owner")), Labels: splitTags(get("tags"))}
		if r.TLP, err = shareLevel(get("share"), r.Labels); err != nil {
			return bad("td_share_level", err)
		}
		r.Labels = dropStrict(r.Labels)
		first, last := get("first"), get("last")
		if first == "" {
			first = get("added")
		}
		if last == "" {
			last = get("updated")
		}
		if r.FirstSeen, err = parseTime(first); err != nil {
			return bad("td_first_active", err)
		}
		if r.LastSeen, err = parseTime(last); err != nil {
			return bad("td_last_active", err)
		}
		if q := strings.TrimSpace(get("quality")); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 0 || n > 100 {
				return bad("pdq_quality", fmt.Errorf("%q: want 0..100", clip(q)))
			}
			r.Quality = n
		}
		l.Records = append(l.Records, r)
	}
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return concord.Errorf(concord.EINVALID, "%s:%d: %v", name, pe.Line, pe.Err)
	}
	if errors.Is(err, io.EOF) {
		return concord.Errorf(concord.EINVALID, "%s: empty file, no CSV header", name)
	}
	return concord.Errorf(concord.EINVALID, "%s: %v", name, err)
}

// dropStrict removes the tag that carried AMBER+STRICT.
func dropStrict(tags []string) []string {
	out := tags[:0]
	for _, t := range tags {
		if !strings.EqualFold(t, strictTag) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func writeTECSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(teColumns); err != nil {
		return err
	}
	for i := range recs {
		r := &recs[i]
		level, strict := teShareLevel(r.TLP)
		tags := r.Labels
		if strict {
			tags = append(append([]string{}, tags...), strictTag)
		}
		q := ""
		if r.Quality >= 0 && r.Type == TypePDQ {
			q = strconv.Itoa(r.Quality)
		}
		if err := cw.Write([]string{r.ID, r.Value, indicatorType(r.Type), r.Description, r.Status,
			level, strings.Join(tags, ","), r.Owner, formatTime(r.FirstSeen), formatTime(r.LastSeen), q}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
