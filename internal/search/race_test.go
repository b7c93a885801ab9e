//go:build race

package search_test

// underRace is set when the race detector runs: the property test then
// runs one trial, enough to find a race, not every seed.
const underRace = true
