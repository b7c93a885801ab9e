package httpapi

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/importer/ftm"
	"concord/internal/service"
)

// export streams the entities the caller may see as FollowTheMoney JSON
// lines (one dataset or some schemata with ?dataset= and ?schema=A,B). The
// export is audited before the first byte is sent.
func (s *Server) export(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Export, "exporting"); err != nil {
		return err
	}
	q := concord.EntityQuery{Dataset: r.URL.Query().Get("dataset")}
	if sc := r.URL.Query().Get("schema"); sc != "" {
		q.Schemata = strings.Split(sc, ",")
	}
	ctx := r.Context()
	if err := s.audit(ctx, "export", "ftm", fmt.Sprintf("dataset=%q schema=%q", q.Dataset, strings.Join(q.Schemata, ","))); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	started := false
	err := s.store.EachEntity(ctx, c.v.Filter(), q, func(e *concord.Entity) error {
		if !service.Served(e) {
			return nil // cases and minors' records: /v1/cases/export, with a purpose
		}
		if !started {
			w.Header().Set("Content-Type", "application/x-ndjson")
			started = true
		}
		return ftm.Write(bw, e)
	})
	if err != nil && !started {
		return err
	}
	if err != nil {
		// The status line is gone: end the stream short and log why.
		s.log.Error("export interrupted", "user", c.v.User, "err", err)
		return nil
	}
	if !started {
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
	}
	return bw.Flush()
}
