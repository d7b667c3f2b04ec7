package pin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultAPIURL is the GitHub REST API NewGitHubResolver uses when given
// no base URL.
const DefaultAPIURL = "https://api.github.com"

const (
	maxTagPages   = 10
	maxSHABody    = 4 << 10
	maxTagsBody   = 8 << 20
	maxErrorBody  = 64 << 10
	userAgent     = "airlock-ci-pin (+https://github.com/airlock-sec/airlock)"
	apiVersion    = "2022-11-28"
	tagsPerPage   = 100
	defaultTimout = 15 * time.Second
)

// GitHubResolver resolves refs through the GitHub REST API:
//
//	GET {base}/repos/{owner}/{repo}/commits/{ref}   (Accept: application/vnd.github.sha)
//	GET {base}/repos/{owner}/{repo}/tags?per_page=100  (Link rel="next", ≤ 10 pages)
//
// The tag list is fetched only when the ref is not already a full
// vX.Y.Z version, once per repository. Identical lookups are made once per
// resolver. After a rate-limit answer every further lookup fails at once
// with the same *RateLimitError: a resolver lives for one run, and
// hammering a limited API only prolongs the limit. Safe for concurrent
// use.
type GitHubResolver struct {
	rawBase string
	base    *url.URL
	token   string
	client  *http.Client
	// Timeout bounds each request (15 s).
	Timeout time.Duration

	mu      sync.Mutex
	commits map[string]*call[string]
	tags    map[string]*call[[]tagInfo]
	limited *RateLimitError
}

type tagInfo struct {
	Name   string `json:"name"`
	Commit struct {
		SHA string `json:"sha"`
	} `json:"commit"`
}

// call is one lookup shared by every caller asking for the same key.
type call[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// NewGitHubResolver returns a resolver for the API at baseURL (""
// for DefaultAPIURL). token, when set, is sent as a bearer token (callers
// read it from GITHUB_TOKEN or GH_TOKEN, see TokenFromEnv); client nil
// means a default client.
func NewGitHubResolver(baseURL, token string, client *http.Client) *GitHubResolver {
	if baseURL == "" {
		baseURL = DefaultAPIURL
	}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Reported on first use rather than here, to keep the signature.
		u = nil
	}
	if client == nil {
		client = &http.Client{}
	}
	return &GitHubResolver{rawBase: baseURL, base: u, token: token, client: client, Timeout: defaultTimout,
		commits: map[string]*call[string]{}, tags: map[string]*call[[]tagInfo]{}}
}

// TokenFromEnv returns GITHUB_TOKEN, or GH_TOKEN when that is unset.
func TokenFromEnv() string {
	if t := strings.TrimSpace(os.Getenv("GITHUB_TOKEN")); t != "" {
		return t
	}
	return strings.TrimSpace(os.Getenv("GH_TOKEN"))
}

// RateLimitError is a 403 or 429 rate-limit answer of the GitHub API.
type RateLimitError struct {
	Status        int
	Reset         time.Time // from X-RateLimit-Reset; zero when not given
	RetryAfter    time.Duration
	Authenticated bool // a token was sent
}

func (e *RateLimitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GitHub API rate limit exceeded (HTTP %d)", e.Status)
	switch {
	case !e.Reset.IsZero():
		fmt.Fprintf(&b, "; it resets at %s (X-RateLimit-Reset %d)", e.Reset.UTC().Format(time.RFC3339), e.Reset.Unix())
	case e.RetryAfter > 0:
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Authenticated {
		b.WriteString(": wait for the reset, or resolve offline with --resolve-from")
	} else {
		b.WriteString(": set GITHUB_TOKEN (or GH_TOKEN) to a GitHub token for a higher limit, or resolve offline with --resolve-from")
	}
	return b.String()
}

// Resolve implements Resolver.
func (g *GitHubResolver) Resolve(ctx context.Context, owner, repo, ref string) (sha, tag string, err error) {
	if g.base == nil {
		return "", "", fmt.Errorf("the GitHub API URL %q is not an http(s) URL", g.rawBase)
	}
	if !validName(owner) || !validName(repo) || ref == "" {
		return "", "", fmt.Errorf("%s/%s@%s is not an owner/repo@ref reference", owner, repo, ref)
	}
	for _, seg := range strings.Split(ref, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", "", fmt.Errorf("%s/%s@%s: %q is not a valid git ref", owner, repo, ref, ref)
		}
	}
	rk := repoKey(owner, repo)
	sha, err = lookup1(ctx, g, g.commits, rk+"@"+ref, func(ctx context.Context) (string, error) {
		return g.commitSHA(ctx, owner, repo, ref)
	})
	if err != nil {
		return "", "", err
	}
	if v, ok := parseVersion(ref); ok && v.parts == 3 {
		return sha, ref, nil
	}
	tags, err := lookup1(ctx, g, g.tags, rk, func(ctx context.Context) ([]tagInfo, error) {
		return g.listTags(ctx, owner, repo)
	})
	if err != nil {
		var rl *RateLimitError
		if errors.As(err, &rl) || ctx.Err() != nil {
			return "", "", err
		}
		// The commit is known; without the tag list the comment is the
		// ref itself.
		return sha, "", nil
	}
	var at []string
	for _, t := range tags {
		if strings.EqualFold(t.Commit.SHA, sha) {
			at = append(at, t.Name)
		}
	}
	return sha, bestTag(ref, at), nil
}

// lookup1 runs fn once per key; concurrent and later callers share the
// answer. Answers cut short by the caller's context are not kept.
func lookup1[T any](ctx context.Context, g *GitHubResolver, m map[string]*call[T], key string, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	g.mu.Lock()
	if g.limited != nil {
		err := g.limited
		g.mu.Unlock()
		return zero, err
	}
	if c, ok := m[key]; ok {
		g.mu.Unlock()
		select {
		case <-c.done:
			return c.val, c.err
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	c := &call[T]{done: make(chan struct{})}
	m[key] = c
	g.mu.Unlock()

	c.val, c.err = fn(ctx)
	g.mu.Lock()
	var rl *RateLimitError
	if errors.As(c.err, &rl) {
		g.limited = rl
	}
	if c.err != nil && (ctx.Err() != nil || rl != nil) {
		delete(m, key) // retry later rather than keep a cancelled answer
	}
	g.mu.Unlock()
	close(c.done)
	return c.val, c.err
}

func (g *GitHubResolver) endpoint(segs ...string) string {
	u := *g.base
	var p strings.Builder
	for _, s := range segs {
		p.WriteString("/")
		p.WriteString(url.PathEscape(s))
	}
	u.RawPath = strings.TrimRight(g.base.EscapedPath(), "/") + p.String()
	u.Path, _ = url.PathUnescape(u.RawPath)
	return u.String()
}

func (g *GitHubResolver) commitSHA(ctx context.Context, owner, repo, ref string) (string, error) {
	segs := []string{"repos", owner, repo, "commits"}
	// Branch names may hold slashes ("release/v1"); the API takes them
	// as path segments.
	segs = append(segs, strings.Split(ref, "/")...)
	body, _, err := g.get(ctx, g.endpoint(segs...), "application/vnd.github.sha", maxSHABody)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) && (he.status == http.StatusNotFound || he.status == http.StatusUnprocessableEntity) {
			return "", fmt.Errorf("%s/%s@%s: %w (GitHub answered %d%s; a private repository needs GITHUB_TOKEN)", owner, repo, ref, errNoRef, he.status, he.suffix())
		}
		return "", fmt.Errorf("%s/%s@%s: %w", owner, repo, ref, err)
	}
	sha := strings.ToLower(strings.TrimSpace(string(body)))
	if !IsSHA(sha) {
		return "", fmt.Errorf("%s/%s@%s: the API answered %q, not a commit SHA", owner, repo, ref, truncate(sha, 60))
	}
	return sha, nil
}

func (g *GitHubResolver) listTags(ctx context.Context, owner, repo string) ([]tagInfo, error) {
	next := g.endpoint("repos", owner, repo, "tags") + "?per_page=" + strconv.Itoa(tagsPerPage)
	var all []tagInfo
	for page := 0; page < maxTagPages && next != ""; page++ {
		body, h, err := g.get(ctx, next, "application/vnd.github+json", maxTagsBody)
		if err != nil {
			return nil, fmt.Errorf("%s/%s tags: %w", owner, repo, err)
		}
		var tags []tagInfo
		if err := json.Unmarshal(body, &tags); err != nil {
			return nil, fmt.Errorf("%s/%s tags: %w", owner, repo, err)
		}
		all = append(all, tags...)
		next = g.nextLink(next, h.Get("Link"))
	}
	return all, nil
}

// nextLink returns the rel="next" URL of a Link header, resolved against
// the current URL, when it stays on the API's scheme and host (the token
// is never sent elsewhere).
func (g *GitHubResolver) nextLink(cur, link string) string {
	for _, part := range strings.Split(link, ",") {
		part = strings.TrimSpace(part)
		if !strings.HasPrefix(part, "<") {
			continue
		}
		end := strings.Index(part, ">")
		if end < 0 {
			continue
		}
		target, params := part[1:end], part[end+1:]
		isNext := false
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "rel") {
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					if strings.EqualFold(rel, "next") {
						isNext = true
					}
				}
			}
		}
		if !isNext {
			continue
		}
		base, err := url.Parse(cur)
		if err != nil {
			return ""
		}
		u, err := base.Parse(target)
		if err != nil || u.Scheme != g.base.Scheme || u.Host != g.base.Host {
			return ""
		}
		return u.String()
	}
	return ""
}

// httpError is a non-2xx answer other than a rate limit.
type httpError struct {
	status  int
	message string
}

func (e *httpError) suffix() string {
	if e.message == "" {
		return ""
	}
	return ": " + e.message
}

func (e *httpError) Error() string {
	switch e.status {
	case http.StatusUnauthorized:
		return "GitHub API: bad credentials (HTTP 401): check GITHUB_TOKEN / GH_TOKEN" + e.suffix()
	case http.StatusForbidden:
		return "GitHub API: forbidden (HTTP 403)" + e.suffix()
	}
	return fmt.Sprintf("GitHub API: HTTP %d%s", e.status, e.suffix())
}

func (g *GitHubResolver) get(ctx context.Context, u, accept string, limit int64) ([]byte, http.Header, error) {
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = defaultTimout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-GitHub-Api-Version", apiVersion)
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			return nil, nil, err
		}
		if int64(len(body)) > limit {
			return nil, nil, fmt.Errorf("GitHub API answer larger than %d bytes", limit)
		}
		return body, resp.Header, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var msg struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &msg)
	if rl := rateLimit(resp, msg.Message, g.token != ""); rl != nil {
		return nil, nil, rl
	}
	return nil, nil, &httpError{status: resp.StatusCode, message: truncate(oneLine(msg.Message), 200)}
}

// rateLimit recognises GitHub's primary and secondary rate-limit answers.
func rateLimit(resp *http.Response, message string, authenticated bool) *RateLimitError {
	h := resp.Header
	limited := resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode == http.StatusForbidden && (h.Get("X-RateLimit-Remaining") == "0" || h.Get("Retry-After") != "" ||
			strings.Contains(strings.ToLower(message), "rate limit"))
	if !limited {
		return nil
	}
	e := &RateLimitError{Status: resp.StatusCode, Authenticated: authenticated}
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		e.Reset = time.Unix(s, 0)
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
		if e.Reset.IsZero() {
			e.Reset = time.Now().Add(e.RetryAfter)
		}
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
