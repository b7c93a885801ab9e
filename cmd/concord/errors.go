package main

import (
	"errors"
	"strings"

	"concord"
)

// errorText is what the command line prints for err: the messages of its
// chain without the operations (concord.Error.Op names functions such as
// "sqlite.CreateUser", which are for logs) and without a message repeated by
// the error it wraps. Context added with fmt.Errorf ("importing x.csv: ")
// is kept.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	var ce *concord.Error
	if errors.As(err, &ce) && ce == err {
		msg := ce.Message
		if ce.Err == nil {
			if msg == "" {
				return ce.Code
			}
			return msg
		}
		inner := errorText(ce.Err)
		switch {
		case msg == "":
			return inner
		case strings.Contains(msg, inner):
			return msg
		case strings.Contains(inner, msg):
			return inner
		}
		return msg + ": " + inner
	}
	if u := errors.Unwrap(err); u != nil {
		full, in := err.Error(), u.Error()
		if prefix, ok := strings.CutSuffix(full, in); ok {
			inner := errorText(u)
			if strings.HasPrefix(inner, strings.TrimSuffix(prefix, ": ")) {
				return inner // "member x: member x not found"
			}
			return prefix + inner
		}
	}
	return err.Error()
}
