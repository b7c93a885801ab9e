package seed

import (
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
)

func TestCoalition(t *testing.T) {
	c, err := Coalition()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.CoChairs, []string{"es", "us"}) {
		t.Errorf("co-chairs = %v, want Spain and the United States", c.CoChairs)
	}
	byID := map[string]bool{}
	for _, m := range c.Members {
		byID[m.ID] = true
	}
	for _, id := range []string{"uz", "ng", "es", "us", "gb", "tr", "interpol"} {
		if !byID[id] {
			t.Errorf("member %s missing", id)
		}
	}
	groups := map[string][]string{}
	kinds := map[string]int{}
	for _, g := range c.Groups {
		groups[g.ID] = g.Leads
		kinds[g.Kind]++
	}
	if !slices.Equal(groups["isis-k-dg"], []string{"gb", "tr"}) {
		t.Errorf("ISIS-K Diplomatic Grouping leads = %v, want gb, tr", groups["isis-k-dg"])
	}
	for _, id := range []string{"tf-syria-iraq", "tf-central-asia", "tf-sub-saharan-africa", "ttwg", "cifg", "recruitment", "fft"} {
		if _, ok := groups[id]; !ok {
			t.Errorf("group %s missing", id)
		}
	}
	if kinds["task_force"] != 3 || kinds["initiative"] < 3 {
		t.Errorf("kinds = %v", kinds)
	}
}

// TestCoalitionWork: the default coalition ships its meetings, the joint
// statement and the decisions the Madrid meeting recorded.
func TestCoalitionWork(t *testing.T) {
	c, err := Coalition()
	if err != nil {
		t.Fatal(err)
	}
	meetings := map[string]concord.Meeting{}
	for _, m := range c.Meetings {
		meetings[m.ID] = m
	}
	madrid, ttwg := meetings["madrid-small-group-2025"], meetings["ttwg-inaugural-2025"]
	if madrid.Host != "es" || madrid.Place != "Madrid, Spain" || len(madrid.CoChairs) != 2 ||
		madrid.CoChairs[0] != (concord.Chair{Member: "es", Official: "Director General for Foreign and Security Policy"}) ||
		madrid.CoChairs[1] != (concord.Chair{Member: "us", Official: "Acting Coordinator for Counterterrorism"}) {
		t.Errorf("Madrid: %+v", madrid)
	}
	if ttwg.Body != "ttwg" || ttwg.Host != "interpol" || !strings.Contains(ttwg.Place, "INTERPOL") || ttwg.Date != "2025-05-27" {
		t.Errorf("TTWG: %+v", ttwg)
	}
	concerns := map[string]bool{}
	for _, d := range c.Decisions {
		for _, x := range d.Concerns {
			concerns[x] = d.Meeting == madrid.ID
		}
	}
	for _, want := range []string{"coalition", "member:uz", "group:isis-k-dg", "group:ttwg"} {
		if !concerns[want] {
			t.Errorf("no Madrid decision concerns %s", want)
		}
	}
	if len(c.Statements) != 1 || c.Statements[0].Meeting != madrid.ID {
		t.Errorf("statements %+v", c.Statements)
	}
	b := c.WorkBatch("secretariat", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, s := range b.Statements {
		if s.EntityID == ttwg.ID && s.Audience != "group:ttwg" || s.EntityID == madrid.ID && s.Audience != concord.AudienceCoalition {
			t.Errorf("%s shared with %s", s.EntityID, s.Audience)
		}
		// Seen on the Madrid meeting's day, whenever the node loads it.
		if want := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC); !s.FirstSeen.Equal(want) || !s.LastSeen.Equal(want) {
			t.Errorf("%s seen %v–%v, want %v", s.EntityID, s.FirstSeen, s.LastSeen, want)
		}
	}
}
