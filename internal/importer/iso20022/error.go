package iso20022

import "fmt"

// Error is a message that cannot be read: where and why.
type Error struct {
	File string
	Line int    // 1-based line of the element, 0 when unknown
	Path string // element path, e.g. Document/FIToFICstmrCdtTrf/CdtTrfTxInf[3]/IntrBkSttlmAmt
	Err  error
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
