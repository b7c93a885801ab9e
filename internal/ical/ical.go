// Package ical writes iCalendar (RFC 5545) feeds: all-day events with a
// summary, a place and a description, and to-dos with a due date and a
// status. It is what the coalition's meetings and action items need and no
// more: text values escaped (backslash, semicolon, comma, newline), lines
// folded at 75 octets without splitting a UTF-8 sequence, CRLF line ends.
// Standard library only.
package ical

import (
	"bytes"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is an all-day event (a meeting): Start to End inclusive.
type Event struct {
	UID         string
	Start, End  time.Time // days (UTC); End zero or before Start: one day
	Summary     string
	Location    string
	Description string
	URL         string
}

// Todo is a task due on a day (an action item).
type Todo struct {
	UID         string
	Due         time.Time // a day (UTC)
	Summary     string
	Description string
	Status      string // NEEDS-ACTION, IN-PROCESS, COMPLETED or CANCELLED
}

// Calendar is a feed.
type Calendar struct {
	ProdID string // e.g. "-//Concord//Coalition calendar//EN"
	Name   string
	Stamp  time.Time // DTSTAMP of every component
	Events []Event
	Todos  []Todo
}

// Escape escapes a TEXT value (RFC 5545 §3.3.11).
func Escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes one content line folded at 75 octets (§3.1), CRLF-ended.
func fold(w *bytes.Buffer, line string) {
	n := 0
	for len(line) > 0 {
		_, size := utf8.DecodeRuneInString(line)
		if n+size > 75 {
			w.WriteString("\r\n ")
			n = 1
		}
		w.WriteString(line[:size])
		n += size
		line = line[size:]
	}
	w.WriteString("\r\n")
}

const day = "20060102"

// Write writes the calendar.
func (c *Calendar) Write(out io.Writer) error {
	var b bytes.Buffer
	stamp := c.Stamp.UTC().Format("20060102T150405Z")
	prop := func(name, value string) { fold(&b, name+":"+value) }
	text := func(name, value string) {
		if value != "" {
			prop(name, Escape(value))
		}
	}
	prop("BEGIN", "VCALENDAR")
	prop("VERSION", "2.0")
	prop("PRODID", c.ProdID)
	prop("CALSCALE", "GREGORIAN")
	text("X-WR-CALNAME", c.Name)
	for _, e := range c.Events {
		end := e.End
		if end.Before(e.Start) {
			end = e.Start
		}
		prop("BEGIN", "VEVENT")
		prop("UID", e.UID)
		prop("DTSTAMP", stamp)
		prop("DTSTART;VALUE=DATE", e.Start.UTC().Format(day))
		prop("DTEND;VALUE=DATE", end.UTC().AddDate(0, 0, 1).Format(day)) // exclusive
		text("SUMMARY", e.Summary)
		text("LOCATION", e.Location)
		text("DESCRIPTION", e.Description)
		if e.URL != "" {
			prop("URL", e.URL)
		}
		prop("END", "VEVENT")
	}
	for _, t := range c.Todos {
		prop("BEGIN", "VTODO")
		prop("UID", t.UID)
		prop("DTSTAMP", stamp)
		prop("DUE;VALUE=DATE", t.Due.UTC().Format(day))
		text("SUMMARY", t.Summary)
		text("DESCRIPTION", t.Description)
		if t.Status != "" {
			prop("STATUS", t.Status)
		}
		prop("END", "VTODO")
	}
	prop("END", "VCALENDAR")
	_, err := out.Write(b.Bytes())
	return err
}
