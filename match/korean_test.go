package match

import "testing"

func TestKoreanReading(t *testing.T) {
	same := [][2]string{
		{"Pak Il-Gyu", "Pak Il Kyu"},
		{"PAK, Ch'in-hyo'k", "PARK, Jin Hyok"},
		{"RI Chae-Il", "RI JAE IL"},
		{"Ri Che-son", "RI JE-SON"},
		{"Kim Yong Chol", "KIM Yŏng-ch'ŏl"},
		{"Choe Song Il", "Choi Seong-il"},
		{"PARK Ilgyu", "Pak Il Kyu"},
		{"Pak Ilkyu", "Pak Il-Gyu"},
		{"Cho Il Woo", "CHO IL U"},
		{"KANG, Phil Hun", "KANG, P'il-Hun"},
		{"JU, Kyu-Chang", "CHU, Kyu-Chang"},
	}
	for _, p := range same {
		a, _ := koreanCanon(p[0])
		b, _ := koreanCanon(p[1])
		if a == "" || a != b {
			t.Errorf("%q → %q, %q → %q: want one reading", p[0], a, p[1], b)
		}
	}
	// A name already in its canonical reading has no other.
	if r := koreanReading("Pak Il Kyu"); r != "" {
		t.Errorf("Pak Il Kyu read %q", r)
	}
	// SURNAME, Given: the word before the comma is the surname.
	if r := koreanReading("Chol KIM, Tong"); r != "" {
		t.Errorf("Chol KIM, Tong read %q", r)
	}
	if r := koreanReading("KIM, Chol"); r != "" {
		t.Errorf("KIM, Chol read %q", r)
	}
	for _, n := range []string{"Li Ming", "Mao Tse-tung", "Li Hung-chang", "Nguyen Van Minh", "Kim Van Thanh", "Wang Lijun", "Lee Ka-shing", "Han Wei", "Mohammed Ali", "Song Jiang"} {
		if r := koreanReading(n); r != "" {
			t.Errorf("%q read as Korean %q", n, r)
		}
	}
}
