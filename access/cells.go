package access

import (
	"slices"
	"strconv"
)

// SmallCell is the smallest count a table shows: counts from 1 to
// SmallCell-1 would identify persons and show as "<5".
const SmallCell = 5

// Small and secondary suppressed cells.
const (
	CellSmall = "<5" // 1 to 4
	CellWide  = "≥5" // at least 5, hidden so that a small cell cannot be worked out
)

// Cell is one count of a table as it may be shown.
type Cell struct {
	Key   string `json:"key"`
	Count string `json:"count"` // a number, "<5" or "≥5"
}

// Suppress turns counts (empty cells left out) into the cells a table may
// show, sorted by key, and its total. Counts from 1 to 4 show as "<5". When
// a table would show exactly one "<5" beside a total that gives it away
// (the total minus the cells shown), the smallest other cell is hidden too
// and shows as "≥5"; a total below 5 shows as "<5".
func Suppress(counts map[string]int) (cells []Cell, total string) {
	keys := make([]string, 0, len(counts))
	sum := 0
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
			sum += n
		}
	}
	slices.Sort(keys)
	small := 0
	for _, k := range keys {
		if counts[k] < SmallCell {
			small++
		}
	}
	wide := ""
	if small == 1 {
		for _, k := range keys {
			if n := counts[k]; n >= SmallCell && (wide == "" || n < counts[wide] || (n == counts[wide] && k < wide)) {
				wide = k
			}
		}
	}
	cells = make([]Cell, 0, len(keys))
	for _, k := range keys {
		c := Cell{Key: k, Count: strconv.Itoa(counts[k])}
		switch {
		case counts[k] < SmallCell:
			c.Count = CellSmall
		case k == wide:
			c.Count = CellWide
		}
		cells = append(cells, c)
	}
	total = strconv.Itoa(sum)
	if sum > 0 && sum < SmallCell {
		total = CellSmall
	}
	return cells, total
}
