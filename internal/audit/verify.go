// Package audit checks Concord's tamper-evident audit: a hash chain in which
// each row's hash covers its fields and the hash of the row before it
// (concord.AuditEvent.ComputeHash), and sequence numbers run 1, 2, 3 ...
// without gaps. Verify walks the chain and reports the first row that was
// altered, inserted or deleted.
//
// What a chain alone cannot show: the removal of the newest rows (the chain
// simply ends earlier) and a wholesale rewrite of every hash from some row
// on. Publishing the head hash (Result.Head) elsewhere detects both.
package audit

import (
	"context"
	"errors"
	"fmt"

	"concord"
)

// Kinds of break.
const (
	Altered  = "altered"  // the row's contents no longer match its hash
	Inserted = "inserted" // a row that was not written by the store
	Deleted  = "deleted"  // one or more rows are missing
	Broken   = "broken"   // the link to the previous row is wrong (altered or deleted row before it)
)

// Break is the first place where the chain is not what the store wrote.
type Break struct {
	Seq     int64  `json:"seq"` // the first row concerned (for Deleted: the first missing seq)
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

func (b *Break) Error() string { return b.Message }

// Result is what Verify saw of an intact chain.
type Result struct {
	Rows int64  // number of rows
	Head string // hash of the last row ("" for an empty audit)
}

// window is how many recent rows an inserted row is traced back to.
const window = 4096

// Verify walks the whole chain of st in seq order and returns the first
// break, or nil when the chain is intact. The error is for failures to read.
func Verify(ctx context.Context, st concord.AuditStore) (*Break, error) {
	b, _, err := Check(ctx, st)
	return b, err
}

// Check is Verify that also reports the size and head of an intact chain.
func Check(ctx context.Context, st concord.AuditStore) (*Break, *Result, error) {
	var (
		last   *concord.AuditEvent
		res    Result
		brk    *Break
		hashes = map[string]int64{} // hash -> seq of the last window rows
		ring   []string
	)
	stop := errors.New("stop")
	err := st.EachAuditEvent(ctx, func(ev *concord.AuditEvent) error {
		brk = step(last, ev, hashes)
		if brk != nil {
			return stop
		}
		hashes[ev.Hash] = ev.Seq
		if ring = append(ring, ev.Hash); len(ring) > window {
			delete(hashes, ring[0])
			ring = ring[1:]
		}
		e := *ev
		last = &e
		res.Rows++
		res.Head = ev.Hash
		return nil
	})
	if brk != nil {
		return brk, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return nil, &res, nil
}

// step checks ev against the row before it (nil for the first row).
func step(last, ev *concord.AuditEvent, hashes map[string]int64) *Break {
	wantSeq, wantPrev := int64(1), ""
	if last != nil {
		wantSeq, wantPrev = last.Seq+1, last.Hash
	}
	switch {
	case ev.Seq > wantSeq:
		n := ev.Seq - wantSeq
		if n == 1 {
			return &Break{Seq: wantSeq, Kind: Deleted, Message: fmt.Sprintf("audit row %d was deleted (the chain goes from %d to %d)", wantSeq, wantSeq-1, ev.Seq)}
		}
		return &Break{Seq: wantSeq, Kind: Deleted, Message: fmt.Sprintf("audit rows %d to %d were deleted (the chain goes from %d to %d)", wantSeq, ev.Seq-1, wantSeq-1, ev.Seq)}
	case ev.Seq < wantSeq:
		return &Break{Seq: ev.Seq, Kind: Inserted, Message: fmt.Sprintf("audit row %d appears out of order after row %d", ev.Seq, wantSeq-1)}
	case ev.Prev != wantPrev:
		if at, ok := hashes[ev.Prev]; ok {
			// ev follows an earlier row: the rows between were put in.
			return &Break{Seq: at + 1, Kind: Inserted, Message: fmt.Sprintf(
				"audit row %d was inserted: row %d was written right after row %d", at+1, ev.Seq, at)}
		}
		if ev.ComputeHash() != ev.Hash {
			return &Break{Seq: ev.Seq, Kind: Altered, Message: fmt.Sprintf("audit row %d was altered: its hash does not match its contents", ev.Seq)}
		}
		if last == nil {
			return &Break{Seq: ev.Seq, Kind: Deleted, Message: fmt.Sprintf(
				"audit row %d is the first row but links to an earlier one: the rows before it were deleted", ev.Seq)}
		}
		return &Break{Seq: ev.Seq, Kind: Broken, Message: fmt.Sprintf(
			"audit row %d does not link to row %d: a row before it was deleted or replaced", ev.Seq, last.Seq)}
	case ev.ComputeHash() != ev.Hash:
		return &Break{Seq: ev.Seq, Kind: Altered, Message: fmt.Sprintf("audit row %d was altered: its hash does not match its contents", ev.Seq)}
	}
	return nil
}
