package concord

import (
	"testing"
	"time"
)

func TestWorkAsOf(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name string
		w    Work
		want time.Time
	}{
		{"nothing dated", Work{}, now},
		{"a meeting's last day", Work{Meetings: []Meeting{{Date: "2025-05-27", EndDate: "2025-05-28"}}}, day("2025-05-28")},
		{"the latest of all", Work{
			Meetings:   []Meeting{{Date: "2025-05-27", EndDate: "2025-05-28"}, {Date: "2025-06-10"}},
			Statements: []JointStatement{{Date: "2025-06-10"}},
			Decisions:  []Decision{{Date: "2025-06-11"}},
		}, day("2025-06-11")},
		{"an unreadable date is skipped", Work{Decisions: []Decision{{Date: "June"}, {Date: "2025-01-02"}}}, day("2025-01-02")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.AsOf(now); !got.Equal(tt.want) {
				t.Errorf("AsOf = %v, want %v", got, tt.want)
			}
		})
	}
}
