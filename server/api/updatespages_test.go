package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is one page of the JSON or OSV listing, as a client reads it.
type listing struct {
	Releases []struct {
		Advisories []struct {
			ID string `json:"id"`
		} `json:"advisories"`
	} `json:"releases"`
	Vulns []struct {
		ID string `json:"id"`
	} `json:"vulns"`
	Page     int    `json:"page"`
	Pages    int    `json:"pages"`
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

func (l listing) ids() []string {
	var ids []string
	for _, rel := range l.Releases {
		for _, a := range rel.Advisories {
			ids = append(ids, a.ID)
		}
	}
	for _, v := range l.Vulns {
		ids = append(ids, v.ID)
	}
	return ids
}

func htmlIDs(body string) []string {
	var ids []string
	for _, part := range strings.Split(body, `<li id="`)[1:] {
		ids = append(ids, part[:strings.Index(part, `"`)])
	}
	return ids
}

// newestFirst lists the ids of advisories 0..n-1 as the pages must: newest first.
func newestFirst(n int) []string {
	ids := make([]string, 0, n)
	for i := n - 1; i >= 0; i-- {
		ids = append(ids, fmt.Sprintf("MMSA-2026-%d", i))
	}
	return ids
}

func TestSecurityUpdatesArePaged(t *testing.T) {
	tests := []struct {
		advisories, pages, lastPage int
	}{
		{0, 1, 0},
		{1, 1, 1},
		{advisoriesPerPage, 1, advisoriesPerPage},
		{advisoriesPerPage + 1, 2, 1},
		{2000, 2000 / advisoriesPerPage, advisoriesPerPage},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.advisories), func(t *testing.T) {
			kv, clock, settings := newCluster(t)
			srv := newTestServer(kv, clock, settings)
			srv.publish(t, 0, tt.advisories)

			for _, format := range []struct {
				name, path string
			}{{"JSON", routes.SecurityUpdatesJSON}, {"OSV", routes.AdvisoriesOSV}} {
				var all []string
				for n := 1; n <= tt.pages; n++ {
					w := srv.get(pageURL(format.path, n))
					require.Equal(t, http.StatusOK, w.Code, "%s page %d", format.name, n)
					var l listing
					require.NoError(t, json.Unmarshal(w.Body.Bytes(), &l))
					assert.Equal(t, n, l.Page)
					assert.Equal(t, tt.pages, l.Pages)
					size := advisoriesPerPage
					if n == tt.pages {
						size = tt.lastPage
					}
					assert.Len(t, l.ids(), size, "%s page %d", format.name, n)
					all = append(all, l.ids()...)

					base := "https://chat.example.com/plugins/x" + format.path
					if n < tt.pages {
						assert.Equal(t, base+"?page="+strconv.Itoa(n+1), l.Next)
					} else {
						assert.Empty(t, l.Next, "the last page has no next")
					}
					switch n {
					case 1:
						assert.Empty(t, l.Previous, "the first page has no previous")
					case 2:
						assert.Equal(t, base, l.Previous, "page 1 is the listing's own URL")
					default:
						assert.Equal(t, base+"?page="+strconv.Itoa(n-1), l.Previous)
					}
				}
				assert.Equal(t, newestFirst(tt.advisories), nonNilStrings(all), "%s: every advisory once, newest first", format.name)
				if tt.advisories == 0 {
					assert.Contains(t, srv.get(format.path).Body.String(), "[]", "an empty list is an empty array")
				}
			}

			var all []string
			for n := 1; n <= tt.pages; n++ {
				w := srv.get(pageURL(routes.SecurityUpdates, n))
				require.Equal(t, http.StatusOK, w.Code, "HTML page %d", n)
				body := w.Body.String()
				all = append(all, htmlIDs(body)...)
				assert.Equal(t, n < tt.pages, strings.Contains(body, `<a rel="next" href="security-updates?page=`+strconv.Itoa(n+1)+`">`), "HTML page %d: next link", n)
				assert.Equal(t, n > 1, strings.Contains(body, `<a rel="prev" href="`+strings.TrimPrefix(pageURL(routes.SecurityUpdates, n-1), "/")+`">`), "HTML page %d: previous link", n)
				assert.Equal(t, tt.pages > 1, strings.Contains(body, fmt.Sprintf("Page %d of %d", n, tt.pages)))
			}
			assert.Equal(t, newestFirst(tt.advisories), nonNilStrings(all), "HTML: every advisory once, newest first")
			if tt.advisories == 0 {
				assert.Contains(t, srv.get(routes.SecurityUpdates).Body.String(), "No security updates have been published yet.")
			}

			for _, path := range []string{routes.SecurityUpdates, routes.SecurityUpdatesJSON, routes.AdvisoriesOSV} {
				page1 := srv.get(path)
				assert.Equal(t, page1.Header().Get("ETag"), srv.get(path+"?page=1").Header().Get("ETag"), "?page=1 is page 1")
				assert.Equal(t, http.StatusNotFound, srv.get(path+"?page="+strconv.Itoa(tt.pages+1)).Code, "past the last page")
				for _, bad := range []string{"0", "-1", "abc", "1.5", "99999999999999999999"} {
					assert.Equal(t, http.StatusBadRequest, srv.get(path+"?page="+bad).Code, "page=%s", bad)
				}
			}

			// However many pages were served, only a bounded number stay rendered.
			assert.LessOrEqual(t, srv.router.pages.updates.current.Load().value.later.len(), laterPagesKept)
		})
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Pages rendered on demand are kept in memory (no second render), and all of
// them are dropped at a new revision.
func TestLaterPagesAreKeptUntilTheNextRevision(t *testing.T) {
	kv, clock, settings := newCluster(t)
	srv := newTestServer(kv, clock, settings)
	srv.publish(t, 0, 120)
	page3 := srv.get(routes.SecurityUpdates + "?page=3")
	require.Equal(t, http.StatusOK, page3.Code)
	cached := srv.router.pages.updates.current.Load().value
	assert.Equal(t, 1, cached.later.len())
	again := srv.get(routes.SecurityUpdates + "?page=3")
	assert.Equal(t, page3.Body.String(), again.Body.String())
	assert.Equal(t, 1, cached.later.len(), "served from memory, not rendered again")

	srv.publish(t, 120, 121) // through this server: dropped at once
	moved := srv.get(routes.SecurityUpdates + "?page=3")
	require.Equal(t, http.StatusOK, moved.Code)
	assert.NotEqual(t, page3.Header().Get("ETag"), moved.Header().Get("ETag"), "every page moved by one advisory")
	assert.NotSame(t, cached, srv.router.pages.updates.current.Load().value)
	assert.Equal(t, 1, srv.router.pages.updates.current.Load().value.later.len(), "only the page asked for since")
}
