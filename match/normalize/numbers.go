package normalize

import (
	"strconv"
	"strings"
)

// Numbers and ordinals in names (Brigade 313, Holdings III, First Gulf
// Bank) become one number token of digits, so that "three hundred
// thirteen", "313" and "313th" meet and 313 never meets 131. Words are
// English, French, German and Spanish; Roman numerals of two letters or
// more count at the end of a name of two parts or more (Holdings III; a
// single I or V is an initial).

var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30,
	// French, German, Spanish
	"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	"premier": 1, "premiere": 1, "deuxieme": 2, "troisieme": 3,
	"eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
	"erste": 1, "erster": 1, "zweite": 2, "dritte": 3,
	"cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
	"primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
}

var scaleWords = map[string]int{"hundred": 100, "thousand": 1000, "cents": 100, "mille": 1000, "hundert": 100, "tausend": 1000, "cien": 100, "ciento": 100}

// numberRun reads number words at words[i:] ("three hundred and
// thirteen"): the value and the words read (0 when none).
func numberRun(words []string, i int) (int, int) {
	total, cur, n := 0, 0, 0
	any := false
	for j := i; j < len(words); j++ {
		w := words[j]
		if v, ok := numberWords[w]; ok {
			// "one" alone is a word too often ("One Way Trading"):
			// it counts only inside a run.
			cur += v
			any = true
			n = j - i + 1
			continue
		}
		if s, ok := scaleWords[w]; ok && any {
			if cur == 0 {
				cur = 1
			}
			if s >= 1000 {
				total += cur * s
				cur = 0
			} else {
				cur *= s
			}
			n = j - i + 1
			continue
		}
		if (w == "and" || w == "et" || w == "und" || w == "y") && any && j+1 < len(words) {
			if _, ok := numberWords[words[j+1]]; ok {
				continue
			}
		}
		break
	}
	if !any {
		return 0, 0
	}
	return total + cur, n
}

// ordinalDigits reads "1st", "2nd", "313th", "3rd", "1er", "2e" as digits.
func ordinalDigits(w string) (string, bool) {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || i == len(w) {
		return "", false
	}
	switch w[i:] {
	case "st", "nd", "rd", "th", "er", "e", "eme", "ieme", "o", "a", "te", "ter":
		return w[:i], true
	}
	return "", false
}

var romanVal = map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}

// roman reads a Roman numeral of two to six letters (ii … xxxix).
func roman(w string) (int, bool) {
	if len(w) < 2 || len(w) > 6 {
		return 0, false
	}
	total := 0
	for i := 0; i < len(w); i++ {
		v, ok := romanVal[w[i]]
		if !ok {
			return 0, false
		}
		if i+1 < len(w) && romanVal[w[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	// Only canonical spellings: it must write back the same.
	if total <= 0 || toRoman(total) != w {
		return 0, false
	}
	return total, true
}

func toRoman(n int) string {
	vals := []int{100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// numbers rewrites the number words, ordinals and final Roman numerals of
// words as digit tokens; kinds marks which words are numbers.
func numbers(words []string, kinds []Kind) ([]string, []Kind) {
	out, ok := words[:0:0], kinds[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if d, yes := ordinalDigits(w); yes {
			out, ok = append(out, d), append(ok, KindNumber)
			continue
		}
		if w[0] >= '0' && w[0] <= '9' && allDigits(w) {
			out, ok = append(out, strings.TrimLeft(w, "0")+zeroIf(w)), append(ok, KindNumber)
			continue
		}
		if v, n := numberRun(words, i); n > 0 && (n > 1 || w != "one" && len(words) > 1) {
			out, ok = append(out, strconv.Itoa(v)), append(ok, KindNumber)
			i += n - 1
			continue
		}
		if i == len(words)-1 && len(words) >= 2 {
			if v, yes := roman(w); yes {
				out, ok = append(out, strconv.Itoa(v)), append(ok, KindNumber)
				continue
			}
		}
		out, ok = append(out, w), append(ok, kinds[i])
	}
	return out, ok
}

func allDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

func zeroIf(w string) string {
	if strings.TrimLeft(w, "0") == "" {
		return "0"
	}
	return ""
}
