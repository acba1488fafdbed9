package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Load loops and latency samples. Every loop targets the loopback address of
// the bench's own server, and is bounded both in time and in request count.

// maxRequestsPerRun bounds one throughput run whatever its duration: ten
// times what the fastest route here (ping) answers in two seconds.
const maxRequestsPerRun = 400_000

// target is one request the bench repeats.
type target struct {
	name   string
	url    string
	header http.Header
	// want is the status every answer must have (200, or 304 for a
	// conditional request).
	want int
}

// checkLoopback refuses any URL that is not on this machine's loopback.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("the bench only loads its own server on the loopback address, not %s", raw)
}

// newKeepAliveClient keeps up to conns connections open to the server.
func newKeepAliveClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
		},
	}
}

// throughput is the outcome of one load run.
type throughput struct {
	requests int64
	bad      int64 // answers with another status, or failed requests
	elapsed  time.Duration
	lastBad  string
}

func (t throughput) perSecond() float64 {
	if t.elapsed <= 0 {
		return 0
	}
	return float64(t.requests) / t.elapsed.Seconds()
}

// hammer sends t's request from conns workers over keep-alive connections for
// d, or until maxRequestsPerRun answers, whichever comes first.
func hammer(ctx context.Context, client *http.Client, conns int, d time.Duration, t target) (throughput, error) {
	if err := checkLoopback(t.url); err != nil {
		return throughput{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var requests, bad atomic.Int64
	var mu sync.Mutex
	var lastBad string
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && requests.Load() < maxRequestsPerRun {
				code, err := once(ctx, client, t)
				if ctx.Err() != nil {
					return // cut short by the end of the run: not an answer
				}
				requests.Add(1)
				if err != nil || code != t.want {
					bad.Add(1)
					mu.Lock()
					lastBad = fmt.Sprintf("HTTP %d %v", code, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return throughput{requests: requests.Load(), bad: bad.Load(), elapsed: time.Since(start), lastBad: lastBad}, nil
}

// once sends one request and drains the answer, so the connection is reused.
func once(ctx context.Context, client *http.Client, t target) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// timed measures one sequential call.
func timed(call func() error) (time.Duration, error) {
	start := time.Now()
	err := call()
	return time.Since(start), err
}

// samples are latencies of one kind of call.
type samples []time.Duration

// quantile is the q-quantile (0.5: median) by the nearest-rank method.
func (s samples) quantile(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := append(samples(nil), s...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	rank := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// median of ratios or rates.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

// bodySize is what a page's answer weighs: on the wire (compressed when the
// server sent it so) and once decoded, as a browser asking for gzip gets it.
type bodySize struct {
	wire, decoded int
	encoding      string
}

func (b bodySize) String() string {
	switch {
	case b.decoded == 0:
		return "no body"
	case b.encoding == "":
		return fmt.Sprintf("%.1f KB", float64(b.decoded)/1000)
	}
	return fmt.Sprintf("%.1f KB, %.1f KB %s", float64(b.decoded)/1000, float64(b.wire)/1000, b.encoding)
}

// probeSize asks for t's page once, accepting gzip, and measures the answer.
func probeSize(ctx context.Context, t target) (bodySize, error) {
	if err := checkLoopback(t.url); err != nil {
		return bodySize{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return bodySize{}, err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	req.Header.Set("Accept-Encoding", "gzip")
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return bodySize{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return bodySize{}, err
	}
	size := bodySize{wire: len(raw), decoded: len(raw), encoding: resp.Header.Get("Content-Encoding")}
	if size.encoding == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return size, err
		}
		n, err := io.Copy(io.Discard, zr)
		size.decoded = int(n)
		return size, err
	}
	return size, nil
}
