//go:build race

package paxlst

// raceEnabled: the race detector keeps memory of its own, so the memory
// test does not run under it.
const raceEnabled = true
