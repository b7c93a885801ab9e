package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/mediabank"
	"concord/media"
	"concord/media/exchange"
	"concord/media/index"
	"concord/media/pdq"
)

// mediaQuery is one query of `concord media match`: a hash given in hex or
// the hashes of a picture.
type mediaQuery struct {
	Query      string           `json:"query"`
	Hash       string           `json:"hash"`
	Quality    *int             `json:"quality,omitempty"` // nil for a hash given in hex
	Unreliable bool             `json:"unreliable,omitempty"`
	Matches    []mediaListMatch `json:"matches"`

	variants []pdq.Hash // what is looked up; variants[0] is the hash
	md5, sha string     // the file's digests, for exact matches in the bank
}

// mediaListMatch is a hash of the list, or a record of the bank, within
// the radius of a query.
type mediaListMatch struct {
	Hash     string   `json:"hash"`
	Distance int      `json:"distance"`
	Line     int      `json:"line,omitempty"`      // in the list
	EntityID string   `json:"entity_id,omitempty"` // in the bank
	Labels   []string `json:"labels,omitempty"`
	Label    string   `json:"label,omitempty"` // the list line's text, or the record's description
	Datasets []string `json:"datasets,omitempty"`
	Variant  string   `json:"variant,omitempty"` // the rotation or flip of the query that matched
	Exact    []string `json:"exact,omitempty"`   // file digests that matched exactly (bank only)
}

func (m *Main) mediaMatchCommand() *cobra.Command {
	var (
		flags      mediaFlags
		against    string
		radius     int
		minQuality int
		dihedral   bool
	)
	cmd := &cobra.Command{
		Use:   "match FILE|HEX... [--against LIST]",
		Short: "Match pictures or PDQ hashes against the hash bank or a hash list",
		Long: `Match each query, a picture file or a PDQ hash in hex, against the store's hash
bank (every Media record, as the operator sees it) or, with --against, the
hashes of LIST, and write one JSON line per query, in the order given:

  {"query": "upload.jpg", "hash": "d8f8…", "quality": 100,
   "matches": [{"hash": "d8f8…", "distance": 4, "line": 12, "label": "…"}]}

A bank match names the record (entity_id), its labels and datasets.

LIST has one hash a line, in hex, followed by anything (a quality and a file
name as "concord media hash" prints them, or a label); blank lines and # lines
are skipped. ThreatExchange descriptor CSV or JSON and python-threatexchange /
HMA signal files ("pdq HEX" a line) are read too, told by their content; their
MD5 and SHA-256 entries are skipped. Matches are the list's hashes within --radius bits (31 by
default, the reference's), closest first, found by a multi-index hash index.

A picture whose quality is below --min-quality (50) is not matched: its line
says "unreliable": true. --dihedral matches the seven rotations and flips of a
picture too, and names the one that matched. A query that is neither a
picture nor a hash is reported on stderr and skipped; the exit status is then
3. A summary goes to stderr.`,
		Example: `  concord media match upload.jpg
  concord media hash bank/*.jpg > bank.txt
  concord media match --against bank.txt upload.jpg
  concord media match --against ../shared/data/media/pdq/haystack.txt $(cat ../shared/data/media/pdq/needles.txt)`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if radius < 0 || radius > pdq.Bits {
				return concord.Errorf(concord.EINVALID, "--radius %d: want 0..256", radius)
			}
			lim, err := flags.limits()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			t0 := time.Now()
			var lookup func(pdq.Hash) ([]mediaListMatch, error)
			var exact func(md5, sha string) ([]mediaListMatch, error) // nil against a list
			size := 0
			if against != "" {
				list, err := readAgainst(against)
				if err != nil {
					return err
				}
				hs := make([]pdq.Hash, len(list))
				for i, e := range list {
					hs[i] = e.Hash
				}
				x := index.Build(hs, index.Options{})
				size = len(list)
				var found []index.Match
				lookup = func(h pdq.Hash) ([]mediaListMatch, error) {
					found = x.Lookup(h, radius, found[:0])
					out := make([]mediaListMatch, len(found))
					for i, mt := range found {
						e := list[mt.ID]
						out[i] = mediaListMatch{Hash: e.Hash.String(), Distance: mt.Distance, Line: e.Line, Label: e.Label}
					}
					return out, nil
				}
			} else {
				// Against the store's bank, as the operator sees it.
				st, err := m.openStore(ctx, false)
				if err != nil {
					return err
				}
				defer st.Close()
				bank, err := mediabank.New(ctx, st)
				if err != nil {
					return err
				}
				size = bank.Len()
				convert := func(hits []mediabank.Hit) []mediaListMatch {
					out := make([]mediaListMatch, len(hits))
					for i, hit := range hits {
						out[i] = mediaListMatch{Hash: hit.Hash.String(), Distance: hit.Distance, EntityID: hit.EntityID,
							Labels: hit.Labels, Label: hit.Description, Datasets: hit.Datasets, Exact: hit.Exact}
						if hit.Hash.IsZero() {
							out[i].Hash = ""
						}
					}
					return out
				}
				lookup = func(h pdq.Hash) ([]mediaListMatch, error) {
					hits, err := bank.MatchAll(ctx, h, mediabank.Options{Radius: radius})
					return convert(hits), err
				}
				exact = func(md5, sha string) ([]mediaListMatch, error) {
					hits, err := bank.LookupAll(ctx, mediabank.Query{MD5: md5, SHA256: sha}, mediabank.Options{Radius: radius})
					return convert(hits), err
				}
				defer func() {
					_ = st.Audit(ctx, "media.match", "", fmt.Sprintf("%d queries against %d hashes, radius %d", len(args), size, radius))
				}()
			}
			built := time.Since(t0)

			qs, failed, err := m.mediaQueries(args, media.Options{Limits: lim, Dihedral: dihedral}, flags.workers, minQuality)
			if err != nil {
				return err
			}
			t1 := time.Now()
			w := bufio.NewWriter(m.Stdout)
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			hits, total := 0, 0
			for _, q := range qs {
				q.Matches = []mediaListMatch{}
				if !q.Unreliable {
					best := map[string]int{} // matched hash and record → position in q.Matches
					for v, h := range q.variants {
						found, err := lookup(h)
						if err != nil {
							return err
						}
						for _, lm := range found {
							if dihedral {
								lm.Variant = pdq.Dihedral(v).String()
							}
							key := lm.Hash + " " + lm.EntityID + " " + fmt.Sprint(lm.Line)
							if k, ok := best[key]; ok {
								if lm.Distance < q.Matches[k].Distance {
									q.Matches[k] = lm
								}
								continue
							}
							best[key] = len(q.Matches)
							q.Matches = append(q.Matches, lm)
						}
					}
				}
				if exact != nil && q.md5 != "" {
					// The very file, whatever the quality of its PDQ hash.
					found, err := exact(q.md5, q.sha)
					if err != nil {
						return err
					}
				next:
					for _, lm := range found {
						for k := range q.Matches {
							if q.Matches[k].EntityID == lm.EntityID {
								q.Matches[k].Exact = lm.Exact
								continue next
							}
						}
						q.Matches = append(q.Matches, lm)
					}
				}
				sortListMatches(q.Matches)
				if len(q.Matches) > 0 {
					hits++
					total += len(q.Matches)
				}
				if err := enc.Encode(q); err != nil {
					return err
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "matched %d queries against %d hashes (radius %d): %d with matches, %d matches, %d skipped; index %s, matching %s\n",
				len(qs), size, radius, hits, total, failed, built.Round(time.Microsecond), time.Since(t1).Round(time.Microsecond))
			if failed > 0 {
				return &exitError{code: exitRowsSkipped, msg: fmt.Sprintf("%d of %d queries skipped", failed, len(args))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&against, "against", "", "hash list to match against (one hex hash a line)")
	cmd.Flags().IntVar(&radius, "radius", pdq.DefaultRadius, "largest Hamming distance of a match")
	cmd.Flags().IntVar(&minQuality, "min-quality", pdq.MinQuality, "pictures of lower quality are not matched")
	cmd.Flags().BoolVar(&dihedral, "dihedral", false, "match the rotations and flips of pictures too")
	flags.add(cmd)
	return cmd
}

// readAgainst reads the hash list of --against in any of the forms hash
// lists come in: ThreatExchange CSV or JSON, python-threatexchange / HMA
// signal files ("pdq HEX"), or one hash a line as `media hash` prints
// them. Only PDQ hashes are matched; MD5 and SHA-256 entries are skipped.
func readAgainst(name string) ([]media.ListEntry, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	format := exchange.Detect(data)
	if format == exchange.FormatSignals && !signalLines(data) {
		return media.ReadHashList(bytes.NewReader(data), name)
	}
	l, err := exchange.Read(bytes.NewReader(data), format, name)
	if err != nil {
		return nil, err
	}
	var out []media.ListEntry
	for i, r := range l.Records {
		h, ok := r.PDQ()
		if !ok {
			continue
		}
		label := strings.Join(append(append([]string{}, r.Labels...), r.Description), " ")
		out = append(out, media.ListEntry{Line: i + 1, Hash: h, Label: strings.TrimSpace(label)})
	}
	return out, nil
}

// signalLines tells whether the first entry of a text list starts with a
// signal type ("pdq 9f1b…") rather than a hash.
func signalLines(data []byte) bool {
	for _, line := range strings.Split(string(data[:min(len(data), 4096)]), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		typ, _, _ := strings.Cut(line, " ")
		switch strings.ToLower(typ) {
		case "pdq", "photo_pdq", "md5", "video_md5", "photo_md5", "sha256":
			return true
		}
		return false
	}
	return false
}

// mediaQueries turns the arguments into queries: hex hashes as they are,
// anything else hashed as a picture file. Arguments that are neither are
// reported on stderr and counted.
func (m *Main) mediaQueries(args []string, o media.Options, workers, minQuality int) ([]*mediaQuery, int, error) {
	qs := make([]*mediaQuery, len(args))
	var files []string
	var at []int
	for i, a := range args {
		if h, err := pdq.Parse(a); err == nil {
			qs[i] = &mediaQuery{Query: a, Hash: h.String(), variants: []pdq.Hash{h}}
			continue
		}
		files = append(files, a)
		at = append(at, i)
	}
	failed := 0
	k := 0
	err := m.hashFiles(files, o, workers, func(r hashed) error {
		i := at[k]
		k++
		if r.err != nil {
			failed++
			fmt.Fprintf(m.Stderr, "concord: %v\n", r.err)
			return nil
		}
		q := r.res.Quality
		mq := &mediaQuery{Query: r.name, Hash: r.res.PDQ.String(), Quality: &q, Unreliable: q < minQuality, md5: r.res.MD5, sha: r.res.SHA256}
		mq.variants = []pdq.Hash{r.res.PDQ}
		if o.Dihedral {
			mq.variants = r.res.Dihedral
		}
		qs[i] = mq
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := qs[:0]
	for _, q := range qs {
		if q != nil {
			out = append(out, q)
		}
	}
	return out, failed, nil
}

func sortListMatches(ms []mediaListMatch) {
	slices.SortStableFunc(ms, func(a, b mediaListMatch) int {
		if a.Distance != b.Distance {
			return a.Distance - b.Distance
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.EntityID, b.EntityID)
	})
}
