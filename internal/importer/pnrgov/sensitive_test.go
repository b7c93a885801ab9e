package pnrgov

import (
	"encoding/json"
	"strings"
	"testing"
)

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sensitive is a push whose PNR reveals religion and health everywhere a
// PNR can: special meals and medical requests at the PNR, traveller and leg
// levels and in the history, and words of the special categories in
// remarks, other SSRs' text, history lines and check-in notes.
var sensitive = strings.NewReplacer("SSR+DOCS:HK:1:XX:::::/P/GBR/P1234567", "SSR+MOML:HK:1:XX:::::MUSLIM MEAL'"+
	"SSR+WCHR:HK:1:XX:::::WHEELCHAIR TO SEAT DIABETIC'SSR+MEDA:HK:1:XX:::::PREGNANT 32 WEEKS HIV'SSR+BLND:HK:1:XX'"+
	"SSR+SPML:HK:1:XX:::::NO BEEF HINDU'SSR+OTHS:HK:1:XX:::::KOSHER FOOD REQUESTED RABBI'SSR+CKIN:HK:1:XX:::::STRETCHER SYNAGOGUE'"+
	"IFT+4:28::XX+PASSENGER NEEDS HALAL FOOD AND A PRAYER ROOM'LTS+0/O/SR/SSR VJML JAIN'"+
	"SSR+DOCS:HK:1:XX:::::/P/GBR/P1234567",
	"DAT+700:020326:0800", "SSR+KSML:HK:2:XX'SSR+HNML:HK:1:XX+::2'IFT+4:28::XX+TRADE UNION DELEGATE GAY PRIDE'DAT+700:020326:0800",
	"APD+320'", "APD+320'SSR+AVML:HK:2:XX:::LHR:IST+::1+::2'SSR+DEAF:HK:1:XX:::LHR:IST+::2'SSR+VGML:HK:1:XX+::1'",
	"UNT+34+M1'", "ABI+1+:LHRRR+LON++XX'DAT+ZT:010326:1030'SAC+++X'SSR+MOML:HK:1:XX'IFT+4:19+SSR GFML CELIAC'SAC+++A'SSR+LSML:HK:1:XX'UNT+34+M1'",
).Replace(base)

// markers are what must never leave the reader.
var markers = []string{"MOML", "MUSLIM", "WCHR", "WHEELCHAIR", "DIABETIC", "MEDA", "PREGNANT", "HIV", "BLND", "SPML", "HINDU",
	"BEEF", "KOSHER", "RABBI", "STRETCHER", "SYNAGOGUE", "HALAL", "PRAYER", "VJML", "JAIN", "KSML", "HNML", "TRADE UNION", "GAY",
	"AVML", "DEAF", "VGML", "GFML", "CELIAC", "LSML", "ML\"", "kosher", "muslim", "halal"}

func leaked(text string) []string {
	var found []string
	up := strings.ToUpper(text)
	for _, m := range markers {
		if strings.Contains(text, m) || strings.Contains(up, strings.ToUpper(m)) {
			found = append(found, m)
		}
	}
	return found
}

func TestSensitiveDataNeverKept(t *testing.T) {
	if len(leaked(base)) > 0 {
		t.Fatalf("the clean message holds markers %v", leaked(base))
	}
	if len(leaked(sensitive)) < len(markers)-4 {
		t.Fatalf("the sensitive message holds only %v", leaked(sensitive))
	}
	ic, err := fixed.Parse(strings.NewReader(sensitive))
	if err != nil {
		t.Fatal(err)
	}
	if l := leaked(mustJSON(ic)); len(l) > 0 {
		t.Errorf("sensitive data reached the output: %v", l)
	}
	// 12 denied requests, counted and nothing more (OTHS and CKIN are not on
	// the list: their text is not kept).
	if ic.Dropped != 12 {
		t.Errorf("dropped %d, want 12", ic.Dropped)
	}
	omar := pnrs(ic)[0].Travellers[0]
	if strings.Join(omar.Services, ",") != "" || omar.Documents[0].Number != "P1234567" || len(omar.Seats) != 1 {
		t.Errorf("the rest of the traveller: %+v", omar)
	}
	// The clean data is all there: the PNR reads as the clean message's,
	// but for segment numbers.
	clean, _ := fixed.Parse(strings.NewReader(base))
	c, s := pnrs(clean)[0], pnrs(ic)[0]
	if c.Locator != s.Locator || len(c.Travellers) != len(s.Travellers) || c.Travellers[1].Name() != s.Travellers[1].Name() ||
		mustJSON(c.Travellers[0].Tickets) != mustJSON(s.Travellers[0].Tickets) || mustJSON(c.Legs) != mustJSON(s.Legs) {
		t.Errorf("clean\n%s\nsensitive\n%s", mustJSON(c), mustJSON(s))
	}
}

// An error or a warning never quotes a remark: a broken line that is all
// free text, a denied request before a broken segment, a warning in a
// message full of sensitive data.
func TestSensitiveDataNotInErrors(t *testing.T) {
	for _, in := range []string{
		strings.Replace(sensitive, "APD+320'", "KOSHER MEAL HALAL'", 1),
		strings.Replace(sensitive, "APD+320'", "MOML:HK'", 1),
		strings.Replace(sensitive, "01JAN80", "31FEB80", 1),
		strings.Replace(sensitive, "UNT+34", "UNT+77", 1),
		sensitive[:strings.Index(sensitive, "MUSLIM MEAL")+4],
	} {
		o := fixed
		o.Strict = true
		_, err := o.Parse(strings.NewReader(in))
		if err == nil {
			t.Fatalf("no error for %q", in)
		}
		if l := leaked(err.Error()); len(l) > 0 {
			t.Errorf("error %q quotes %v", err, l)
		}
		if ic, err := fixed.Parse(strings.NewReader(in)); err == nil {
			if l := leaked(strings.Join(ic.Warnings, "\n")); len(l) > 0 {
				t.Errorf("warnings quote %v: %q", l, ic.Warnings)
			}
		}
	}
}

func TestDenyList(t *testing.T) {
	d := DefaultDenyList()
	for _, code := range []string{"AVML", "MOML", "KSML", "HNML", "VJML", "DBML", "GFML", "WCHR", "WCHC", "MEDA", "BLND", "DEAF", "OXYG", "DPNA", "SPML", "SVAN"} {
		if _, ok := d.Denied(code); !ok {
			t.Errorf("%s not denied by default", code)
		}
	}
	for _, code := range []string{"DOCS", "DOCO", "DOCA", "SEAT", "FQTV", "CTCE", "UMNR", "INFT", "TKNE", "OTHS", "PETC", "FOID"} {
		if cat, ok := d.Denied(code); ok {
			t.Errorf("%s denied (%s)", code, cat)
		}
	}
	if cat, _ := d.Denied("kosher"); cat != "" {
		t.Errorf("free words are not codes: %q", cat)
	}
	if cat, _ := d.Denied("moml"); cat != CategoryReligion {
		t.Errorf("MOML category %q", cat)
	}
	custom, err := ParseDenyList(strings.NewReader("# ours\nOTHS\nPET* health\n*ML religion # meals\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(custom.Entries(), " "); got != "*ML OTHS PET*" {
		t.Errorf("entries %s", got)
	}
	o := fixed
	o.Deny = custom
	ic, err := o.Parse(strings.NewReader(sensitive))
	if err != nil {
		t.Fatal(err)
	}
	// OTHS now dropped; WCHR, MEDA, BLND, DEAF no longer: kept by code.
	if omar := pnrs(ic)[0].Travellers[0]; strings.Join(omar.Services, ",") != "WCHR,MEDA,BLND" {
		t.Errorf("services %v", omar.Services)
	}
	for _, bad := range []string{"TOOLONG", "A*B", "**", "ÄBC", "OTHS health extra"} {
		if _, err := ParseDenyList(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestMask(t *testing.T) {
	ic := parseFile(t, sample)
	for _, p := range pnrs(ic) {
		m := Mask(&p)
		j := mustJSON(m)
		for _, tr := range p.Travellers {
			for _, v := range append([]string{tr.Surname, tr.Booked, tr.BirthDate}, tr.GivenNames...) {
				if v != "" && strings.Contains(j, v) {
					t.Errorf("%s: masked PNR holds %q", p.Locator, v)
				}
			}
			for _, d := range tr.Documents {
				if strings.Contains(j, d.Number) {
					t.Errorf("document %s kept", d.Number)
				}
			}
			for _, c := range tr.Contacts {
				if strings.Contains(j, c.Value) {
					t.Errorf("contact %s kept", c.Value)
				}
			}
			for _, tk := range tr.Tickets {
				for _, pay := range tk.Payments {
					if pay.Last4 != "" && strings.Contains(j, pay.Last4) || pay.CardHash != "" && strings.Contains(j, pay.CardHash) {
						t.Errorf("card %+v kept", pay)
					}
				}
			}
		}
		for _, c := range p.Contacts {
			if strings.Contains(j, c.Value) {
				t.Errorf("contact %s kept", c.Value)
			}
		}
		if len(m.Travellers) != len(p.Travellers) || m.Locator != p.Locator || mustJSON(m.Legs) != mustJSON(p.Legs) ||
			m.Agency.Key() != p.Agency.Key() || m.Travellers[0].Tickets[0].Amount != p.Travellers[0].Tickets[0].Amount {
			t.Errorf("masked PNR lost what serves statistics and links: %s", j)
		}
		if p.Travellers[0].Name() == "" || p.Travellers[0].Documents[0].Number == "" {
			t.Error("Mask changed its argument")
		}
	}
}
