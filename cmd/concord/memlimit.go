package main

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"concord"
)

// A node's indexes are millions of small values that all stay. With the
// collector's default pacing (GOGC=100) the heap may grow to twice what is
// live before it is collected, and a build from the store makes much
// garbage besides: a 1M-record node's first start peaked at 4.2 GB of RSS
// for 2.2 GB of indexes, so a node whose indexes fit the machine's memory
// could still die building them. A soft memory limit (runtime/debug)
// makes the collector work harder as the heap nears it instead, so that
// what fits is what is live.

// memoryShare is the part of the memory the process may use that the
// limit gives the Go heap by default: the rest is the SQLite page cache,
// the stacks and the binary, and room for the operating system.
const memoryShare = 0.75

// applyMemoryLimit sets the runtime's soft memory limit from the value of
// --memory-limit and returns a function that puts back the one before:
// "auto" is GOMEMLIMIT when the environment sets it (the runtime has
// applied it), else memoryShare of the memory the process may use (its
// cgroup's limit, else the machine's); "off" is none; anything else a size
// (64MiB, 18GiB, a number of bytes).
func applyMemoryLimit(flag string, read func(string) ([]byte, error)) (limit int64, restore func(), err error) {
	old := debug.SetMemoryLimit(-1)
	restore = func() { debug.SetMemoryLimit(old) }
	switch flag {
	case "auto", "":
		if os.Getenv("GOMEMLIMIT") != "" {
			return old, func() {}, nil
		}
		if avail := availableMemory(read); avail > 0 {
			limit = int64(float64(avail) * memoryShare)
		} else {
			return old, func() {}, nil // unknown: as the runtime has it
		}
	case "off":
		limit = math.MaxInt64
	default:
		n, err := parseSize(flag)
		if err != nil {
			return 0, nil, concord.FieldError("--memory-limit", err)
		}
		limit = n
	}
	debug.SetMemoryLimit(limit)
	return limit, restore, nil
}

// availableMemory returns the memory the process may use: its cgroup's
// limit (v2 memory.max, else v1 memory.limit_in_bytes) when there is one
// below the machine's memory, else the machine's (MemTotal); 0 when
// neither can be read.
func availableMemory(read func(string) ([]byte, error)) int64 {
	total := memTotal(read)
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := read(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 { // "max": no limit
			continue
		}
		if total == 0 || n < total {
			return n
		}
	}
	return total
}

// memTotal reads MemTotal from /proc/meminfo, in bytes (0 when unknown).
func memTotal(read func(string) ([]byte, error)) int64 {
	b, err := read("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 2 && f[1] == "kB" {
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil && n > 0 {
				return n << 10
			}
		}
	}
	return 0
}

// An import streams: what is live at any moment is a chunk or two of
// statements (tens of MB), and nearly all it allocates (decoded JSON,
// statements, their ids, the rows it encodes) is garbage a chunk later. At
// GOGC=100 the collector ran so often that it cost about a sixth of the
// import's CPU; at 400 it runs a quarter as often, for some 100 MB more of
// heap (the 100k persons' PostgreSQL import: 5.3 s of the client's CPU
// and 120 MB peak RSS at 100, 4.3 s and 230 MB at 400). importGC is the
// import's pacing; importHeap a soft limit that makes the collector work
// harder before the heap passes it, so that an input that is not streamed
// (a large list read whole) still stays well under 1 GB when it can.
const (
	importGC   = 400
	importHeap = 768 << 20
)

// paceImport sets the collector's pacing for an import (unless GOGC or
// GOMEMLIMIT set it) and returns a function that puts back the one before.
func paceImport() (restore func()) {
	gc, limit := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		gc = debug.SetGCPercent(importGC)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(importHeap)
	}
	return func() {
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
