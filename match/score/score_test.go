package score

import (
	"math"
	"slices"
	"testing"

	"concord/match/keys"
	"concord/match/normalize"
)

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961}, {"dwayne", "duane", 0.84}, {"dixon", "dicksonx", 0.813},
		{"", "", 0}, {"a", "a", 1}, {"abc", "xyz", 0},
	}
	for _, tt := range tests {
		if got := JaroWinkler(tt.a, tt.b); math.Abs(got-tt.want) > 0.001 {
			t.Errorf("JW(%q,%q) = %.4f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEditDistance1(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true}, {"abc", "abd", true}, {"abc", "ab", true}, {"abc", "bac", true},
		{"abc", "xbd", false}, {"abcd", "ab", false}, {"", "a", true},
	}
	for _, tt := range tests {
		if got := EditDistance1(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance1(%q,%q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestCompareDates(t *testing.T) {
	d := func(s string) Date {
		x, ok := ParseDate(s)
		if !ok {
			t.Fatalf("parse %q", s)
		}
		return x
	}
	tests := []struct {
		q    string
		r    []string
		want int
	}{
		{"1963-04-11", []string{"1960-04-11", "1963-04-11"}, DateExact},
		{"1963", []string{"1963-04-11"}, DatePartial},
		{"1963-11-04", []string{"1963-04-11"}, DateSwapped},
		{"1964-04-11", []string{"1963-04-11"}, DateNearYear},
		{"1970", []string{"1963-04-11"}, DateConflict},
		{"1963-05-01", []string{"1963-04-11"}, DateSameYear},
	}
	for _, tt := range tests {
		var rs []Date
		for _, s := range tt.r {
			rs = append(rs, d(s))
		}
		if got, _ := CompareDates(d(tt.q), rs); got != tt.want {
			t.Errorf("CompareDates(%s, %v) = %d, want %d", tt.q, tt.r, got, tt.want)
		}
	}
	for _, bad := range []string{"", "63", "1963-13", "1963-04-1", "abcd"} {
		if _, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) ok", bad)
		}
	}
}

func TestCompareIDs(t *testing.T) {
	if CompareIDs(NormID("AB 123-456"), NormID("ab123456")) != 1 {
		t.Error("exact")
	}
	if CompareIDs("AB123456", "AB123465") != 0.7 || CompareIDs("AB123456", "A8123456") != 0.7 {
		t.Error("one error")
	}
	if CompareIDs("AB123456", "XY987654") != 0 {
		t.Error("different")
	}
}

func TestCompareNames(t *testing.T) {
	p := func(text, skel string, w float64) Part { return Part{Text: text, Skel: skel, Weight: w} }
	rec := []Part{p("mohammed", "mhmt", 0.2), p("salahdin", "slhtn", 0.8), p("abdhalim", "abthlm", 0.8), p("zidane", "stn", 0.9)}
	full := CompareNames([]Part{p("mhmd", "mhmt", 0.2), p("slahdin", "slhtn", 0.8), p("abdhlim", "abthlm", 0.8), p("zidan", "stn", 0.9)}, rec, nil, false)
	if full.Score < 0.9 {
		t.Errorf("arabic-script full name: %+v", full)
	}
	part := CompareNames([]Part{p("mohamed", "mhmt", 0.2), p("zidan", "stn", 0.9)}, rec, nil, false)
	common := CompareNames([]Part{p("mohammed", "mhmt", 0.2), p("ali", "al", 0.3)}, rec, nil, false)
	// Middle names left out cost (the birth date or a document decides),
	// less than a name that shares only its common part.
	if part.Score >= full.Score || part.Score <= common.Score || part.X[FEnds] != 1 {
		t.Errorf("missing middle names: %+v (common %+v)", part, common)
	}
	if common.Score > 0.3 {
		t.Errorf("common name: %+v", common)
	}
	merged := CompareNames([]Part{p("salah", "slh", 0.5), p("din", "tn", 0.3), p("zidane", "stn", 0.9)}, rec, nil, false)
	if len(merged.Pairs) != 2 || merged.CoverQ < 0.9 {
		t.Errorf("merged: %+v", merged)
	}
}

// TestSkeletonShare: a name whose every part is respelt by a table that
// writes a vowel between every two consonants keeps its consonant
// skeletons, and the feature says so; a name only near in spelling does
// not.
func TestSkeletonShare(t *testing.T) {
	p := func(text, skel string, w float64) Part { return Part{Text: text, Skel: skel, Weight: w} }
	rec := []Part{p("muhammad", "mhmt", 0.3), p("hamza", "hms", 0.6), p("zubaidi", "sbt", 0.8)}
	tests := []struct {
		q    []Part
		want float64
	}{
		{[]Part{p("mehemed", "mhmt", 0.3), p("hemeza", "hms", 0.6), p("zebidi", "sbt", 0.8)}, 1},
		{[]Part{p("muhammad", "mhmt", 0.3), p("hamza", "hms", 0.6)}, 1},
		{[]Part{p("mehemed", "mhmt", 0.3), p("hamzat", "hmst", 0.6)}, 0.3 / 0.9},
	}
	for _, tc := range tests {
		res := CompareNames(tc.q, rec, nil, false)
		if got := res.X[FSkeleton]; got < tc.want-1e-9 || got > tc.want+1e-9 {
			t.Errorf("%v: skeleton share %.3f, want %.3f (%+v)", tc.q, got, tc.want, res)
		}
	}
}

// TestConstructState: a ta marbuta transliterated h meets a Latin
// spelling that reads it t before a genitive; other consonants added at
// the end are still another name.
func TestConstructState(t *testing.T) {
	tests := []struct {
		q, qs, r, rs string
		match        bool
	}{
		{"asbh", "asb", "asbat", "asbt", true},    // عصبة / Asbat
		{"jbhh", "jbh", "jabhat", "jbht", true},   // جبهة / Jabhat
		{"hrkah", "hrk", "harakat", "hrkt", true}, // حركة / Harakat
		{"jmah", "jm", "jamaat", "jmt", true},     // جماعة / Jamaat
		{"adl", "atl", "adelusi", "atls", false},  // another name
		{"jbhh", "jbh", "jabhar", "jbhr", false},  // another consonant
		{"asb", "asb", "asbat", "asbt", false},    // no ة written
	}
	for _, tc := range tests {
		got := partSim(tc.q, tc.qs, tc.r, tc.rs, true)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q) = %.3f, want match %v", tc.q, tc.r, got, tc.match)
		}
		if back := partSim(tc.r, tc.rs, tc.q, tc.qs, true); back != got {
			t.Errorf("partSim(%q, %q) = %.3f one way, %.3f the other", tc.q, tc.r, got, back)
		}
	}
}

// TestBareKnownNames: a part from Arabic script (no short vowels) a
// consonant away from a known Latin name is another name; one a consonant
// away from an unknown spelling is still near.
func TestBareKnownNames(t *testing.T) {
	tests := []struct {
		q, qs, r, rs string
		match        bool
	}{
		{"mhmd", "mhmt", "mahmud", "mhmt", true},     // the same skeleton
		{"mhmud", "mhmt", "mahdi", "mht", false},     // محمود is not Mahdi
		{"ahmd", "ahmt", "ahd", "aht", true},         // an unknown spelling a consonant apart
		{"ysin", "asn", "yasseen", "asn", true},      // the same skeleton
		{"mhmd", "mhmt", "muhammad", "mhmt", true},   // the same skeleton
		{"mtmin", "mtmn", "motmaen", "mtmn", true},   // the same skeleton
		{"sharif", "srf", "shrif", "srf", true},      // the same skeleton
		{"brhim", "brhm", "ibrahim", "abrhm", false}, // another first letter
		{"qdrt", "ktrt", "khudrat", "hktrt", false},  // a consonant added at the start, a known name
	}
	for _, tc := range tests {
		if got := partSim(tc.q, tc.qs, tc.r, tc.rs, true); (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q) = %.3f, want match %v", tc.q, tc.r, got, tc.match)
		}
	}
}

func BenchmarkPartSim(b *testing.B) {
	for b.Loop() {
		PartSim("mohammed", "mhmt", "muhamad", "mhmt")
		PartSim("salahdin", "slhtn", "zidane", "stn")
	}
}

func TestJoinedUl(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		min  float64 // 0: the joined ul is not read
	}{
		{"jamatul", "jamaat", 0.85}, // Jamatul Ahrar / Jamaat-ul-Ahrar
		{"saiful", "saif", 0.9},     // Saiful Islam / Saif al-Islam
		{"harkatul", "harakat", 0.85},
		{"rasul", "ras", 0}, // a stem of three letters: a name of its own
		{"abdul", "abd", 0}, // Abdul is read by package normalize
		{"benabdul", "benabd", 0},
		{"mahaoul", "mahao", 0}, // a vowel before ul
	} {
		sa, sb := keys.Skeleton(tc.a), keys.Skeleton(tc.b)
		for _, bare := range []bool{false, true} {
			if tc.min == 0 {
				if v := ulSim(tc.a, tc.b, sb, bare); v != 0 {
					t.Errorf("ulSim(%q, %q, bare %v) = %v, want 0", tc.a, tc.b, bare, v)
				}
				continue
			}
			got := partSim(tc.a, sa, tc.b, sb, bare)
			if back := partSim(tc.b, sb, tc.a, sa, bare); got != back {
				t.Errorf("partSim(%q, %q) = %v, reversed %v", tc.a, tc.b, got, back)
			}
			if got < tc.min {
				t.Errorf("partSim(%q, %q, bare %v) = %v, want ≥ %v", tc.a, tc.b, bare, got, tc.min)
			}
		}
	}
}

// TestStealMerged: a compound written apart on one side and joined on the
// other (شهيد خيل / SHAHIDKHEL) is matched as a merge even when one half
// was first taken by a loose single partner (shhid ~ said), which then
// goes to the part it fits (the title sayyid).
func TestStealMerged(t *testing.T) {
	p := func(text string, w float64, bare bool) Part {
		return Part{Text: text, Skel: keys.Skeleton(text), Weight: w, Bare: bare}
	}
	title := p(normalize.Sayyid, 0.15, true)
	title.Kind = normalize.KindTitle
	q := []Part{title, p("ahmd", 0.4, true), p("shhid", 0.55, true), p("khil", 0.6, true)}
	r := []Part{p("said", 0.3, false), p("ahmed", 0.4, false), p("shahidkhel", 0.9, false)}
	res := CompareNames(q, r, nil, false)
	merged := false
	for _, pr := range res.Pairs {
		if pr.Q == 2 && pr.Q2 == 3 && pr.R == 2 {
			merged = true
		}
	}
	if !merged || len(res.Pairs) != 3 || res.Score < 0.9 {
		t.Errorf("shhid khil ~ shahidkhel not merged: %+v", res)
	}
}

// TestSayyidOptional: the title Sayyid counts when it meets a part of the
// other side (SAID for سيد), and costs nothing unmatched in a name of
// three parts or more; with one other part it counts as titles do.
func TestSayyidOptional(t *testing.T) {
	p := func(text string, w float64) Part { return Part{Text: text, Skel: keys.Skeleton(text), Weight: w} }
	title := p(normalize.Sayyid, 0.15)
	title.Kind = normalize.KindTitle
	rec := []Part{p("mohammed", 0.3), p("haqqani", 0.7)}
	with := CompareNames([]Part{title, p("mohammed", 0.3), p("haqqani", 0.7)}, rec, nil, false)
	without := CompareNames([]Part{p("mohammed", 0.3), p("haqqani", 0.7)}, rec, nil, false)
	if with.Score != without.Score {
		t.Errorf("unmatched Sayyid costs: %.3f against %.3f", with.Score, without.Score)
	}
	said := CompareNames([]Part{title, p("ahmad", 0.4), p("khan", 0.5)}, []Part{p("said", 0.3), p("ahmad", 0.4), p("khan", 0.5)}, nil, false)
	if len(said.Pairs) != 3 {
		t.Errorf("Sayyid ~ Said not paired: %+v", said)
	}
	short := CompareNames([]Part{title, p("barakzai", 0.8)}, []Part{p("barakzai", 0.8)}, nil, false)
	alone := CompareNames([]Part{p("barakzai", 0.8)}, []Part{p("barakzai", 0.8)}, nil, false)
	if short.CoverQ >= alone.CoverQ {
		t.Errorf("Sayyid Barakzai covered as Barakzai: %+v", short)
	}
}

// TestBareSingle: a name of one part, in a script without short vowels on
// one side, with the skeleton and written long vowels of the other side's
// one part scores as the same name (مطيع الله / MATIULLAH); one skeleton
// with other vowels (MODELO), or either side of more parts, does not.
func TestBareSingle(t *testing.T) {
	p := func(text string, bare bool) Part {
		return Part{Text: text, Skel: keys.Skeleton(text), Weight: 0.8, Bare: bare}
	}
	if res := CompareNames([]Part{p("mtiulla", true)}, []Part{p("matiulla", false)}, nil, false); res.Score < 0.9 {
		t.Errorf("mtiulla ~ matiulla: %+v", res)
	}
	if res := CompareNames([]Part{p("abdrhmn", true)}, []Part{p("abdrehman", false)}, nil, false); res.Score < 0.9 {
		t.Errorf("abdrhmn ~ abdrehman: %+v", res)
	}
	if res := CompareNames([]Part{p("mtiulla", true)}, []Part{p("modelo", false)}, nil, false); res.Score >= 0.8 {
		t.Errorf("mtiulla ~ modelo: %+v", res)
	}
	if res := CompareNames([]Part{p("mtiulla", false)}, []Part{p("matiulla", false)}, nil, false); res.Score >= 0.9 {
		t.Errorf("Latin on both sides: %+v", res)
	}
	if res := CompareNames([]Part{p("mtiulla", true), p("khan", true)}, []Part{p("matiulla", false)}, nil, false); res.Score >= 0.9 {
		t.Errorf("two parts against one: %+v", res)
	}
}

// A word read as a legal form on one side (schema unknown) and as a name
// on the other (a person's) is one word.
func TestLegalReadAsName(t *testing.T) {
	q := []Part{{Text: "sad", Skel: "sd", Weight: 0.1, Kind: normalize.KindLegal}, {Text: "jafari", Skel: "jfr", Weight: 0.6}}
	r := []Part{{Text: "sad", Skel: "sd", Weight: 0.4}, {Text: "jafari", Skel: "jfr", Weight: 0.6}}
	if v, ok := kindSim(&q[0], &r[0]); !ok || v != 1 {
		t.Errorf("kindSim(legal sad, name sad) = %v, %v; want 1", v, ok)
	}
	r[0].Text = "saad"
	if v, ok := kindSim(&q[0], &r[0]); !ok || v != 0 {
		t.Errorf("kindSim(legal sad, name saad) = %v, %v; want 0", v, ok)
	}
}

// A word read as a legal form at the end of one name and as a symbol
// inside the other (charity: ngo) is one word; two symbols are not.
func TestLegalReadAsSymbol(t *testing.T) {
	q := Part{Text: "ngo", Skel: "ng", Weight: 0.1, Kind: normalize.KindSymbol}
	r := Part{Text: "ngo", Skel: "ng", Weight: 0.1, Kind: normalize.KindLegal}
	if v, ok := kindSim(&q, &r); !ok || v != 1 {
		t.Errorf("kindSim(symbol ngo, legal ngo) = %v, %v; want 1", v, ok)
	}
	r.Text = "fdn"
	if v, ok := kindSim(&q, &r); !ok || v != 0 {
		t.Errorf("kindSim(symbol ngo, legal fdn) = %v, %v; want 0", v, ok)
	}
}

// A nickname and its full name meet (Bob Smith, Robert Smith), the
// nickname kept as written (Jon Smith is also John Smith respelt).
func TestNicknamePairs(t *testing.T) {
	part := func(text string, query bool) Part {
		p := Part{Text: text, Skel: keys.Skeleton(text), Weight: 0.6}
		if query {
			p.Nick = NickFlags(text)
		}
		return p
	}
	tests := []struct {
		q, r string
		min  float64
		max  float64
	}{
		{"bob", "robert", nickSim, nickSim},
		{"robert", "bob", nickSim, nickSim},
		{"jon", "john", 0.85, 1},
		{"jon", "jonathan", nickSim, nickSim},
		{"john", "jonathan", 0, 0},
	}
	for _, tt := range tests {
		q := []Part{part(tt.q, true), part("smith", true)}
		r := []Part{part(tt.r, false), part("smith", false)}
		res := CompareNames(q, r, nil, false)
		sim := 0.0
		for _, p := range res.Pairs {
			if p.Q == 0 && p.R == 0 {
				sim = p.Sim
			}
		}
		if sim < tt.min || sim > tt.max {
			t.Errorf("%s ~ %s: pair sim %.3f, want [%.2f, %.2f]", tt.q, tt.r, sim, tt.min, tt.max)
		}
		if b := NameBound(q, r, false, nil); b < res.Score {
			t.Errorf("%s ~ %s: bound %.4f under score %.4f", tt.q, tt.r, b, res.Score)
		}
	}
}

// The title Sayyid compares with its own Latin spellings only: Saeed and
// Saad (سعيد، سعد) are other names.
func TestSayyidSpellings(t *testing.T) {
	title := Part{Text: normalize.Sayyid, Skel: "syd", Weight: 0.15, Kind: normalize.KindTitle}
	for _, c := range []struct {
		name string
		want bool // compared by the ordinary similarity
	}{
		{"sayed", true}, {"syed", true}, {"seyed", true}, {"said", true}, {"sayyed", true}, {"sayyqed", true},
		{"saeed", false}, {"saad", false}, {"saed", false}, {"ahmed", false}, {"sajjad", false},
	} {
		name := Part{Text: c.name, Skel: keys.Skeleton(c.name), Weight: 0.5}
		for _, qr := range [][2]*Part{{&title, &name}, {&name, &title}} {
			v, ok := kindSim(qr[0], qr[1])
			if ok == c.want || ok && v != 0 {
				t.Errorf("kindSim(%q, %q) = %v, %v; want ordinary comparison %v", qr[0].Text, qr[1].Text, v, ok, c.want)
			}
		}
	}
}

// A name the other side wrote after an article meets its Maghrebi
// spelling with the article joined (Lazher for al-Azhar, Essid for
// ELSSEID); without the article written, Latif and Atif stay two names.
func TestJoinedArticle(t *testing.T) {
	part := func(text string, article bool) Part {
		return Part{Text: text, Skel: keys.Skeleton(text), Weight: 0.6, Article: article}
	}
	for _, c := range []struct {
		q, r    string
		article bool
		want    bool
	}{
		{"lazher", "azhar", true, true},
		{"essid", "seid", true, true},
		{"latif", "atif", false, false},
		{"essam", "sam", false, false},
		{"essam", "sam", true, true}, // as-Sam written joined
		{"lazher", "omar", true, false},
	} {
		q, r := part(c.q, false), part(c.r, c.article)
		for _, qr := range [][2]*Part{{&q, &r}, {&r, &q}} {
			if got := joinedArticleSim(qr[0], qr[1]) > 0; got != c.want {
				t.Errorf("joinedArticleSim(%q, %q; article %v) > 0 = %v, want %v", qr[0].Text, qr[1].Text, c.article, got, c.want)
			}
		}
	}
}

// A query that names the person's own name of a filiation chain (bin, wa)
// exactly and none of the later generations meets the record's ends: the
// father's names left out are the name's end, not a middle name dropped.
func TestOwnEnd(t *testing.T) {
	p := func(text string, w float64, chain uint8) Part {
		return Part{Text: text, Skel: keys.Skeleton(text), Weight: w, Chain: chain}
	}
	chained := []Part{p("gedeon", 0.8, 0), p("kyungu", 0.6, 0), p("mutanga", 1, 0), p("bafunkwa", 1, 0), p("kanonga", 0.9, 0)}
	plain := slices.Clone(chained)
	for j, c := range []uint8{1, 1, 1, 2, 2} {
		chained[j].Chain = c
	}
	q := []Part{p("mutanga", 1, 0), p("gedeon", 0.8, 0), p("kyungu", 0.6, 0)}
	own, flat := CompareNames(q, chained, nil, false), CompareNames(q, plain, nil, false)
	if own.X[FEnds] != 1 || own.X[FUnmatchedMid] != 0 || own.Score < 0.8 || own.Score <= flat.Score {
		t.Errorf("own name of a chain: %.3f (ends %v, middle %.2f), without the chain %.3f", own.Score, own.X[FEnds], own.X[FUnmatchedMid], flat.Score)
	}
	// A later generation matched: the record ends where it ends.
	later := CompareNames([]Part{p("gedeon", 0.8, 0), p("bafunkwa", 1, 0)}, chained, nil, false)
	if later.X[FEnds] != 0 || later.X[FUnmatchedMid] == 0 {
		t.Errorf("a later generation matched: ends %v, middle %.2f", later.X[FEnds], later.X[FUnmatchedMid])
	}
	// An own name of one part is not a name's ends (Adel ben …).
	one := []Part{p("adel", 0.5, 1), p("azhar", 0.8, 2), p("soltane", 1, 3)}
	if res := CompareNames([]Part{p("adel", 0.5, 0)}, one, nil, false); res.X[FEnds] != 0 {
		t.Errorf("own name of one part: ends %v", res.X[FEnds])
	}
}
