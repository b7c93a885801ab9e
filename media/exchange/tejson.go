package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"concord"
)

// teDescriptor holds the fields of a ThreatExchange descriptor in both of
// its spellings: te-tag-query's td_* and the Graph API's.
type teDescriptor struct {
	ID              json.RawMessage `json:"id"`
	TDRawIndicator  string          `json:"td_raw_indicator"`
	TDIndicatorType string          `json:"td_indicator_type"`
	TDDescription   string          `json:"td_description"`
	TDStatus        string          `json:"td_status"`
	TDShareLevel    string          `json:"td_share_level"`
	TDTags          json.RawMessage `json:"td_subjective_tags"`
	TDOwnerName     string          `json:"td_owner_name"`
	TDFirstActive   string          `json:"td_first_active"`
	TDLastActive    string          `json:"td_last_active"`
	AddedOn         string          `json:"added_on"`
	LastUpdated     string          `json:"last_updated"`
	PDQQuality      *int            `json:"pdq_quality"`

	RawIndicator string          `json:"raw_indicator"`
	Type         string          `json:"type"`
	Description  string          `json:"description"`
	Status       string          `json:"status"`
	ShareLevel   string          `json:"share_level"`
	Tags         json.RawMessage `json:"tags"`
	Owner        *struct {
		Name string `json:"name"`
	} `json:"owner"`
	FirstActive string `json:"first_active"`
	LastActive  string `json:"last_active"`
	Indicator   *struct {
		Indicator string `json:"indicator"`
		Type      string `json:"type"`
	} `json:"indicator"`
}

func readTEJSON(r io.Reader, name string, l *List) error {
	br := bufio.NewReader(r)
	dec := json.NewDecoder(br)
	n := 0
	add := func(raw json.RawMessage) error {
		n++
		var d teDescriptor
		if err := json.Unmarshal(raw, &d); err != nil {
			return concord.Errorf(concord.EINVALID, "%s: record %d: %v", name, n, err)
		}
		if err := d.add(l); err != nil {
			return concord.Errorf(concord.EINVALID, "%s: record %d: %v", name, n, err)
		}
		return nil
	}
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return concord.Errorf(concord.EINVALID, "%s: after %d records (byte %d): %v", name, n, dec.InputOffset(), err)
		}
		t := bytes.TrimSpace(raw)
		switch {
		case len(t) > 0 && t[0] == '[':
			var items []json.RawMessage
			if err := json.Unmarshal(t, &items); err != nil {
				return concord.Errorf(concord.EINVALID, "%s: %v", name, err)
			}
			for _, it := range items {
				if err := add(it); err != nil {
					return err
				}
			}
		case len(t) > 0 && t[0] == '{':
			var page struct {
				Data *[]json.RawMessage `json:"data"`
			}
			if json.Unmarshal(t, &page) == nil && page.Data != nil {
				for _, it := range *page.Data {
					if err := add(it); err != nil {
						return err
					}
				}
				continue
			}
			if err := add(t); err != nil {
				return err
			}
		default:
			return concord.Errorf(concord.EINVALID, "%s: record %d: want a JSON object, have %s", name, n+1, clip(string(t)))
		}
	}
}

func (d *teDescriptor) add(l *List) error {
	value, typ := first(d.TDRawIndicator, d.RawIndicator), first(d.TDIndicatorType, d.Type)
	if d.Indicator != nil {
		value, typ = first(value, d.Indicator.Indicator), first(typ, d.Indicator.Type)
	}
	if strings.TrimSpace(typ) == "" {
		return errors.New("td_indicator_type: missing")
	}
	if !hashType(typ) {
		l.Skipped[strings.ToUpper(strings.TrimSpace(typ))]++
		return nil
	}
	t, v, err := normalize(typ, value)
	if err != nil {
		return fmt.Errorf("td_raw_indicator: %w", err)
	}
	r := Record{Type: t, Value: v, Quality: -1, ID: rawID(d.ID),
		Description: first(d.TDDescription, d.Description), Status: first(d.TDStatus, d.Status), Owner: d.TDOwnerName}
	if r.Owner == "" && d.Owner != nil {
		r.Owner = d.Owner.Name
	}
	if r.Labels, err = tags(first(string(d.TDTags), string(d.Tags))); err != nil {
		return err
	}
	if r.TLP, err = shareLevel(first(d.TDShareLevel, d.ShareLevel), r.Labels); err != nil {
		return fmt.Errorf("td_share_level: %w", err)
	}
	r.Labels = dropStrict(r.Labels)
	if r.FirstSeen, err = parseTime(first(d.TDFirstActive, d.FirstActive, d.AddedOn)); err != nil {
		return fmt.Errorf("td_first_active: %w", err)
	}
	if r.LastSeen, err = parseTime(first(d.TDLastActive, d.LastActive, d.LastUpdated)); err != nil {
		return fmt.Errorf("td_last_active: %w", err)
	}
	if d.PDQQuality != nil {
		if *d.PDQQuality < 0 || *d.PDQQuality > 100 {
			return fmt.Errorf("pdq_quality %d: want 0..100", *d.PDQQuality)
		}
		r.Quality = *d.PDQQuality
	}
	l.Records = append(l.Records, r)
	return nil
}

func first(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" && v != "null" {
			return v
		}
	}
	return ""
}

// rawID reads an id given as a string or a number.
func rawID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// tags reads the tag forms: "a,b", ["a", "b"], or the Graph API's
// {"data": [{"text": "a"}]}.
func tags(raw string) ([]string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var s string
	if json.Unmarshal([]byte(raw), &s) == nil {
		return splitTags(s), nil
	}
	var list []string
	if json.Unmarshal([]byte(raw), &list) == nil {
		return splitTags(strings.Join(list, ",")), nil
	}
	var obj struct {
		Data []struct {
			Text string `json:"text"`
		} `json:"data"`
	}
	if json.Unmarshal([]byte(raw), &obj) == nil {
		var out []string
		for _, t := range obj.Data {
			out = append(out, splitTags(t.Text)...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("td_subjective_tags: %s: want a string, a list of strings or {\"data\": [{\"text\"}]}", clip(raw))
}

// teJSON is a descriptor as written: te-tag-query's fields.
type teJSON struct {
	ID              string `json:"id,omitempty"`
	TDRawIndicator  string `json:"td_raw_indicator"`
	TDIndicatorType string `json:"td_indicator_type"`
	TDDescription   string `json:"td_description,omitempty"`
	TDStatus        string `json:"td_status,omitempty"`
	TDShareLevel    string `json:"td_share_level,omitempty"`
	TDTags          string `json:"td_subjective_tags"`
	TDOwnerName     string `json:"td_owner_name,omitempty"`
	TDFirstActive   string `json:"td_first_active,omitempty"`
	TDLastActive    string `json:"td_last_active,omitempty"`
	PDQQuality      *int   `json:"pdq_quality,omitempty"`
}

func writeTEJSON(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range recs {
		r := &recs[i]
		level, strict := teShareLevel(r.TLP)
		tg := r.Labels
		if strict {
			tg = append(append([]string{}, tg...), strictTag)
		}
		j := teJSON{ID: r.ID, TDRawIndicator: r.Value, TDIndicatorType: indicatorType(r.Type), TDDescription: r.Description,
			TDStatus: r.Status, TDShareLevel: level, TDTags: strings.Join(tg, ","), TDOwnerName: r.Owner,
			TDFirstActive: formatTime(r.FirstSeen), TDLastActive: formatTime(r.LastSeen)}
		if r.Type == TypePDQ && r.Quality >= 0 {
			q := r.Quality
			j.PDQQuality = &q
		}
		if err := enc.Encode(&j); err != nil {
			return err
		}
	}
	return bw.Flush()
}
