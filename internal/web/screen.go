package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/service"
	"concord/match"
)

func (s *Server) screenRoutes() []route {
	return []route{
		{"GET /screen", s.screenForm, false},
		{"POST /screen", s.screenName, false},
		{"POST /jobs", s.upload, false},
		{"GET /jobs", s.jobList, false},
		{"GET /jobs/{id}", s.job, false},
		{"GET /jobs/{id}/progress", s.jobProgress, false},
	}
}

// screenPage is the screening page: one name, or a file.
type screenPage struct {
	Name, BirthDate, Nationality, Document, Schema string
	Threshold                                      float64
	Countries                                      []string
	Results                                        []service.Hit
	Screened                                       bool
	NameError, UploadError                         string
	CanUpload, CanMatch                            bool
}

func (s *Server) newScreenPage(q *request) screenPage {
	return screenPage{Threshold: match.DefaultThreshold, Countries: concord.CountryCodes(), Schema: "Person",
		CanUpload: q.v.Can(access.Screen), CanMatch: q.v.Can(access.Match)}
}

func (s *Server) screenForm(w http.ResponseWriter, r *http.Request, q *request) error {
	if !q.v.Can(access.Match) && !q.v.Can(access.Screen) {
		return service.Need(q.v, access.Match, "screening")
	}
	return s.render(w, r, q, http.StatusOK, "screen", "Screen", s.newScreenPage(q))
}

// screenName screens one name with its birth date, nationality and
// document: ranked, explained results.
func (s *Server) screenName(w http.ResponseWriter, r *http.Request, q *request) error {
	d := s.newScreenPage(q)
	d.Name, d.BirthDate = strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("birth_date"))
	d.Nationality, d.Document = r.PostFormValue("nationality"), strings.TrimSpace(r.PostFormValue("document"))
	d.Schema = r.PostFormValue("schema")
	if t, err := strconv.ParseFloat(r.PostFormValue("threshold"), 64); err == nil && t > 0 && t <= 1 {
		d.Threshold = t
	}
	mq := match.Query{ID: "console", Name: d.Name, BirthDate: d.BirthDate, Nationality: d.Nationality,
		DocumentNumber: d.Document, Schema: d.Schema}
	res, err := s.svc.Screen(r.Context(), q.v, mq, 10, d.Threshold)
	if concord.ErrorCode(err) == concord.EINVALID {
		d.NameError = concord.ErrorMessage(err)
		return s.render(w, r, q, http.StatusBadRequest, "screen", "Screen", d)
	}
	if err != nil {
		return err
	}
	d.Results, d.Screened = res, true
	return s.render(w, r, q, http.StatusOK, "screen", "Screen", d)
}

// upload submits a query CSV or a PAXLST manifest as a background job and
// sends the browser to the job's page, where its progress shows live.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, q *request) error {
	d := s.newScreenPage(q)
	if err := service.Need(q.v, access.Screen, "screening a file"); err != nil {
		return err
	}
	// The file is kept on disk beyond its first MiB (never whole in memory)
	// and handed to the runner as a stream, which spools and parses it.
	var f multipart.File
	var fh *multipart.FileHeader
	err := r.ParseMultipartForm(1 << 20)
	if err == nil {
		f, fh, err = r.FormFile("file")
	}
	if err != nil {
		d.UploadError = "Choose a file to screen: a query CSV or a PAXLST manifest."
		return s.render(w, r, q, http.StatusBadRequest, "screen", "Screen", d)
	}
	defer f.Close()
	tooLarge := func() error {
		d.UploadError = "The file is larger than " + strconv.FormatInt(s.cfg.MaxUpload>>20, 10) + " MiB."
		return s.render(w, r, q, http.StatusRequestEntityTooLarge, "screen", "Screen", d)
	}
	if fh.Size > s.cfg.MaxUpload {
		return tooLarge()
	}
	body := io.LimitReader(f, s.cfg.MaxUpload)
	threshold := match.DefaultThreshold
	if t, err := strconv.ParseFloat(r.PostFormValue("threshold"), 64); err == nil && t > 0 && t <= 1 {
		threshold = t
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = filepath.Base(fh.Filename)
	}
	name = service.Truncate(name, 200)
	j, err := s.cfg.Jobs.Submit(r.Context(), q.v, "", name, body, threshold, match.DefaultLimit)
	if concord.ErrorCode(err) == concord.EINVALID {
		d.UploadError = concord.ErrorMessage(err)
		return s.render(w, r, q, http.StatusBadRequest, "screen", "Screen", d)
	}
	if concord.ErrorCode(err) == concord.ETOOLARGE {
		return tooLarge()
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/jobs/"+url.PathEscape(j.ID), http.StatusSeeOther)
	return nil
}

// jobsPage lists the member's jobs, a page at a time.
type jobsPage struct {
	Jobs       []concord.Job
	Prev, Next string
}

const jobsPerPage = 25

func (s *Server) jobList(w http.ResponseWriter, r *http.Request, q *request) error {
	js, err := s.svc.Jobs(r.Context(), q.v)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	var d jobsPage
	lo := min((page-1)*jobsPerPage, len(js))
	hi := min(lo+jobsPerPage, len(js))
	d.Jobs = js[lo:hi]
	if page > 1 {
		d.Prev = "/jobs?page=" + strconv.Itoa(page-1)
	}
	if hi < len(js) {
		d.Next = "/jobs?page=" + strconv.Itoa(page+1)
	}
	return s.render(w, r, q, http.StatusOK, "jobs", "Screenings", d)
}

// jobPage is one job: progress, manifest, refused rows and results.
type jobPage struct {
	Job        *concord.Job
	Finished   bool
	Manifest   *manifestMeta
	Skipped    []string
	Rows       []rowView
	Prev, Next string
	HitsOnly   bool
}

// rowView is one screened row: the traveller or query and its matches.
type rowView struct {
	N       int
	Key     string
	Query   queryView
	Matches []match.Match
	Done    bool
}

// queryView is a screened query as the job stored it.
type queryView struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	BirthDate      string `json:"birth_date"`
	Nationality    string `json:"nationality"`
	Gender         string `json:"gender"`
	DocumentNumber string `json:"document_number"`
	Line           int    `json:"line"`
}

// manifestMeta is what the job runner records of a PAXLST manifest.
type manifestMeta struct {
	Sender   string `json:"sender"`
	Messages []struct {
		Crew   bool `json:"crew"`
		Flight struct {
			Carrier, Number, Departure, Arrival string
		} `json:"flight"`
		Travellers int `json:"travellers"`
	} `json:"messages"`
	Warnings []string `json:"warnings"`
}

const rowsPerPage = 100

func (s *Server) job(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	j, err := s.svc.Job(ctx, q.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := jobPage{Job: j, Finished: j.Status == concord.JobDone || j.Status == concord.JobFailed,
		HitsOnly: r.URL.Query().Get("all") == ""}
	if j.Meta != "" && j.Kind == "paxlst" {
		var m manifestMeta
		if json.Unmarshal([]byte(j.Meta), &m) == nil {
			d.Manifest = &m
		}
	}
	if j.Status != concord.JobFailed && j.Error != "" {
		if _, list, ok := strings.Cut(j.Error, ": "); ok {
			d.Skipped = strings.Split(list, "; ")
		} else {
			d.Skipped = []string{j.Error}
		}
	}
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	if r.URL.Query().Get("after") == "" {
		after = -1
	}
	rows, err := s.svc.JobRows(ctx, q.v, j, after, rowsPerPage)
	if err != nil {
		return err
	}
	for _, row := range rows {
		rv := rowView{N: row.N, Key: row.Key, Done: row.Done}
		_ = json.Unmarshal(row.Query, &rv.Query)
		if len(row.Result) > 0 {
			var res struct {
				Matches []match.Match `json:"matches"`
			}
			_ = json.Unmarshal(row.Result, &res)
			rv.Matches = res.Matches
		}
		if d.HitsOnly && len(rv.Matches) == 0 {
			continue
		}
		d.Rows = append(d.Rows, rv)
	}
	all := ""
	if !d.HitsOnly {
		all = "&all=1"
	}
	if after >= 0 {
		d.Prev = "/jobs/" + url.PathEscape(j.ID) + "?after=" + strconv.Itoa(max(after-rowsPerPage, -1)) + all
		if after-rowsPerPage < 0 {
			d.Prev = "/jobs/" + url.PathEscape(j.ID) + "?" + strings.TrimPrefix(all, "&")
		}
	}
	if len(rows) == rowsPerPage {
		d.Next = "/jobs/" + url.PathEscape(j.ID) + "?after=" + strconv.Itoa(rows[len(rows)-1].N) + all
	}
	return s.render(w, r, q, http.StatusOK, "job", "Screening: "+service.Truncate(j.Source, 80), d)
}

// jobProgress is the JSON the job page's script polls while a job runs.
func (s *Server) jobProgress(w http.ResponseWriter, r *http.Request, q *request) error {
	j, err := s.svc.Job(r.Context(), q.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]any{
		"status": j.Status, "done": j.Done, "total": j.Total, "hits": j.Hits,
		"finished": j.Status == concord.JobDone || j.Status == concord.JobFailed,
	})
}

// errorsIsMaxBytes reports a body over its limit.
func errorsIsMaxBytes(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
