package concord

import (
	"slices"
	"testing"
	"time"
)

// path builds a history of steps on consecutive days, each by the side
// that takes it (a request by side req).
func path(req Side, steps ...string) []WorkflowEvent {
	var h []WorkflowEvent
	for i, st := range steps {
		side := SideCustodian
		if sides := StepSide(st, h); len(sides) == 1 {
			side = sides[0]
		} else if st == StepRequested {
			side = req
		}
		e := WorkflowEvent{State: st, Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Side: side}
		if st == StepNationalityVerified {
			e.Country = "FR"
		}
		if st == StepRefused || st == StepReleased {
			e.Reason = "because"
		}
		h = append(h, e)
	}
	return h
}

var today = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// TestWorkflowTransitions walks every transition of the workflow, from
// every state, with every step: exactly the ones of the table pass.
func TestWorkflowTransitions(t *testing.T) {
	states := map[string][]string{
		"":                      nil,
		StepIdentified:          {StepIdentified},
		StepNationalityVerified: {StepIdentified, StepNationalityVerified},
		StepNotified:            {StepIdentified, StepNationalityVerified, StepNotified},
		StepRequested:           {StepIdentified, StepNationalityVerified, StepNotified, StepRequested},
		StepAccepted:            {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepAccepted},
		StepRefused:             {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepRefused},
		StepTransferred:         {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepAccepted, StepTransferred},
		StepProsecuted:          {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepAccepted, StepTransferred, StepProsecuted},
		StepReintegrated:        {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepAccepted, StepTransferred, StepReintegrated},
		StepReleased:            {StepIdentified, StepNationalityVerified, StepNotified, StepRequested, StepAccepted, StepTransferred, StepReleased},
	}
	allowed := 0
	for from, steps := range states {
		h := path(SideCustodian, steps...)
		if State(h) != from {
			t.Fatalf("path to %q ends in %q", from, State(h))
		}
		for _, st := range Steps {
			t.Run(from+"→"+st, func(t *testing.T) {
				want := slices.Contains(NextSteps(from), st)
				e := path(SideCustodian, append(slices.Clone(steps), st)...)[len(steps)]
				err := CheckStep(h, &e, today)
				if (err == nil) != want {
					t.Fatalf("CheckStep = %v, want allowed %v", err, want)
				}
				if !want && ErrorCode(err) != EINVALID {
					t.Errorf("refused with %s, want invalid: %v", ErrorCode(err), err)
				}
				if want {
					allowed++
				}
			})
		}
	}
	if allowed != 13 {
		t.Errorf("%d transitions allowed, want the 13 of the workflow", allowed)
	}
	if got := NextSteps(StepReleased); len(got) != 0 {
		t.Errorf("released is final, next %v", got)
	}
}

// TestStepSides: who takes each step, and the decision of a request is
// the other side's.
func TestStepSides(t *testing.T) {
	base := []string{StepIdentified, StepNationalityVerified, StepNotified, StepRequested}
	tests := []struct {
		name      string
		requester Side
		step      string
		want      []Side
	}{
		{"identify", SideCustodian, StepIdentified, []Side{SideCustodian}},
		{"verify", SideCustodian, StepNationalityVerified, []Side{SideHome}},
		{"notify", SideCustodian, StepNotified, []Side{SideCustodian}},
		{"request", SideCustodian, StepRequested, []Side{SideCustodian, SideHome}},
		{"accept a custodian's request", SideCustodian, StepAccepted, []Side{SideHome}},
		{"refuse a custodian's request", SideCustodian, StepRefused, []Side{SideHome}},
		{"accept a home country's request", SideHome, StepAccepted, []Side{SideCustodian}},
		{"transfer", SideCustodian, StepTransferred, []Side{SideCustodian, SideHome}},
		{"prosecute", SideCustodian, StepProsecuted, []Side{SideHome}},
		{"release", SideCustodian, StepReleased, []Side{SideHome}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StepSide(tt.step, path(tt.requester, base...)); !slices.Equal(got, tt.want) {
				t.Errorf("StepSide = %v, want %v", got, tt.want)
			}
		})
	}
	if got := StepSide(StepAccepted, path(SideCustodian, StepIdentified)); got != nil {
		t.Errorf("a decision without a request: %v", got)
	}
}

// TestCheckStepRefusals: what a step needs besides its place.
func TestCheckStepRefusals(t *testing.T) {
	h := path(SideCustodian, StepIdentified)
	verify := func(f func(e *WorkflowEvent)) *WorkflowEvent {
		e := &WorkflowEvent{State: StepNationalityVerified, Date: "2026-01-05", Side: SideHome, Country: "FR"}
		f(e)
		return e
	}
	tests := []struct {
		name string
		h    []WorkflowEvent
		e    *WorkflowEvent
		code string
	}{
		{"ok", h, verify(func(*WorkflowEvent) {}), ""},
		{"unknown step", h, verify(func(e *WorkflowEvent) { e.State = "escaped" }), EINVALID},
		{"wrong side", h, verify(func(e *WorkflowEvent) { e.Side = SideCustodian }), EFORBIDDEN},
		{"no country", h, verify(func(e *WorkflowEvent) { e.Country = "" }), EINVALID},
		{"unknown country", h, verify(func(e *WorkflowEvent) { e.Country = "XX" }), EINVALID},
		{"bad date", h, verify(func(e *WorkflowEvent) { e.Date = "5 Jan" }), EINVALID},
		{"future", h, verify(func(e *WorkflowEvent) { e.Date = "2026-03-02" }), EINVALID},
		{"before the previous step", h, verify(func(e *WorkflowEvent) { e.Date = "2025-12-31" }), EINVALID},
		{"country on another step", path(SideCustodian, StepIdentified, StepNationalityVerified),
			&WorkflowEvent{State: StepNotified, Date: "2026-01-05", Side: SideCustodian, Country: "FR"}, EINVALID},
		{"refusal without a reason", path(SideCustodian, StepIdentified, StepNationalityVerified, StepNotified, StepRequested),
			&WorkflowEvent{State: StepRefused, Date: "2026-01-05", Side: SideHome}, EINVALID},
		{"a second identification", h, &WorkflowEvent{State: StepIdentified, Date: "2026-01-05", Side: SideCustodian}, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(CheckStep(tt.h, tt.e, today)); got != tt.code {
				t.Errorf("CheckStep: %q, want %q", got, tt.code)
			}
		})
	}
}

func day(s string) time.Time { d, _ := ParseDay(s); return d }

// TestMinorAt: under 18 at any date of the case, partial birth dates
// counted from the latest day they allow.
func TestMinorAt(t *testing.T) {
	tests := []struct {
		birth string
		days  []string
		want  bool
	}{
		{"2010-04-02", []string{"2028-04-01"}, true},
		{"2010-04-02", []string{"2028-04-02"}, false},
		{"2010-04-02", []string{"2030-01-01", "2019-03-01"}, true}, // detained as a child
		{"2010", []string{"2028-06-30"}, true},                     // may be born on 31 December
		{"2010", []string{"2029-01-01"}, false},
		{"2010-02", []string{"2028-02-27"}, true},
		{"2010-02", []string{"2028-03-01"}, false},
		{"", []string{"2026-01-01"}, false},
		{"unknown", []string{"2026-01-01"}, false},
		{"1990-01-01", []string{"2019-01-01"}, false},
	}
	for _, tt := range tests {
		var days []time.Time
		for _, d := range tt.days {
			days = append(days, day(d))
		}
		if got := MinorAt(tt.birth, days...); got != tt.want {
			t.Errorf("MinorAt(%q, %v) = %v, want %v", tt.birth, tt.days, got, tt.want)
		}
	}
}

// TestCaseDays: held since, every step, and today while open or the
// closing day once closed.
func TestCaseDays(t *testing.T) {
	c := NewEntity("c", SchemaCase)
	c.Add("heldSince", "2019-03")
	evs := []WorkflowEvent{{Kind: KindRepatriation, State: StepIdentified, Date: "2024-05-01"}}
	p := NewEntity("p", SchemaDetainee)
	p.Add("birthDate", "2008-01-15")
	if !IsMinor(p, CaseDays(c, evs, day("2030-01-01"))) {
		t.Error("a child when detained in 2019 is a minor of the case")
	}
	p.Properties["birthDate"] = []string{"1999-01-15"}
	if IsMinor(p, CaseDays(c, evs, day("2030-01-01"))) {
		t.Error("an adult throughout is not a minor")
	}
	p.Properties["birthDate"] = []string{"2012-01-15"}
	closed := append(evs, WorkflowEvent{Kind: KindCase, State: CaseClosed, Date: "2024-06-01", RecordedAt: day("2024-06-01")})
	days := CaseDays(c, closed, day("2035-01-01"))
	if slices.Contains(days, day("2035-01-01")) || !slices.Contains(days, day("2024-06-01")) {
		t.Errorf("a closed case's days end on its closing: %v", days)
	}
	p.Properties["birthDate"] = []string{"1980"}
	p.Add("minor", "true")
	if !IsMinor(p, days) {
		t.Error("a person assessed as a minor is one")
	}
}

// TestRetentionPolicy: the member's own policy, else the default; due
// after whole months.
func TestRetentionPolicy(t *testing.T) {
	ps := []RetentionPolicy{{Member: "*", Kind: KindCase, Months: 60}, {Member: "es", Kind: KindCase, Months: 24}}
	if p, ok := PolicyFor(ps, "es", KindCase); !ok || p.Months != 24 {
		t.Errorf("es: %+v %v", p, ok)
	}
	if p, ok := PolicyFor(ps, "fr", KindCase); !ok || p.Months != 60 {
		t.Errorf("fr: %+v %v", p, ok)
	}
	if _, ok := PolicyFor(ps[1:], "fr", KindCase); ok {
		t.Error("no default, no policy")
	}
	closed := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	if got := (RetentionPolicy{Months: 1}).Due(closed); !got.Equal(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Due = %v", got) // AddDate normalises 31 February
	}
	for _, bad := range []RetentionPolicy{{Member: "ES", Kind: KindCase, Months: 1}, {Member: "es", Kind: "x", Months: 1}, {Member: "es", Kind: KindCase, Months: 1201}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// FuzzMinorAt: any birth date string is read or ignored, never a panic,
// and a date that reads is a minor on its own birthday's eve of 18.
func FuzzMinorAt(f *testing.F) {
	for _, s := range []string{"2010-04-02", "2010", "2010-02", "", "20x0", "2010-13-01", "9999-12-31", "0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := latestBirth(s)
		got := MinorAt(s, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if !ok && got {
			t.Errorf("%q does not read but makes a minor", s)
		}
		if ok && !MinorAt(s, b.AddDate(18, 0, -1)) {
			t.Errorf("%q: not a minor the day before 18", s)
		}
	})
}
