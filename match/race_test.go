//go:build race

package match

// raceEnabled is set when the tests run under the race detector, which
// makes the list-sized measurements ten times slower: they sample.
const raceEnabled = true
