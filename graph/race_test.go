//go:build race

package graph

// raceEnabled is set under the race detector, which makes the property
// tests ten times slower: they run fewer seeds.
const raceEnabled = true
