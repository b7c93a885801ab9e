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

func TestEastSlavicOtherSex(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"aleksandra", "aleksandr", true}, {"aleksandr", "alexandra", true}, {"oleksandra", "aliaksandr", true},
		{"yevgenia", "yevgeny", true}, {"evgeniya", "yauhen", true}, {"yevheniia", "evgeny", true},
		{"vladislava", "vladislav", true}, {"uladzislava", "vladyslav", true}, {"stanislava", "stanislau", true},
		{"yaroslava", "yaroslav", true}, {"valeria", "valery", true}, {"vitaliya", "vitaly", true},
		{"anatolia", "anatoly", true}, {"viktoriya", "viktor", true}, {"ruslana", "ruslan", true},
		{"bohdana", "bogdan", true}, {"svyatoslava", "svyatoslav", true}, {"valentina", "valentin", true},
		{"aleksandra", "alexandra", false}, {"aleksandr", "oleksandr", false}, {"yevgenia", "evgeniya", false},
		{"vladislava", "stanislav", false}, {"viktoriya", "valery", false}, {"natalya", "nikolay", false},
		{"ivanova", "ivanov", false}, {"mariya", "marin", false},
	} {
		if got := EastSlavicOtherSex(c.a, c.b); got != c.want {
			t.Errorf("EastSlavicOtherSex(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := EastSlavicOtherSex(c.b, c.a); got != c.want {
			t.Errorf("EastSlavicOtherSex(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}
