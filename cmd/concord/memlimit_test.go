package main

import (
	"io/fs"
	"math"
	"runtime/debug"
	"testing"
)

func TestAvailableMemory(t *testing.T) {
	const meminfo = "MemTotal:       24576000 kB\nMemFree:        1000 kB\n"
	machine := int64(24576000) << 10
	cases := []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"machine", map[string]string{"/proc/meminfo": meminfo}, machine},
		{"cgroup v2 without a limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, machine},
		{"cgroup v2 limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "8589934592\n"}, 8 << 30},
		{"cgroup v1 limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes": "4294967296\n"}, 4 << 30},
		{"cgroup v1 unlimited (a huge number)", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"}, machine},
		{"cgroup only", map[string]string{"/sys/fs/cgroup/memory.max": "1073741824"}, 1 << 30},
		{"nothing readable", nil, 0},
		{"meminfo without MemTotal", map[string]string{"/proc/meminfo": "MemFree: 10 kB\n"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(name string) ([]byte, error) {
				if s, ok := c.files[name]; ok {
					return []byte(s), nil
				}
				return nil, fs.ErrNotExist
			}
			if got := availableMemory(read); got != c.want {
				t.Fatalf("got %d, want %d", got, c.want)
			}
		})
	}
}

// --memory-limit sets the runtime's soft limit (and gives the old one
// back), reads "auto" from the memory the process may use unless
// GOMEMLIMIT is set, and refuses what is not a size.
func TestApplyMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	read := func(name string) ([]byte, error) {
		if name == "/proc/meminfo" {
			return []byte("MemTotal: 8388608 kB\n"), nil
		}
		return nil, fs.ErrNotExist
	}
	cases := []struct {
		flag, env string
		want      int64
	}{
		{"auto", "", 6 << 30},
		{"", "", 6 << 30},
		{"off", "", math.MaxInt64},
		{"512MiB", "", 512 << 20},
		{"auto", "3GiB", before}, // the runtime applied GOMEMLIMIT: kept
	}
	for _, c := range cases {
		t.Run(c.flag+"/"+c.env, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", c.env)
			limit, restore, err := applyMemoryLimit(c.flag, read)
			if err != nil {
				t.Fatal(err)
			}
			if limit != c.want || debug.SetMemoryLimit(-1) != c.want {
				t.Fatalf("limit %d (runtime %d), want %d", limit, debug.SetMemoryLimit(-1), c.want)
			}
			restore()
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Fatalf("not restored: %d, want %d", got, before)
			}
		})
	}
	for _, bad := range []string{"lots", "-1GiB", "0"} {
		if _, _, err := applyMemoryLimit(bad, read); err == nil {
			t.Errorf("%q: accepted", bad)
		}
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Fatalf("%q changed the limit to %d", bad, got)
		}
	}
}
