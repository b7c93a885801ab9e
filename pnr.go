package concord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// PNR data (issue 15): the bookings airlines push to a member's passenger
// information unit (PNRGOV), each push kept as a version of its booking;
// the links between bookings; and the limits the law puts on them, kept as
// the member's policy. A booking belongs to the member that received it:
// only that member's users see it, its links and its rule hits.

// Booking is a passenger name record a member received.
type Booking struct {
	ID         string    `json:"id"`
	Member     string    `json:"member"`            // the member that received it
	Owner      string    `json:"owner"`             // airline or system holding the locator
	Locator    string    `json:"locator"`           // record locator
	Created    string    `json:"created,omitempty"` // creation of the reservation, as pushed
	Flight     string    `json:"flight"`            // the flight of the latest push, e.g. "ZZ471 IST-VIE"
	Departure  string    `json:"departure,omitempty"`
	Travellers int       `json:"travellers"`
	Versions   int       `json:"versions"` // versions kept (a repeated push is not a version)
	Pushes     int       `json:"pushes"`   // pushes received
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	// Masked tells that the latest version is depersonalised.
	Masked bool `json:"masked"`
}

// BookingVersion is one push of a booking as a reader may see it: whole,
// or masked once depersonalised.
type BookingVersion struct {
	BookingID string          `json:"booking_id"`
	N         int             `json:"n"` // 1-based
	Received  time.Time       `json:"received"`
	Source    string          `json:"source"`
	Digest    string          `json:"digest"`  // of the PNR's content
	Changes   []string        `json:"changes"` // what changed since the previous version
	Data      json.RawMessage `json:"data"`    // the PNR (the PNRGOV reader's JSON)
	Masked    bool            `json:"masked"`
	// DepersonalisedAt is when the version was masked.
	DepersonalisedAt *time.Time `json:"depersonalised_at,omitempty"`
}

// Kinds of booking links.
const (
	LinkPhone         = "phone"
	LinkEmail         = "email"
	LinkAddress       = "address"
	LinkCard          = "card"
	LinkFrequentFlyer = "frequent_flyer"
	LinkAgency        = "agency"
)

// ValidLinkKind reports whether k is a kind of link.
func ValidLinkKind(k string) bool {
	switch k {
	case LinkPhone, LinkEmail, LinkAddress, LinkCard, LinkFrequentFlyer, LinkAgency:
		return true
	}
	return false
}

// BookingLink is an attribute of a booking version that links it to other
// bookings. Key, a keyed hash of the normalised value, is what is compared;
// it outlives depersonalisation, Value (shown) does not.
type BookingLink struct {
	Kind      string `json:"kind"`
	Key       string `json:"-"`
	Value     string `json:"value,omitempty"`
	Traveller int    `json:"traveller,omitempty"` // position in the PNR; 0 for the whole PNR
}

// BookingPush is one PNR of a push to store: the booking it is a version
// of, and the version.
type BookingPush struct {
	Member, Owner, Locator, Created string
	Flight, Departure               string
	Travellers                      int
	// Prev is the number of the version the push was compared with (0 for
	// a new booking); the store refuses the push with ECONFLICT when
	// another version was stored meanwhile. Same marks a push whose content
	// equals version Prev: only the booking's push count changes.
	Prev int
	Same bool
	// The version: its digest and changes, the PNR whole (Personal, until
	// depersonalised), masked (Masked) and sealed under the node's key
	// (Sealed, for re-personalisation), and its links.
	Digest   string
	Changes  []string
	Personal json.RawMessage
	Masked   json.RawMessage
	Sealed   []byte
	Links    []BookingLink
	// Hits are the scenario rules the version's travellers hit.
	Hits []RuleHit
}

// PNRImport is a push of a file or an upload: its PNRs, the screening job
// of the travellers that changed (nil when none did), and the travellers the
// member's rules looked at, by rule and nationality (for the rules' hit
// rates). It is stored in one transaction.
type PNRImport struct {
	Member  string
	Source  string
	Pushes  []BookingPush
	Job     *Job
	JobRows []JobRow
	Stats   []RuleStat
}

// PNRImportReport tells what a push changed.
type PNRImportReport struct {
	PNRs       int      `json:"pnrs"`
	New        int      `json:"new"`       // bookings seen for the first time
	Changed    int      `json:"changed"`   // bookings with a new version
	Unchanged  int      `json:"unchanged"` // pushes equal to the booking's latest version
	Screened   int      `json:"screened"`  // travellers screened (new or changed)
	RuleHits   int      `json:"rule_hits"`
	Job        string   `json:"job,omitempty"`
	BookingIDs []string `json:"booking_ids"` // in the order of the push
}

// BookingKey names a booking of a member: a record locator of its owner,
// and its creation (airlines reuse locators).
type BookingKey struct{ Member, Owner, Locator, Created string }

// ID is the booking's id: the same on every node.
func (k BookingKey) ID() string {
	h := sha256.Sum256([]byte(k.Member + "\x00" + k.Owner + "\x00" + k.Locator + "\x00" + k.Created))
	return "bk-" + hex.EncodeToString(h[:8])
}

// LatestVersion is the latest version of a booking, as the importer
// compares a push with it.
type LatestVersion struct {
	BookingID string
	N         int
	Digest    string
	Received  time.Time
	Personal  json.RawMessage // nil once depersonalised
}

// BookingQuery selects bookings of a member.
type BookingQuery struct {
	Member  string
	Locator string // "" for all
	Limit   int
}

// LinkQuery asks which bookings of a member carry a link: its kind and key,
// or every link of one booking.
type LinkQuery struct {
	Member    string
	Kind, Key string
	BookingID string
}

// LinkedBooking is a booking version that carries a link.
type LinkedBooking struct {
	Booking   Booking `json:"booking"`
	Version   int     `json:"version"`
	Kind      string  `json:"kind"`
	Key       string  `json:"-"`
	Value     string  `json:"value,omitempty"`
	Traveller int     `json:"traveller,omitempty"`
	// Via is, in a network answer, the booking of a listed or watched
	// person it shares the link with.
	Via string `json:"via,omitempty"`
}

// PNRPolicy is a member's limits on PNR data: a version is depersonalised
// (masked) DepersonaliseDays after its transfer and deleted RetainDays after
// it.
type PNRPolicy struct {
	Member            string `json:"member"`
	DepersonaliseDays int    `json:"depersonalise_days"`
	RetainDays        int    `json:"retain_days"`
}

// DefaultPNRPolicy is Directive (EU) 2016/681 Art. 12: depersonalised six
// months after transfer, deleted after five years.
func DefaultPNRPolicy(member string) PNRPolicy {
	return PNRPolicy{Member: member, DepersonaliseDays: 183, RetainDays: 5*365 + 1}
}

// Check tells what is wrong with a policy.
func (p PNRPolicy) Check() error {
	switch {
	case p.Member == "":
		return Errorf(EINVALID, "PNR policy: no member")
	case p.DepersonaliseDays < 1 || p.RetainDays < 1:
		return Errorf(EINVALID, "PNR policy: days must be at least 1")
	case p.DepersonaliseDays > p.RetainDays:
		return Errorf(EINVALID, "PNR policy: depersonalisation after %d days comes after deletion after %d", p.DepersonaliseDays, p.RetainDays)
	}
	return nil
}

// HousekeepingReport tells what one run of the PNR schedule did.
type HousekeepingReport struct {
	Depersonalised int `json:"depersonalised"` // versions masked
	Deleted        int `json:"deleted"`        // versions deleted
	Bookings       int `json:"bookings"`       // bookings deleted with their last version
}

// PNRRule is a scenario rule of a member: conditions on bookings (route
// via, one-way, cash, booked within hours of departure, document issued by,
// agency, service request) that raise a hit for a person to review when all
// hold for a traveller. Never an action.
type PNRRule struct {
	ID         string          `json:"id"`
	Member     string          `json:"member"`
	Name       string          `json:"name"`
	Conditions []RuleCondition `json:"conditions"`
	Enabled    bool            `json:"enabled"`
	Version    int             `json:"version"`
	CreatedBy  string          `json:"created_by"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// RuleCondition is one condition of a rule: a kind and its values (airports,
// countries, agencies, codes) or hours.
type RuleCondition struct {
	Kind   string   `json:"kind"`
	Values []string `json:"values,omitempty"`
	Hours  int      `json:"hours,omitempty"`
}

// RuleHit is a rule that held for a traveller of a booking version, with
// each condition and what satisfied it; a person confirms or dismisses it.
type RuleHit struct {
	ID          int64      `json:"id"`
	Member      string     `json:"member"`
	RuleID      string     `json:"rule_id"`
	RuleVersion int        `json:"rule_version"`
	RuleName    string     `json:"rule_name"`
	BookingID   string     `json:"booking_id"`
	Version     int        `json:"version"`
	Traveller   int        `json:"traveller"`
	Explanation []string   `json:"explanation"`
	Status      string     `json:"status"` // AlertPending, AlertConfirmed, AlertDismissed
	Reviewer    string     `json:"reviewer,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
}

// RuleStat counts, for a rule and a nationality, the travellers the rule
// looked at and those it hit.
type RuleStat struct {
	RuleID      string `json:"rule_id"`
	Nationality string `json:"nationality"` // as in the travel document; "" unknown
	Evaluated   int    `json:"evaluated"`
	Hits        int    `json:"hits"`
}

// RuleHitQuery selects hits of a member.
type RuleHitQuery struct {
	Member    string
	Status    string
	RuleID    string
	BookingID string
	Limit     int
}

// PNRStore keeps bookings, their versions and links, the members' policies
// and rules. Every read names the member: a booking of another member is not
// found, and is in no list, count or link.
type PNRStore interface {
	// LatestVersions returns the latest version of each booking named,
	// those it has.
	LatestVersions(ctx context.Context, keys []BookingKey) (map[BookingKey]LatestVersion, error)
	// ImportPNR stores a push, its job and its rule statistics in one
	// transaction.
	ImportPNR(ctx context.Context, imp *PNRImport) (*PNRImportReport, error)
	Bookings(ctx context.Context, q BookingQuery) ([]Booking, error)
	// Booking returns a booking of member with its versions, or ENOTFOUND.
	Booking(ctx context.Context, member, id string) (*Booking, []BookingVersion, error)
	// Repersonalise returns the sealed whole of a masked version, and
	// audits who asked and why, in one transaction.
	Repersonalise(ctx context.Context, member, id string, n int, reviewer, reason string) ([]byte, error)
	// Links answers a LinkQuery, newest first.
	Links(ctx context.Context, q LinkQuery, limit int) ([]LinkedBooking, error)
	// Network returns the bookings of member that share a link with a
	// booking one of whose travellers has an alert that is not dismissed
	// (a listed or watched person), each with that booking as Via. The
	// caller drops those whose alerts name records its viewer no longer
	// sees.
	Network(ctx context.Context, member string, limit int) ([]LinkedBooking, error)
	// BookingAlerts returns the screening alerts of the travellers of a
	// booking of member, any status.
	BookingAlerts(ctx context.Context, member, bookingID string) ([]Alert, error)
	PNRPolicy(ctx context.Context, member string) (PNRPolicy, error)
	SetPNRPolicy(ctx context.Context, p PNRPolicy) error
	// PNRHousekeeping depersonalises and deletes what the members'
	// policies say is due at now.
	PNRHousekeeping(ctx context.Context, now time.Time) (*HousekeepingReport, error)
	// PutPNRRule creates or replaces a rule, bumping its version.
	PutPNRRule(ctx context.Context, r *PNRRule) error
	PNRRules(ctx context.Context, member string) ([]PNRRule, error)
	DeletePNRRule(ctx context.Context, member, id string) error
	RuleHits(ctx context.Context, q RuleHitQuery) ([]RuleHit, error)
	// DecideRuleHit confirms or dismisses a pending hit of member;
	// ECONFLICT when it was already decided.
	DecideRuleHit(ctx context.Context, member string, id int64, status, reviewer, reason string) error
	RuleStats(ctx context.Context, member, ruleID string) ([]RuleStat, error)
}
