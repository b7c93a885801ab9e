package federation

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"
	"time"

	"concord"
)

func testBundle(t testing.TB, key *Key, n int) []byte {
	var buf bytes.Buffer
	w := newWriter(&buf, key, &Header{Kind: kindBundle, Node: "node-a", Signer: key.String(), To: "uz", Number: 1,
		Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	for i := range n {
		s := concord.Statement{EntityID: "e1", Schema: "Person", Prop: "name", Value: "Name " + string(rune('A'+i)),
			Dataset: "member-fr", ContributedBy: "fr", Audience: concord.AudienceCoalition, Handling: concord.TLPGreen,
			FirstSeen: time.Unix(1, 0).UTC(), LastSeen: time.Unix(1, 0).UTC()}.MakeID()
		if err := w.add(&concord.StatementVersion{Origin: "node-a", OriginSeq: int64(i + 1), Statement: s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerifyRoundTrip(t *testing.T) {
	seed := sha256.Sum256([]byte("k"))
	key := KeyFromSeed(seed[:])
	raw := testBundle(t, key, 3)
	v, pub, err := verify("b", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(key.Public()) || v.Versions != 3 || v.Header.To != "uz" {
		t.Fatalf("verified %+v", v)
	}
	n := 0
	for sv, err := range versions("b", bytes.NewReader(raw), v.Digest) {
		if err != nil {
			t.Fatal(err)
		}
		if sv.Statement.Value == "" {
			t.Fatal("empty version")
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d versions", n)
	}
	// Every single-byte change is refused.
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x20
		if _, _, err := verify("b", bytes.NewReader(bad)); err == nil {
			t.Fatalf("byte %d (%q) altered: verified", i, raw[i])
		}
	}
}

func TestCursors(t *testing.T) {
	seed := sha256.Sum256([]byte("k"))
	cs := KeyFromSeed(seed[:]).cursors()
	a, b := cs.seal(42, "feed:x"), cs.seal(42, "feed:x")
	if a == b {
		t.Error("two cursors of one position look alike")
	}
	if n, err := cs.open(a, "feed:x"); err != nil || n != 42 {
		t.Errorf("open: %d, %v", n, err)
	}
	if _, err := cs.open(a, "feed:y"); err == nil {
		t.Error("a cursor opened for another recipient")
	}
}

// FuzzVerify: no input makes the reader panic, and whatever it accepts
// reads back as versions.
func FuzzVerify(f *testing.F) {
	seed := sha256.Sum256([]byte("k"))
	key := KeyFromSeed(seed[:])
	f.Add(testBundle(f, key, 2))
	f.Add(testBundle(f, key, 0))
	f.Add([]byte(magic + "\n{}\nEND 0\nSIGNATURE AAAA\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, raw []byte) {
		v, _, err := verify("f", bytes.NewReader(raw))
		if err != nil {
			return
		}
		for _, err := range versions("f", bytes.NewReader(raw), v.Digest) {
			if err != nil {
				break
			}
		}
		_, _ = io.Copy(io.Discard, bytes.NewReader(raw))
	})
}
