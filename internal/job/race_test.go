//go:build race

package job

// raceEnabled: the race detector slows inserts tenfold and keeps memory of
// its own, so the memory test does not run under it.
const raceEnabled = true
