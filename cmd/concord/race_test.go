//go:build race

package main

// raceEnabled: the race detector slows the in-process commands about
// tenfold, so the tests whose cost is the volume of data they import skip
// under it (skipUnderRace); .ci/run runs them without -race.
const raceEnabled = true
