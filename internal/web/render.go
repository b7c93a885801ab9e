package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"concord"
	"concord/access"
)

//go:embed templates
var templateFS embed.FS

// pages holds one template set per page: the shared layout and partials
// (templates/layout.html, templates/partials.html) plus the page's file,
// which defines "main".
type pages struct{ set map[string]*template.Template }

func loadPages() (*pages, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		p.set[name] = t
	}
	return p, nil
}

// view is what the layout gets: the page's own data in Data.
type view struct {
	Title  string
	Page   string // the page's template name (the active menu item)
	Signed bool
	User   string
	Member string
	Roles  []concord.Role
	CSRF   string
	Can    map[string]bool // menu items and actions the viewer may use
	Data   any
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, q *request, status int, page, title string, data any) error {
	t, ok := s.pages.set[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	v := view{Title: title, Page: page, Signed: q.signedIn(), CSRF: q.csrf, Data: data, Can: can(q.v)}
	v.Can["pnr"] = v.Can["pnr"] && s.cfg.PNR != nil
	if q.signedIn() {
		v.User, v.Member, v.Roles = q.v.User, q.v.Member, q.v.Roles
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("web: rendering %s: %w", page, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// can lists what the menu shows, from the access package's rights.
func can(v access.Viewer) map[string]bool {
	return map[string]bool{
		"read":       v.Can(access.Read),
		"match":      v.Can(access.Match),
		"screen":     v.Can(access.Screen),
		"jobs":       v.CanListJobs(),
		"review":     v.Can(access.Review),
		"contribute": v.Can(access.Contribute),
		"users":      v.Can(access.ManageUsers),
		"audit":      v.Can(access.ViewAudit),
		"coalition":  v.Can(access.ManageCoalition),
		"pnr":        v.Can(access.ReadPNR),
	}
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Code    string
	Message string
}

// renderError shows err as a page with the status of its code. Internal
// errors are logged with their detail and shown as "internal error".
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, q *request, err error) {
	if q == nil {
		q = &request{}
	}
	code := concord.ErrorCode(err)
	status := concord.HTTPStatus(code)
	msg := concord.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		code, msg = concord.EINTERNAL, "Something went wrong on our side. The error has been logged; please try again."
		s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", retrySeconds(ra.RetryAfter()))
	}
	title := map[int]string{400: "Cannot do that", 401: "Please sign in", 403: "Not allowed", 404: "Not found",
		409: "Already changed", 429: "Too many attempts", 500: "Something went wrong", 501: "Not available"}[status]
	if rerr := s.render(w, r, q, status, "error", title, errorPage{Status: status, Code: code, Message: msg}); rerr != nil {
		s.log.ErrorContext(r.Context(), "rendering an error page", "err", rerr)
		http.Error(w, msg, status)
	}
}

func retrySeconds(d time.Duration) string { return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1)) }

// waitText says a wait in words: "3 minutes", "40 seconds".
func waitText(d time.Duration) string {
	if d >= time.Minute {
		m := int(math.Ceil(d.Minutes()))
		return plural(m, "minute")
	}
	return plural(max(int(math.Ceil(d.Seconds())), 1), "second")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// funcs are the template functions. Every value reaches the page through
// html/template's contextual escaping; none returns template.HTML built
// from untrusted text without escaping it first.
var funcs = template.FuncMap{
	"when":     when,
	"day":      day,
	"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"pct":      func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" },
	"score":    func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"plural":   plural,
	"label":    label,
	"words":    func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"list":     func(xs ...string) []string { return xs },
	"country":  countryName,
	"tlpClass": func(t concord.TLP) string { return "tlp-" + strings.ToLower(strings.ReplaceAll(string(t), "+", "-")) },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
	"pretty": func(b json.RawMessage) string {
		var out bytes.Buffer
		if json.Indent(&out, b, "", "  ") != nil {
			return string(b)
		}
		return out.String()
	},
	"percentOf": func(done, total int) int {
		if total <= 0 {
			return 0
		}
		return done * 100 / total
	},
}

// when renders a time as <time datetime=RFC3339>, in UTC; the console's
// script shows it in the viewer's zone.
func when(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	u := t.UTC()
	return template.HTML(`<time datetime="` + u.Format(time.RFC3339) + `">` + u.Format("2006-01-02 15:04") + ` UTC</time>`)
}

// day renders a time as a date in a <time> element; the console's script
// shows the date in the viewer's zone.
func day(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	u := t.UTC()
	return template.HTML(`<time datetime="` + u.Format(time.RFC3339) + `" data-day="">` + u.Format("2006-01-02") + `</time>`)
}

// label turns a property name into words: birthDate → "birth date".
func label(prop string) string {
	var b strings.Builder
	for i, r := range prop {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// countryName is a country's English name, or the code.
func countryName(code string) string {
	if n := concord.CountryName(code); n != "" {
		return n
	}
	return strings.ToUpper(code)
}
