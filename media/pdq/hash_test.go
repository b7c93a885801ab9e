package pdq

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseString(t *testing.T) {
	const s = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: s, want: s},
		{in: strings.ToUpper(s), want: s},
		{in: "  0x" + s + "\n", want: s},
		{in: s[:63], wantErr: "want 64 hex digits, have 63"},
		{in: s + "0", wantErr: "have 65"},
		{in: s[:63] + "g", wantErr: "not hexadecimal"},
		{in: "", wantErr: "have 0"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			h, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) = %v, want error %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := h.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestBitNumbering checks the reference's layout: bit k lives in 16-bit
// word k/16, and the hex form writes word 15 first.
func TestBitNumbering(t *testing.T) {
	tests := []struct {
		k   int
		hex string
	}{
		{0, strings.Repeat("0", 63) + "1"},
		{15, strings.Repeat("0", 60) + "8000"},
		{16, strings.Repeat("0", 59) + "1" + "0000"},
		{255, "8" + strings.Repeat("0", 63)},
		{64, strings.Repeat("0", 47) + "1" + strings.Repeat("0", 16)},
	}
	for _, tt := range tests {
		var h Hash
		h.set(tt.k)
		if h.String() != tt.hex {
			t.Errorf("bit %d: %s, want %s", tt.k, h, tt.hex)
		}
		if !h.Bit(tt.k) || h.Ones() != 1 {
			t.Errorf("bit %d not read back", tt.k)
		}
	}
}

func TestDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		a := Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
		b := a
		n := r.IntN(257)
		for _, k := range r.Perm(256)[:n] {
			b[3-k/64] ^= 1 << (k % 64)
		}
		if d := a.Distance(b); d != n {
			t.Fatalf("distance %d, want %d", d, n)
		}
		if a.Distance(a) != 0 || a.Distance(b) != b.Distance(a) {
			t.Fatal("distance not a metric")
		}
	}
}

func TestJSON(t *testing.T) {
	h, _ := Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	b, err := json.Marshal(Result{Hash: h, Quality: 90})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"hash":"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22","quality":90}` {
		t.Fatalf("json %s", b)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil || r.Hash != h {
		t.Fatalf("round trip %v %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"hash":"abc"}`), &r); err == nil {
		t.Fatal("short hash accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	f.Add("0x" + strings.Repeat("F", 64))
	f.Add("zz")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		h2, err := Parse(h.String())
		if err != nil || h2 != h {
			t.Fatalf("round trip of %q: %v %v", s, h2, err)
		}
	})
}
