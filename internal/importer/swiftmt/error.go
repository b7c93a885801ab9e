package swiftmt

import "fmt"

// Error is a message that cannot be read: where and why.
type Error struct {
	File    string
	Line    int    // 1-based line in the file
	Message int    // 1-based message of the file
	Field   string // field tag, e.g. "32A", or a block, e.g. "block 2"
	Err     error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s:%d: message %d", e.File, e.Line, e.Message)
	if e.Field != "" {
		if e.Field[0] >= '0' && e.Field[0] <= '9' {
			s += ", field " + e.Field
		} else {
			s += ", " + e.Field
		}
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
