package normalize

import "testing"

func TestEastSlavic(t *testing.T) {
	for _, c := range [][2]string{
		{"uladzimir", "vladimir"}, {"volodymyr", "vladimir"}, {"dzmitry", "dmitry"}, {"dmytro", "dmitry"},
		{"aliaksandr", "aleksandr"}, {"oleksandr", "aleksandr"}, {"siarhei", "sergey"}, {"serhiy", "sergey"},
		{"serhii", "sergey"}, {"yauhen", "evgeny"}, {"yevgeniy", "evgeny"}, {"mikalai", "nikolay"}, {"mykola", "nikolay"},
		{"aliaksei", "aleksey"}, {"oleksiy", "aleksey"}, {"ryhor", "grigory"}, {"hryhoriy", "grigory"},
		{"uladzimirauna", "vladimirovna"}, {"uladzimiravich", "vladimirovich"}, {"mikalaeuna", "nikolaevna"}, {"mikalayevich", "nikolaevich"}, {"nikolayevna", "nikolaevna"},
		{"hryhoryavich", "grigoryevich"}, {"mikhailavich", "mikhailovich"}, {"ivanauna", "ivanovna"},
		{"anatoliyovych", "anatolyevich"}, {"grigorievich", "grigoryevich"}, {"anatoliivna", "anatolyevna"}, {"leonidovych", "leonidovich"}, {"petrivna", "petrovna"},
		{"lukashenka", "lukashenko"}, {"ipatau", "ipatov"}, {"kubrakou", "kubrakov"}, {"mamadou", "mamadou"}, {"rousseau", "rousseau"}, {"paulichenka", "paulichenko"},
		{"aleksandra", "aleksandra"}, {"mamadou", "mamadou"}, {"natallia", "natalya"},
	} {
		if got := EastSlavicForm(slavicEnding(c[0])); got != c[1] {
			t.Errorf("Canon(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestMistypedPatronymic(t *testing.T) {
	for w, weak := range map[string]bool{"orestovoch": true, "petrovech": true, "ivanovich": true, "kovach": false, "markovich": true, "horovitz": false} {
		if got := Canon(w).Weak; got != weak {
			t.Errorf("Canon(%q).Weak = %v, want %v", w, got, weak)
		}
	}
}
