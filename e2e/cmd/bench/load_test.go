package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuantileIsNearestRank(t *testing.T) {
	ms := func(ns ...int) samples {
		var s samples
		for _, n := range ns {
			s = append(s, time.Duration(n)*time.Millisecond)
		}
		return s
	}
	tests := []struct {
		name string
		s    samples
		q    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of odd", ms(5, 1, 3), 0.5, 3 * time.Millisecond},
		{"median of even takes the lower", ms(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", upTo(100), 0.99, 99 * time.Millisecond},
		{"p99 of 60 is the largest", upTo(60), 0.99, 60 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.s.quantile(tt.q))
		})
	}
}

// upTo is 1 ms, 2 ms, ... n ms, in reverse order.
func upTo(n int) samples {
	var s samples
	for i := n; i >= 1; i-- {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	return s
}

func TestMedian(t *testing.T) {
	assert.Equal(t, 0.0, median(nil))
	assert.Equal(t, 2.0, median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8065/api/v4/system/ping", true},
		{"http://127.0.0.42:1/", true},
		{"http://localhost:8065/", true},
		{"http://[::1]:8065/", true},
		{"http://10.0.0.1:8065/", false},
		{"http://192.168.1.1/", false},
		{"https://example.com/", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := checkLoopback(tt.url)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestHammerCountsAnswersAndBadStatuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	client := newKeepAliveClient(4)

	ok, err := hammer(context.Background(), client, 4, 200*time.Millisecond, target{name: "ok", url: srv.URL, want: http.StatusOK})
	require.NoError(t, err)
	assert.Positive(t, ok.requests)
	assert.Zero(t, ok.bad)
	assert.Positive(t, ok.perSecond())
	assert.Less(t, ok.elapsed, 2*time.Second, "the run ends at its duration")

	notModified, err := hammer(context.Background(), client, 4, 100*time.Millisecond,
		target{name: "304", url: srv.URL, header: http.Header{"If-None-Match": {`"v1"`}}, want: http.StatusNotModified})
	require.NoError(t, err)
	assert.Zero(t, notModified.bad, "every answer was a 304")

	wrong, err := hammer(context.Background(), client, 4, 100*time.Millisecond, target{name: "wrong", url: srv.URL, want: http.StatusNotModified})
	require.NoError(t, err)
	assert.Equal(t, wrong.requests, wrong.bad, "a 200 where a 304 was wanted is counted as bad")
	assert.Contains(t, wrong.lastBad, "HTTP 200")

	_, err = hammer(context.Background(), client, 1, time.Millisecond, target{url: "http://10.1.2.3/"})
	assert.Error(t, err, "no load leaves the loopback")
}
