package payment

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestCheckIBAN(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", ""},
		{"gb82west12345698765432", "GB82WEST12345698765432", ""},
		{"IQ86RAFB123000000472910", "IQ86RAFB123000000472910", ""},
		{"NO9386011117947", "NO9386011117947", ""},
		{"LT007180000000000000", "", "check digits 00 do not verify"},
		{"DE89370400440532013001", "", "check digits 89 do not verify"},
		{"DE8937040044053201300", "", "21 characters, DE IBANs have 22"},
		{"US12345678901234567", "", "US does not issue IBANs"},
		{"DEXX370400440532013000", "", "check digits are not digits"},
		{"12345", "", "does not start with a country code"},
		{"DE89-3704-0044-0532-0130-00", "DE89370400440532013000", ""},
		{"DE89_3704", "", "not allowed"},
	}
	for _, tt := range tests {
		got, err := CheckIBAN(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("CheckIBAN(%q) = %q, %v", tt.in, got, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("CheckIBAN(%q) error %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestCheckBIC(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"DEUTDEFF", "DEUTDEFF", ""},
		{"deutdeffxxx", "DEUTDEFF", ""},
		{"DEUTDEFF500", "DEUTDEFF500", ""},
		{"BKMTIRTH", "BKMTIRTH", ""},
		{"DEUTXXFF", "", "XX is not an ISO 3166"},
		{"DEUT1EFF", "", "not allowed"},
		{"DEUTDEF", "", "7 characters"},
		{"DEUTDE-F", "", "not allowed"},
	}
	for _, tt := range tests {
		got, err := CheckBIC(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("CheckBIC(%q) = %q, %v", tt.in, got, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("CheckBIC(%q) error %v, want %q", tt.in, err, tt.err)
		}
	}
}

// TestWalletsOfOFAC checks that every digital-currency address of the OFAC
// list has a wallet's shape (else it could not be found in free text).
func TestWalletsOfOFAC(t *testing.T) {
	b, err := os.ReadFile("../../../../shared/data/lists/ofac_sdn.csv")
	if err != nil {
		b, err = os.ReadFile("../ofaccsv/testdata/sdn.csv")
		if err != nil {
			t.Skip(err)
		}
	}
	re := regexp.MustCompile(`Digital Currency Address - (\w+) ([^;" ]+)`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		if len(m[2]) < 20 {
			continue // an address wrapped over two lines of the CSV
		}
		n++
		if !IsWallet(m[2]) {
			t.Errorf("%s address %s not recognised", m[1], m[2])
		}
	}
	if n == 0 {
		t.Fatal("no address found")
	}
	for _, s := range []string{"1234567890", "DE89370400440532013000", "INVOICE", "10000000000000000001", "11111111111111111111111111"} {
		if IsWallet(s) {
			t.Errorf("%q taken for a wallet", s)
		}
	}
	if NormalizeWallet("0xAbC0000000000000000000000000000000000001") != "0xabc0000000000000000000000000000000000001" {
		t.Error("hex address not folded")
	}
}

func TestNewAccount(t *testing.T) {
	tests := []struct {
		in         string
		iban       bool
		kind, want string
		warn       bool
	}{
		{"DE89 3704 0044 0532 0130 00", true, AccountIBAN, "DE89370400440532013000", false},
		{"DE89370400440532013000", false, AccountIBAN, "DE89370400440532013000", false}, // an IBAN in Othr/Id
		{"LT007180000000000000", true, AccountOther, "LT007180000000000000", true},
		{"0012-345678-001", false, AccountOther, "0012345678001", false},
		{"12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", false, AccountWallet, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", false},
	}
	for _, tt := range tests {
		a, warn := NewAccount(tt.in, tt.iban, "", "")
		if a.Kind != tt.kind || a.Value != tt.want || (warn != "") != tt.warn {
			t.Errorf("NewAccount(%q) = %+v, %q", tt.in, a, warn)
		}
	}
	if a, _ := NewAccount("  ", false, "", ""); a != nil {
		t.Error("empty account")
	}
}

func TestNameWindows(t *testing.T) {
	tests := []struct {
		text string
		want []string // windows that must be there
		none []string // and must not
	}{
		{"DONATION FOR THE BROTHERS OF JABHAT AL-NUSRA", []string{"BROTHERS", "JABHAT AL-NUSRA"}, []string{"FOR THE", "DONATION", "JABHAT"}},
		{"SALARY BEULAH BAKAL", []string{"BEULAH BAKAL"}, []string{"BAKAL", "BEULAH"}},
		{"/BNF/ATTN ABU MOHAMMED AL-ADNANI", []string{"ABU MOHAMMED AL-ADNANI", "MOHAMMED AL-ADNANI"}, []string{"BNF", "ATTN ABU"}},
		{"Rechnung 1122", nil, []string{"Rechnung"}},
		{"INVOICE 2026-114", nil, []string{"INVOICE"}},
		{"pay أكرم تركي المزيده now", []string{"أكرم تركي المزيده"}, nil},
		{"SALARY JULY, AHMED ALI HASSAN OMAR YUSUF", []string{"AHMED ALI HASSAN OMAR YUSUF", "AHMED ALI HASSAN OMAR"}, []string{"JULY AHMED"}},
	}
	for _, tt := range tests {
		got := map[string]bool{}
		for _, w := range NameWindows(tt.text) {
			got[w.Text] = true
		}
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("%q: window %q missing (have %v)", tt.text, w, got)
			}
		}
		for _, w := range tt.none {
			if got[w] {
				t.Errorf("%q: window %q should not be there", tt.text, w)
			}
		}
	}
	long := strings.Repeat("Abcd Efgh Ijkl Mnop ", 30)
	if n := len(NameWindows(long)); n > maxWindows {
		t.Errorf("%d windows", n)
	}
}

func TestTextIdentifiers(t *testing.T) {
	got := TextIdentifiers("TO DE89 3704 0044 0532 0130 00 VIA BKMTIRTH, WALLET 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; ACCT 0012-345678-001. DONATION")
	want := map[Ident]bool{
		{IdentIBAN, "DE89370400440532013000"}:               true,
		{IdentBIC, "BKMTIRTH"}:                              true,
		{IdentWallet, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"}: true,
		{IdentAccount, "0012345678001"}:                     true,
	}
	seen := map[Ident]bool{}
	for _, id := range got {
		seen[id] = true
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%v missing from %v", id, got)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("DONATION FOR JABHAT AL-NUSRA VIA 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h")
	f.Add("DE89 3704 0044 0532 0130 00")
	f.Add("\xff\xfe أكرم")
	f.Fuzz(func(t *testing.T, s string) {
		ws := NameWindows(s)
		if len(ws) > maxWindows {
			t.Fatalf("%d windows", len(ws))
		}
		for _, w := range ws {
			if w.Words < 1 || w.Words > maxRunWhole || w.Text == "" {
				t.Fatalf("window %+v", w)
			}
		}
		for _, id := range TextIdentifiers(s) {
			if id.Kind == IdentIBAN {
				if _, err := CheckIBAN(id.Value); err != nil {
					t.Fatalf("invalid IBAN %q found", id.Value)
				}
			}
		}
	})
}
