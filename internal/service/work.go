package service

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/internal/ical"
)

// WorkRecord is a new meeting, joint statement, decision or action item
// (exactly one of them) and its handling (default GREEN).
type WorkRecord struct {
	Meeting   *concord.Meeting        `json:"meeting,omitempty"`
	Statement *concord.JointStatement `json:"statement,omitempty"`
	Decision  *concord.Decision       `json:"decision,omitempty"`
	Action    *concord.ActionItem     `json:"action,omitempty"`
	Handling  string                  `json:"handling,omitempty"`
}

// ActionView is an action item with its status as the viewer sees it.
type ActionView struct {
	concord.ActionItem
	Status    string                  `json:"status"`
	History   []concord.WorkflowEvent `json:"history"`
	Overdue   bool                    `json:"overdue"`
	DueSoon   bool                    `json:"due_soon"` // within ReminderDays
	CanUpdate bool                    `json:"can_update"`
}

// MeetingView is a meeting with what came of it, as the viewer sees it.
type MeetingView struct {
	concord.Meeting
	Audience   concord.Audience         `json:"audience"`
	Statements []concord.JointStatement `json:"statements"`
	Decisions  []concord.Decision       `json:"decisions"`
	Actions    []ActionView             `json:"actions"`
}

// ReminderDays is how far ahead an action item's due date reminds.
const ReminderDays = 14

func (s *Service) coalitionMaps(ctx context.Context) (map[string]bool, map[string]bool, []concord.Group, error) {
	ms, err := s.Store.Members(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	members, groups := map[string]bool{}, map[string]bool{}
	for _, m := range ms {
		members[m.ID] = true
	}
	for _, g := range gs {
		groups[g.ID] = true
	}
	return members, groups, gs, nil
}

// RecordWork records one meeting, joint statement, decision or action item
// for v's member, shared with its body (the coalition or a group): the
// secretariat records any, an analyst of a group's lead member the group's.
func (s *Service) RecordWork(ctx context.Context, v access.Viewer, r WorkRecord) (string, error) {
	members, groups, gs, err := s.coalitionMaps(ctx)
	if err != nil {
		return "", err
	}
	n := 0
	for _, p := range []bool{r.Meeting != nil, r.Statement != nil, r.Decision != nil, r.Action != nil} {
		if p {
			n++
		}
	}
	if n != 1 {
		return "", concord.Errorf(concord.EINVALID, "one record: meeting, statement, decision or action")
	}
	h := concord.TLPGreen
	if r.Handling != "" {
		if h, err = concord.ParseTLP(r.Handling); err != nil {
			return "", err
		}
	}
	if err := access.WorkHandling(h); err != nil {
		return "", err
	}
	var e *concord.Entity
	var body, prefix string
	f := v.Filter()
	linked := func(id, schema string) error {
		if id == "" {
			return nil
		}
		x, err := s.Store.Entity(ctx, f, id)
		if err != nil || x.Schema != schema {
			return NotFound(strings.ToLower(schema) + " " + id)
		}
		return nil
	}
	switch {
	case r.Meeting != nil:
		m := r.Meeting
		prefix, body = "meeting", m.Body
		if m.ID == "" {
			m.ID = "pending"
		}
		if err := concord.ValidateMeeting(m, members, groups); err != nil {
			return "", err
		}
		e = m.Entity()
	case r.Statement != nil:
		st := r.Statement
		prefix, body = "statement", st.Body
		w := concord.Work{Statements: []concord.JointStatement{*st}}
		w.Statements[0].Meeting, w.Statements[0].ID = "", "pending"
		if err := w.Validate(&concord.Coalition{Members: memberList(members), Groups: gs}); err != nil {
			return "", err
		}
		if err := linked(st.Meeting, concord.SchemaMeeting); err != nil {
			return "", err
		}
		e = st.Entity()
	case r.Decision != nil:
		d := r.Decision
		prefix, body = "decision", d.Body
		w := concord.Work{Decisions: []concord.Decision{*d}}
		w.Decisions[0].Meeting, w.Decisions[0].ID = "", "pending"
		if err := w.Validate(&concord.Coalition{Members: memberList(members), Groups: gs}); err != nil {
			return "", err
		}
		if err := linked(d.Meeting, concord.SchemaMeeting); err != nil {
			return "", err
		}
		e = d.Entity()
	default:
		a := r.Action
		prefix, body = "action", a.Body
		if err := concord.ValidateAction(a, members, groups); err != nil {
			return "", err
		}
		if err := linked(a.Decision, concord.SchemaDecision); err != nil {
			return "", err
		}
		if err := linked(a.Meeting, concord.SchemaMeeting); err != nil {
			return "", err
		}
		for _, l := range a.Links {
			if _, err := s.Store.Entity(ctx, f, l); err != nil {
				return "", Hidden(err, "linked record "+l)
			}
		}
		e = a.Entity()
	}
	if !access.CanRecordWork(v, body, gs) {
		return "", concord.Errorf(concord.EFORBIDDEN, "the coalition's work is recorded by the secretariat, a group's by the analysts of its leads")
	}
	if !slices.Contains(v.Audiences(), concord.BodyAudience(body)) && !v.Can(access.ManageCoalition) {
		return "", concord.Errorf(concord.EFORBIDDEN, "you can record only the work of your groups")
	}
	id, err := newRecordID(prefix, v.Member)
	if err != nil {
		return "", err
	}
	e.ID = id
	stmts := e.Statements(concord.Provenance{Dataset: "work-" + v.Member, SourceRef: v.Member + ":" + id, ContributedBy: v.Member,
		Audience: concord.BodyAudience(body), Handling: h, Seen: s.now().Now()})
	var evs []concord.WorkflowEvent
	if r.Action != nil {
		evs = append(evs, concord.WorkflowEvent{Record: id, Kind: concord.KindAction, State: concord.ActionOpen,
			Date: s.now().Now().UTC().Format(time.DateOnly), Actor: v.User, Member: v.Member})
	}
	if err := s.Store.ContributeRecord(ctx, stmts, evs); err != nil {
		return "", err
	}
	return id, nil
}

func memberList(m map[string]bool) []concord.Member {
	out := make([]concord.Member, 0, len(m))
	for id := range m {
		out = append(out, concord.Member{ID: id})
	}
	return out
}

// workEntities reads every visible record of schema.
func (s *Service) workEntities(ctx context.Context, v access.Viewer, schema string) ([]*concord.Entity, error) {
	var out []*concord.Entity
	err := s.Store.EachEntity(ctx, v.Filter(), concord.EntityQuery{Schemata: []string{schema}}, func(e *concord.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Meetings lists the meetings v sees, newest first. Audited.
func (s *Service) Meetings(ctx context.Context, v access.Viewer, body string) ([]concord.Meeting, error) {
	if err := Need(v, access.Read, "reading meetings"); err != nil {
		return nil, err
	}
	es, err := s.workEntities(ctx, v, concord.SchemaMeeting)
	if err != nil {
		return nil, err
	}
	out := []concord.Meeting{}
	for _, e := range es {
		if m := concord.MeetingOf(e); body == "" || m.Body == body {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b concord.Meeting) int { return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(a.ID, b.ID)) })
	return out, s.Audit(ctx, "meeting.list", body, "meetings="+strconv.Itoa(len(out)))
}

// Meeting returns a meeting with its statements, decisions and action
// items, as v sees them. Audited; hidden is missing.
func (s *Service) Meeting(ctx context.Context, v access.Viewer, id string) (*MeetingView, error) {
	if err := Need(v, access.Read, "reading meetings"); err != nil {
		return nil, err
	}
	stmts, err := s.Store.Statements(ctx, v.Filter(), id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	found := err == nil && concord.Assemble(stmts)[0].Schema == concord.SchemaMeeting
	detail := ""
	if !found {
		detail = "not_found"
	}
	if err := s.Audit(ctx, "meeting.read", id, detail); err != nil {
		return nil, err
	}
	if !found {
		return nil, NotFound("meeting")
	}
	mv := &MeetingView{Meeting: concord.MeetingOf(concord.Assemble(stmts)[0]), Audience: stmts[0].Audience,
		Statements: []concord.JointStatement{}, Decisions: []concord.Decision{}, Actions: []ActionView{}}
	sts, err := s.workEntities(ctx, v, concord.SchemaStatement)
	if err != nil {
		return nil, err
	}
	for _, e := range sts {
		if js := concord.StatementOf(e); js.Meeting == id {
			mv.Statements = append(mv.Statements, js)
		}
	}
	ds, err := s.workEntities(ctx, v, concord.SchemaDecision)
	if err != nil {
		return nil, err
	}
	for _, e := range ds {
		if d := concord.DecisionOf(e); d.Meeting == id {
			mv.Decisions = append(mv.Decisions, d)
		}
	}
	acts, err := s.actionViews(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		if a.Meeting == id || slices.ContainsFunc(mv.Decisions, func(d concord.Decision) bool { return d.ID == a.Decision }) {
			mv.Actions = append(mv.Actions, a)
		}
	}
	return mv, nil
}

// Decisions lists the decisions v sees, newest first, with the joint
// statements. Audited.
func (s *Service) Decisions(ctx context.Context, v access.Viewer) ([]concord.Decision, []concord.JointStatement, error) {
	if err := Need(v, access.Read, "reading decisions"); err != nil {
		return nil, nil, err
	}
	ds, err := s.workEntities(ctx, v, concord.SchemaDecision)
	if err != nil {
		return nil, nil, err
	}
	sts, err := s.workEntities(ctx, v, concord.SchemaStatement)
	if err != nil {
		return nil, nil, err
	}
	out, js := []concord.Decision{}, []concord.JointStatement{}
	for _, e := range ds {
		out = append(out, concord.DecisionOf(e))
	}
	for _, e := range sts {
		js = append(js, concord.StatementOf(e))
	}
	slices.SortStableFunc(out, func(a, b concord.Decision) int { return cmp.Compare(b.Date, a.Date) })
	slices.SortStableFunc(js, func(a, b concord.JointStatement) int { return cmp.Compare(b.Date, a.Date) })
	return out, js, s.Audit(ctx, "decision.list", "", "decisions="+strconv.Itoa(len(out)))
}

// actionViews reads every action item v sees with its status.
func (s *Service) actionViews(ctx context.Context, v access.Viewer) ([]ActionView, error) {
	es, err := s.workEntities(ctx, v, concord.SchemaAction)
	if err != nil {
		return nil, err
	}
	evs, err := s.Store.EventsOf(ctx, v.Filter(), concord.KindAction)
	if err != nil {
		return nil, err
	}
	hist := map[string][]concord.WorkflowEvent{}
	for _, e := range evs {
		hist[e.Record] = append(hist[e.Record], e)
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	today := s.now().Now().UTC().Format(time.DateOnly)
	soon := s.now().Now().UTC().AddDate(0, 0, ReminderDays).Format(time.DateOnly)
	out := []ActionView{}
	for _, e := range es {
		a := concord.ActionOf(e)
		h := hist[a.ID]
		if h == nil {
			h = []concord.WorkflowEvent{}
		}
		av := ActionView{ActionItem: a, Status: concord.ActionStatus(h), History: h, CanUpdate: access.CanUpdateAction(v, a, gs)}
		live := av.Status == concord.ActionOpen || av.Status == concord.ActionInProgress
		av.Overdue = live && a.Due < today
		av.DueSoon = live && !av.Overdue && a.Due <= soon
		out = append(out, av)
	}
	slices.SortFunc(out, func(a, b ActionView) int { return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// ActionQuery narrows the action items listed.
type ActionQuery struct {
	Group  string // the group's actions (owned by it or belonging to it), across members
	Mine   bool   // owned by v's member or one of its groups
	Status string
}

// Actions lists the action items v sees, by due date. Audited.
func (s *Service) Actions(ctx context.Context, v access.Viewer, q ActionQuery) ([]ActionView, error) {
	if err := Need(v, access.Read, "reading action items"); err != nil {
		return nil, err
	}
	all, err := s.actionViews(ctx, v)
	if err != nil {
		return nil, err
	}
	out := []ActionView{}
	for _, a := range all {
		if q.Group != "" && a.OwnerGroup != q.Group && a.Body != q.Group {
			continue
		}
		if q.Mine && a.OwnerMember != v.Member && !slices.Contains(v.Groups, a.OwnerGroup) {
			continue
		}
		if q.Status != "" && a.Status != q.Status {
			continue
		}
		out = append(out, a)
	}
	return out, s.Audit(ctx, "action.list", q.Group, "actions="+strconv.Itoa(len(out)))
}

// Reminders are the open action items of v's member (owned by it or by one
// of its groups, and those of the groups it leads) that are overdue or due
// within ReminderDays.
func (s *Service) Reminders(ctx context.Context, v access.Viewer) ([]ActionView, error) {
	if err := Need(v, access.Read, "reading action items"); err != nil {
		return nil, err
	}
	all, err := s.actionViews(ctx, v)
	if err != nil {
		return nil, err
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := []ActionView{}
	for _, a := range all {
		mine := a.OwnerMember == v.Member || slices.Contains(v.Groups, a.OwnerGroup) || (a.Body != "coalition" && access.Leads(v, gs, a.Body))
		if mine && (a.Overdue || a.DueSoon) {
			out = append(out, a)
		}
	}
	return out, nil
}

// SetActionStatus changes an action item's status, with a note (required
// to close it), for those access.CanUpdateAction allows.
func (s *Service) SetActionStatus(ctx context.Context, v access.Viewer, id, status, note string) (*concord.WorkflowEvent, error) {
	if err := Need(v, access.Read, "updating action items"); err != nil {
		return nil, err
	}
	e, err := s.Store.Entity(ctx, v.Filter(), id)
	if err != nil || e.Schema != concord.SchemaAction {
		return nil, NotFound("action item")
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	if !access.CanUpdateAction(v, concord.ActionOf(e), gs) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "an action item is updated by its owner (a member's analysts, a group's members), the leads of its group or the secretariat")
	}
	if len(note) > MaxReason {
		return nil, concord.Errorf(concord.EINVALID, "note: at most %d bytes", MaxReason)
	}
	ev := &concord.WorkflowEvent{Record: id, Kind: concord.KindAction, State: status, Date: s.now().Now().UTC().Format(time.DateOnly),
		Actor: v.User, Member: v.Member, Reason: strings.TrimSpace(note)}
	err = s.Store.AppendEvent(ctx, v.Filter(), ev, func(h []concord.WorkflowEvent) error {
		return concord.CheckActionStatus(h, status, note)
	})
	if err != nil {
		return nil, Hidden(err, "action item")
	}
	return ev, nil
}

// Calendar is the iCalendar feed of v's member: the meetings v sees, and
// the due dates of the action items of its member, its groups and the
// groups it leads. Audited.
func (s *Service) Calendar(ctx context.Context, v access.Viewer, w io.Writer) error {
	ms, err := s.Meetings(ctx, v, "")
	if err != nil {
		return err
	}
	acts, err := s.actionViews(ctx, v)
	if err != nil {
		return err
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return err
	}
	cal := ical.Calendar{ProdID: "-//Concord//Coalition calendar//EN", Name: "Concord: " + v.Member, Stamp: s.now().Now()}
	for _, m := range ms {
		start, _ := concord.ParseDay(m.Date)
		end, _ := concord.ParseDay(m.EndDate)
		desc := m.Summary
		for _, c := range m.CoChairs {
			desc += "\nCo-chair: " + c.Official + " (" + c.Member + ")"
		}
		cal.Events = append(cal.Events, ical.Event{UID: m.ID + "@concord", Start: start, End: end, Summary: m.Title,
			Location: m.Place, Description: strings.TrimSpace(desc), URL: m.Source})
	}
	status := map[string]string{concord.ActionOpen: "NEEDS-ACTION", concord.ActionInProgress: "IN-PROCESS",
		concord.ActionDone: "COMPLETED", concord.ActionCancelled: "CANCELLED"}
	n := 0
	for _, a := range acts {
		if a.OwnerMember != v.Member && !slices.Contains(v.Groups, a.OwnerGroup) && !(a.Body != "coalition" && access.Leads(v, gs, a.Body)) {
			continue
		}
		due, err := concord.ParseDay(a.Due)
		if err != nil {
			continue
		}
		owner := a.OwnerMember
		if owner == "" {
			owner = "group " + a.OwnerGroup
		}
		cal.Todos = append(cal.Todos, ical.Todo{UID: a.ID + "@concord", Due: due, Summary: a.Title,
			Description: strings.TrimSpace(a.Text + "\nOwner: " + owner), Status: status[a.Status]})
		n++
	}
	if err := s.Audit(ctx, "calendar", v.Member, "meetings="+strconv.Itoa(len(ms))+" actions="+strconv.Itoa(n)); err != nil {
		return err
	}
	return cal.Write(w)
}
