package concord

import (
	"regexp"
	"slices"
	"strings"
)

// Member is a participating state or agency of the coalition.
type Member struct {
	ID      string `json:"id"`             // stable slug, e.g. "es", "uz", "us-state"
	Kind    string `json:"kind,omitempty"` // "state" (default) or "organisation" (EU, INTERPOL, ...)
	Country string `json:"country"`        // ISO 3166-1 alpha-2, upper case; empty for organisations
	Agency  string `json:"agency"`         // e.g. "Ministry of Foreign Affairs"
	Name    string `json:"name"`           // display name, e.g. "Spain"
	Region  string `json:"region,omitempty"`
	Joined  string `json:"joined,omitempty"` // YYYY or YYYY-MM-DD
	CoChair bool   `json:"co_chair,omitempty"`
	// HighRisk are the countries (ISO 3166-1 alpha-2, lower case) the
	// member treats as high-risk for payments: a party, account or agent
	// tied to one raises a lower-priority flag when the member screens.
	HighRisk []string `json:"high_risk,omitempty"`
}

// Group kinds.
const (
	GroupTaskForce    = "task_force"
	GroupWorkingGroup = "working_group"
	GroupLineOfEffort = "line_of_effort"
	GroupInitiative   = "initiative"
)

// GroupKinds lists the valid kinds of group.
var GroupKinds = []string{GroupTaskForce, GroupWorkingGroup, GroupLineOfEffort, GroupInitiative}

// Group is a named, versioned audience: a regional task force, a working
// group, a line of effort or an initiative, with members and leads.
type Group struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Description string   `json:"description,omitempty"`
	Members     []string `json:"members"`         // member ids
	Leads       []string `json:"leads,omitempty"` // member ids, each also a member
	Partners    []string `json:"partners,omitempty"`
	Version     int      `json:"version"` // incremented by the store on every change
}

// Coalition is the whole membership: what the default data file describes.
type Coalition struct {
	Name     string   `json:"name"`
	AsOf     string   `json:"as_of"`
	Source   string   `json:"source,omitempty"`
	CoChairs []string `json:"co_chairs"`
	Members  []Member `json:"members"`
	Groups   []Group  `json:"groups"`
	// Work is the coalition's meetings, joint statements, decisions and
	// action items that ship with it (loaded as records, not as members).
	Work
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidSlug reports whether s can be a member or group id.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Validate checks a member.
func (m *Member) Validate() error {
	if !ValidSlug(m.ID) {
		return Errorf(EINVALID, "member id %q: want lower-case letters, digits and dashes", m.ID)
	}
	if m.Kind != "" && m.Kind != "state" && m.Kind != "organisation" {
		return Errorf(EINVALID, "member %s: kind %q (want state or organisation)", m.ID, m.Kind)
	}
	if (m.Kind != "organisation" || m.Country != "") && len(m.Country) != 2 {
		return Errorf(EINVALID, "member %s: country %q is not an ISO 3166-1 alpha-2 code", m.ID, m.Country)
	}
	if m.Name == "" {
		return Errorf(EINVALID, "member %s: name is required", m.ID)
	}
	for _, c := range m.HighRisk {
		if CountryName(c) == "" || c != strings.ToLower(c) {
			return Errorf(EINVALID, "member %s: high-risk country %q is not a lower-case ISO 3166-1 alpha-2 code", m.ID, c)
		}
	}
	return nil
}

// Validate checks a group against the known members.
func (g *Group) Validate(members map[string]bool) error {
	if !ValidSlug(g.ID) {
		return Errorf(EINVALID, "group id %q: want lower-case letters, digits and dashes", g.ID)
	}
	if g.Name == "" {
		return Errorf(EINVALID, "group %s: name is required", g.ID)
	}
	if !slices.Contains(GroupKinds, g.Kind) {
		return Errorf(EINVALID, "group %s: kind %q (want one of %v)", g.ID, g.Kind, GroupKinds)
	}
	for _, m := range g.Members {
		if members != nil && !members[m] {
			return Errorf(EINVALID, "group %s: unknown member %q", g.ID, m)
		}
	}
	for _, l := range g.Leads {
		if !slices.Contains(g.Members, l) {
			return Errorf(EINVALID, "group %s: lead %q is not a member of the group", g.ID, l)
		}
	}
	return nil
}

// Validate checks the whole coalition for consistency.
func (c *Coalition) Validate() error {
	ids := map[string]bool{}
	for i := range c.Members {
		if err := c.Members[i].Validate(); err != nil {
			return err
		}
		if ids[c.Members[i].ID] {
			return Errorf(EINVALID, "member %s listed twice", c.Members[i].ID)
		}
		ids[c.Members[i].ID] = true
	}
	gids := map[string]bool{}
	for i := range c.Groups {
		if err := c.Groups[i].Validate(ids); err != nil {
			return err
		}
		if gids[c.Groups[i].ID] {
			return Errorf(EINVALID, "group %s listed twice", c.Groups[i].ID)
		}
		gids[c.Groups[i].ID] = true
	}
	for _, cc := range c.CoChairs {
		if !ids[cc] {
			return Errorf(EINVALID, "co-chair %q is not a member", cc)
		}
	}
	return c.Work.Validate(c)
}
