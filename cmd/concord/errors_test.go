package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"concord"
)

func TestErrorText(t *testing.T) {
	conflict := &concord.Error{Code: concord.ECONFLICT, Op: "sqlite.CreateUser", Message: "user amina already exists"}
	internal := &concord.Error{Code: concord.EINTERNAL, Op: "sqlite.Open", Message: "create data directory", Err: errors.New("mkdir /x: permission denied")}
	notFound := concord.Errorf(concord.ENOTFOUND, "member %q not found", "xx")
	for _, c := range []struct {
		err  error
		want string
	}{
		{conflict, "user amina already exists"},
		{fmt.Errorf("importing a.csv: %w", conflict), "importing a.csv: user amina already exists"},
		{internal, "create data directory: mkdir /x: permission denied"},
		{&concord.Error{Code: concord.EINVALID, Op: "x", Err: notFound}, `member "xx" not found`},
		{&concord.Error{Code: concord.EINVALID, Message: `member "xx" not found`, Err: notFound}, `member "xx" not found`},
		{fmt.Errorf(`member "xx": %w`, notFound), `member "xx" not found`},
		{&concord.Error{Code: concord.EINTERNAL, Op: "postgres.Import"}, "internal"},
		{errors.New("plain"), "plain"},
		{errors.Join(errors.New("a"), errors.New("b")), "a\nb"},
	} {
		if got := errorText(c.err); got != c.want {
			t.Errorf("errorText(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// The command line names what is wrong in the operator's terms, once.
func TestUserErrorsNameNoInternals(t *testing.T) {
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "user", "add", "amina", "--member", "uz", "--role", "analyst")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "add", "amina", "--member", "uz", "--role", "analyst"}, "user amina already exists"},
		{[]string{"user", "add", "bob", "--member", "xx", "--role", "analyst"}, `unknown member "xx" (see concord coalition members)`},
		{[]string{"user", "add", "bob", "--member", "uz", "--role", "overlord"}, `unknown role "overlord"`},
	} {
		_, _, err := run(t, "", append([]string{"--data", d, "-q"}, c.args...)...)
		got := errorText(err)
		if got != c.want && !strings.HasPrefix(got, c.want) {
			t.Errorf("concord %s: %q, want %q", strings.Join(c.args, " "), got, c.want)
		}
		if strings.Contains(got, "sqlite") || strings.Contains(got, "postgres") {
			t.Errorf("concord %s: %q names the store", strings.Join(c.args, " "), got)
		}
	}
}
