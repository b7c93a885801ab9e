package main

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"concord/media/pdq"
)

const pdqData = "../../media/testdata/pdq/"

func TestMediaHash(t *testing.T) {
	out, errs, err := run(t, "", "media", "hash", pdqData+"bridge-mods/aaa-orig.jpg", pdqData+"misc/small.jpg")
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("output:\n%s", out)
	}
	f := strings.Fields(lines[0])
	ref, _ := pdq.Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	h, perr := pdq.Parse(f[0])
	if perr != nil || h.Distance(ref) > 10 || f[1] != "100" || f[2] != pdqData+"bridge-mods/aaa-orig.jpg" {
		t.Errorf("line %q", lines[0])
	}
	if !strings.HasSuffix(lines[1], " 0 "+pdqData+"misc/small.jpg") || !strings.Contains(errs, "small.jpg: quality 0 is below 50: the hash is unreliable") {
		t.Errorf("low quality: %q, stderr %q", lines[1], errs)
	}

	out = mustRun(t, "media", "hash", "--dihedral", pdqData+"bridge-mods/square-512x512.jpg")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[1], "  rotate90 ") || !strings.HasPrefix(lines[7], "  flipminus1 ") {
		t.Errorf("dihedral:\n%s", out)
	}

	out = mustRun(t, "media", "hash", "--json", pdqData+"misc/c.png")
	var r struct {
		File, Format, MD5, SHA256, PDQ string
		Width, Height, Quality         int
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Format != "png" || r.MD5 != "0d12d4462273b533b9197f78b9aeb0d7" || r.Width != 1432 || r.Quality != 100 {
		t.Errorf("json %s: %+v %v", out, r, err)
	}
}

func TestMediaHashBadFiles(t *testing.T) {
	d := t.TempDir()
	trunc := filepath.Join(d, "cut.jpg")
	src, _ := os.ReadFile(pdqData + "bridge-mods/square-256x256.jpg")
	os.WriteFile(trunc, src[:len(src)/2], 0o644)
	out, errs, err := run(t, "", "media", "hash", "main.go", trunc, pdqData+"misc/wee.jpg", filepath.Join(d, "missing.png"))
	if code := exitCode(err); code != exitRowsSkipped {
		t.Fatalf("exit %d (%v), want %d", code, err, exitRowsSkipped)
	}
	for _, want := range []string{"main.go: not an image", "cut.jpg: truncated JPEG image", "missing.png: no such file", "3 of 4 files not hashed"} {
		if !strings.Contains(errs+err.Error(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "wee.jpg") {
		t.Errorf("stdout:\n%s", out)
	}
	// stdin
	out, _, err = run(t, string(src), "media", "hash", "-")
	if err != nil || !strings.HasSuffix(strings.TrimSpace(out), " -") {
		t.Errorf("stdin: %q %v", out, err)
	}
}

func exitCode(err error) int {
	if ex, ok := err.(*exitError); ok {
		return ex.code
	}
	if err != nil {
		return 1
	}
	return 0
}

type matchLine struct {
	Query      string
	Hash       string
	Quality    *int
	Unreliable bool
	Matches    []struct {
		Hash     string
		Distance int
		Line     int
		Label    string
		Variant  string
		Exact    []string
	}
}

func readMatchLines(t *testing.T, out string) []matchLine {
	t.Helper()
	var res []matchLine
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l matchLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		res = append(res, l)
	}
	return res
}

// TestMediaMatch hashes a bank of pictures with `media hash` and matches
// pictures and hashes against it with `media match`.
func TestMediaMatch(t *testing.T) {
	bank := filepath.Join(t.TempDir(), "bank.txt")
	edits, _ := filepath.Glob(pdqData + "bridge-mods/*.jpg")
	others, _ := filepath.Glob(pdqData + "labelme/*.jpg")
	out, _, err := run(t, "", append([]string{"media", "hash"}, append(edits[1:], others...)...)...)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bank, []byte("# bank of known pictures\n"+out), 0o644)

	out, errs, err := run(t, "", "media", "match", "--against", bank, edits[0], pdqData+"labelme/q2821.jpg", pdqData+"misc/small.jpg",
		"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", "not-a-file.jpg")
	if exitCode(err) != exitRowsSkipped || !strings.Contains(errs, "not-a-file.jpg") {
		t.Fatalf("exit %v, stderr %s", err, errs)
	}
	lines := readMatchLines(t, out)
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	// The original matches its 11 edits, closest first, and nothing else.
	if len(lines[0].Matches) != 11 {
		t.Errorf("original: %d matches", len(lines[0].Matches))
	}
	for i, m := range lines[0].Matches {
		if m.Distance > pdq.DefaultRadius || !strings.Contains(m.Label, "bridge-mods/") || i > 0 && m.Distance < lines[0].Matches[i-1].Distance {
			t.Errorf("match %+v", m)
		}
	}
	if len(lines[1].Matches) != 1 || lines[1].Matches[0].Distance != 0 || !strings.HasSuffix(lines[1].Matches[0].Label, "q2821.jpg") {
		t.Errorf("q2821: %+v", lines[1].Matches)
	}
	if !lines[2].Unreliable || len(lines[2].Matches) != 0 || *lines[2].Quality != 0 {
		t.Errorf("small.jpg: %+v", lines[2])
	}
	if lines[3].Quality != nil || len(lines[3].Matches) != 11 {
		t.Errorf("hex query: %+v", lines[3])
	}
	// A radius of 0 finds only identical hashes.
	out = mustRun(t, "media", "match", "--against", bank, "--radius", "0", pdqData+"labelme/q2821.jpg")
	if l := readMatchLines(t, out); len(l[0].Matches) != 1 {
		t.Errorf("radius 0: %+v", l)
	}
}

func TestMediaMatchDihedral(t *testing.T) {
	bank := filepath.Join(t.TempDir(), "bank.txt")
	out := mustRun(t, "media", "hash", pdqData+"bridge-mods/aaa-orig.jpg")
	os.WriteFile(bank, []byte(out), 0o644)
	// A picture turned a quarter: no match unless its rotations are tried.
	turned := filepath.Join(t.TempDir(), "turned.png")
	writeTurned(t, pdqData+"bridge-mods/aaa-orig.jpg", turned)
	if l := readMatchLines(t, mustRun(t, "media", "match", "--against", bank, turned)); len(l[0].Matches) != 0 {
		t.Errorf("turned picture matched without --dihedral: %+v", l[0].Matches)
	}
	l := readMatchLines(t, mustRun(t, "media", "match", "--dihedral", "--against", bank, turned))
	// The query turned back (counter-clockwise) is the bank's picture.
	if len(l[0].Matches) != 1 || l[0].Matches[0].Variant != "rotate90" {
		t.Errorf("--dihedral: %+v", l[0].Matches)
	}
}

func TestMediaMatchNeedles(t *testing.T) {
	needles, err := os.ReadFile(pdqData + "needles.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, append([]string{"media", "match", "--against", pdqData + "haystack.txt"}, strings.Fields(string(needles))...)...)
	golden, err := os.ReadFile("../../media/index/testdata/needles.golden")
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for i, l := range readMatchLines(t, out) {
		for _, m := range l.Matches {
			got.WriteString(strings.Join([]string{itoa(i + 1), itoa(m.Line), itoa(m.Distance)}, " ") + "\n")
		}
	}
	if got.String() != string(golden) {
		t.Errorf("needles against haystack differ from media/index/testdata/needles.golden")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestMediaMatchBadList(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\nnot a hash\n"), 0o644)
	_, _, err := run(t, "", "media", "match", "--against", bad, "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	if err == nil || !strings.Contains(err.Error(), "bad.txt:2:") {
		t.Errorf("error %v", err)
	}
	if _, errs, err := run(t, "", "--data", t.TempDir(), "media", "match", "x"); exitCode(err) != exitRowsSkipped || !strings.Contains(errs, "open x: no such file") {
		t.Errorf("a query that is no file: %v %s", err, errs)
	}
}

func TestMediaBench(t *testing.T) {
	out := mustRun(t, "media", "bench", "--hashes", "20000", "--queries", "100", "--scan-queries", "20", "--workers", "2")
	if !strings.Contains(out, "| 20000 | 16 |") || !strings.HasSuffix(strings.TrimSpace(out), "| 1.000 |") {
		t.Errorf("bench:\n%s", out)
	}
}

// writeTurned writes the picture at src turned a quarter clockwise as PNG.
func writeTurned(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(b.Dy()-1-y, x, img.At(x, y))
		}
	}
	w, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := png.Encode(w, out); err != nil {
		t.Fatal(err)
	}
}

// TestMediaMatchExchangeFormats: --against reads ThreatExchange CSV and
// JSON and HMA signal files.
func TestMediaMatchExchangeFormats(t *testing.T) {
	const h = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	d := t.TempDir()
	files := map[string]string{
		"te.csv":      "td_raw_indicator,td_indicator_type,td_subjective_tags,td_description\n" + h + ",HASH_PDQ,outlet:amaq,poster\ne8b19da37825a3056e84c522f05eb000,HASH_MD5,,\n",
		"te.json":     `{"td_raw_indicator":"` + h + `","td_indicator_type":"HASH_PDQ","td_subjective_tags":"outlet:amaq","td_description":"poster"}` + "\n",
		"signals.txt": "md5 e8b19da37825a3056e84c522f05eb000\npdq " + h + "\n",
	}
	for name, body := range files {
		p := filepath.Join(d, name)
		os.WriteFile(p, []byte(body), 0o644)
		l := readMatchLines(t, mustRun(t, "media", "match", "--against", p, pdqData+"bridge-mods/blur-a-lot.jpg"))
		if len(l) != 1 || len(l[0].Matches) != 1 || l[0].Matches[0].Distance > 10 {
			t.Fatalf("%s: %+v", name, l)
		}
		if name != "signals.txt" && l[0].Matches[0].Label != "outlet:amaq poster" {
			t.Errorf("%s: label %q", name, l[0].Matches[0].Label)
		}
	}
}

// TestMediaBank imports hash lists into the store's bank as members'
// contributions, matches against it and exports it as each member may see
// it.
func TestMediaBank(t *testing.T) {
	d := t.TempDir()
	bank := filepath.Join(t.TempDir(), "bank.txt")
	out := mustRun(t, "media", "hash", pdqData+"bridge-mods/aaa-orig.jpg", pdqData+"labelme/q2821.jpg")
	os.WriteFile(bank, []byte(out), 0o644)
	out = mustRun(t, "--data", d, "-q", "media", "import", "--dataset", "uz-pictures", "--member", "uz", bank)
	if !strings.Contains(out, "uz-pictures: 2 hashes in 2 records: 2 added") {
		t.Fatalf("import: %s", out)
	}
	csvFile := "../../media/exchange/testdata/descriptors.csv"
	_, errs, err := run(t, "", "--data", d, "-q", "media", "import", "--dataset", "es-te", "--member", "es", "--audience", "member:es", csvFile)
	if err != nil || !strings.Contains(errs, "skipped 1 descriptors of type URI") {
		t.Fatalf("te import: %v %s", err, errs)
	}
	// RED to the coalition is refused, naming the record; nothing changes.
	red := filepath.Join(t.TempDir(), "red.json")
	os.WriteFile(red, []byte(`{"td_raw_indicator":"`+strings.Repeat("ab", 32)+`","td_indicator_type":"HASH_PDQ","td_share_level":"RED"}`), 0o644)
	if _, _, err := run(t, "", "--data", d, "-q", "media", "import", "--dataset", "x", "--member", "uz", red); err == nil || !strings.Contains(err.Error(), "record 1") {
		t.Errorf("RED to the coalition: %v", err)
	}
	if _, _, err := run(t, "", "--data", d, "-q", "media", "import", "--dataset", "x", "--member", "nowhere", bank); err == nil {
		t.Error("unknown member accepted")
	}
	l := readMatchLines(t, mustRun(t, "--data", d, "-q", "media", "match", pdqData+"bridge-mods/blur-a-lot.jpg"))
	if len(l) != 1 || len(l[0].Matches) != 2 {
		t.Fatalf("bank match: %+v", l)
	}
	var labels []string
	for _, m := range l[0].Matches {
		labels = append(labels, m.Label)
	}
	if !strings.Contains(strings.Join(labels, "|"), "Amaq poster") || !strings.Contains(strings.Join(labels, "|"), "aaa-orig.jpg") {
		t.Errorf("labels %v", labels)
	}
	// Exports: the operator sees all, de only what was shared with the coalition.
	all := mustRun(t, "--data", d, "-q", "media", "export", "--format", "signals")
	de := mustRun(t, "--data", d, "-q", "media", "export", "--format", "signals", "--member", "de")
	if strings.Count(all, "\n") != 4 || strings.Count(de, "\n") != 2 || strings.Contains(de, "e8b19da37825a3056e84c522f05eb000") {
		t.Errorf("exports:\n%s\n--\n%s", all, de)
	}
	csvOut := mustRun(t, "--data", d, "-q", "media", "export", "--format", "te-csv", "--dataset", "es-te")
	if !strings.Contains(csvOut, "HASH_PDQ") || !strings.Contains(csvOut, `"outlet:amaq,campaign:2019-spring"`) {
		t.Errorf("te-csv:\n%s", csvOut)
	}
	// The very file matches by its MD5, though its PDQ hash is unreliable.
	small, _ := os.ReadFile(pdqData + "misc/small.jpg")
	sum := md5.Sum(small)
	sig := filepath.Join(t.TempDir(), "signals.txt")
	os.WriteFile(sig, []byte("md5 "+hex.EncodeToString(sum[:])+"\n"), 0o644)
	mustRun(t, "--data", d, "-q", "media", "import", "--dataset", "uz-md5", "--member", "uz", sig)
	l = readMatchLines(t, mustRun(t, "--data", d, "-q", "media", "match", pdqData+"misc/small.jpg"))
	if len(l) != 1 || !l[0].Unreliable || len(l[0].Matches) != 1 || len(l[0].Matches[0].Exact) != 1 || l[0].Matches[0].Exact[0] != "md5" {
		t.Errorf("exact match: %+v", l)
	}

	// A newer version of a dataset retracts what it no longer holds.
	first := strings.SplitN(mustRun(t, "media", "hash", pdqData+"labelme/q2821.jpg"), "\n", 2)[0]
	os.WriteFile(bank, []byte(first+"\n"), 0o644)
	if out := mustRun(t, "--data", d, "-q", "media", "import", "--dataset", "uz-pictures", "--member", "uz", bank); !strings.Contains(out, "0 added, 0 changed, 1 removed") {
		t.Errorf("newer version: %s", out)
	}
	if l := readMatchLines(t, mustRun(t, "--data", d, "-q", "media", "match", pdqData+"bridge-mods/blur-a-lot.jpg")); len(l[0].Matches) != 1 {
		t.Errorf("after retraction: %+v", l[0].Matches)
	}
}
