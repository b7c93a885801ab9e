package taxii

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"concord"
	"concord/internal/stix"
)

// PullOptions says what collection to read and how to sign in.
type PullOptions struct {
	// URL is the collection's URL (…/collections/{id}/); its objects are
	// read from URL + "objects/".
	URL string
	// Token is sent as a bearer token; User and Password as HTTP Basic
	// (the user's name and a token, for Concord).
	Token, User, Password string
	// AddedAfter reads only objects added after this timestamp.
	AddedAfter string
	Limit      int          // objects per page asked (0: the server's)
	Client     *http.Client // default http.DefaultClient
	MaxBody    int64        // bytes of one page read at most (default 64 MiB)
}

// PullResult is what a collection held.
type PullResult struct {
	*stix.Result
	Pages     int
	LastAdded string // X-TAXII-Date-Added-Last of the last page: --added-after next time
}

// Pull reads every page of a collection's objects (following next while
// more) into one result: a relationship may point to an object of another
// page. A page that is not TAXII 2.1 is an error naming the URL.
func Pull(ctx context.Context, opt PullOptions) (*PullResult, error) {
	u, err := url.Parse(opt.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, concord.Errorf(concord.EINVALID, "TAXII collection URL %q: want http(s)://host/…/collections/ID/", opt.URL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.Path += "objects/"
	c := opt.Client
	if c == nil {
		c = http.DefaultClient
	}
	max := opt.MaxBody
	if max <= 0 {
		max = 64 << 20
	}
	rd := stix.NewReader(u.String())
	res := &PullResult{}
	next := ""
	for {
		q := u.Query()
		if opt.AddedAfter != "" {
			q.Set("added_after", opt.AddedAfter)
		}
		if opt.Limit > 0 {
			q.Set("limit", fmt.Sprint(opt.Limit))
		}
		if next != "" {
			q.Set("next", next)
		}
		page := *u
		page.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, page.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", MediaTAXII)
		switch {
		case opt.Token != "":
			req.Header.Set("Authorization", "Bearer "+opt.Token)
		case opt.User != "":
			req.SetBasicAuth(opt.User, opt.Password)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, fmt.Errorf("TAXII %s: %w", page.String(), err)
		}
		body := io.LimitReader(resp.Body, max)
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(io.LimitReader(body, 4096))
			resp.Body.Close()
			var te taxiiError
			msg := strings.TrimSpace(string(b))
			if json.Unmarshal(b, &te) == nil && te.Title != "" {
				msg = te.Title + ": " + te.Description
			}
			return nil, concord.Errorf(concord.EINVALID, "TAXII %s: %s: %s", page.String(), resp.Status, msg)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/taxii+json") {
			resp.Body.Close()
			return nil, concord.Errorf(concord.EINVALID, "TAXII %s: Content-Type %q is not %s", page.String(), ct, MediaTAXII)
		}
		top, err := rd.ReadPage(body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		res.Pages++
		if l := resp.Header.Get("X-TAXII-Date-Added-Last"); l != "" {
			res.LastAdded = l
		}
		var more bool
		_ = json.Unmarshal(top["more"], &more)
		next = ""
		_ = json.Unmarshal(top["next"], &next)
		if !more {
			break
		}
		if next == "" {
			return nil, concord.Errorf(concord.EINVALID, "TAXII %s: more objects, but no next token", page.String())
		}
	}
	res.Result = rd.Finish()
	return res, nil
}
