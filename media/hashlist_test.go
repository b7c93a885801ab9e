package media

import (
	"os"
	"strings"
	"testing"

	"concord"
)

func TestReadHashList(t *testing.T) {
	const h1 = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	const h2 = "e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064"
	tests := []struct {
		name, in string
		want     []ListEntry
		wantErr  string
	}{
		{name: "bare", in: h1 + "\n" + h2, want: []ListEntry{{Line: 1, Label: ""}, {Line: 2}}},
		{name: "hash output", in: "# bank\n\n" + h1 + " 100 photos/a b.jpg\r\n", want: []ListEntry{{Line: 3, Label: "100 photos/a b.jpg"}}},
		{name: "csv", in: "\ufeff" + h1 + ",campaign x\n" + h2 + "\tlabel", want: []ListEntry{{Line: 1, Label: "campaign x"}, {Line: 2, Label: "label"}}},
		{name: "bad hash", in: h1 + "\n" + h1[:60] + " x\n", wantErr: "list.txt:2: pdq: hash"},
		{name: "header", in: "hash,label\n" + h1, wantErr: "list.txt:1:"},
		{name: "long line", in: h1 + " " + strings.Repeat("x", maxListLine+1), wantErr: "list.txt: after 0 entries: bufio.Scanner: token too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadHashList(strings.NewReader(tt.in), "list.txt")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || concord.ErrorCode(err) != concord.EINVALID || got != nil {
					t.Fatalf("got %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entries, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i].Line != tt.want[i].Line || got[i].Label != tt.want[i].Label || got[i].Hash.IsZero() {
					t.Errorf("entry %d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
	f, err := os.Open("testdata/pdq/haystack.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if hs, err := ReadHashList(f, "haystack.txt"); err != nil || len(hs) != 1350 {
		t.Fatalf("haystack: %d, %v", len(hs), err)
	}
}

func FuzzReadHashList(f *testing.F) {
	f.Add("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22 100 a.jpg\n# c\n")
	f.Add("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22,x\nzz")
	f.Add("\ufeff\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ReadHashList(strings.NewReader(s), "f")
		if err != nil && got != nil {
			t.Fatal("entries returned with an error")
		}
		for _, e := range got {
			if e.Line < 1 {
				t.Fatalf("line %d", e.Line)
			}
		}
	})
}
