package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
)

// StepInput is a repatriation step as a member records it.
type StepInput struct {
	Step      string   `json:"step"`
	Date      string   `json:"date"`              // YYYY-MM-DD (default today)
	Country   string   `json:"country,omitempty"` // nationality_verified: the verified nationality
	Documents []string `json:"documents,omitempty"`
	Reason    string   `json:"reason,omitempty"`
}

// MaxDocuments bounds the documents of a step.
const MaxDocuments = 20

// Step records the next step of person's repatriation in a case, for v's
// member. Only the parties to the case act, each on its side's steps
// (access.StepSide); the step must follow the person's state
// (concord.CheckStep). Nothing moves on its own: every step is a person's.
func (s *Service) Step(ctx context.Context, v access.Viewer, caseID, personID string, in StepInput) (*concord.WorkflowEvent, error) {
	if !v.Can(access.Contribute) && !v.Can(access.Review) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "recording a repatriation step needs the analyst or reviewer role")
	}
	cv, err := s.loadCase(ctx, v, caseID)
	if err != nil {
		return nil, Hidden(err, "case")
	}
	var p *concord.Entity
	for _, pv := range cv.Persons {
		if pv.ID == personID {
			p = pv.Person
		}
	}
	if p == nil {
		return nil, NotFound("person " + personID + " of the case")
	}
	if cv.Status != concord.CaseOpen {
		return nil, concord.Errorf(concord.ECONFLICT, "case %s is %s: reopen it to record a step", caseID, cv.Status)
	}
	today := s.now().Now().UTC()
	if in.Date == "" {
		in.Date = today.Format(time.DateOnly)
	}
	docs, err := cleanList("documents", in.Documents, MaxDocuments)
	if err != nil {
		return nil, err
	}
	if len(in.Reason) > MaxReason {
		return nil, concord.Errorf(concord.EINVALID, "reason: at most %d bytes", MaxReason)
	}
	country := strings.ToUpper(strings.TrimSpace(in.Country))
	if cc, ok := concord.CountryCode(in.Country); ok {
		country = cc
	}
	e := &concord.WorkflowEvent{Record: caseID, Subject: personID, Kind: concord.KindRepatriation, State: in.Step,
		Date: in.Date, Actor: v.User, Member: v.Member, Country: country, Documents: docs, Reason: strings.TrimSpace(in.Reason)}
	member, err := s.Store.Member(ctx, v.Member)
	if err != nil {
		return nil, err
	}
	check := func(history []concord.WorkflowEvent) error {
		inv, err := s.involvement(ctx, cv.Originator, cv.Case.First("custodianMember"), p, history)
		if err != nil {
			return err
		}
		side, ok := access.StepSide(v, inv, in.Step, history)
		if !ok {
			if !slices.Contains(concord.Steps, in.Step) {
				return concord.CheckStep(history, e, today)
			}
			return concord.Errorf(concord.EFORBIDDEN, "step %s: only the members involved in this repatriation take it (%s), and a decision on a request is a reviewer's", in.Step, sidesOf(in.Step, history))
		}
		e.Side = side
		if in.Step == concord.StepNationalityVerified && !strings.EqualFold(member.Country, country) {
			return concord.Errorf(concord.EFORBIDDEN, "step %s: a nationality is verified by that country's member (%s is %s)", in.Step, v.Member, member.Country)
		}
		return concord.CheckStep(history, e, today)
	}
	if err := s.Store.AppendEvent(ctx, v.Filter(), e, check); err != nil {
		return nil, Hidden(err, "case")
	}
	return e, nil
}

func sidesOf(step string, history []concord.WorkflowEvent) string {
	var out []string
	for _, sd := range concord.StepSide(step, history) {
		out = append(out, string(sd)+" side")
	}
	if len(out) == 0 {
		return "no side: there is no request to decide"
	}
	return strings.Join(out, " or ")
}

// cleanList trims, drops empty and bounds a list of short values.
func cleanList(field string, vals []string, most int) ([]string, error) {
	var out []string
	for _, d := range vals {
		if d = strings.TrimSpace(d); d != "" {
			if len(d) > 500 {
				return nil, concord.Errorf(concord.EINVALID, "%s: values of at most 500 bytes", field)
			}
			out = append(out, d)
		}
	}
	if len(out) > most {
		return nil, concord.Errorf(concord.EINVALID, "%s: at most %d", field, most)
	}
	return out, nil
}

// SetCaseStatus closes or reopens a case: its originator's analysts do,
// with a reason. A closed case falls under its member's retention policy.
func (s *Service) SetCaseStatus(ctx context.Context, v access.Viewer, caseID, status, reason string) (*concord.WorkflowEvent, error) {
	if err := Need(v, access.Contribute, "closing or reopening cases"); err != nil {
		return nil, err
	}
	if status != concord.CaseClosed && status != concord.CaseOpen {
		return nil, concord.Errorf(concord.EINVALID, "status %q: want closed or open", status)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > MaxReason {
		return nil, concord.Errorf(concord.EINVALID, "a reason is required (at most %d bytes)", MaxReason)
	}
	cv, err := s.loadCase(ctx, v, caseID)
	if err != nil {
		return nil, Hidden(err, "case")
	}
	if cv.Originator != v.Member {
		return nil, concord.Errorf(concord.EFORBIDDEN, "only the member that recorded the case closes or reopens it")
	}
	e := &concord.WorkflowEvent{Record: caseID, Kind: concord.KindCase, State: status, Date: s.now().Now().UTC().Format(time.DateOnly),
		Actor: v.User, Member: v.Member, Side: concord.SideCustodian, Reason: reason}
	err = s.Store.AppendEvent(ctx, v.Filter(), e, func(h []concord.WorkflowEvent) error {
		switch cur := concord.CaseState(h); {
		case cur == concord.CaseDepersonalised:
			return concord.Errorf(concord.ECONFLICT, "case %s is depersonalised: it stays closed", caseID)
		case cur == status:
			return concord.Errorf(concord.ECONFLICT, "case %s is %s already", caseID, status)
		}
		return nil
	})
	if err != nil {
		return nil, Hidden(err, "case")
	}
	return e, nil
}

// WatchID is the id of the watch record member keeps of a case's person.
func WatchID(member, personID string) string { return "watch-" + member + "-" + personID }

// watchProps are the values of a person that its watch record copies:
// names and documents, and what qualifies a match.
var watchProps = []string{"name", "alias", "firstName", "lastName", "fatherName", "motherName",
	"birthDate", "birthPlace", "nationality", "gender", "passportNumber", "idNumber"}

// Watch puts a person of a case on v's member's watch, or takes it off:
// a Person record of the member (audience member:<v.Member>, TLP
// AMBER+STRICT) with the person's names and documents, which the match
// index takes up like any record the member contributes, so that the
// person's travel raises an alert for that member only. A repatriated
// (transferred) or released person only; a minor's record is marked so
// that it never raises an alert on its own.
func (s *Service) Watch(ctx context.Context, v access.Viewer, caseID, personID string, on bool, purpose string) (string, error) {
	if err := Need(v, access.Contribute, "watching persons"); err != nil {
		return "", err
	}
	cv, err := s.Case(ctx, v, caseID, purpose)
	if err != nil {
		return "", err
	}
	var pv *PersonView
	for i := range cv.Persons {
		if cv.Persons[i].ID == personID {
			pv = &cv.Persons[i]
		}
	}
	if pv == nil {
		return "", NotFound("person " + personID + " of the case")
	}
	id := WatchID(v.Member, personID)
	ev := &concord.WorkflowEvent{Record: caseID, Subject: personID, Kind: concord.KindWatch, Date: s.now().Now().UTC().Format(time.DateOnly),
		Actor: v.User, Member: v.Member, Reason: strings.TrimSpace(purpose)}
	if !on {
		if !pv.Watched {
			return "", concord.Errorf(concord.ECONFLICT, "person %s is not on %s's watch", personID, v.Member)
		}
		sts, err := s.Store.Statements(ctx, concord.Filter{Member: v.Member}, id)
		if err != nil {
			return "", Hidden(err, "watch record")
		}
		var ids []string
		for _, st := range sts {
			ids = append(ids, st.ID)
		}
		if err := s.Store.Retract(ctx, v.Member, ids); err != nil {
			return "", err
		}
		ev.State = concord.WatchOff
	} else {
		if !access.CanWatch(v, pv.State) || !cv.Involvement.Involved(v.Member) {
			return "", concord.Errorf(concord.EFORBIDDEN, "a person is put on watch by a member involved in the case once transferred home or released (state: %s)", pv.State)
		}
		if pv.Watched {
			return "", concord.Errorf(concord.ECONFLICT, "person %s is on %s's watch already", personID, v.Member)
		}
		e := concord.NewEntity(id, "Person")
		for _, prop := range watchProps {
			e.Add(prop, pv.Person.Properties[prop]...)
		}
		if vn := pv.VerifiedNationality; vn != "" {
			e.Add("nationality", vn)
		}
		e.Add("topics", "watch")
		if pv.Minor {
			e.Add("topics", concord.TopicMinor)
		}
		e.Add("notes", "on watch from case "+caseID+" (person "+personID+", "+pv.State+")")
		stmts := e.Statements(concord.Provenance{Dataset: "watch-" + v.Member, SourceRef: "case:" + caseID + "/" + personID,
			ContributedBy: v.Member, Audience: concord.MemberAudience(v.Member), Handling: concord.TLPAmberStrict, Seen: s.now().Now()})
		if err := s.Store.Contribute(ctx, stmts); err != nil {
			return "", err
		}
		ev.State = concord.WatchOn
	}
	s.changed(id)
	if err := s.Store.AppendEvent(ctx, v.Filter(), ev, nil); err != nil {
		return "", Hidden(err, "case")
	}
	return id, nil
}

// CaseQuery narrows a case list.
type CaseQuery struct {
	Status  string // open, closed, depersonalised; "" all
	State   string // a person's repatriation state
	Purpose string // names of minors are shown only with a purpose
	Limit   int
}

// CaseSummary is one line of a case list.
type CaseSummary struct {
	ID           string          `json:"id"`
	Location     string          `json:"location"`
	LocationType string          `json:"location_type"`
	Custodian    string          `json:"custodian"`
	HeldSince    string          `json:"held_since,omitempty"`
	Originator   string          `json:"originator"`
	Status       string          `json:"status"`
	Persons      []PersonSummary `json:"persons"`
}

// PersonSummary is a person in a case list: a minor's caption is
// withheld unless the list was asked with a purpose.
type PersonSummary struct {
	ID          string   `json:"id"`
	Caption     string   `json:"caption"`
	Minor       bool     `json:"minor"`
	State       string   `json:"state"`
	Nationality []string `json:"nationality,omitempty"`
}

// WithheldCaption stands for a minor's name in lists read without a
// purpose.
const WithheldCaption = "(minor: name withheld)"

// Cases lists the cases v sees, newest first, audited (with the purpose,
// when one is given).
func (s *Service) Cases(ctx context.Context, v access.Viewer, q CaseQuery) ([]CaseSummary, error) {
	if err := Need(v, access.Read, "reading cases"); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	ids, err := s.caseIDs(ctx, v)
	if err != nil {
		return nil, err
	}
	out := []CaseSummary{}
	for i := len(ids) - 1; i >= 0 && len(out) < q.Limit; i-- {
		cv, err := s.loadCase(ctx, v, ids[i])
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if q.Status != "" && cv.Status != q.Status {
			continue
		}
		cs := CaseSummary{ID: cv.ID, Location: cv.Case.First("location"), LocationType: cv.Case.First("locationType"),
			Custodian: cv.Case.First("custodian"), HeldSince: cv.Case.First("heldSince"), Originator: cv.Originator, Status: cv.Status}
		keep := q.State == ""
		for _, p := range cv.Persons {
			ps := PersonSummary{ID: p.ID, Caption: p.Caption, Minor: p.Minor, State: p.State, Nationality: p.Person.Properties["nationality"]}
			if p.Minor && strings.TrimSpace(q.Purpose) == "" {
				ps.Caption = WithheldCaption
			}
			keep = keep || p.State == q.State
			cs.Persons = append(cs.Persons, ps)
		}
		if keep {
			out = append(out, cs)
		}
	}
	detail := "cases=" + strconv.Itoa(len(out)) + " purpose=" + strconv.Quote(strings.TrimSpace(q.Purpose))
	if err := s.Audit(ctx, "case.list", q.Status, detail); err != nil {
		return nil, err
	}
	return out, nil
}

// caseIDs lists the ids of the cases v sees, oldest first.
func (s *Service) caseIDs(ctx context.Context, v access.Viewer) ([]string, error) {
	var ids []string
	err := s.Store.EachEntity(ctx, v.Filter(), concord.EntityQuery{Schemata: []string{concord.SchemaCase}, Props: []string{"location"}}, func(e *concord.Entity) error {
		ids = append(ids, e.ID)
		return nil
	})
	return ids, err
}

// eachCase calls fn with every case v sees, oldest first, loading one at a
// time so that memory stays bounded by the largest case, not by their
// number; a case gone since its id was read is skipped.
func (s *Service) eachCase(ctx context.Context, v access.Viewer, ids []string, fn func(*CaseView) error) error {
	for _, id := range ids {
		cv, err := s.loadCase(ctx, v, id)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(cv); err != nil {
			return err
		}
	}
	return nil
}

// ExportCases streams the cases v sees: for each, the case, its persons
// and kinship (entity), then its history (event). An export states its
// purpose, and is audited with it before the first record.
func (s *Service) ExportCases(ctx context.Context, v access.Viewer, purpose string, entity func(*concord.Entity) error, event func(*concord.WorkflowEvent) error) error {
	if err := Need(v, access.Export, "exporting cases"); err != nil {
		return err
	}
	purpose = strings.TrimSpace(purpose)
	if purpose == "" || len(purpose) > 500 {
		return concord.Errorf(concord.EINVALID, "an export of cases states its purpose (purpose, at most 500 bytes)")
	}
	ids, err := s.caseIDs(ctx, v)
	if err != nil {
		return err
	}
	if err := s.Audit(ctx, "case.export", "", "cases="+strconv.Itoa(len(ids))+" purpose="+strconv.Quote(purpose)); err != nil {
		return err
	}
	return s.eachCase(ctx, v, ids, func(cv *CaseView) error {
		if err := entity(cv.Case); err != nil {
			return err
		}
		for _, p := range cv.Persons {
			if err := entity(p.Person); err != nil {
				return err
			}
		}
		for _, k := range cv.Kinship {
			if err := entity(k); err != nil {
				return err
			}
		}
		for i := range cv.history {
			if err := event(&cv.history[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
