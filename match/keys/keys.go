// Package keys derives matching keys from canonical name parts (see package
// normalize): a consonant skeleton that survives transliteration, and
// one-deletion variants of it for typo-tolerant candidate generation.
//
// The skeleton drops vowels (an initial vowel, or initial y/w+vowel in a
// vowel role, leaves the marker 'a'), drops medial w/y and a final h,
// folds consonants into equivalence classes and collapses repeats:
//
//	b p → b        f v ph w(initial) → f     t d th dh → t
//	s z c(e,i) sh ch sch tch ts x… → s      j dj dzh zh g(e,i)? no → j
//	k q c ck → k      kh h → h (Cyrillic х renders ح, ه and خ)      g gh → g
//	l, m, n, r themselves; x → ks; final h dropped
//
// So Muhammad/Mohammed/Mohamed/Mouhamed → "mhmt", Husayn/Hussein/Houssein
// → "hsn", Yusuf/Youssef → "asf" (initial Y+vowel is a vowel onset, as in
// Arabic-script يوسف), Qasim/Kassem → "ksm", Dzhamshid/Jamshid/Djamchid →
// "jmst", Sayf/Seif → "sf", Adl/Adel → "atl"; German dsch is j
// (Dschamal → "jml").
//
// Some letters are read two ways by the romanisation families: ch is sh
// in French and kh in German (Cheikh, Chalil), a j before a vowel is y
// in German and Slavic spellings (Jussuf, Jurij, Gutschajew), w is v in
// German and Polish ones (Iwanow), and x is kh in Uzbek Latin (Xurshid).
// The skeleton reads them the English way; AppendAltSkeleton gives the
// other reading, which the engine looks up too.
package keys

// Skeleton returns the consonant skeleton of a canonical name part
// (lower-case ASCII letters and digits). It appends to nothing and
// allocates one string.
func Skeleton(tok string) string {
	var buf [64]byte
	return string(AppendSkeleton(buf[:0], tok))
}

// AppendSkeleton appends the skeleton of tok to dst.
func AppendSkeleton(dst []byte, tok string) []byte {
	start := len(dst)
	n := len(tok)
	var last byte // last class emitted
	emit := func(c byte) {
		if c != last {
			dst = append(dst, c)
			last = c
		}
	}
	i := 0
	// Onset: a vowel, or y/w/j acting as a glide before a vowel from
	// Arabic/Russian romanisation ("yu", "ye", "ya", "iu", "ou").
	if n > 0 {
		switch {
		case isVowel(tok[0]) && tok[0] != 'y':
			emit('a')
			i = 1
		case tok[0] == 'y' && n > 1 && isVowel(tok[1]):
			emit('a')
			i = 1
		case tok[0] == 'y':
			emit('a')
			i = 1
		}
		for i < n && isVowel(tok[i]) {
			i++
		}
	}
	for i < n {
		c := tok[i]
		var next, next2 byte
		if i+1 < n {
			next = tok[i+1]
		}
		if i+2 < n {
			next2 = tok[i+2]
		}
		adv := 1
		var out byte
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			last = 0 // a vowel separates repeats: "mhmt" keeps both m
			i++
			continue
		case 'w':
			if i == 0 {
				out = 'f'
			} else {
				last = 0
				i++
				continue
			}
		case 'b', 'p':
			out = 'b'
			if c == 'p' && next == 'h' {
				out, adv = 'f', 2
			}
		case 'f', 'v':
			out = 'f'
		case 't', 'd':
			out = 't'
			switch {
			case c == 'd' && next == 's' && next2 == 'c' && i+3 < n && tok[i+3] == 'h':
				out, adv = 'j', 4 // German dsch
			case c == 't' && next == 'j' && next2 != 0 && isVowel(next2):
				out, adv = 's', 2 // Dutch and old Indonesian tj
			case c == 'd' && next == 'z' && next2 == 'h':
				out, adv = 'j', 3
			case c == 'd' && next == 'j', c == 'd' && next == 'g' && (next2 == 'e' || next2 == 'i'):
				out, adv = 'j', 2
			case c == 't' && next == 's' && next2 == 'c' && i+3 < n && tok[i+3] == 'h':
				out, adv = 's', 4
			case c == 't' && next == 'c' && next2 == 'h':
				out, adv = 's', 3
			case c == 't' && (next == 's' || next == 'z'):
				out, adv = 's', 2
			case next == 'h':
				adv = 2
			}
		case 's', 'z':
			out = 's'
			switch {
			case c == 's' && next == 'c' && next2 == 'h':
				adv = 3
			case next == 'h' && c == 'z':
				out, adv = 'j', 2
			case next == 'h':
				adv = 2
			}
		case 'c':
			switch {
			case next == 'h':
				out, adv = 's', 2
			case next == 'k' || next == 'q':
				out, adv = 'k', 2
			case next == 'e' || next == 'i' || next == 'y':
				out = 's'
			default:
				out = 'k'
			}
		case 'k', 'q':
			out = 'k'
			if next == 'h' {
				out, adv = 'h', 2 // kh: Arabic خ, Russian х (also for ح/ه: Мухаммад)
			}
		case 'g':
			out = 'g'
			if next == 'h' {
				adv = 2
			}
		case 'j':
			out = 'j'
		case 'x':
			emit('k')
			out = 's'
		case 'h':
			if i == n-1 {
				i++
				continue
			}
			out = 'h'
		default:
			out = c // l m n r, digits
		}
		emit(out)
		i += adv
	}
	// A skeleton of only the onset marker stays "a" (Ali → "al", Eyo → "a").
	_ = start
	return dst
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// Deletes calls fn with every distinct one-byte deletion of skel (for
// skeletons of length ≥ 3; shorter ones are too unspecific). The buffer is
// reused between calls: copy what you keep.
func Deletes(skel string, fn func(del []byte)) {
	var buf [64]byte
	DeletesIn(&buf, skel, fn)
}

// DeletesIn is Deletes writing the deletions in buf (whatever fn keeps
// of one is overwritten by the next), so that a caller with a buffer of
// its own allocates nothing.
func DeletesIn(buf *[64]byte, skel string, fn func(del []byte)) {
	if len(skel) < 3 {
		return
	}
	for i := 0; i < len(skel) && i < 63; i++ {
		if i > 0 && skel[i] == skel[i-1] {
			continue // same deletion as the previous position
		}
		b := append(buf[:0], skel[:i]...)
		b = append(b, skel[i+1:]...)
		fn(b)
	}
}

// AppendAltSkeleton appends to dst the skeleton of tok read as German,
// Slavic and Uzbek Latin spellings read it — ch (not in sch or tsch) as
// kh, j before a vowel as y, w as v, x as kh — and reports
// whether tok has such a letter (when it does not, dst is unchanged).
func AppendAltSkeleton(dst []byte, tok string) ([]byte, bool) {
	n := len(tok)
	if n < 2 || n > 48 {
		return dst, false
	}
	var buf [96]byte
	b := buf[:0]
	changed := false
	for i := 0; i < n; i++ {
		c := tok[i]
		switch {
		case c == 'c' && i+1 < n && tok[i+1] == 'h' && (i == 0 || tok[i-1] != 's'):
			b = append(b, 'k', 'h')
			i++
			changed = true
		case c == 'j' && i+1 < n && isVowel(tok[i+1]):
			b = append(b, 'y')
			changed = true
		case c == 'w':
			b = append(b, 'v')
			changed = true
		case c == 'x':
			b = append(b, 'k', 'h')
			changed = true
		default:
			b = append(b, c)
		}
	}
	if !changed {
		return dst, false
	}
	// A short conversion that does not escape is made on the stack.
	return AppendSkeleton(dst, string(b)), true
}
