package normalize

import "testing"

func TestHanOrganisations(t *testing.T) {
	org := func(n string) string { return join(AppendOrgTokens(nil, n)) }
	for _, tt := range []struct{ in, want string }{
		// The legal form ends a longer run as it stands alone; the
		// table's words are read in the run (國際 international, 海運
		// shipping), and 有 is not 铀 (uranium), whose syllable it shares.
		{"沈忠國際海運有限公司", "chen zhong intl shipping ltd"},
		// A run of four is words, not a family and a given name.
		{"華信船務(香港)有限公司", "hua xin shipping xiang gang ltd"},
		{"長安海連技術有限公司", "chang an hai lian tech ltd"},
	} {
		if got := org(tt.in); got != tt.want {
			t.Errorf("AppendOrgTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A person's name keeps its given name joined (习近平 Xi Jinping), and
	// a one-character table alias reads no name: 何 (He) is not 核
	// (nuclear), 常 (Chang) not 厂 (factory).
	for _, tt := range []struct{ in, want string }{
		{"习近平", "xi jinping"},
		{"何 常", "he chang"},
	} {
		if got := join(AppendPersonTokens(nil, tt.in)); got != tt.want {
			t.Errorf("AppendPersonTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := join(Tokens(tt.in)); got != tt.want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
