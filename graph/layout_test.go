package graph

import (
	"testing"
	"unsafe"
)

// A node, a name and a holder of a shared value are as small as said: at
// a million records the nodes are the largest part of the network
// (docs/benchmarks.md, "Index ready time").
func TestLayout(t *testing.T) {
	for _, c := range []struct {
		what      string
		got, want uintptr
	}{
		{"node", unsafe.Sizeof(node{}), 184},
		{"propVal", unsafe.Sizeof(propVal{}), 24},
		{"holder", unsafe.Sizeof(holder{}), 24},
	} {
		if c.got > c.want {
			t.Errorf("%s is %d bytes, want at most %d", c.what, c.got, c.want)
		}
	}
	if len(sharedPropNames) > 256 || len(captionProps) > 256 {
		t.Errorf("%d shared and %d caption properties: a uint8 holds their places", len(sharedPropNames), len(captionProps))
	}
}
