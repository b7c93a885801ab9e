package normalize

import "strings"

// East Slavic names in their three national forms.
//
// Belarusians and Ukrainians are written by the lists both in their own
// romanisation (the Belarusian passport's and BGN/PCGN's Uladzimir,
// Aliaksandr, Siarhei, Dzmitry; Ukraine's national transliteration of 2010,
// Cabinet of Ministers resolution 55: Volodymyr, Oleksandr, Serhii, Dmytro)
// and in the Russian one their Russian-language documents carry (Vladimir,
// Aleksandr, Sergey, Dmitry): the EU's and the UK's Belarus and Ukraine
// regimes give one as the name and the other as an alias. These are one
// given name, the Church Slavonic name each language writes after its own
// sound laws (Belarusian akanye writes unstressed o as a, initial u- for
// v-, dz for the soft d, ts for the soft t and -au/-ou for a final -ov;
// Ukrainian writes h for g, y for i, i for the Russian e and o in closed
// syllables), so a mature matcher compares them as one name: the table
// below gives each form the Russian one (the form after slavicEnding, which
// has already folded -iy, -ii, -ij and -yi to -y). Sources: the names'
// cognate forms as the national name lists give them (e.g. the Belarusian
// and Ukrainian Wikipedia articles on each name), romanised by the tables
// named above. It holds given names only; a feminine name keeps its own
// feminine form (Aleksandra is not Aleksandr).
var eastSlavicGiven = func() map[string]string {
	m := map[string]string{}
	for _, l := range [...]string{
		"vladimir: uladzimir uladzimer volodymyr volodimir vladymyr wolodymyr",
		"dmitry: dzmitry dzmitri dmytro dmitri dmytri dmitrij",
		"aleksandr: aliaksandr alyaksandr aliaxandr alaksandr oleksandr olexandr oleksander alexandr aleksander alexander",
		"aleksandra: aliaksandra alyaksandra oleksandra alexandra",
		"sergey: siarhei siarhey siarhej serhy serhiy serhei sergy sergei serguei serghei",
		"evgeny: yauhen yauheni yauhien jauhen yevhen yevhenii yevheny ievgen ievgeny yevgeny yevgeni evgeni",
		"nikolay: mikalai mikalay mykola mikola nikolai",
		"aleksey: aliaksei aliaksey alyaksei alyaksey oleksy oleksiy oleksii aleksei alexei alexey",
		"grigory: ryhor hryhory hryhorij hrihory grigori",
		"andrey: andrei andry andrej",
		"yury: yuri jury iury yurii",
		"pavel: pavlo paval",
		"pyotr: petro piotr petr",
		"mikhail: mykhailo mykhaylo mikhailo mikhal mikhas",
		"vasily: vasyl vasil vasili",
		"anatoly: anatol anatoli",
		"valery: valeri",
		"vyacheslav: viachaslau vyachaslau viachaslav vyachaslav viacheslav",
		"vladislav: uladzislau uladzislav vladyslav",
		"stanislav: stanislau",
		"yaroslav: yaraslau",
		"vadim: vadzim vadym",
		"stepan: stsiapan stsepan stiapan",
		"oleg: aleh oleh",
		"igor: ihar ihor",
		"kirill: kiryl kiryla kyrylo",
		"maksim: maksym maxim",
		"gennady: henadz hienadz hennady gennadi",
		"bogdan: bohdan",
		"leonid: leanid",
		"natalya: natallia natallya nataliya natalia natalja",
		"olga: volha olha",
		"tatyana: tatsiana tatsyana tatiana tetiana tetyana",
		"elena: alena olena yelena jelena",
		"irina: iryna",
		"marina: maryna",
		"svetlana: sviatlana svyatlana svitlana",
		"lyudmila: liudmila ludmila liudmyla lyudmyla",
		"galina: halina",
	} {
		to, forms, _ := strings.Cut(l, ": ")
		for _, f := range strings.Fields(forms) {
			m[f] = to
		}
	}
	return m
}()

// eastSlavicStems are the same names as a patronymic's stem, the father's
// name before -ovich/-evich/-ovna/-evna (Uladzimiravich, Mikalaevich,
// Hryhoryevich): the longest stem that starts the patronymic is replaced.
var eastSlavicStems = [...]struct{ from, to string }{
	{"uladzimir", "vladimir"}, {"volodymyr", "vladimir"},
	{"aliaksandr", "aleksandr"}, {"alyaksandr", "aleksandr"}, {"oleksandr", "aleksandr"},
	{"aliakse", "alekse"}, {"alyakse", "alekse"},
	{"dzmitr", "dmitr"}, {"dmytr", "dmitr"},
	{"siarhe", "serge"},
	{"mikala", "nikola"}, {"mykola", "nikola"},
	{"hryhor", "grigor"}, {"ryhor", "grigor"},
	{"viachaslav", "vyacheslav"}, {"vyachaslav", "vyacheslav"},
	{"uladzislav", "vladislav"}, {"mykhaylov", "mikhaylov"}, {"mykhailov", "mikhailov"},
	{"yauhen", "evgen"}, {"yevhen", "evgen"},
	{"vasyl", "vasil"}, {"leanid", "leonid"},
}

// EastSlavicForm gives canonical part w its Russian form: a
// Belarusian or Ukrainian given name its Russian one, the Belarusian
// patronymic endings -avich, -auna, -euna and the Ukrainian -ivna their
// Russian -ovich, -ovna, -evna (Uladzimiravich, Uladzimirauna, Mikalaeuna;
// Petrivna), a patronymic's stem the father's name in its Russian form,
// and the Belarusian and Ukrainian family ending -enka (Lukashenka, as
// Belarusian akanye writes -енко) -enko. Package score meets two
// spellings of one Russian form as one name (a nickname's similarity),
// whatever their letters; the canonical parts themselves are kept as
// written, so that a typo in either spelling still compares with it.
func EastSlavicForm(w string) string {
	if r, ok := eastSlavicGiven[w]; ok {
		return r
	}
	n := len(w)
	if belarusianOv(w) {
		return w[:n-2] + "ov" // Ipatau, Kubrakou: Ipatov, Kubrakov
	}
	if n < 7 {
		return w
	}
	for _, e := range [...]struct{ from, to string }{
		{"iyavich", "ievich"}, {"yavich", "yevich"}, {"iavich", "ievich"}, {"avich", "ovich"},
		{"iyovych", "ievich"}, {"yovych", "yevich"}, {"ovych", "ovich"}, {"evych", "evich"},
		{"auna", "ovna"}, {"euna", "evna"},
		{"iyivna", "ievna"}, {"yivna", "yevna"}, {"iivna", "ievna"},
	} {
		if strings.HasSuffix(w, e.from) {
			w = w[:n-len(e.from)] + e.to
			break
		}
	}
	n = len(w)
	if strings.HasSuffix(w, "ivna") && !isVowel(w[n-5]) {
		w = w[:n-4] + "ovna" // Ukrainian Petrivna, Ivanivna: Petrovna, Ivanovna
	}
	for _, e := range [...]struct{ from, to string }{
		{"iyevich", "yevich"}, {"ievich", "yevich"}, {"iyevna", "yevna"}, {"ievna", "yevna"},
		{"ayevich", "aevich"}, {"ayevna", "aevna"}, {"eyevich", "eevich"}, {"eyevna", "eevna"},
	} {
		if strings.HasSuffix(w, e.from) {
			w = w[:len(w)-len(e.from)] + e.to // Grigorievich, Grigoriyevich, Grigoryevich; Nikolayevich, Nikolaevich: one spelling
			break
		}
	}
	n = len(w)
	if strings.HasSuffix(w, "enka") {
		return w[:n-1] + "o"
	}
	if !strings.HasSuffix(w, "vich") && !strings.HasSuffix(w, "vna") {
		return w
	}
	for _, s := range eastSlavicStems {
		if strings.HasPrefix(w, s.from) {
			return s.to + w[len(s.from):]
		}
	}
	return w
}

// eastSlavicRussian is the set of the table's Russian forms.
var eastSlavicRussian = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range eastSlavicGiven {
		m[r] = true
	}
	return m
}()

// EastSlavicName reports whether canonical part w may have another East
// Slavic form (EastSlavicForm): a given name of the table in any of its
// forms, a patronymic, or a family name in -enko or -enka.
func EastSlavicName(w string) bool {
	if _, ok := eastSlavicGiven[w]; ok || eastSlavicRussian[w] {
		return true
	}
	if belarusianOv(w) || strings.HasSuffix(w, "ov") {
		return true
	}
	if len(w) < 7 {
		return false
	}
	for _, s := range [...]string{"vich", "vna", "vych", "auna", "euna", "enka", "enko"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// belarusianOv reports a family name in the Belarusian -ou or -au for the
// Russian -ov (-оў, -аў: Kubrakou, Ipatau, Naumau): six letters or more
// with a consonant before the ending, but not d or s (Mamadou, Amadou and
// Nassau are no Belarusian names).
func belarusianOv(w string) bool {
	n := len(w)
	if n < 6 || w[n-1] != 'u' || w[n-2] != 'o' && w[n-2] != 'a' {
		return false
	}
	c := w[n-3]
	return !isVowel(c) && c != 'd' && c != 's' && c != 'w' && c != 'h'
}

// East Slavic given names of one root in a man's and a woman's form:
// Aleksandr and Aleksandra, Yevgeny and Yevgenia, Vladislav and
// Vladislava are two names, as Ivan and Ivana are (package score's
// feminineOf), but feminineOf needs the man's name in the lexicon, whose
// Russian names are Cyrillic, and leaves -va alone (-ova, -eva are one
// family for both), so the Latin forms of these roots are listed here.
// Russian, Ukrainian and Belarusian form a woman's name from a man's of
// Greek, Latin or Slavic origin with -a, and -ia, -iya for a stem in -y,
// -iy (Valery, Valeria; Vitaly, Vitalia; Anatoly, Anatolia): the pairs are
// those of the Russian name books (Petrovsky's Dictionary of Russian
// personal names, 1966, lists the women's names formed so), in the
// romanisations of eastSlavicGiven and BGN/PCGN (-iya, -ia, -iia, -ija).
// Each line is a man's forms, then after | a woman's.
var eastSlavicSex = func() map[string]slavicName {
	m := map[string]slavicName{}
	for root, l := range [...]string{
		"aleksandr alexandr aleksander alexander aliaksandr alyaksandr aliaxandr alaksandr oleksandr olexandr oleksander" +
			" | aleksandra alexandra aliaksandra alyaksandra alaksandra oleksandra olexandra",
		"evgeny evgeni yevgeny yevgeni ievgen ievgeny yevhen yevheny yevhenii yauhen yauheni yauhien jauhen" +
			" | evgenia evgeniya evgeniia evgenija yevgenia yevgeniya yevgeniia ievgenia ievgeniia yevhenia yevheniya yevheniia yauhenia yauheniya jauhenija",
		"vladislav vladyslav uladzislau uladzislav | vladislava vladyslava uladzislava",
		"stanislav stanislau | stanislava",
		"yaroslav jaroslav yaraslau | yaroslava jaroslava yaraslava",
		"svyatoslav sviatoslav svyataslau sviataslau | svyatoslava sviatoslava svyataslava sviataslava",
		"miroslav myroslav | miroslava myroslava",
		"rostislav rostyslav rastsislau | rostislava rostyslava",
		"valery valeri | valeria valeriya valeriia valerija",
		"vitaly vitali | vitalia vitaliya vitaliia",
		"anatoly anatoli anatol | anatolia anatoliya anatoliia",
		"viktor victor | viktoria viktoriya viktoriia viktoryia victoria",
		"ruslan | ruslana",
		"bogdan bohdan | bogdana bohdana",
		"valentin valentyn | valentina valentyna",
	} {
		men, women, _ := strings.Cut(l, " | ")
		for _, f := range strings.Fields(men) {
			m[f] = slavicName{root, false}
		}
		for _, f := range strings.Fields(women) {
			m[f] = slavicName{root, true}
		}
	}
	return m
}()

// slavicName is an East Slavic given name's root (its line in
// eastSlavicSex) and whether the form is a woman's.
type slavicName struct {
	root  int
	woman bool
}

// EastSlavicOtherSex reports whether canonical parts a and b are a man's
// and a woman's East Slavic given name of one root (Aleksandr,
// Aleksandra; Yevgeny, Yevgenia; Vladislav, Vladislava): two names.
func EastSlavicOtherSex(a, b string) bool {
	if len(a) < 5 || len(b) < 5 {
		return false // cheap: all the forms have five letters or more
	}
	if (a[len(a)-1] == 'a') == (b[len(b)-1] == 'a') {
		return false // every woman's form ends in a, no man's does
	}
	x, ok := eastSlavicSex[a]
	if !ok {
		return false
	}
	y, ok := eastSlavicSex[b]
	return ok && x.root == y.root && x.woman != y.woman
}
