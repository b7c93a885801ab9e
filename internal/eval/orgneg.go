package eval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"concord/match"
)

// Ordinary companies, which a payment screen meets far more often than a
// listed organisation, are named the few ways trade names are made
// everywhere: the owners' initials (MPC Ltd), the initials with what the
// firm does (ABC Trading LLC), common words of trade (Global Star
// Logistics), the founder's family name (Karimov Logistics LLC), or a
// word of good omen of the region (Al Noor General Trading, Nur Insaat),
// each with the legal form of its country. The words below are the
// evaluation's own, apart from the engine's tables of organisation terms,
// so that the set does not reward what the engine already knows.
var (
	// tradeWords say what a firm does.
	tradeWords = []string{"Trading", "General Trading", "Logistics", "Shipping", "Import Export",
		"Construction", "Engineering", "Consulting", "Technologies", "Industries", "Holdings",
		"Investments", "Petroleum", "Foods", "Textiles", "Electronics", "Pharma", "Travel",
		"Tourism", "Transport", "Motors", "Services", "Systems", "Exchange", "Group",
		"Enterprises", "Development", "Real Estate", "Contracting", "Supplies", "Agro",
		"Marine", "Energy", "Oil and Gas", "Commodities", "Freight", "Chemicals", "Steel",
		"Medical", "Software", "Security", "Catering", "Printing", "Auto Parts", "Furniture"}
	// plainWords are the common descriptive words of trade names.
	plainWords = []string{"Global", "International", "United", "National", "Star", "Golden",
		"Royal", "Eastern", "Western", "Northern", "Southern", "Gulf", "Pacific", "Atlantic",
		"Silver", "Green", "Blue", "Prime", "Alpha", "Delta", "Sun", "Crown", "Eagle", "Falcon",
		"Oasis", "Horizon", "Pioneer", "Summit", "Unity", "Victory", "Modern", "Future",
		"Smart", "First", "Grand", "New", "Ocean", "Phoenix", "Diamond", "Pearl"}
	// regionWords are words of good omen that trade names of the
	// screened regions use (Arabic, Persian, Turkish, Malay), romanised.
	regionWords = []string{"Al Noor", "Al Amal", "Al Salam", "Al Khair", "Al Fajr", "Al Waha",
		"Al Manar", "Al Hayat", "Al Rawda", "Al Nujoom", "Al Sahara", "Al Yasmeen", "Al Ameen",
		"Nur", "Barakat", "Baraka", "Rahma", "Sahar", "Parsian", "Pars", "Kavir", "Arya",
		"Yildiz", "Anadolu", "Ozgur", "Kardesler", "Maju Jaya", "Sinar", "Mulia", "Bintang",
		"Cahaya", "Sejahtera", "Kurdistan", "Zagros", "Samarkand", "Turon", "Nile", "Sahel"}
	// legalForms are company forms of the countries a payment passes.
	legalForms = []string{"LLC", "Ltd", "Ltd.", "Co.", "Co. Ltd", "Inc.", "Corp.", "GmbH", "S.A.",
		"SARL", "FZE", "FZCO", "FZ-LLC", "JSC", "LLP", "PLC", "Pvt Ltd", "A.S.", "Ltd. Sti.",
		"OOO", "Sdn Bhd", "B.V.", "S.R.L.", "W.L.L.", "Company", "Est."}
)

// OrgNegativeSet returns n ordinary company names that no list holds
// (hard negatives for organisations), queried as organisations. Notes
// are the ways of naming: initials-3+trade (MPC Trading LLC),
// initials-4+trade (ABCD Logistics Ltd), initials+form (MPC Ltd, 2 to 4
// letters), plain-words (Global Star Logistics Ltd), regional-family
// (Karimov Logistics LLC: family names of the screened regions' locales
// of the split's half) and regional-word (Al Noor General Trading LLC, PT
// Maju Jaya). Initials are drawn uniformly from A to Z: three initials
// are as many as 17,576, and real firms use them all. A name that is,
// folded (with or without its legal form), a name of a listed record, or
// a listed organisation's name with another legal form, is drawn again
// (Set.Redrawn). The rng draws only here, so the set changes
// no other set's draws when built last.
func OrgNegativeSet(recs []match.Record, names *Names, n int, rng *rand.Rand, split Split) Set {
	s := Set{Name: "org-negatives", Index: "full", About: "ordinary company names no list holds: initials with a trade word and a legal form, common trade words, regional family names and words (groups: how the name is made)"}
	st := stock(recs, split)
	// A listed name without its legal form (GREEN SHIPPING LTD. is
	// green shipping): a name of the set that is one with another legal
	// form is the listed firm's name, which no name matcher can tell
	// apart, and is drawn again.
	forms := map[string]bool{}
	for _, f := range append(slices.Clone(legalForms), "Limited", "Corporation", "Incorporated",
		"Company Limited", "Pte", "Pte Ltd", "SAL", "SA", "AG", "SRL", "LLP", "Sti", "Sirketi",
		"DMCC", "Establishment", "Co Ltd", "Co LLC", "PJSC", "CJSC", "OJSC", "AO", "ZAO", "OAO", "TOO") {
		for _, w := range foldTokens(f) {
			forms[w] = true
		}
	}
	bareKey := func(name string) string { // foldTokens sorts the words
		var ws []string
		for _, w := range foldTokens(name) {
			if !forms[w] {
				ws = append(ws, w)
			}
		}
		return strings.Join(ws, " ")
	}
	bareListed := map[string]bool{}
	for i := range recs {
		if recs[i].Schema != "Organization" {
			continue
		}
		for _, n := range append(slices.Clone(recs[i].Names), recs[i].WeakNames...) {
			bareListed[bareKey(n)] = true
		}
	}
	var fams []string
	for _, l := range regionLocales {
		if _, ok := names.Family[l]; ok {
			fams = append(fams, latinFamily(names, l, split, rng, "family")...)
		}
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	initials := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = byte('A' + rng.IntN(26))
		}
		return string(b)
	}
	for len(s.Cases) < n {
		var name, group string
		form := pick(legalForms)
		switch k := rng.IntN(20); {
		case k < 7:
			name, group = initials(3)+" "+pick(tradeWords)+" "+form, "initials-3+trade"
		case k < 9:
			name, group = initials(4)+" "+pick(tradeWords)+" "+form, "initials-4+trade"
		case k < 12:
			name, group = initials(2+rng.IntN(3))+" "+form, "initials+form"
		case k < 15:
			w := pick(plainWords)
			if rng.IntN(2) == 0 {
				w += " " + pick(plainWords)
			}
			name, group = w+" "+pick(tradeWords)+" "+form, "plain-words"
		case k < 18:
			if len(fams) == 0 {
				continue
			}
			name, group = pick(fams)+" "+pick(tradeWords)+" "+form, "regional-family"
		default:
			w := pick(regionWords)
			if rng.IntN(4) == 0 {
				name = "PT " + w + " " + pick(plainWords)
			} else {
				name = w + " " + pick(tradeWords) + " " + form
			}
			group = "regional-word"
		}
		bare := strings.TrimSuffix(name, " "+form)
		if st.exact[foldKey(name)] || st.exact[foldKey(bare)] || bareListed[bareKey(name)] {
			if s.Redrawn == nil {
				s.Redrawn = map[string]int{}
			}
			s.Redrawn[group]++
			continue
		}
		q := match.Query{ID: fmt.Sprint("on", len(s.Cases)), Name: name, Schema: "Organization"}
		s.Cases = append(s.Cases, Case{Query: q, Note: group})
	}
	return s
}
