package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
)

// TaskForce is the group a case is shared with by default: the Syria and
// Iraq task force of the default coalition.
const TaskForce = "tf-syria-iraq"

// NewCase is a case as a member records it: where the persons are held,
// by whom and since when, the persons, their family links and the records
// it is linked to. Audience and Handling may be empty: the defaults of
// access.CaseDefaults apply (stricter when a person is a minor).
type NewCase struct {
	Location        string       `json:"location"`
	LocationType    string       `json:"location_type"` // camp, prison, detention facility
	Custodian       string       `json:"custodian"`
	CustodianMember string       `json:"custodian_member,omitempty"`
	HeldSince       string       `json:"held_since"` // YYYY, YYYY-MM or YYYY-MM-DD
	Identified      string       `json:"identified"` // YYYY-MM-DD: the first step's date (default today)
	Notes           string       `json:"notes,omitempty"`
	Persons         []NewPerson  `json:"persons"`
	Kinship         []NewKinship `json:"kinship,omitempty"`
	LinkedEntities  []string     `json:"linked_entities,omitempty"` // listed entities
	RelatedRecords  []string     `json:"related_records,omitempty"` // members' records
	RelatedCases    []string     `json:"related_cases,omitempty"`
	Audience        string       `json:"audience,omitempty"`
	Handling        string       `json:"handling,omitempty"`
}

// NewPerson is one person of a case with identity as recorded.
type NewPerson struct {
	Names       []string `json:"names"` // in any script; the first is the caption
	FirstName   string   `json:"first_name,omitempty"`
	LastName    string   `json:"last_name,omitempty"`
	FatherName  string   `json:"father_name,omitempty"`
	MotherName  string   `json:"mother_name,omitempty"`
	BirthDate   string   `json:"birth_date,omitempty"`
	BirthPlace  string   `json:"birth_place,omitempty"`
	Gender      string   `json:"gender,omitempty"`
	Nationality []string `json:"nationality,omitempty"` // claimed
	Passports   []string `json:"passports,omitempty"`
	IDNumbers   []string `json:"id_numbers,omitempty"`
	PDQ         []string `json:"pdq,omitempty"`   // photographs, as PDQ hashes only
	Minor       bool     `json:"minor,omitempty"` // assessed a minor whatever the birth date
}

// NewKinship links two persons of a new case by their positions:
// Relative is Person's Relationship (persons[1] is persons[0]'s child).
type NewKinship struct {
	Person       int    `json:"person"`
	Relative     int    `json:"relative"`
	Relationship string `json:"relationship"`
}

var pdqRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// PersonView is a person of a case as the viewer sees it.
type PersonView struct {
	ID                  string                  `json:"id"`
	Caption             string                  `json:"caption"`
	Person              *concord.Entity         `json:"person,omitempty"` // nil when withheld
	Minor               bool                    `json:"minor"`
	State               string                  `json:"state"`
	VerifiedNationality string                  `json:"verified_nationality,omitempty"`
	History             []concord.WorkflowEvent `json:"history"`
	Next                []string                `json:"next"`     // steps of the workflow after State
	CanTake             []string                `json:"can_take"` // of those, the ones the viewer may take
	CanWatch            bool                    `json:"can_watch"`
	Watched             bool                    `json:"watched"` // on the viewer's member's watch
}

// CaseView is a case as the viewer sees it.
type CaseView struct {
	ID          string                  `json:"id"`
	Case        *concord.Entity         `json:"case"`
	Originator  string                  `json:"originator"`
	Audience    concord.Audience        `json:"audience"`
	Handling    concord.TLP             `json:"handling"`
	Status      string                  `json:"status"`
	ClosedAt    *time.Time              `json:"closed_at,omitempty"`
	Minors      int                     `json:"minors"`
	Persons     []PersonView            `json:"persons"`
	Kinship     []*concord.Entity       `json:"kinship"`
	Events      []concord.WorkflowEvent `json:"events"` // the case's own: opened, closed, reopened
	Involvement access.Involvement      `json:"involvement"`
	CanClose    bool                    `json:"can_close"`
	// history is every event of the case the viewer sees, in order (the
	// export's history lines).
	history []concord.WorkflowEvent
}

func newRecordID(prefix, member string) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + "-" + member + "-" + hex.EncodeToString(b), nil
}

// homeMembers are the state members of the given countries.
func (s *Service) homeMembers(ctx context.Context, countries []string) ([]string, error) {
	ms, err := s.Store.Members(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		if m.Kind != "organisation" && m.Country != "" && slices.ContainsFunc(countries, func(c string) bool { return strings.EqualFold(c, m.Country) }) {
			out = append(out, m.ID)
		}
	}
	return out, nil
}

func checkDate(field, v string) error {
	if v == "" {
		return nil
	}
	if ok, _ := regexp.MatchString(`^\d{4}(-\d{2}(-\d{2})?)?$`, v); !ok {
		return concord.Errorf(concord.EINVALID, "%s %q: want YYYY, YYYY-MM or YYYY-MM-DD", field, v)
	}
	return nil
}

// person builds the Detainee entity of p, checking every value.
func person(id, caseID string, i int, p NewPerson) (*concord.Entity, error) {
	at := "persons[" + strconv.Itoa(i) + "]"
	e := concord.NewEntity(id, concord.SchemaDetainee)
	for _, n := range p.Names {
		if n = strings.TrimSpace(n); n != "" {
			e.Add("name", Truncate(n, MaxValueLen))
		}
	}
	if len(e.Properties["name"]) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "%s: at least one name", at)
	}
	e.Add("firstName", strings.TrimSpace(p.FirstName))
	e.Add("lastName", strings.TrimSpace(p.LastName))
	e.Add("fatherName", strings.TrimSpace(p.FatherName))
	e.Add("motherName", strings.TrimSpace(p.MotherName))
	if err := checkDate(at+": birth_date", p.BirthDate); err != nil {
		return nil, err
	}
	e.Add("birthDate", p.BirthDate)
	e.Add("birthPlace", strings.TrimSpace(p.BirthPlace))
	switch g := strings.ToLower(strings.TrimSpace(p.Gender)); g {
	case "", "male", "female", "other":
		e.Add("gender", g)
	default:
		return nil, concord.Errorf(concord.EINVALID, "%s: gender %q (want male, female or other)", at, p.Gender)
	}
	for _, n := range p.Nationality {
		cc, ok := concord.CountryCode(n)
		if !ok {
			return nil, concord.Errorf(concord.EINVALID, "%s: nationality %q: unknown country", at, n)
		}
		e.Add("nationality", cc)
	}
	for _, d := range p.Passports {
		e.Add("passportNumber", strings.ToUpper(strings.TrimSpace(d)))
	}
	for _, d := range p.IDNumbers {
		e.Add("idNumber", strings.TrimSpace(d))
	}
	for _, h := range p.PDQ {
		h = strings.ToLower(strings.TrimSpace(h))
		if !pdqRE.MatchString(h) {
			return nil, concord.Errorf(concord.EINVALID, "%s: pdq %q: want a PDQ hash (64 hex digits); photographs are never stored", at, Truncate(h, 80))
		}
		e.Add("pdqHash", h)
	}
	if p.Minor {
		e.Add("minor", "true")
	}
	e.Add("case", caseID)
	return e, nil
}

// CreateCase records a case for v's member: its statements (the case, its
// persons, their kinship) and the first step of every person's
// repatriation ("identified"), in one transaction.
func (s *Service) CreateCase(ctx context.Context, v access.Viewer, c NewCase) (*CaseView, error) {
	caseID, stmts, evs, err := s.prepareCase(ctx, v, c)
	if err != nil {
		return nil, err
	}
	if err := s.Store.ContributeRecord(ctx, stmts, evs); err != nil {
		return nil, err
	}
	return s.caseView(ctx, v, caseID, "recorded by the originator")
}

// prepareCase checks a new case and builds its statements and first events.
func (s *Service) prepareCase(ctx context.Context, v access.Viewer, c NewCase) (string, []concord.Statement, []concord.WorkflowEvent, error) {
	if err := Need(v, access.Contribute, "recording cases"); err != nil {
		return "", nil, nil, err
	}
	today := s.now().Now().UTC()
	if c.Identified == "" {
		c.Identified = today.Format(time.DateOnly)
	}
	ident, err := concord.ParseDay(c.Identified)
	if err != nil {
		return "", nil, nil, concord.Errorf(concord.EINVALID, "identified %q: want YYYY-MM-DD", c.Identified)
	}
	if ident.After(today) {
		return "", nil, nil, concord.Errorf(concord.EINVALID, "identified %s is in the future", c.Identified)
	}
	if strings.TrimSpace(c.Location) == "" {
		return "", nil, nil, concord.Errorf(concord.EINVALID, "location is required (the camp, prison or facility)")
	}
	if !slices.Contains(concord.LocationTypes, c.LocationType) {
		return "", nil, nil, concord.Errorf(concord.EINVALID, "location_type %q: want %s", c.LocationType, strings.Join(concord.LocationTypes, ", "))
	}
	if err := checkDate("held_since", c.HeldSince); err != nil {
		return "", nil, nil, err
	}
	if len(c.Persons) == 0 || len(c.Persons) > 50 {
		return "", nil, nil, concord.Errorf(concord.EINVALID, "persons: 1 to 50")
	}
	if c.CustodianMember != "" {
		if _, err := s.Store.Member(ctx, c.CustodianMember); err != nil {
			return "", nil, nil, concord.Errorf(concord.EINVALID, "custodian_member %q is not a member", c.CustodianMember)
		}
	}
	caseID, err := newRecordID("case", v.Member)
	if err != nil {
		return "", nil, nil, err
	}
	ce := concord.NewEntity(caseID, concord.SchemaCase)
	ce.Add("location", strings.TrimSpace(c.Location))
	ce.Add("locationType", c.LocationType)
	ce.Add("custodian", strings.TrimSpace(c.Custodian))
	ce.Add("custodianMember", c.CustodianMember)
	ce.Add("heldSince", c.HeldSince)
	ce.Add("notes", strings.TrimSpace(c.Notes))
	f := v.Filter()
	for _, group := range [][]string{c.LinkedEntities, c.RelatedRecords, c.RelatedCases} {
		for _, id := range group {
			if _, err := s.Store.Entity(ctx, f, id); err != nil {
				return "", nil, nil, Hidden(err, "linked record "+id)
			}
		}
	}
	ce.Add("linkedEntity", c.LinkedEntities...)
	ce.Add("relatedRecord", c.RelatedRecords...)
	ce.Add("relatedCase", c.RelatedCases...)

	var persons []*concord.Entity
	var countries []string
	minor := false
	days := []time.Time{ident, today}
	if t, ok := dayOf(c.HeldSince); ok {
		days = append(days, t)
	}
	for i, p := range c.Persons {
		id, err := newRecordID("det", v.Member)
		if err != nil {
			return "", nil, nil, err
		}
		pe, err := person(id, caseID, i, p)
		if err != nil {
			return "", nil, nil, err
		}
		persons = append(persons, pe)
		ce.Add("subject", id)
		countries = append(countries, pe.Properties["nationality"]...)
		minor = minor || concord.IsMinor(pe, days)
	}
	var kin []*concord.Entity
	for i, k := range c.Kinship {
		if k.Person < 0 || k.Person >= len(persons) || k.Relative < 0 || k.Relative >= len(persons) || k.Person == k.Relative {
			return "", nil, nil, concord.Errorf(concord.EINVALID, "kinship[%d]: person and relative are two positions in persons", i)
		}
		if !slices.Contains(concord.Relationships, k.Relationship) {
			return "", nil, nil, concord.Errorf(concord.EINVALID, "kinship[%d]: relationship %q (want %s)", i, k.Relationship, strings.Join(concord.Relationships, ", "))
		}
		id, err := newRecordID("kin", v.Member)
		if err != nil {
			return "", nil, nil, err
		}
		ke := concord.NewEntity(id, concord.SchemaKinship)
		ke.Add("person", persons[k.Person].ID)
		ke.Add("relative", persons[k.Relative].ID)
		ke.Add("relationship", k.Relationship)
		ke.Add("case", caseID)
		kin = append(kin, ke)
		ce.Add("kinship", id)
	}
	home, err := s.homeMembers(ctx, countries)
	if err != nil {
		return "", nil, nil, err
	}
	aud, hdl := access.CaseDefaults(v, minor, home, TaskForce)
	if c.Audience != "" || c.Handling != "" {
		if aud, err = concord.ParseAudience(c.Audience); err != nil {
			return "", nil, nil, err
		}
		if hdl, err = concord.ParseTLP(c.Handling); err != nil {
			return "", nil, nil, err
		}
		if err := access.ValidateCaseShare(v, aud, hdl, home); err != nil {
			return "", nil, nil, err
		}
	}
	prov := concord.Provenance{Dataset: "cases-" + v.Member, SourceRef: v.Member + ":" + caseID, ContributedBy: v.Member,
		Audience: aud, Handling: hdl, Seen: s.now().Now()}
	stmts := ce.Statements(prov)
	for _, e := range append(persons, kin...) {
		stmts = append(stmts, e.Statements(prov)...)
	}
	evs := []concord.WorkflowEvent{{Record: caseID, Kind: concord.KindCase, State: concord.CaseOpen, Date: c.Identified,
		Actor: v.User, Member: v.Member, Side: concord.SideCustodian}}
	for _, p := range persons {
		evs = append(evs, concord.WorkflowEvent{Record: caseID, Subject: p.ID, Kind: concord.KindRepatriation,
			State: concord.StepIdentified, Date: c.Identified, Actor: v.User, Member: v.Member, Side: concord.SideCustodian})
	}
	return caseID, stmts, evs, nil
}

func dayOf(s string) (time.Time, bool) {
	switch len(s) {
	case 4:
		t, err := time.Parse("2006", s)
		return t, err == nil
	case 7:
		t, err := time.Parse("2006-01", s)
		return t, err == nil
	}
	t, err := concord.ParseDay(s)
	return t, err == nil
}

// MinorPurpose is the message of a read of a minor's records without a
// stated purpose.
const MinorPurpose = "this case concerns a minor: state the purpose of the read (purpose)"

// Case returns a case as v sees it. A case with a minor is read only with
// a stated purpose; every read is audited with its purpose.
func (s *Service) Case(ctx context.Context, v access.Viewer, id, purpose string) (*CaseView, error) {
	if err := Need(v, access.Read, "reading cases"); err != nil {
		return nil, err
	}
	purpose = strings.TrimSpace(purpose)
	if len(purpose) > 500 {
		return nil, concord.Errorf(concord.EINVALID, "purpose: at most 500 bytes")
	}
	cv, err := s.loadCase(ctx, v, id)
	detail := "purpose=" + strconv.Quote(purpose)
	switch {
	case err != nil && concord.ErrorCode(err) != concord.ENOTFOUND:
		return nil, err
	case err != nil:
		detail += " not_found"
	case cv.Minors > 0 && purpose == "":
		detail += " refused: minor, no purpose"
	case cv.Minors > 0:
		detail += " minors=" + strconv.Itoa(cv.Minors)
	}
	if aerr := s.Audit(ctx, "case.read", id, detail); aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, NotFound("case")
	}
	if cv.Minors > 0 && purpose == "" {
		return nil, concord.Errorf(concord.EINVALID, MinorPurpose)
	}
	return cv, nil
}

// caseView reads a case the viewer just wrote (no purpose asked: the
// writer states it), audited with why.
func (s *Service) caseView(ctx context.Context, v access.Viewer, id, why string) (*CaseView, error) {
	cv, err := s.loadCase(ctx, v, id)
	if err != nil {
		return nil, Hidden(err, "case")
	}
	if err := s.Audit(ctx, "case.read", id, "purpose="+strconv.Quote(why)); err != nil {
		return nil, err
	}
	return cv, nil
}

// loadCase assembles the case through v's filter.
func (s *Service) loadCase(ctx context.Context, v access.Viewer, id string) (*CaseView, error) {
	f := v.Filter()
	stmts, err := s.Store.Statements(ctx, f, id)
	if err != nil {
		return nil, err
	}
	ce := concord.Assemble(stmts)[0]
	if ce.Schema != concord.SchemaCase {
		return nil, NotFound("case")
	}
	cv := &CaseView{ID: id, Case: ce, Status: concord.CaseOpen, Persons: []PersonView{}, Kinship: []*concord.Entity{}, Events: []concord.WorkflowEvent{}}
	for _, st := range stmts {
		if st.Prop == "id" {
			cv.Originator, cv.Audience, cv.Handling = st.ContributedBy, st.Audience, st.Handling
			break
		}
	}
	evs, err := s.Store.Events(ctx, f, id)
	if err != nil {
		return nil, err
	}
	cv.Status, cv.history = concord.CaseState(evs), evs
	if t := concord.ClosedAt(evs); !t.IsZero() {
		cv.ClosedAt = &t
	}
	hist := map[string][]concord.WorkflowEvent{}
	watched := map[string]bool{}
	for _, e := range evs {
		switch e.Kind {
		case concord.KindRepatriation:
			hist[e.Subject] = append(hist[e.Subject], e)
		case concord.KindWatch:
			if e.Member == v.Member {
				watched[e.Subject] = e.State == concord.WatchOn
			}
		case concord.KindCase:
			cv.Events = append(cv.Events, e)
		}
	}
	ids := append(slices.Clone(ce.Properties["subject"]), ce.Properties["kinship"]...)
	byID := map[string]*concord.Entity{}
	if len(ids) > 0 {
		if err := s.Store.EachEntity(ctx, f, concord.EntityQuery{IDs: ids}, func(e *concord.Entity) error {
			byID[e.ID] = e
			return nil
		}); err != nil {
			return nil, err
		}
	}
	days := concord.CaseDays(ce, evs, s.now().Now().UTC())
	cv.Involvement = access.Involvement{Originator: cv.Originator, Custodian: ce.First("custodianMember")}
	for _, pid := range ce.Properties["subject"] {
		p := byID[pid]
		if p == nil || p.Schema != concord.SchemaDetainee {
			continue
		}
		h := hist[pid]
		pv := PersonView{ID: pid, Caption: p.Caption(), Person: p, Minor: concord.IsMinor(p, days), State: concord.State(h),
			VerifiedNationality: concord.VerifiedNationality(h), History: h, Next: concord.NextSteps(concord.State(h)), Watched: watched[pid]}
		if pv.History == nil {
			pv.History = []concord.WorkflowEvent{}
		}
		if pv.Minor {
			cv.Minors++
		}
		in, err := s.involvement(ctx, cv.Originator, ce.First("custodianMember"), p, h)
		if err != nil {
			return nil, err
		}
		cv.Involvement.Home = append(cv.Involvement.Home, in.Home...)
		pv.CanTake = []string{}
		if cv.Status == concord.CaseOpen {
			for _, st := range pv.Next {
				if _, ok := access.StepSide(v, in, st, h); ok {
					pv.CanTake = append(pv.CanTake, st)
				}
			}
		}
		pv.CanWatch = access.CanWatch(v, pv.State) && in.Involved(v.Member) && !pv.Watched && cv.Status != concord.CaseDepersonalised
		cv.Persons = append(cv.Persons, pv)
	}
	cv.Involvement.Home = slices.Compact(slices.Sorted(slices.Values(cv.Involvement.Home)))
	for _, kid := range ce.Properties["kinship"] {
		if k := byID[kid]; k != nil {
			cv.Kinship = append(cv.Kinship, k)
		}
	}
	cv.CanClose = v.Can(access.Contribute) && v.Member == cv.Originator && cv.Status != concord.CaseDepersonalised
	return cv, nil
}

// involvement is who takes part in person p's repatriation: the home
// country is the verified nationality once verified, else the claimed ones.
func (s *Service) involvement(ctx context.Context, originator, custodian string, p *concord.Entity, h []concord.WorkflowEvent) (access.Involvement, error) {
	countries := p.Properties["nationality"]
	if vn := concord.VerifiedNationality(h); vn != "" {
		countries = []string{vn}
	}
	home, err := s.homeMembers(ctx, countries)
	return access.Involvement{Originator: originator, Custodian: custodian, Home: home}, err
}

// CaseImport is what ImportCases did.
type CaseImport struct {
	Cases map[string]string `json:"cases"` // id in the file → new id
	// Steps are the history lines not replayed: a later step is the act of
	// the party that takes it, never of the importer.
	Steps int `json:"steps_not_imported"`
}

// ImportCases records the cases of an export (FtM Case, Detainee and
// Kinship records, and history lines) as v's member's, with new ids, their
// first step on the date the file gives, all in one transaction: a file
// with one bad case changes nothing. Audience and handling apply to every
// case (empty: each case's default).
func (s *Service) ImportCases(ctx context.Context, v access.Viewer, es []*concord.Entity, evs []concord.WorkflowEvent, audience, handling string) (*CaseImport, error) {
	byID := map[string]*concord.Entity{}
	for _, e := range es {
		byID[e.ID] = e
	}
	identified := map[string]string{}
	rep := &CaseImport{Cases: map[string]string{}}
	for _, e := range evs {
		if e.Kind == concord.KindRepatriation && e.State == concord.StepIdentified {
			if d := identified[e.Record]; d == "" || e.Date < d {
				identified[e.Record] = e.Date
			}
		} else if e.Kind == concord.KindRepatriation {
			rep.Steps++
		}
	}
	var stmts []concord.Statement
	var first []concord.WorkflowEvent
	for _, ce := range es {
		if ce.Schema != concord.SchemaCase {
			continue
		}
		c := NewCase{Location: ce.First("location"), LocationType: ce.First("locationType"), Custodian: ce.First("custodian"),
			CustodianMember: ce.First("custodianMember"), HeldSince: ce.First("heldSince"), Identified: identified[ce.ID],
			Notes: ce.First("notes"), Audience: audience, Handling: handling, LinkedEntities: ce.Properties["linkedEntity"]}
		pos := map[string]int{}
		for _, pid := range ce.Properties["subject"] {
			p := byID[pid]
			if p == nil || p.Schema != concord.SchemaDetainee {
				return nil, concord.Errorf(concord.EINVALID, "case %s: person %s is not in the file", ce.ID, pid)
			}
			pos[pid] = len(c.Persons)
			c.Persons = append(c.Persons, NewPerson{Names: p.Properties["name"], FirstName: p.First("firstName"), LastName: p.First("lastName"),
				FatherName: p.First("fatherName"), MotherName: p.First("motherName"), BirthDate: p.First("birthDate"), BirthPlace: p.First("birthPlace"),
				Gender: p.First("gender"), Nationality: p.Properties["nationality"], Passports: p.Properties["passportNumber"],
				IDNumbers: p.Properties["idNumber"], PDQ: p.Properties["pdqHash"], Minor: p.First("minor") == "true"})
		}
		for _, kid := range ce.Properties["kinship"] {
			k := byID[kid]
			if k == nil || k.Schema != concord.SchemaKinship {
				return nil, concord.Errorf(concord.EINVALID, "case %s: kinship %s is not in the file", ce.ID, kid)
			}
			a, aok := pos[k.First("person")]
			b, bok := pos[k.First("relative")]
			if !aok || !bok {
				return nil, concord.Errorf(concord.EINVALID, "case %s: kinship %s links persons of another case", ce.ID, kid)
			}
			c.Kinship = append(c.Kinship, NewKinship{Person: a, Relative: b, Relationship: k.First("relationship")})
		}
		id, st, ev, err := s.prepareCase(ctx, v, c)
		if err != nil {
			return nil, &concord.Error{Code: concord.ErrorCode(err), Message: "case " + ce.ID + ": " + concord.ErrorMessage(err), Err: err}
		}
		rep.Cases[ce.ID] = id
		stmts = append(stmts, st...)
		first = append(first, ev...)
	}
	if len(rep.Cases) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "no Case record in the file")
	}
	if err := s.Store.ContributeRecord(ctx, stmts, first); err != nil {
		return nil, err
	}
	return rep, nil
}
