package web

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestNetworkPage: an entity's page links to its network, drawn by the
// server as an SVG inlined in the page (presentation attributes only, for
// the content security policy), with its exposure and every edge.
func TestNetworkPage(t *testing.T) {
	s := newSite(t)
	c := s.signIn("es-viewer")
	code, body := c.get("/entities/un-QDe.137")
	if code != 200 || !strings.Contains(body, `href="/entities/un-QDe.137/network"`) {
		t.Fatalf("entity page: %d", code)
	}
	code, body = c.get("/entities/un-QDe.137/network?hops=1")
	if code != 200 {
		t.Fatalf("network page: %d %s", code, body)
	}
	start, end := strings.Index(body, "<svg"), strings.Index(body, "</svg>")
	if start < 0 || end < start {
		t.Fatalf("no picture in %s", body)
	}
	pic := body[start : end+len("</svg>")]
	if err := xml.Unmarshal([]byte(pic), new(struct{})); err != nil {
		t.Errorf("picture is not well-formed: %v", err)
	}
	if strings.Contains(pic, "<style") || strings.Contains(pic, "style=") || strings.Contains(pic, "<script") {
		t.Error("the picture carries style or script the policy refuses")
	}
	for _, want := range []string{"Exposure to listed entities", "(listed)", "format=graphml"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if code, _ := c.get("/entities/m-nobody/network"); code != 404 {
		t.Errorf("missing entity: %d", code)
	}
}
