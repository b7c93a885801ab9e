package concord

import (
	"errors"
	"fmt"
)

// Error codes. They are stable: the HTTP API maps each to one status and
// clients may switch on them.
const (
	EINVALID      = "invalid"            // bad input: a file, a row, a parameter
	ENOTFOUND     = "not_found"          // missing, or hidden from the caller (never distinguished)
	ECONFLICT     = "conflict"           // a concurrent or duplicate change
	EUNAUTHORIZED = "unauthorized"       // no valid credentials
	EFORBIDDEN    = "forbidden"          // authenticated but not allowed to act
	ERATELIMIT    = "rate_limited"       // too many attempts
	EINTERNAL     = "internal"           // a bug or an unavailable dependency
	EUNSUPPORTED  = "not_supported"      // a valid request for something not built
	ETOOLARGE     = "too_large"          // an input beyond a configured size or row limit
	EMETHOD       = "method_not_allowed" // the resource exists, not with this method
)

// httpStatus is the one table from error code to HTTP status, shared by the
// JSON API and the console.
var httpStatus = map[string]int{
	EINVALID:      400, // Bad Request
	EUNAUTHORIZED: 401, // Unauthorized
	EFORBIDDEN:    403, // Forbidden
	ENOTFOUND:     404, // Not Found
	ECONFLICT:     409, // Conflict
	ERATELIMIT:    429, // Too Many Requests
	EUNSUPPORTED:  501, // Not Implemented
	ETOOLARGE:     413, // Content Too Large
	EMETHOD:       405, // Method Not Allowed
	EINTERNAL:     500, // Internal Server Error
}

// HTTPStatus returns the HTTP status of an error code: 500 for an unknown
// one.
func HTTPStatus(code string) int {
	if s, ok := httpStatus[code]; ok {
		return s
	}
	return 500
}

// Error is Concord's one error type. Code is machine-readable, Message is safe
// to show to a user, Op names the operation and Err wraps the cause.
type Error struct {
	Code    string
	Message string
	Op      string
	Err     error
}

func (e *Error) Error() string {
	s := ""
	if e.Op != "" {
		s = e.Op + ": "
	}
	switch {
	case e.Message != "" && e.Err != nil:
		s += e.Message + ": " + e.Err.Error()
	case e.Message != "":
		s += e.Message
	case e.Err != nil:
		s += e.Err.Error()
	default:
		s += e.Code
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Code != "" {
			return e.Code
		}
		return ErrorCode(e.Err)
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err's first *Error, or a
// generic message for anything else (internal details are not shown).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	if errors.As(err, &e) && e.Err != nil {
		return ErrorMessage(e.Err)
	}
	return "internal error"
}
