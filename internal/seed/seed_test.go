package seed

import (
	"slices"
	"testing"
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
