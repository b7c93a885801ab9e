package pnr

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"concord"
	"concord/access"
)

// PutRule defines or replaces a scenario rule of v's member. The rule is
// checked (CheckRule): protected characteristics and dropped data are
// refused.
func (s *Service) PutRule(ctx context.Context, v access.Viewer, r concord.PNRRule) (*concord.PNRRule, error) {
	if !v.Can(access.ManagePNRRules) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "defining scenario rules needs the analyst role and the write scope")
	}
	if err := CheckRule(&r, s.deny); err != nil {
		return nil, err
	}
	if r.ID == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		r.ID = "rule-" + hex.EncodeToString(b[:])
	}
	r.Member, r.CreatedBy = v.Member, v.User
	if err := s.store.PutPNRRule(ctx, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Rules lists the rules of v's member.
func (s *Service) Rules(ctx context.Context, v access.Viewer) ([]concord.PNRRule, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	return s.store.PNRRules(ctx, m)
}

// DeleteRule deletes a rule of v's member.
func (s *Service) DeleteRule(ctx context.Context, v access.Viewer, id string) error {
	if !v.Can(access.ManagePNRRules) {
		return concord.Errorf(concord.EFORBIDDEN, "deleting scenario rules needs the analyst role and the write scope")
	}
	return s.store.DeletePNRRule(ctx, v.Member, id)
}

// Hits lists the rule hits of v's member. Audited.
func (s *Service) Hits(ctx context.Context, v access.Viewer, q concord.RuleHitQuery) ([]concord.RuleHit, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	q.Member = m
	hs, err := s.store.RuleHits(ctx, q)
	if err != nil {
		return nil, err
	}
	return hs, s.store.Audit(ctx, "pnr.hits", q.RuleID, "")
}

// DecideHit confirms or dismisses a rule hit of v's member, with a reason.
// A hit raises a question for a person; nothing acts on it.
func (s *Service) DecideHit(ctx context.Context, v access.Viewer, id int64, status, reason string) error {
	if !v.Can(access.Review) {
		return concord.Errorf(concord.EFORBIDDEN, "deciding a rule hit needs the reviewer role and the review scope")
	}
	if err := concord.CheckText(reason, MaxReason, true); err != nil {
		return concord.Errorf(concord.EINVALID, "rule hit %d: reason: %v", id, err)
	}
	return s.store.DecideRuleHit(ctx, v.Member, id, status, v.User, strings.TrimSpace(reason))
}

// RuleRate is a rule's hit rate for one nationality.
type RuleRate struct {
	concord.RuleStat
	Rate float64 `json:"rate"` // hits / evaluated
}

// RuleRates are a rule's hit rates by nationality, and over all: shown to
// the member so that disproportion is visible.
type RuleRates struct {
	Rule          concord.PNRRule `json:"rule"`
	All           RuleRate        `json:"all"`
	ByNationality []RuleRate      `json:"by_nationality"`
}

// Rates returns a rule's hit rates by nationality.
func (s *Service) Rates(ctx context.Context, v access.Viewer, ruleID string) (*RuleRates, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	rules, err := s.store.PNRRules(ctx, m)
	if err != nil {
		return nil, err
	}
	out := &RuleRates{ByNationality: []RuleRate{}}
	found := false
	for _, r := range rules {
		if r.ID == ruleID {
			out.Rule, found = r, true
		}
	}
	if !found {
		return nil, concord.Errorf(concord.ENOTFOUND, "rule %q not found", ruleID)
	}
	stats, err := s.store.RuleStats(ctx, m, ruleID)
	if err != nil {
		return nil, err
	}
	out.All.RuleID = ruleID
	for _, st := range stats {
		out.ByNationality = append(out.ByNationality, RuleRate{RuleStat: st, Rate: rate(st.Hits, st.Evaluated)})
		out.All.Evaluated += st.Evaluated
		out.All.Hits += st.Hits
	}
	out.All.Rate = rate(out.All.Hits, out.All.Evaluated)
	return out, nil
}

func rate(hits, evaluated int) float64 {
	if evaluated == 0 {
		return 0
	}
	return float64(int(float64(hits)/float64(evaluated)*10000+0.5)) / 10000
}
