// Package audit checks Concord's tamper-evident audit: a hash chain in which
// each row's hash covers its fields and the hash of the row before it
// (concord.AuditEvent), and sequence numbers run 1, 2, 3 ... without gaps.
// Verify walks the chain and reports the first row that was altered,
// inserted or deleted.
//
// What protects what:
//
//   - The chain alone shows a row altered, inserted or deleted in the middle.
//     It cannot show the newest rows removed (the chain just ends earlier),
//     nor a rewrite that recomputes every hash from some row on.
//   - An audit key (a secret kept outside the database, see LoadOrCreateKey)
//     seals each row with an HMAC: whoever can write the database but does
//     not hold the key cannot rewrite the chain from a row, nor add a row
//     that verifies. A row without a key after sealed rows is reported.
//   - A checkpoint (Sign) is the signed head of a verified chain, to keep
//     outside the operator's reach (another member, a ticket, a printout).
//     CheckWith against it proves that nothing at or before its row changed,
//     including the removal of rows up to it: what happened before the last
//     published checkpoint cannot be undone, even by the key's holder.
package audit

import (
	"context"
	"errors"
	"fmt"

	"concord"
)

// Kinds of break.
const (
	Altered    = "altered"    // the row's contents no longer match its hash
	Inserted   = "inserted"   // a row that was not written by the store
	Deleted    = "deleted"    // one or more rows are missing
	Broken     = "broken"     // the link to the previous row is wrong (altered or deleted row before it)
	Unkeyed    = "unkeyed"    // a row without a key after rows sealed with one
	Unverified = "unverified" // a row sealed with a key verification was not given
	Rewritten  = "rewritten"  // the row a checkpoint names has another hash: the chain was rewritten
	Truncated  = "truncated"  // the chain ends before the row a checkpoint names
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
	Rows   int64  // number of rows
	Head   string // hash of the last row ("" for an empty audit)
	Sealed int64  // rows sealed with an audit key
	KeyID  string // key of the last row ("" when unkeyed)
}

// Options are what CheckWith checks the chain against.
type Options struct {
	// Keys verify the rows sealed with them; a sealed row whose key is not
	// among them is a break (Unverified).
	Keys []*concord.AuditKey
	// Checkpoints the chain must still match: the row each names must have
	// its hash (every row before is then unchanged too).
	Checkpoints []*Checkpoint
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
	return CheckWith(ctx, st, Options{})
}

// CheckWith is Check with audit keys and checkpoints.
func CheckWith(ctx context.Context, st concord.AuditStore, opt Options) (*Break, *Result, error) {
	keys := map[string]*concord.AuditKey{}
	for _, k := range opt.Keys {
		keys[k.ID] = k
	}
	pins := map[int64]*Checkpoint{}
	var last int64
	for _, c := range opt.Checkpoints {
		pins[c.Seq] = c
		last = max(last, c.Seq)
	}
	var (
		prev      *concord.AuditEvent
		res       Result
		brk       *Break
		hashes    = map[string]int64{} // hash -> seq of the last window rows
		ring      []string
		memberSeq = map[string]int64{}
		sealedAt  int64 // first sealed row
	)
	stop := errors.New("stop")
	err := st.EachAuditEvent(ctx, func(ev *concord.AuditEvent) error {
		if brk = step(prev, ev, hashes, keys); brk == nil {
			brk = sealing(ev, sealedAt)
		}
		if brk == nil {
			brk = numbering(ev, memberSeq)
		}
		if c := pins[ev.Seq]; brk == nil && c != nil && c.Hash != ev.Hash {
			brk = &Break{Seq: ev.Seq, Kind: Rewritten, Message: fmt.Sprintf(
				"audit row %d is not the row checkpoint %s signed: the chain was rewritten at or before it", ev.Seq, c.Time.Format("2006-01-02T15:04:05Z"))}
		}
		if brk != nil {
			return stop
		}
		if ev.KeyID != "" {
			res.Sealed++
			if sealedAt == 0 {
				sealedAt = ev.Seq
			}
		}
		memberSeq[ev.Member] = ev.MemberSeq
		hashes[ev.Hash] = ev.Seq
		if ring = append(ring, ev.Hash); len(ring) > window {
			delete(hashes, ring[0])
			ring = ring[1:]
		}
		e := *ev
		prev = &e
		res.Rows++
		res.Head, res.KeyID = ev.Hash, ev.KeyID
		return nil
	})
	if brk != nil {
		return brk, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if res.Rows < last {
		return &Break{Seq: res.Rows + 1, Kind: Truncated, Message: fmt.Sprintf(
			"the audit ends at row %d but a checkpoint signed row %d: rows %d to %d were deleted", res.Rows, last, res.Rows+1, last)}, nil, nil
	}
	return nil, &res, nil
}

// sealing reports a row without a key after sealed ones (from sealedAt).
func sealing(ev *concord.AuditEvent, sealedAt int64) *Break {
	if ev.KeyID == "" && sealedAt != 0 {
		return &Break{Seq: ev.Seq, Kind: Unkeyed, Message: fmt.Sprintf(
			"audit row %d is not sealed although the rows from %d are: it was written without the audit key", ev.Seq, sealedAt)}
	}
	return nil
}

// numbering checks that ev's MemberSeq follows its member's previous row.
func numbering(ev *concord.AuditEvent, last map[string]int64) *Break {
	if want := last[ev.Member] + 1; ev.MemberSeq != want {
		return &Break{Seq: ev.Seq, Kind: Altered, Message: fmt.Sprintf(
			"audit row %d is numbered %d among the rows of member %q, want %d", ev.Seq, ev.MemberSeq, ev.Member, want)}
	}
	return nil
}

// sum is the hash ev must have: unkeyed, or the MAC of its key; ok is false
// when the key was not given.
func sum(ev *concord.AuditEvent, keys map[string]*concord.AuditKey) (string, bool) {
	if ev.KeyID == "" {
		return ev.ComputeHash(), true
	}
	k := keys[ev.KeyID]
	if k == nil {
		return "", false
	}
	return k.MAC(ev), true
}

// step checks ev against the row before it (nil for the first row).
func step(last, ev *concord.AuditEvent, hashes map[string]int64, keys map[string]*concord.AuditKey) *Break {
	want, ok := sum(ev, keys)
	if !ok {
		return &Break{Seq: ev.Seq, Kind: Unverified, Message: fmt.Sprintf(
			"audit row %d is sealed with key %s, which was not given: it cannot be verified", ev.Seq, ev.KeyID)}
	}
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
		if want != ev.Hash {
			return &Break{Seq: ev.Seq, Kind: Altered, Message: fmt.Sprintf("audit row %d was altered: its hash does not match its contents", ev.Seq)}
		}
		if last == nil {
			return &Break{Seq: ev.Seq, Kind: Deleted, Message: fmt.Sprintf(
				"audit row %d is the first row but links to an earlier one: the rows before it were deleted", ev.Seq)}
		}
		return &Break{Seq: ev.Seq, Kind: Broken, Message: fmt.Sprintf(
			"audit row %d does not link to row %d: a row before it was deleted or replaced", ev.Seq, last.Seq)}
	case want != ev.Hash:
		return &Break{Seq: ev.Seq, Kind: Altered, Message: fmt.Sprintf("audit row %d was altered: its hash does not match its contents", ev.Seq)}
	}
	return nil
}
