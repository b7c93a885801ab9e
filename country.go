package concord

import (
	"strings"
	"unicode"
)

// country is one row of the ISO 3166-1 table.
type country struct {
	alpha2, alpha3, name string
}

// countries is ISO 3166-1 (all 249 officially assigned codes) plus Kosovo
// (XK, a user-assigned code used by the EU, OFAC and the UN list). Names are
// common English short names; the ISO and UN formal names are variants.
var countries = []country{
	{"af", "AFG", "Afghanistan"},
	{"ax", "ALA", "Åland Islands"},
	{"al", "ALB", "Albania"},
	{"dz", "DZA", "Algeria"},
	{"as", "ASM", "American Samoa"},
	{"ad", "AND", "Andorra"},
	{"ao", "AGO", "Angola"},
	{"ai", "AIA", "Anguilla"},
	{"aq", "ATA", "Antarctica"},
	{"ag", "ATG", "Antigua and Barbuda"},
	{"ar", "ARG", "Argentina"},
	{"am", "ARM", "Armenia"},
	{"aw", "ABW", "Aruba"},
	{"au", "AUS", "Australia"},
	{"at", "AUT", "Austria"},
	{"az", "AZE", "Azerbaijan"},
	{"bs", "BHS", "Bahamas"},
	{"bh", "BHR", "Bahrain"},
	{"bd", "BGD", "Bangladesh"},
	{"bb", "BRB", "Barbados"},
	{"by", "BLR", "Belarus"},
	{"be", "BEL", "Belgium"},
	{"bz", "BLZ", "Belize"},
	{"bj", "BEN", "Benin"},
	{"bm", "BMU", "Bermuda"},
	{"bt", "BTN", "Bhutan"},
	{"bo", "BOL", "Bolivia"},
	{"bq", "BES", "Bonaire, Sint Eustatius and Saba"},
	{"ba", "BIH", "Bosnia and Herzegovina"},
	{"bw", "BWA", "Botswana"},
	{"bv", "BVT", "Bouvet Island"},
	{"br", "BRA", "Brazil"},
	{"io", "IOT", "British Indian Ocean Territory"},
	{"bn", "BRN", "Brunei"},
	{"bg", "BGR", "Bulgaria"},
	{"bf", "BFA", "Burkina Faso"},
	{"bi", "BDI", "Burundi"},
	{"cv", "CPV", "Cabo Verde"},
	{"kh", "KHM", "Cambodia"},
	{"cm", "CMR", "Cameroon"},
	{"ca", "CAN", "Canada"},
	{"ky", "CYM", "Cayman Islands"},
	{"cf", "CAF", "Central African Republic"},
	{"td", "TCD", "Chad"},
	{"cl", "CHL", "Chile"},
	{"cn", "CHN", "China"},
	{"cx", "CXR", "Christmas Island"},
	{"cc", "CCK", "Cocos (Keeling) Islands"},
	{"co", "COL", "Colombia"},
	{"km", "COM", "Comoros"},
	{"cg", "COG", "Congo"},
	{"cd", "COD", "DR Congo"},
	{"ck", "COK", "Cook Islands"},
	{"cr", "CRI", "Costa Rica"},
	{"ci", "CIV", "Côte d'Ivoire"},
	{"hr", "HRV", "Croatia"},
	{"cu", "CUB", "Cuba"},
	{"cw", "CUW", "Curaçao"},
	{"cy", "CYP", "Cyprus"},
	{"cz", "CZE", "Czechia"},
	{"dk", "DNK", "Denmark"},
	{"dj", "DJI", "Djibouti"},
	{"dm", "DMA", "Dominica"},
	{"do", "DOM", "Dominican Republic"},
	{"ec", "ECU", "Ecuador"},
	{"eg", "EGY", "Egypt"},
	{"sv", "SLV", "El Salvador"},
	{"gq", "GNQ", "Equatorial Guinea"},
	{"er", "ERI", "Eritrea"},
	{"ee", "EST", "Estonia"},
	{"sz", "SWZ", "Eswatini"},
	{"et", "ETH", "Ethiopia"},
	{"fk", "FLK", "Falkland Islands"},
	{"fo", "FRO", "Faroe Islands"},
	{"fj", "FJI", "Fiji"},
	{"fi", "FIN", "Finland"},
	{"fr", "FRA", "France"},
	{"gf", "GUF", "French Guiana"},
	{"pf", "PYF", "French Polynesia"},
	{"tf", "ATF", "French Southern Territories"},
	{"ga", "GAB", "Gabon"},
	{"gm", "GMB", "Gambia"},
	{"ge", "GEO", "Georgia"},
	{"de", "DEU", "Germany"},
	{"gh", "GHA", "Ghana"},
	{"gi", "GIB", "Gibraltar"},
	{"gr", "GRC", "Greece"},
	{"gl", "GRL", "Greenland"},
	{"gd", "GRD", "Grenada"},
	{"gp", "GLP", "Guadeloupe"},
	{"gu", "GUM", "Guam"},
	{"gt", "GTM", "Guatemala"},
	{"gg", "GGY", "Guernsey"},
	{"gn", "GIN", "Guinea"},
	{"gw", "GNB", "Guinea-Bissau"},
	{"gy", "GUY", "Guyana"},
	{"ht", "HTI", "Haiti"},
	{"hm", "HMD", "Heard Island and McDonald Islands"},
	{"va", "VAT", "Holy See"},
	{"hn", "HND", "Honduras"},
	{"hk", "HKG", "Hong Kong"},
	{"hu", "HUN", "Hungary"},
	{"is", "ISL", "Iceland"},
	{"in", "IND", "India"},
	{"id", "IDN", "Indonesia"},
	{"ir", "IRN", "Iran"},
	{"iq", "IRQ", "Iraq"},
	{"ie", "IRL", "Ireland"},
	{"im", "IMN", "Isle of Man"},
	{"il", "ISR", "Israel"},
	{"it", "ITA", "Italy"},
	{"jm", "JAM", "Jamaica"},
	{"jp", "JPN", "Japan"},
	{"je", "JEY", "Jersey"},
	{"jo", "JOR", "Jordan"},
	{"kz", "KAZ", "Kazakhstan"},
	{"ke", "KEN", "Kenya"},
	{"ki", "KIR", "Kiribati"},
	{"kp", "PRK", "North Korea"},
	{"kr", "KOR", "South Korea"},
	{"kw", "KWT", "Kuwait"},
	{"kg", "KGZ", "Kyrgyzstan"},
	{"la", "LAO", "Laos"},
	{"lv", "LVA", "Latvia"},
	{"lb", "LBN", "Lebanon"},
	{"ls", "LSO", "Lesotho"},
	{"lr", "LBR", "Liberia"},
	{"ly", "LBY", "Libya"},
	{"li", "LIE", "Liechtenstein"},
	{"lt", "LTU", "Lithuania"},
	{"lu", "LUX", "Luxembourg"},
	{"mo", "MAC", "Macao"},
	{"mg", "MDG", "Madagascar"},
	{"mw", "MWI", "Malawi"},
	{"my", "MYS", "Malaysia"},
	{"mv", "MDV", "Maldives"},
	{"ml", "MLI", "Mali"},
	{"mt", "MLT", "Malta"},
	{"mh", "MHL", "Marshall Islands"},
	{"mq", "MTQ", "Martinique"},
	{"mr", "MRT", "Mauritania"},
	{"mu", "MUS", "Mauritius"},
	{"yt", "MYT", "Mayotte"},
	{"mx", "MEX", "Mexico"},
	{"fm", "FSM", "Micronesia"},
	{"md", "MDA", "Moldova"},
	{"mc", "MCO", "Monaco"},
	{"mn", "MNG", "Mongolia"},
	{"me", "MNE", "Montenegro"},
	{"ms", "MSR", "Montserrat"},
	{"ma", "MAR", "Morocco"},
	{"mz", "MOZ", "Mozambique"},
	{"mm", "MMR", "Myanmar"},
	{"na", "NAM", "Namibia"},
	{"nr", "NRU", "Nauru"},
	{"np", "NPL", "Nepal"},
	{"nl", "NLD", "Netherlands"},
	{"nc", "NCL", "New Caledonia"},
	{"nz", "NZL", "New Zealand"},
	{"ni", "NIC", "Nicaragua"},
	{"ne", "NER", "Niger"},
	{"ng", "NGA", "Nigeria"},
	{"nu", "NIU", "Niue"},
	{"nf", "NFK", "Norfolk Island"},
	{"mk", "MKD", "North Macedonia"},
	{"mp", "MNP", "Northern Mariana Islands"},
	{"no", "NOR", "Norway"},
	{"om", "OMN", "Oman"},
	{"pk", "PAK", "Pakistan"},
	{"pw", "PLW", "Palau"},
	{"ps", "PSE", "Palestine"},
	{"pa", "PAN", "Panama"},
	{"pg", "PNG", "Papua New Guinea"},
	{"py", "PRY", "Paraguay"},
	{"pe", "PER", "Peru"},
	{"ph", "PHL", "Philippines"},
	{"pn", "PCN", "Pitcairn"},
	{"pl", "POL", "Poland"},
	{"pt", "PRT", "Portugal"},
	{"pr", "PRI", "Puerto Rico"},
	{"qa", "QAT", "Qatar"},
	{"re", "REU", "Réunion"},
	{"ro", "ROU", "Romania"},
	{"ru", "RUS", "Russia"},
	{"rw", "RWA", "Rwanda"},
	{"bl", "BLM", "Saint Barthélemy"},
	{"sh", "SHN", "Saint Helena, Ascension and Tristan da Cunha"},
	{"kn", "KNA", "Saint Kitts and Nevis"},
	{"lc", "LCA", "Saint Lucia"},
	{"mf", "MAF", "Saint Martin"},
	{"pm", "SPM", "Saint Pierre and Miquelon"},
	{"vc", "VCT", "Saint Vincent and the Grenadines"},
	{"ws", "WSM", "Samoa"},
	{"sm", "SMR", "San Marino"},
	{"st", "STP", "São Tomé and Príncipe"},
	{"sa", "SAU", "Saudi Arabia"},
	{"sn", "SEN", "Senegal"},
	{"rs", "SRB", "Serbia"},
	{"sc", "SYC", "Seychelles"},
	{"sl", "SLE", "Sierra Leone"},
	{"sg", "SGP", "Singapore"},
	{"sx", "SXM", "Sint Maarten"},
	{"sk", "SVK", "Slovakia"},
	{"si", "SVN", "Slovenia"},
	{"sb", "SLB", "Solomon Islands"},
	{"so", "SOM", "Somalia"},
	{"za", "ZAF", "South Africa"},
	{"gs", "SGS", "South Georgia and the South Sandwich Islands"},
	{"ss", "SSD", "South Sudan"},
	{"es", "ESP", "Spain"},
	{"lk", "LKA", "Sri Lanka"},
	{"sd", "SDN", "Sudan"},
	{"sr", "SUR", "Suriname"},
	{"sj", "SJM", "Svalbard and Jan Mayen"},
	{"se", "SWE", "Sweden"},
	{"ch", "CHE", "Switzerland"},
	{"sy", "SYR", "Syria"},
	{"tw", "TWN", "Taiwan"},
	{"tj", "TJK", "Tajikistan"},
	{"tz", "TZA", "Tanzania"},
	{"th", "THA", "Thailand"},
	{"tl", "TLS", "Timor-Leste"},
	{"tg", "TGO", "Togo"},
	{"tk", "TKL", "Tokelau"},
	{"to", "TON", "Tonga"},
	{"tt", "TTO", "Trinidad and Tobago"},
	{"tn", "TUN", "Tunisia"},
	{"tr", "TUR", "Türkiye"},
	{"tm", "TKM", "Turkmenistan"},
	{"tc", "TCA", "Turks and Caicos Islands"},
	{"tv", "TUV", "Tuvalu"},
	{"ug", "UGA", "Uganda"},
	{"ua", "UKR", "Ukraine"},
	{"ae", "ARE", "United Arab Emirates"},
	{"gb", "GBR", "United Kingdom"},
	{"us", "USA", "United States"},
	{"um", "UMI", "United States Minor Outlying Islands"},
	{"uy", "URY", "Uruguay"},
	{"uz", "UZB", "Uzbekistan"},
	{"vu", "VUT", "Vanuatu"},
	{"ve", "VEN", "Venezuela"},
	{"vn", "VNM", "Vietnam"},
	{"vg", "VGB", "British Virgin Islands"},
	{"vi", "VIR", "U.S. Virgin Islands"},
	{"wf", "WLF", "Wallis and Futuna"},
	{"eh", "ESH", "Western Sahara"},
	{"ye", "YEM", "Yemen"},
	{"zm", "ZMB", "Zambia"},
	{"zw", "ZWE", "Zimbabwe"},
	{"xk", "XKX", "Kosovo"},
}

// countryVariants maps other names, formal names and adjectives (as found in
// the UN Consolidated List, OFAC remarks and travel documents) to alpha-2
// codes. Keys are written naturally; they are normalised at start-up like any
// query. Ambiguous adjectives ("Congolese", "Korean", "Guinean" for the three
// Guineas) are deliberately absent.
var countryVariants = map[string]string{
	// Formal and UN names.
	"Åland":                                  "ax",
	"Bolivia (Plurinational State of)":       "bo",
	"Plurinational State of Bolivia":         "bo",
	"Bonaire":                                "bq",
	"Brunei Darussalam":                      "bn",
	"Cape Verde":                             "cv",
	"Cocos Islands":                          "cc",
	"Keeling Islands":                        "cc",
	"Congo (the)":                            "cg",
	"Republic of the Congo":                  "cg",
	"Congo-Brazzaville":                      "cg",
	"Congo, Republic of the":                 "cg",
	"Democratic Republic of the Congo":       "cd",
	"Congo (the Democratic Republic of the)": "cd",
	"Congo, Democratic Republic of the":      "cd",
	"Congo-Kinshasa":                         "cd",
	"DRC":                                    "cd",
	"Zaire":                                  "cd",
	"Ivory Coast":                            "ci",
	"Cote d'Ivoire":                          "ci",
	"Cote d Ivoire":                          "ci",
	"Czech Republic":                         "cz",
	"Swaziland":                              "sz",
	"Falkland Islands (Malvinas)":            "fk",
	"Malvinas":                               "fk",
	"The Gambia":                             "gm",
	"Holy See (Vatican City State)":          "va",
	"Vatican":                                "va",
	"Vatican City":                           "va",
	"China, Hong Kong Special Administrative Region": "hk",
	"Hong Kong SAR": "hk",
	"Hong Kong Special Administrative Region of China": "hk",
	"China, Macao Special Administrative Region":       "mo",
	"Macau":                      "mo",
	"Iran (Islamic Republic of)": "ir",
	"Islamic Republic of Iran":   "ir",
	"Iran, Islamic Republic of":  "ir",
	"Persia":                     "ir",
	"Korea, North":               "kp",
	"Korea (the Democratic People's Republic of)": "kp",
	"Democratic People's Republic of Korea":       "kp",
	"Korea, Democratic People's Republic of":      "kp",
	"DPRK":                                        "kp",
	"Korea, South":                                "kr",
	"Korea (the Republic of)":                     "kr",
	"Republic of Korea":                           "kr",
	"Korea, Republic of":                          "kr",
	"Lao People's Democratic Republic":            "la",
	"Lao PDR":                                     "la",
	"Libyan Arab Jamahiriya":                      "ly",
	"Micronesia (Federated States of)":            "fm",
	"Federated States of Micronesia":              "fm",
	"Moldova (the Republic of)":                   "md",
	"Republic of Moldova":                         "md",
	"Burma":                                       "mm",
	"Macedonia":                                   "mk",
	"The former Yugoslav Republic of Macedonia":   "mk",
	"Republic of North Macedonia":                 "mk",
	"State of Palestine":                          "ps",
	"Palestine, State of":                         "ps",
	"Palestinian Territories":                     "ps",
	"Occupied Palestinian Territory":              "ps",
	"West Bank":                                   "ps",
	"Gaza":                                        "ps",
	"Gaza Strip":                                  "ps",
	"West Bank and Gaza":                          "ps",
	"Russian Federation":                          "ru",
	"Reunion":                                     "re",
	"Saint Helena":                                "sh",
	"St. Kitts and Nevis":                         "kn",
	"St. Lucia":                                   "lc",
	"Saint Martin (French part)":                  "mf",
	"St. Vincent and the Grenadines":              "vc",
	"Sao Tome and Principe":                       "st",
	"Sint Maarten (Dutch part)":                   "sx",
	"Syrian Arab Republic":                        "sy",
	"Taiwan, Province of China":                   "tw",
	"Republic of China":                           "tw",
	"Chinese Taipei":                              "tw",
	"United Republic of Tanzania":                 "tz",
	"Tanzania, United Republic of":                "tz",
	"East Timor":                                  "tl",
	"Turkey":                                      "tr",
	"Turkiye":                                     "tr",
	"Republic of Türkiye":                         "tr",
	"Netherlands (Kingdom of the)":                "nl",
	"Holland":                                     "nl",
	"The Netherlands":                             "nl",
	"United Kingdom of Great Britain and Northern Ireland": "gb",
	"Great Britain":                      "gb",
	"Britain":                            "gb",
	"UK":                                 "gb",
	"England":                            "gb",
	"Scotland":                           "gb",
	"Wales":                              "gb",
	"Northern Ireland":                   "gb",
	"United States of America":           "us",
	"USA":                                "us",
	"U.S.A.":                             "us",
	"U.S.":                               "us",
	"Venezuela (Bolivarian Republic of)": "ve",
	"Bolivarian Republic of Venezuela":   "ve",
	"Viet Nam":                           "vn",
	"Virgin Islands (British)":           "vg",
	"Virgin Islands (U.S.)":              "vi",
	"United States Virgin Islands":       "vi",
	"Republic of Kosovo":                 "xk",
	"Kyrgyz Republic":                    "kg",
	"Slovak Republic":                    "sk",
	"Kingdom of Saudi Arabia":            "sa",
	"KSA":                                "sa",
	"UAE":                                "ae",
	"Emirates":                           "ae",
	"Bosnia":                             "ba",
	"Bosnia-Herzegovina":                 "ba",
	"Trinidad":                           "tt",
	"Somaliland":                         "so",
	"Hashemite Kingdom of Jordan":        "jo",
	"Arab Republic of Egypt":             "eg",
	"Islamic Republic of Afghanistan":    "af",
	"Islamic Emirate of Afghanistan":     "af",
	"Islamic Republic of Pakistan":       "pk",
	"Republic of Iraq":                   "iq",
	"Republic of Yemen":                  "ye",
	"Federal Republic of Nigeria":        "ng",
	"Federal Republic of Somalia":        "so",
	"Republic of Uzbekistan":             "uz",
	"Republic of Tajikistan":             "tj",
	"Republic of Kazakhstan":             "kz",
	"Republic of Mali":                   "ml",
	"Republic of the Sudan":              "sd",
	"Republic of South Sudan":            "ss",
	"People's Republic of China":         "cn",
	"PRC":                                "cn",
	"Federal Republic of Germany":        "de",
	"French Republic":                    "fr",
	"Kingdom of Spain":                   "es",
	"Kingdom of Morocco":                 "ma",
	"Lebanese Republic":                  "lb",
	"State of Kuwait":                    "kw",
	"State of Qatar":                     "qa",
	"Sultanate of Oman":                  "om",
	"Kingdom of Bahrain":                 "bh",
	"Republic of Tunisia":                "tn",
	"People's Democratic Republic of Algeria": "dz",
	"Republic of the Philippines":             "ph",
	"Republic of Indonesia":                   "id",

	// Adjectives and demonyms, as in OFAC remarks ("nationality Syrian").
	"Afghan":          "af",
	"Albanian":        "al",
	"Algerian":        "dz",
	"American":        "us",
	"Angolan":         "ao",
	"Argentine":       "ar",
	"Argentinian":     "ar",
	"Armenian":        "am",
	"Australian":      "au",
	"Austrian":        "at",
	"Azerbaijani":     "az",
	"Azeri":           "az",
	"Bahraini":        "bh",
	"Bangladeshi":     "bd",
	"Belarusian":      "by",
	"Belgian":         "be",
	"Beninese":        "bj",
	"Bolivian":        "bo",
	"Bosnian":         "ba",
	"Brazilian":       "br",
	"British":         "gb",
	"Bruneian":        "bn",
	"Bulgarian":       "bg",
	"Burkinabe":       "bf",
	"Burmese":         "mm",
	"Burundian":       "bi",
	"Cambodian":       "kh",
	"Cameroonian":     "cm",
	"Canadian":        "ca",
	"Central African": "cf",
	"Chadian":         "td",
	"Chilean":         "cl",
	"Chinese":         "cn",
	"Colombian":       "co",
	"Comoran":         "km",
	"Comorian":        "km",
	"Croatian":        "hr",
	"Cuban":           "cu",
	"Cypriot":         "cy",
	"Czech":           "cz",
	"Danish":          "dk",
	"Djiboutian":      "dj",
	"Dominican":       "do",
	"Dutch":           "nl",
	"Ecuadorian":      "ec",
	"Egyptian":        "eg",
	"Emirati":         "ae",
	"Eritrean":        "er",
	"Estonian":        "ee",
	"Ethiopian":       "et",
	"Filipino":        "ph",
	"Philippine":      "ph",
	"Finnish":         "fi",
	"French":          "fr",
	"Gabonese":        "ga",
	"Gambian":         "gm",
	"Georgian":        "ge",
	"German":          "de",
	"Ghanaian":        "gh",
	"Greek":           "gr",
	"Guatemalan":      "gt",
	"Guyanese":        "gy",
	"Haitian":         "ht",
	"Honduran":        "hn",
	"Hungarian":       "hu",
	"Icelandic":       "is",
	"Indian":          "in",
	"Indonesian":      "id",
	"Iranian":         "ir",
	"Iraqi":           "iq",
	"Irish":           "ie",
	"Israeli":         "il",
	"Italian":         "it",
	"Ivorian":         "ci",
	"Jamaican":        "jm",
	"Japanese":        "jp",
	"Jordanian":       "jo",
	"Kazakh":          "kz",
	"Kazakhstani":     "kz",
	"Kenyan":          "ke",
	"Kosovar":         "xk",
	"Kuwaiti":         "kw",
	"Kyrgyz":          "kg",
	"Lao":             "la",
	"Laotian":         "la",
	"Latvian":         "lv",
	"Lebanese":        "lb",
	"Liberian":        "lr",
	"Libyan":          "ly",
	"Lithuanian":      "lt",
	"Macedonian":      "mk",
	"Malagasy":        "mg",
	"Malawian":        "mw",
	"Malaysian":       "my",
	"Maldivian":       "mv",
	"Malian":          "ml",
	"Maltese":         "mt",
	"Mauritanian":     "mr",
	"Mauritian":       "mu",
	"Mexican":         "mx",
	"Moldovan":        "md",
	"Mongolian":       "mn",
	"Montenegrin":     "me",
	"Moroccan":        "ma",
	"Mozambican":      "mz",
	"Namibian":        "na",
	"Nepalese":        "np",
	"Nepali":          "np",
	"New Zealander":   "nz",
	"Nicaraguan":      "ni",
	"Nigerien":        "ne",
	"Nigerian":        "ng",
	"North Korean":    "kp",
	"Norwegian":       "no",
	"Omani":           "om",
	"Pakistani":       "pk",
	"Palestinian":     "ps",
	"Panamanian":      "pa",
	"Paraguayan":      "py",
	"Peruvian":        "pe",
	"Polish":          "pl",
	"Portuguese":      "pt",
	"Qatari":          "qa",
	"Romanian":        "ro",
	"Russian":         "ru",
	"Rwandan":         "rw",
	"Saudi":           "sa",
	"Saudi Arabian":   "sa",
	"Senegalese":      "sn",
	"Serbian":         "rs",
	"Sierra Leonean":  "sl",
	"Singaporean":     "sg",
	"Slovak":          "sk",
	"Slovenian":       "si",
	"Somali":          "so",
	"South African":   "za",
	"South Korean":    "kr",
	"South Sudanese":  "ss",
	"Spanish":         "es",
	"Sri Lankan":      "lk",
	"Sudanese":        "sd",
	"Swedish":         "se",
	"Swiss":           "ch",
	"Syrian":          "sy",
	"Taiwanese":       "tw",
	"Tajik":           "tj",
	"Tajikistani":     "tj",
	"Tanzanian":       "tz",
	"Thai":            "th",
	"Togolese":        "tg",
	"Trinidadian":     "tt",
	"Tunisian":        "tn",
	"Turkish":         "tr",
	"Turkmen":         "tm",
	"Ugandan":         "ug",
	"Ukrainian":       "ua",
	"Uruguayan":       "uy",
	"Uzbek":           "uz",
	"Uzbekistani":     "uz",
	"Venezuelan":      "ve",
	"Vietnamese":      "vn",
	"Yemeni":          "ye",
	"Zambian":         "zm",
	"Zimbabwean":      "zw",
}

// countryIndex maps normalised names and codes to alpha-2; countryByCode
// maps alpha-2 to its row. Both are built once from the tables above.
var (
	countryIndex  = map[string]string{}
	countryByCode = map[string]*country{}
)

func init() {
	for i := range countries {
		c := &countries[i]
		countryByCode[c.alpha2] = c
		countryIndex[c.alpha2] = c.alpha2
		countryIndex[strings.ToLower(c.alpha3)] = c.alpha2
		countryIndex[countryKey(c.name)] = c.alpha2
	}
	for name, code := range countryVariants {
		if countryByCode[code] == nil {
			panic("concord: country variant " + name + " names unknown code " + code)
		}
		countryIndex[countryKey(name)] = code
	}
}

// CountryCode resolves an ISO 3166-1 alpha-2 or alpha-3 code (any case), a
// country name, a formal or UN name ("Syrian Arab Republic", "Iran (Islamic
// Republic of)") or an adjective ("Syrian", "Iraqi") to a lower-case alpha-2
// code. Case, diacritics, punctuation and a leading or embedded "the" are
// ignored. Callers reading free text should screen out placeholders such as
// "na" (Namibia's code) before calling it.
func CountryCode(s string) (alpha2 string, ok bool) {
	k := countryKey(s)
	if k == "" {
		return "", false
	}
	alpha2, ok = countryIndex[k]
	return alpha2, ok
}

// CountryName returns the English short name of an alpha-2 code (any case),
// or "" when the code is unknown.
func CountryName(alpha2 string) string {
	if c := countryByCode[strings.ToLower(alpha2)]; c != nil {
		return c.name
	}
	return ""
}

// CountryAlpha3 returns the ISO 3166-1 alpha-3 code (upper case) of an alpha-2
// code (any case), or "" when the code is unknown.
func CountryAlpha3(alpha2 string) string {
	if c := countryByCode[strings.ToLower(alpha2)]; c != nil {
		return c.alpha3
	}
	return ""
}

// countryKey normalises a name for lookup: lower case, Latin diacritics
// folded, apostrophes dropped, other punctuation as spaces, the word "the"
// removed, spaces collapsed.
func countryKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == 'ʼ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(foldLatin(unicode.ToLower(r)))
		default:
			space = true
		}
	}
	k := b.String()
	if !strings.Contains(k, "the") {
		return k
	}
	f := strings.Fields(k)
	out := f[:0]
	for _, w := range f {
		if w != "the" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// foldLatin strips the diacritics of the Latin letters found in country names.
func foldLatin(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'ć', 'č':
		return "c"
	case 'ď', 'đ':
		return "d"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return "e"
	case 'ğ':
		return "g"
	case 'ì', 'í', 'î', 'ï', 'ī', 'ı', 'į':
		return "i"
	case 'ł', 'ľ':
		return "l"
	case 'ñ', 'ń', 'ň':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o"
	case 'œ':
		return "oe"
	case 'ř':
		return "r"
	case 'ś', 'š', 'ş', 'ș':
		return "s"
	case 'ß':
		return "ss"
	case 'ť', 'ţ', 'ț':
		return "t"
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ž', 'ź', 'ż':
		return "z"
	}
	return string(r)
}

// CountryCodes lists every ISO 3166-1 alpha-2 code Concord knows (lower
// case), in the order of their English names.
func CountryCodes() []string {
	out := make([]string, len(countries))
	for i, c := range countries {
		out[i] = c.alpha2
	}
	return out
}
