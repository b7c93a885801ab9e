package concord

import (
	"slices"
	"strings"
	"time"
)

// The coalition's own work: meetings of the coalition or of a group, joint
// statements, decisions and the action items that carry them out. They are
// records like any other (statements with a contributor, an audience and a
// TLP): a group's records are shared with the group, the coalition's with
// the coalition. An action item's status is a history (KindAction).
const (
	SchemaMeeting   = "Meeting"
	SchemaStatement = "JointStatement"
	SchemaDecision  = "Decision"
	SchemaAction    = "ActionItem"
)

// WorkSchemata are the schemata of the coalition's work.
var WorkSchemata = []string{SchemaMeeting, SchemaStatement, SchemaDecision, SchemaAction}

// defWorkSchemata defines them (called by the schema table's init).
func defWorkSchemata() {
	defSchema(SchemaMeeting, false, []string{"Thing"}, map[string]PropType{
		"date": TypeDate, "endDate": TypeDate, "location": TypeString, "host": TypeString, "body": TypeString,
		"chair": TypeString, "participant": TypeString, "agendaItem": TypeText, "document": TypeString,
	})
	defSchema(SchemaStatement, false, []string{"Thing"}, map[string]PropType{
		"meeting": TypeEntity, "date": TypeDate, "text": TypeText, "signatory": TypeString, "body": TypeString,
	})
	defSchema(SchemaDecision, false, []string{"Thing"}, map[string]PropType{
		"meeting": TypeEntity, "date": TypeDate, "body": TypeString, "concerns": TypeString,
	})
	defSchema(SchemaAction, false, []string{"Thing"}, map[string]PropType{
		"decision": TypeEntity, "meeting": TypeEntity, "body": TypeString, "ownerMember": TypeString,
		"ownerGroup": TypeString, "dueDate": TypeDate, "relatedRecord": TypeEntity, "relatedCase": TypeEntity,
	})
}

// Chair is a co-chair of a meeting: the member and the official who chaired.
type Chair struct {
	Member   string `json:"member"`
	Official string `json:"official"` // e.g. "Director General for Foreign and Security Policy"
}

// Meeting is a meeting of the coalition (Body "coalition") or of a group.
type Meeting struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`               // "coalition" or a group id
	Date         string   `json:"date"`               // YYYY-MM-DD
	EndDate      string   `json:"end_date,omitempty"` // the last day of a meeting of several days
	Place        string   `json:"place"`
	Host         string   `json:"host,omitempty"` // member id
	CoChairs     []Chair  `json:"co_chairs,omitempty"`
	Participants []string `json:"participants,omitempty"` // member ids
	Agenda       []string `json:"agenda,omitempty"`
	Documents    []string `json:"documents,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	Source       string   `json:"source,omitempty"` // a public source (URL)
}

// JointStatement is a statement released by members together.
type JointStatement struct {
	ID          string   `json:"id"`
	Meeting     string   `json:"meeting,omitempty"`
	Body        string   `json:"body"`
	Title       string   `json:"title"`
	Date        string   `json:"date"`
	Text        string   `json:"text"`
	Signatories []string `json:"signatories"` // member ids
	Source      string   `json:"source,omitempty"`
}

// Decision is what a body decided, on a date, at a meeting.
type Decision struct {
	ID       string   `json:"id"`
	Meeting  string   `json:"meeting,omitempty"`
	Body     string   `json:"body"`
	Date     string   `json:"date"`
	Title    string   `json:"title"`
	Text     string   `json:"text,omitempty"`
	Concerns []string `json:"concerns,omitempty"` // what it is about: "member:uz", "group:isis-k-dg"
}

// ActionItem is a task that carries out a decision, owned by a member or
// a group, due on a date; its status is its history.
type ActionItem struct {
	ID          string   `json:"id"`
	Decision    string   `json:"decision,omitempty"`
	Meeting     string   `json:"meeting,omitempty"`
	Body        string   `json:"body"` // who sees it: "coalition" or a group id
	Title       string   `json:"title"`
	Text        string   `json:"text,omitempty"`
	OwnerMember string   `json:"owner_member,omitempty"`
	OwnerGroup  string   `json:"owner_group,omitempty"`
	Due         string   `json:"due"`
	Links       []string `json:"links,omitempty"` // records and cases
}

// Action statuses (KindAction).
const (
	ActionOpen       = "open"
	ActionInProgress = "in_progress"
	ActionDone       = "done"
	ActionCancelled  = "cancelled"
)

// ActionStatuses lists them.
var ActionStatuses = []string{ActionOpen, ActionInProgress, ActionDone, ActionCancelled}

var actionNext = map[string][]string{
	ActionOpen:       {ActionInProgress, ActionDone, ActionCancelled},
	ActionInProgress: {ActionDone, ActionCancelled, ActionOpen},
	ActionDone:       {ActionOpen},
	ActionCancelled:  {ActionOpen},
}

// ActionStatus is an action item's status from its history (open first).
func ActionStatus(history []WorkflowEvent) string {
	if s := State(history); s != "" {
		return s
	}
	return ActionOpen
}

// CheckActionStatus checks that status may follow history; a change needs
// a note when it closes the item (done or cancelled).
func CheckActionStatus(history []WorkflowEvent, status, note string) error {
	cur := ActionStatus(history)
	if !slices.Contains(ActionStatuses, status) {
		return Errorf(EINVALID, "status %q: want %s", status, strings.Join(ActionStatuses, ", "))
	}
	if !slices.Contains(actionNext[cur], status) {
		return Errorf(EINVALID, "an action item that is %s cannot become %s (next: %s)", cur, status, strings.Join(actionNext[cur], ", "))
	}
	if (status == ActionDone || status == ActionCancelled) && strings.TrimSpace(note) == "" {
		return Errorf(EINVALID, "marking an action item %s needs a note", status)
	}
	return nil
}

// BodyAudience is the audience of a record of body: the coalition, or the
// group's members.
func BodyAudience(body string) Audience {
	if body == "coalition" {
		return AudienceCoalition
	}
	return GroupAudience(body)
}

// Entity turns a meeting into its record.
func (m *Meeting) Entity() *Entity {
	e := NewEntity(m.ID, SchemaMeeting)
	e.Add("name", m.Title)
	e.Add("body", m.Body)
	e.Add("date", m.Date)
	e.Add("endDate", m.EndDate)
	e.Add("location", m.Place)
	e.Add("host", m.Host)
	for _, c := range m.CoChairs {
		e.Add("chair", c.Member+": "+c.Official)
	}
	e.Add("participant", m.Participants...)
	e.Add("agendaItem", m.Agenda...)
	e.Add("document", m.Documents...)
	e.Add("summary", m.Summary)
	e.Add("sourceUrl", m.Source)
	return e
}

// MeetingOf reads a meeting back from its record.
func MeetingOf(e *Entity) Meeting {
	m := Meeting{ID: e.ID, Title: e.First("name"), Body: e.First("body"), Date: e.First("date"), EndDate: e.First("endDate"),
		Place: e.First("location"), Host: e.First("host"), Participants: e.Properties["participant"], Agenda: e.Properties["agendaItem"],
		Documents: e.Properties["document"], Summary: e.First("summary"), Source: e.First("sourceUrl")}
	for _, c := range e.Properties["chair"] {
		member, official, _ := strings.Cut(c, ": ")
		m.CoChairs = append(m.CoChairs, Chair{Member: member, Official: official})
	}
	return m
}

// Entity turns a joint statement into its record.
func (s *JointStatement) Entity() *Entity {
	e := NewEntity(s.ID, SchemaStatement)
	e.Add("name", s.Title)
	e.Add("meeting", s.Meeting)
	e.Add("body", s.Body)
	e.Add("date", s.Date)
	e.Add("text", s.Text)
	e.Add("signatory", s.Signatories...)
	e.Add("sourceUrl", s.Source)
	return e
}

// StatementOf reads a joint statement back from its record.
func StatementOf(e *Entity) JointStatement {
	return JointStatement{ID: e.ID, Meeting: e.First("meeting"), Body: e.First("body"), Title: e.First("name"), Date: e.First("date"),
		Text: e.First("text"), Signatories: e.Properties["signatory"], Source: e.First("sourceUrl")}
}

// Entity turns a decision into its record.
func (d *Decision) Entity() *Entity {
	e := NewEntity(d.ID, SchemaDecision)
	e.Add("name", d.Title)
	e.Add("meeting", d.Meeting)
	e.Add("body", d.Body)
	e.Add("date", d.Date)
	e.Add("description", d.Text)
	e.Add("concerns", d.Concerns...)
	return e
}

// DecisionOf reads a decision back from its record.
func DecisionOf(e *Entity) Decision {
	return Decision{ID: e.ID, Meeting: e.First("meeting"), Body: e.First("body"), Date: e.First("date"), Title: e.First("name"),
		Text: e.First("description"), Concerns: e.Properties["concerns"]}
}

// Entity turns an action item into its record.
func (a *ActionItem) Entity() *Entity {
	e := NewEntity(a.ID, SchemaAction)
	e.Add("name", a.Title)
	e.Add("decision", a.Decision)
	e.Add("meeting", a.Meeting)
	e.Add("body", a.Body)
	e.Add("description", a.Text)
	e.Add("ownerMember", a.OwnerMember)
	e.Add("ownerGroup", a.OwnerGroup)
	e.Add("dueDate", a.Due)
	e.Add("relatedRecord", a.Links...)
	return e
}

// ActionOf reads an action item back from its record.
func ActionOf(e *Entity) ActionItem {
	return ActionItem{ID: e.ID, Decision: e.First("decision"), Meeting: e.First("meeting"), Body: e.First("body"), Title: e.First("name"),
		Text: e.First("description"), OwnerMember: e.First("ownerMember"), OwnerGroup: e.First("ownerGroup"), Due: e.First("dueDate"),
		Links: e.Properties["relatedRecord"]}
}

// Work is the coalition's work as the default coalition ships it.
type Work struct {
	Meetings   []Meeting        `json:"meetings,omitempty"`
	Statements []JointStatement `json:"statements,omitempty"`
	Decisions  []Decision       `json:"decisions,omitempty"`
	Actions    []ActionItem     `json:"actions,omitempty"`
}

// checkBody checks a body (coalition or a known group).
func checkBody(what, body string, groups map[string]bool) error {
	if body != "coalition" && !groups[body] {
		return Errorf(EINVALID, "%s: body %q is neither the coalition nor a group", what, body)
	}
	return nil
}

func checkDay(what, field, v string, required bool) error {
	if v == "" && !required {
		return nil
	}
	if _, err := ParseDay(v); err != nil {
		return Errorf(EINVALID, "%s: %s %q: want YYYY-MM-DD", what, field, v)
	}
	return nil
}

// ValidateMeeting checks a meeting against the coalition's members and groups.
func ValidateMeeting(m *Meeting, members, groups map[string]bool) error {
	what := "meeting " + m.ID
	if !ValidSlug(m.ID) {
		return Errorf(EINVALID, "meeting id %q: want lower-case letters, digits and dashes", m.ID)
	}
	if strings.TrimSpace(m.Title) == "" || strings.TrimSpace(m.Place) == "" {
		return Errorf(EINVALID, "%s: title and place are required", what)
	}
	if err := checkBody(what, m.Body, groups); err != nil {
		return err
	}
	if err := checkDay(what, "date", m.Date, true); err != nil {
		return err
	}
	if err := checkDay(what, "end_date", m.EndDate, false); err != nil {
		return err
	}
	if m.EndDate != "" && m.EndDate < m.Date {
		return Errorf(EINVALID, "%s: ends (%s) before it starts (%s)", what, m.EndDate, m.Date)
	}
	ids := slices.Clone(m.Participants)
	if m.Host != "" {
		ids = append(ids, m.Host)
	}
	for _, c := range m.CoChairs {
		if strings.TrimSpace(c.Official) == "" {
			return Errorf(EINVALID, "%s: co-chair %s: the official who chaired is required", what, c.Member)
		}
		ids = append(ids, c.Member)
	}
	for _, id := range ids {
		if !members[id] {
			return Errorf(EINVALID, "%s: %q is not a member", what, id)
		}
	}
	return nil
}

// Validate checks the whole of the work against the coalition.
func (w *Work) Validate(c *Coalition) error {
	members, groups := map[string]bool{}, map[string]bool{}
	for _, m := range c.Members {
		members[m.ID] = true
	}
	for _, g := range c.Groups {
		groups[g.ID] = true
	}
	ids := map[string]bool{}
	seen := func(id string) error {
		if !ValidSlug(id) {
			return Errorf(EINVALID, "record id %q: want lower-case letters, digits and dashes", id)
		}
		if ids[id] {
			return Errorf(EINVALID, "record %s listed twice", id)
		}
		ids[id] = true
		return nil
	}
	meetings := map[string]bool{}
	for i := range w.Meetings {
		if err := ValidateMeeting(&w.Meetings[i], members, groups); err != nil {
			return err
		}
		if err := seen(w.Meetings[i].ID); err != nil {
			return err
		}
		meetings[w.Meetings[i].ID] = true
	}
	for _, s := range w.Statements {
		what := "statement " + s.ID
		if err := seen(s.ID); err != nil {
			return err
		}
		if s.Meeting != "" && !meetings[s.Meeting] {
			return Errorf(EINVALID, "%s: unknown meeting %q", what, s.Meeting)
		}
		if err := checkBody(what, s.Body, groups); err != nil {
			return err
		}
		if err := checkDay(what, "date", s.Date, true); err != nil {
			return err
		}
		if strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.Text) == "" || len(s.Signatories) == 0 {
			return Errorf(EINVALID, "%s: title, text and signatories are required", what)
		}
		for _, m := range s.Signatories {
			if !members[m] {
				return Errorf(EINVALID, "%s: signatory %q is not a member", what, m)
			}
		}
	}
	decisions := map[string]bool{}
	for _, d := range w.Decisions {
		what := "decision " + d.ID
		if err := seen(d.ID); err != nil {
			return err
		}
		if d.Meeting != "" && !meetings[d.Meeting] {
			return Errorf(EINVALID, "%s: unknown meeting %q", what, d.Meeting)
		}
		if err := checkBody(what, d.Body, groups); err != nil {
			return err
		}
		if err := checkDay(what, "date", d.Date, true); err != nil {
			return err
		}
		if strings.TrimSpace(d.Title) == "" {
			return Errorf(EINVALID, "%s: what was decided (title) is required", what)
		}
		decisions[d.ID] = true
	}
	for _, a := range w.Actions {
		if err := seen(a.ID); err != nil {
			return err
		}
		if err := ValidateAction(&a, members, groups); err != nil {
			return err
		}
		if a.Decision != "" && !decisions[a.Decision] {
			return Errorf(EINVALID, "action %s: unknown decision %q", a.ID, a.Decision)
		}
	}
	return nil
}

// ValidateAction checks an action item: a title, one owner (a member or a
// group), a due date and a body.
func ValidateAction(a *ActionItem, members, groups map[string]bool) error {
	what := "action " + a.ID
	if strings.TrimSpace(a.Title) == "" {
		return Errorf(EINVALID, "%s: a title is required", what)
	}
	if err := checkBody(what, a.Body, groups); err != nil {
		return err
	}
	switch {
	case (a.OwnerMember == "") == (a.OwnerGroup == ""):
		return Errorf(EINVALID, "%s: one owner, a member or a group", what)
	case a.OwnerMember != "" && !members[a.OwnerMember]:
		return Errorf(EINVALID, "%s: owner %q is not a member", what, a.OwnerMember)
	case a.OwnerGroup != "" && !groups[a.OwnerGroup]:
		return Errorf(EINVALID, "%s: owner %q is not a group", what, a.OwnerGroup)
	}
	return checkDay(what, "due", a.Due, true)
}

// WorkBatch is the default coalition's work as a dataset contributed by
// its secretariat: each record shared with its body, TLP:CLEAR (public
// meetings, statements and decisions). Its statements are seen on the
// work's own date (AsOf), so that every node loading the same file holds
// the same records and an FtM export of one imports unchanged into another.
func (w *Work) WorkBatch(secretariat string, now time.Time) *ImportBatch {
	b := &ImportBatch{Dataset: "coalition-work", Version: now.UTC().Format(time.DateOnly), Source: "default coalition"}
	seen := w.AsOf(now)
	add := func(e *Entity, body string) {
		b.Statements = append(b.Statements, e.Statements(Provenance{Dataset: b.Dataset, SourceRef: "coalition:" + e.ID,
			ContributedBy: secretariat, Audience: BodyAudience(body), Handling: TLPClear, Seen: seen})...)
	}
	for i := range w.Meetings {
		add(w.Meetings[i].Entity(), w.Meetings[i].Body)
	}
	for i := range w.Statements {
		add(w.Statements[i].Entity(), w.Statements[i].Body)
	}
	for i := range w.Decisions {
		add(w.Decisions[i].Entity(), w.Decisions[i].Body)
	}
	for i := range w.Actions {
		add(w.Actions[i].Entity(), w.Actions[i].Body)
	}
	return b
}

// AsOf is the day of the work's latest meeting (its last day), joint
// statement or decision, at midnight UTC; now when none has a date.
func (w *Work) AsOf(now time.Time) time.Time {
	var days []string
	for _, m := range w.Meetings {
		days = append(days, m.Date, m.EndDate)
	}
	for _, s := range w.Statements {
		days = append(days, s.Date)
	}
	for _, d := range w.Decisions {
		days = append(days, d.Date)
	}
	var latest time.Time
	for _, d := range days {
		if t, err := time.Parse(time.DateOnly, d); err == nil && t.After(latest) {
			latest = t
		}
	}
	if latest.IsZero() {
		return now
	}
	return latest
}
