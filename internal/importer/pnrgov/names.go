package pnrgov

import (
	"strings"
	"unicode"
)

// Airlines append the title to the given names, with a space ("NINA MS") or
// without ("JOHNMR", "MOLLYMRS"), and travel documents copy that habit. A
// spaced title is always taken off; a glued one only when at least two
// letters remain, so that AMR (عمرو) stays a name.
func spacedTitle(s string) bool {
	switch s {
	case "MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR", "CHD", "INF":
		return true
	}
	return false
}

// splitGiven splits the given names of a TIF or a document into names and a
// title.
func splitGiven(given ...string) (names []string, title string) {
	var parts []string
	for _, g := range given {
		parts = append(parts, strings.Fields(g)...)
	}
	for len(parts) > 0 && spacedTitle(parts[len(parts)-1]) {
		if title == "" {
			title = parts[len(parts)-1]
		}
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		for _, t := range [...]string{"MRS", "MSTR", "MISS", "MR"} {
			if rest := strings.TrimSuffix(p, t); rest != p && letters(rest) >= 2 {
				parts[i] = rest
				if title == "" {
					title = t
				}
				break
			}
		}
	}
	return parts, title
}

// dropTitlePrefix takes a title off the front of a given name when the same
// title was found elsewhere ("MRJONATHON" after "JOHNMR"), leaving at least
// three letters.
func dropTitlePrefix(name, title string) string {
	if title == "" || !strings.HasPrefix(name, title) || letters(name[len(title):]) < 3 {
		return name
	}
	return name[len(title):]
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// nameKey folds a name for comparing travellers across segments: letters
// and digits only, upper case, titles off.
func nameKey(surname string, given ...string) string {
	names, _ := splitGiven(given...)
	return alnum(surname) + "/" + alnum(strings.Join(names, ""))
}

// alnum keeps the letters and digits of s, in upper case.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// sameRef compares traveller reference numbers ("002" is "2").
func sameRef(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	return a != "" && a == b
}
