package concord

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Case records: a Case is a person or a family held or displaced (a camp,
// a prison, a detention facility), its Detainees are the persons, and
// Kinship links them (spouse, child, parent, sibling). They are statements
// like any record, contributed by one member with one audience and TLP, but
// they are protected: the generic entity, statement and export paths do
// not serve them (the case service does, with the minors' rules).
const (
	SchemaCase     = "Case"
	SchemaDetainee = "Detainee"
	SchemaKinship  = "Kinship"
)

// defCaseSchemata defines the schemata of case records (called by the
// schema table's init, after the schemata they extend).
func defCaseSchemata() {
	// Case: where and by whom the persons are held, since when, and what
	// it is linked to (listed entities, members' records, other cases).
	defSchema(SchemaCase, false, []string{"Thing"}, map[string]PropType{
		"location": TypeString, "locationType": TypeString, "custodian": TypeString,
		"custodianMember": TypeString, "heldSince": TypeDate, "subject": TypeEntity,
		"linkedEntity": TypeEntity, "relatedRecord": TypeEntity, "relatedCase": TypeEntity,
		"kinship": TypeEntity,
	})
	// Detainee: a person of a case, with identity as recorded. It is not
	// matchable: a detainee reaches screening only when a member puts the
	// person on its watch (a Person record of that member).
	defSchema(SchemaDetainee, false, []string{"Person"}, map[string]PropType{
		"case": TypeEntity, "pdqHash": TypeIdentifier, "minor": TypeString,
	})
	defSchema(SchemaKinship, false, []string{"Family"}, map[string]PropType{"case": TypeEntity})
}

// CaseSchemata are the protected schemata of case records.
var CaseSchemata = []string{SchemaCase, SchemaDetainee, SchemaKinship}

// IsCaseSchema reports whether schema is one of a case's.
func IsCaseSchema(schema string) bool { return slices.Contains(CaseSchemata, schema) }

// Location types of a case.
var LocationTypes = []string{"camp", "prison", "detention facility"}

// Kinship relationships of a case's persons (person is the relative's …).
var Relationships = []string{"spouse", "child", "parent", "sibling", "other"}

// Workflow kinds: the histories WorkflowStore keeps.
const (
	KindRepatriation = "repatriation" // per person of a case
	KindCase         = "case"         // a case opened, closed, reopened, depersonalised
	KindAction       = "action"       // an action item's status
	KindWatch        = "watch"        // a person of a case put on or taken off a member's watch
)

// Watch states (KindWatch).
const (
	WatchOn  = "watched"
	WatchOff = "unwatched"
)

// Repatriation steps, in their usual order. A person's state is its
// latest step.
const (
	StepIdentified          = "identified"
	StepNationalityVerified = "nationality_verified"
	StepNotified            = "home_country_notified"
	StepRequested           = "requested"
	StepAccepted            = "accepted"
	StepRefused             = "refused"
	StepTransferred         = "transferred"
	StepProsecuted          = "prosecuted"
	StepReintegrated        = "reintegrated"
	StepReleased            = "released"
)

// Steps lists the repatriation steps in workflow order.
var Steps = []string{StepIdentified, StepNationalityVerified, StepNotified, StepRequested,
	StepAccepted, StepRefused, StepTransferred, StepProsecuted, StepReintegrated, StepReleased}

// next is the repatriation workflow: the steps that may follow each state
// ("" before the first). A refused request may be made again; a
// prosecution ends in release or reintegration.
var next = map[string][]string{
	"":                      {StepIdentified},
	StepIdentified:          {StepNationalityVerified},
	StepNationalityVerified: {StepNotified},
	StepNotified:            {StepRequested},
	StepRequested:           {StepAccepted, StepRefused},
	StepRefused:             {StepRequested},
	StepAccepted:            {StepTransferred},
	StepTransferred:         {StepProsecuted, StepReintegrated, StepReleased},
	StepProsecuted:          {StepReintegrated, StepReleased},
}

// NextSteps returns the steps that may follow state.
func NextSteps(state string) []string { return slices.Clone(next[state]) }

// Side is a party to a repatriation: the member that holds the case (its
// originator or the custodian) or the person's home country.
type Side string

// Sides.
const (
	SideCustodian Side = "custodian"
	SideHome      Side = "home"
)

// WorkflowEvent is one step of a history: a repatriation step of a person,
// a case being closed, an action item's status. Events are appended, never
// changed (retention redacts their documents and reasons).
type WorkflowEvent struct {
	Seq        int64     `json:"seq"`
	Record     string    `json:"record"`            // the case or action item
	Subject    string    `json:"subject,omitempty"` // the person, for a repatriation step
	Kind       string    `json:"kind"`
	State      string    `json:"state"`
	Date       string    `json:"date"`  // YYYY-MM-DD: when it happened
	Actor      string    `json:"actor"` // the user who recorded it
	Member     string    `json:"member"`
	Side       Side      `json:"side,omitempty"`
	Country    string    `json:"country,omitempty"` // nationality verified: the country
	Documents  []string  `json:"documents,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// State returns the state of a history: its latest event's.
func State(history []WorkflowEvent) string {
	if len(history) == 0 {
		return ""
	}
	return history[len(history)-1].State
}

// VerifiedNationality is the country the history's latest verification
// found, or "".
func VerifiedNationality(history []WorkflowEvent) string {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].State == StepNationalityVerified {
			return history[i].Country
		}
	}
	return ""
}

// StepSide says which side takes step after history: the custodian
// identifies and notifies; the home country verifies the nationality and
// decides what follows the transfer; either side requests and transfers;
// the side that did not make the request accepts or refuses it.
func StepSide(step string, history []WorkflowEvent) []Side {
	switch step {
	case StepIdentified, StepNotified:
		return []Side{SideCustodian}
	case StepNationalityVerified, StepProsecuted, StepReintegrated, StepReleased:
		return []Side{SideHome}
	case StepAccepted, StepRefused:
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].State == StepRequested {
				if history[i].Side == SideHome {
					return []Side{SideCustodian}
				}
				return []Side{SideHome}
			}
		}
		return nil
	}
	return []Side{SideCustodian, SideHome}
}

// IsDecision reports whether a step decides a request (a reviewer's act).
func IsDecision(step string) bool { return step == StepAccepted || step == StepRefused }

// CheckStep checks that e may follow history in the repatriation
// workflow: a known step that follows the current state, a date that is
// not before the previous step's nor after today, a verified country for
// a verification, a reason for a refusal, and a side that may take it.
// It names what is wrong.
func CheckStep(history []WorkflowEvent, e *WorkflowEvent, today time.Time) error {
	if !slices.Contains(Steps, e.State) {
		return Errorf(EINVALID, "step %q: want one of %s", e.State, strings.Join(Steps, ", "))
	}
	cur := State(history)
	if !slices.Contains(next[cur], e.State) {
		want := "nothing (the repatriation is complete)"
		if n := next[cur]; len(n) > 0 {
			want = strings.Join(n, " or ")
		}
		from := cur
		if from == "" {
			from = "the start"
		}
		return Errorf(EINVALID, "step %s cannot follow %s: the next step is %s", e.State, from, want)
	}
	d, err := ParseDay(e.Date)
	if err != nil {
		return Errorf(EINVALID, "step %s: date %q: want YYYY-MM-DD", e.State, e.Date)
	}
	if d.After(today) {
		return Errorf(EINVALID, "step %s: date %s is in the future", e.State, e.Date)
	}
	if len(history) > 0 && e.Date < history[len(history)-1].Date {
		return Errorf(EINVALID, "step %s: date %s is before the previous step (%s on %s)", e.State, e.Date, cur, history[len(history)-1].Date)
	}
	if e.State == StepNationalityVerified {
		if _, ok := CountryCode(e.Country); !ok || len(e.Country) != 2 {
			return Errorf(EINVALID, "step %s: country %q: want the ISO 3166 code of the verified nationality", e.State, e.Country)
		}
	} else if e.Country != "" {
		return Errorf(EINVALID, "step %s takes no country", e.State)
	}
	if (e.State == StepRefused || e.State == StepReleased) && strings.TrimSpace(e.Reason) == "" {
		return Errorf(EINVALID, "step %s needs a reason", e.State)
	}
	if !slices.Contains(StepSide(e.State, history), e.Side) {
		return Errorf(EFORBIDDEN, "step %s is not the %s side's to take", e.State, e.Side)
	}
	return nil
}

// ParseDay parses a YYYY-MM-DD date (UTC).
func ParseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// latestBirth is the latest day a person with a birth date of YYYY,
// YYYY-MM or YYYY-MM-DD can have been born.
func latestBirth(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil {
			return time.Time{}, false
		}
		return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), true
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return time.Time{}, false
		}
		return t.AddDate(0, 1, -1), true
	case 10:
		t, err := ParseDay(s)
		return t, err == nil
	}
	return time.Time{}, false
}

// MinorAt reports whether a person born on birthDate (YYYY, YYYY-MM or
// YYYY-MM-DD) may have been under 18 on one of days: a partial date
// counts from the latest day it allows, so a child is never missed.
func MinorAt(birthDate string, days ...time.Time) bool {
	b, ok := latestBirth(birthDate)
	if !ok {
		return false
	}
	adult := b.AddDate(18, 0, 0)
	for _, d := range days {
		if !d.IsZero() && d.Before(adult) {
			return true
		}
	}
	return false
}

// CaseDays are the dates of a case that decide whether a person is a
// minor: since when the persons are held, every step of the case, and
// today while the case is open (its closing day once closed).
func CaseDays(c *Entity, events []WorkflowEvent, today time.Time) []time.Time {
	var out []time.Time
	for _, v := range c.Properties["heldSince"] {
		if t, ok := latestBirth(v); ok {
			out = append(out, t)
		}
	}
	closed := time.Time{}
	for _, e := range events {
		if t, err := ParseDay(e.Date); err == nil {
			out = append(out, t)
		}
		if e.Kind == KindCase {
			closed = time.Time{}
			if e.State == CaseClosed {
				closed = e.RecordedAt
			}
		}
	}
	if closed.IsZero() {
		out = append(out, today)
	} else {
		out = append(out, closed)
	}
	return out
}

// IsMinor reports whether person p of a case is flagged as a minor: under
// 18 at any date of the case (CaseDays), or marked so by the contributor.
func IsMinor(p *Entity, days []time.Time) bool {
	if slices.Contains(p.Properties["minor"], "true") {
		return true
	}
	for _, b := range p.Properties["birthDate"] {
		if MinorAt(b, days...) {
			return true
		}
	}
	return false
}

// TopicMinor marks a record of a minor (a watch record made from a
// minor's case): it never raises a screening alert on its own, and every
// read of it states a purpose.
const TopicMinor = "minor"

// IsMinorRecord reports whether e is marked as a minor's record.
func IsMinorRecord(e *Entity) bool { return slices.Contains(e.Properties["topics"], TopicMinor) }

// Case states (KindCase).
const (
	CaseOpen           = "open"
	CaseClosed         = "closed"
	CaseDepersonalised = "depersonalised"
)

// CaseState is the state of a case from its events: open until closed,
// open again when reopened, depersonalised for good.
func CaseState(events []WorkflowEvent) string {
	st := CaseOpen
	for _, e := range events {
		if e.Kind == KindCase {
			st = e.State
		}
	}
	return st
}

// ClosedAt is when the case was last closed (zero while open).
func ClosedAt(events []WorkflowEvent) time.Time {
	var t time.Time
	for _, e := range events {
		if e.Kind != KindCase {
			continue
		}
		switch e.State {
		case CaseClosed:
			t = e.RecordedAt
		case CaseOpen:
			t = time.Time{}
		}
	}
	return t
}

// RetentionPolicy says how long a member keeps a kind of record in
// person-identifying form: a closed case is depersonalised Months after it
// was closed. Member "*" is the default of members without their own.
type RetentionPolicy struct {
	Member string `json:"member"`
	Kind   string `json:"kind"` // "case"
	Months int    `json:"months"`
}

// RetentionKinds are the kinds of record a policy may govern.
var RetentionKinds = []string{KindCase}

// Due is when a record closed at closed falls due under p.
func (p RetentionPolicy) Due(closed time.Time) time.Time { return closed.AddDate(0, p.Months, 0) }

// Validate checks a policy.
func (p RetentionPolicy) Validate() error {
	if p.Member != "*" && !ValidSlug(p.Member) {
		return Errorf(EINVALID, "retention: member %q", p.Member)
	}
	if !slices.Contains(RetentionKinds, p.Kind) {
		return Errorf(EINVALID, "retention: kind %q (want %s)", p.Kind, strings.Join(RetentionKinds, ", "))
	}
	if p.Months < 0 || p.Months > 1200 {
		return Errorf(EINVALID, "retention: months %d (want 0 to 1200; 0 removes the policy)", p.Months)
	}
	return nil
}

// PolicyFor picks member's policy for kind from ps (its own, else the
// default "*"); ok is false when none applies.
func PolicyFor(ps []RetentionPolicy, member, kind string) (RetentionPolicy, bool) {
	var def *RetentionPolicy
	for i := range ps {
		if ps[i].Kind != kind {
			continue
		}
		if ps[i].Member == member {
			return ps[i], true
		}
		if ps[i].Member == "*" {
			def = &ps[i]
		}
	}
	if def != nil {
		return *def, true
	}
	return RetentionPolicy{}, false
}

// Depersonalisation is what retention does to a case: the names of its
// persons replaced by a reference, every other identifying value removed,
// the documents and reasons of its history redacted.
type Depersonalisation struct {
	Case    string
	Persons map[string]string // person id → the reference that replaces its names
	At      time.Time
}

// KeptProps are the properties of a person a depersonalised case keeps
// (what aggregates count), besides the reference that replaces its names.
var KeptProps = []string{"nationality", "case"}

// KeptCaseProps are the properties of the case itself that stay.
var KeptCaseProps = []string{"location", "locationType", "custodian", "custodianMember", "heldSince",
	"subject", "linkedEntity", "relatedRecord", "relatedCase", "kinship"}

// WorkflowStore keeps the histories of cases and action items. Events are
// read only through a record the reader sees: a hidden record has no
// history (ENOTFOUND, like a missing one).
type WorkflowStore interface {
	// ContributeRecord contributes a record's statements (as Contribute)
	// and appends the first events of its histories, in one transaction.
	ContributeRecord(ctx context.Context, stmts []Statement, events []WorkflowEvent) error
	// AppendEvent appends e when f sees e.Record: check is called with the
	// history of (Record, Subject, Kind) so far, locked against concurrent
	// appends, and an error from it appends nothing. Seq and RecordedAt
	// are set by the store.
	AppendEvent(ctx context.Context, f Filter, e *WorkflowEvent, check func(history []WorkflowEvent) error) error
	// Events returns every event of a record f sees, in order.
	Events(ctx context.Context, f Filter, record string) ([]WorkflowEvent, error)
	// EventsOf returns the events of every record of kind that f sees, in
	// order.
	EventsOf(ctx context.Context, f Filter, kind string) ([]WorkflowEvent, error)
	RetentionPolicies(ctx context.Context) ([]RetentionPolicy, error)
	// PutRetentionPolicy sets a policy (Months 0 removes it).
	PutRetentionPolicy(ctx context.Context, p RetentionPolicy) error
	// Depersonalise applies d in one transaction and records the case as
	// depersonalised; ECONFLICT when it already is.
	Depersonalise(ctx context.Context, d Depersonalisation) error
}
