package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"concord"
	"concord/access"
)

// Aggregate dimensions.
var StatDimensions = []string{"nationality", "location", "status"}

// CaseTable is a count of the persons of the cases a viewer sees by one
// dimension, with small cells suppressed (access.Suppress).
type CaseTable struct {
	By    string        `json:"by"`
	Cells []access.Cell `json:"cells"`
	Total string        `json:"total"`
}

// CaseStats counts the persons of the cases v sees by nationality (the
// verified one, else the claimed one, else "unknown"), location or
// repatriation status, for the secretariat and the leads of task forces.
// Cells under 5 show as "<5": a count never identifies a person.
func (s *Service) CaseStats(ctx context.Context, v access.Viewer, by string) (*CaseTable, error) {
	if !slices.Contains(StatDimensions, by) {
		return nil, concord.Errorf(concord.EINVALID, "by %q: want nationality, location or status", by)
	}
	groups, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	if !access.CanAggregate(v, groups) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "case statistics are for the secretariat and the leads of task forces")
	}
	ids, err := s.caseIDs(ctx, v)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	err = s.eachCase(ctx, v, ids, func(cv *CaseView) error {
		for _, p := range cv.Persons {
			switch by {
			case "location":
				counts[cv.Case.First("location")]++
			case "status":
				st := p.State
				if cv.Status == concord.CaseClosed || cv.Status == concord.CaseDepersonalised {
					st += " (case " + cv.Status + ")"
				}
				counts[st]++
			default:
				n := p.VerifiedNationality
				if n == "" {
					n = p.Person.First("nationality")
				}
				if n == "" {
					n = "unknown"
				}
				counts[n]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cells, total := access.Suppress(counts)
	if err := s.Audit(ctx, "case.stats", by, "cells="+strconv.Itoa(len(cells))); err != nil {
		return nil, err
	}
	return &CaseTable{By: by, Cells: cells, Total: total}, nil
}

// RetentionPolicies lists the retention policies (any reader: they are
// the coalition's rules, not records).
func (s *Service) RetentionPolicies(ctx context.Context, v access.Viewer) ([]concord.RetentionPolicy, error) {
	if err := Need(v, access.Read, "reading retention policies"); err != nil {
		return nil, err
	}
	return s.Store.RetentionPolicies(ctx)
}

// SetRetention sets a retention policy: the secretariat for any member and
// the default "*", a member's administrator for its own.
func (s *Service) SetRetention(ctx context.Context, v access.Viewer, p concord.RetentionPolicy) error {
	if !access.CanSetRetention(v, p.Member) {
		return concord.Errorf(concord.EFORBIDDEN, "a retention policy is set by the secretariat, or by a member's administrator for its own member")
	}
	return s.Store.PutRetentionPolicy(ctx, p)
}

// RetentionReport is what one run of the retention job did.
type RetentionReport struct {
	At             time.Time `json:"at"`
	Depersonalised []string  `json:"depersonalised"`
	// Kept are closed cases that are due but stay as they are, and why.
	Kept map[string]string `json:"kept"`
	// Next is when the next closed case falls due (zero: none is waiting).
	Next time.Time `json:"next,omitzero"`
}

// RunRetention applies the members' retention policies at now: every
// closed case of a member with a policy for cases, due (closed at least
// Months ago) and linked to no open case and no listed entity, is
// depersonalised (concord.Depersonalisation). It runs as the system (the
// scheduled job of concord serve, or concord retention run); each case it
// changes is one audited write.
func (s *Service) RunRetention(ctx context.Context, now time.Time) (*RetentionReport, error) {
	rep := &RetentionReport{At: now, Depersonalised: []string{}, Kept: map[string]string{}}
	policies, err := s.Store.RetentionPolicies(ctx)
	if err != nil {
		return nil, err
	}
	var cases []string
	if err := s.Store.EachEntity(ctx, concord.System, concord.EntityQuery{Schemata: []string{concord.SchemaCase}, Props: []string{"location"}}, func(e *concord.Entity) error {
		cases = append(cases, e.ID)
		return nil
	}); err != nil {
		return nil, err
	}
	states := map[string]string{}
	person := map[string]string{} // person → its case
	type closed struct {
		id, originator string
		at             time.Time
		ce             *concord.Entity
		watched        bool
	}
	var due []closed
	var kin map[string][]string // read once, when a case is first due
	for _, id := range cases {
		stmts, err := s.Store.Statements(ctx, concord.System, id)
		if err != nil {
			return nil, err
		}
		ce := concord.Assemble(stmts)[0]
		evs, err := s.Store.Events(ctx, concord.System, id)
		if err != nil {
			return nil, err
		}
		states[id] = concord.CaseState(evs)
		for _, p := range ce.Properties["subject"] {
			person[p] = id
		}
		if states[id] != concord.CaseClosed {
			continue
		}
		watch := map[string]bool{}
		for _, e := range evs {
			if e.Kind == concord.KindWatch {
				watch[e.Subject+"\x00"+e.Member] = e.State == concord.WatchOn
			}
		}
		c := closed{id: id, originator: stmts[0].ContributedBy, at: concord.ClosedAt(evs), ce: ce}
		for _, w := range watch {
			c.watched = c.watched || w
		}
		due = append(due, c)
	}
	for _, c := range due {
		p, ok := concord.PolicyFor(policies, c.originator, concord.KindCase)
		if !ok {
			continue
		}
		when := p.Due(c.at)
		if now.Before(when) {
			if rep.Next.IsZero() || when.Before(rep.Next) {
				rep.Next = when
			}
			continue
		}
		if kin == nil {
			if kin, err = s.relatives(ctx); err != nil {
				return nil, err
			}
		}
		why, err := s.linked(ctx, c.ce, c.watched, states, person, kin)
		if err != nil {
			return nil, err
		}
		if why != "" {
			rep.Kept[c.id] = why
			continue
		}
		d := concord.Depersonalisation{Case: c.id, Persons: map[string]string{}, At: now}
		for i, pid := range c.ce.Properties["subject"] {
			d.Persons[pid] = fmt.Sprintf("%s person %d", c.id, i+1)
		}
		if err := s.Store.Depersonalise(ctx, d); err != nil {
			if concord.ErrorCode(err) == concord.ECONFLICT {
				continue // another node did it
			}
			return nil, err
		}
		rep.Depersonalised = append(rep.Depersonalised, c.id)
	}
	return rep, nil
}

// relatives maps each person of a Kinship record to the persons it links
// them to, both ways: read once per run of the retention job, not once
// per due case.
func (s *Service) relatives(ctx context.Context) (map[string][]string, error) {
	kin := map[string][]string{}
	err := s.Store.EachEntity(ctx, concord.System, concord.EntityQuery{Schemata: []string{concord.SchemaKinship}}, func(k *concord.Entity) error {
		a, b := k.First("person"), k.First("relative")
		kin[a] = append(kin[a], b)
		kin[b] = append(kin[b], a)
		return nil
	})
	return kin, err
}

// linked says why a closed case must keep its persons' identities: a
// related case still open, a person related by kinship (kin, from
// relatives) to a person of an open case, a listed entity (one of a
// published list) it is linked to, a person still on a member's watch; ""
// when nothing holds it.
func (s *Service) linked(ctx context.Context, ce *concord.Entity, watched bool, states, caseOf map[string]string, kin map[string][]string) (string, error) {
	if watched {
		return "a person is on a member's watch", nil
	}
	for _, rc := range ce.Properties["relatedCase"] {
		if st, ok := states[rc]; ok && st == concord.CaseOpen {
			return "linked to open case " + rc, nil
		}
	}
	listed := concord.Filter{Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}
	for _, le := range ce.Properties["linkedEntity"] {
		if _, err := s.Store.Entity(ctx, listed, le); err == nil {
			return "linked to listed entity " + le, nil
		} else if concord.ErrorCode(err) != concord.ENOTFOUND {
			return "", err
		}
	}
	// Kinship across cases: a relative of this case's persons in an open one.
	mine := map[string]bool{}
	for _, p := range ce.Properties["subject"] {
		mine[p] = true
	}
	for _, p := range ce.Properties["subject"] {
		for _, r := range kin[p] {
			if c := caseOf[r]; !mine[r] && c != "" && states[c] == concord.CaseOpen {
				return "a relative is in open case " + c, nil
			}
		}
	}
	return "", nil
}
