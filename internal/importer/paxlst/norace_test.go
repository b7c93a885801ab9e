//go:build !race

package paxlst

const raceEnabled = false
