package main

import (
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Deterministic stand-ins for what people type: report texts of realistic
// length, names, ids. Every function draws from the caller's generator only, so
// one seed gives byte-identical output.

// idEncoding is the alphabet of Mattermost ids (model.NewId): 16 random bytes
// give 26 characters, so synthetic ids look like real user and post ids.
var idEncoding = base32.NewEncoding("ybndrfg8ejkmcpqxot1uwisza345h769").WithPadding(base32.NoPadding)

func newID(rng *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rng.Uint64())
	return idEncoding.EncodeToString(b[:])
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

// between draws an integer in [lo, hi].
func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

var (
	vulnKinds = []string{
		"Stored XSS", "Reflected XSS", "SQL injection", "Server-side request forgery", "Open redirect",
		"Path traversal", "Insecure direct object reference", "Missing authorization check", "CSRF",
		"Information disclosure", "Denial of service", "Privilege escalation", "Session fixation",
		"Improper input validation", "Race condition", "Rate limit bypass", "Cache poisoning",
	}
	components = []string{
		"the channel header", "the user profile API", "file previews", "the webhook handler", "slash command autocomplete",
		"the OAuth callback", "link previews", "the export job", "team invitations", "the search endpoint",
		"emoji uploads", "the playbook run API", "the mobile deep link handler", "the desktop app's protocol handler",
		"guest account permissions", "the SAML login flow", "message attachments", "the plugin marketplace proxy",
	}
	conditions = []string{
		"for guest users", "when the channel is archived", "through a crafted filename", "with a long Unicode name",
		"via the API v4", "after a password reset", "in compact view", "on shared channels", "with MFA enabled",
		"through a redirect chain", "when the site URL is unset", "for deactivated accounts",
	}
	words = strings.Fields(`the server request response user session token channel team post message file upload
		attacker victim payload header cookie parameter endpoint handler permission role admin guest plugin webhook
		value field input output render browser client mobile desktop database query cache redirect link preview
		markdown attachment emoji thread reply search index export import configuration setting version release
		crafted malicious unescaped unauthenticated authorized arbitrary remote local sensitive private public
		returns accepts stores reflects leaks bypasses injects triggers fails checks validates escapes trusts sends
		when after before because although while which that this every some another any only also still again`)
	firstNames = strings.Fields(`Ada Grace Alan Linus Margaret Dennis Barbara Ken Radia Whitfield Frances Tim Hedy Claude
		Katherine Donald Shafi Adi Ron Leslie Niklaus Edsger Joan Sophie Yuki Priya Mateo Ines Kwame Olga Lars Mei`)
	lastNames = strings.Fields(`Lovelace Hopper Turing Torvalds Hamilton Ritchie Liskov Thompson Perlman Diffie Allen
		Berners-Lee Lamarr Shannon Johnson Knuth Goldwasser Shamir Rivest Lamport Wirth Dijkstra Clarke Wilson Tanaka
		Raman Silva Duarte Mensah Petrova Nilsen Chen`)
	labs = strings.Fields(`Example Acme Initech Globex Umbrella Hooli Vandelay Stark Wayne Tyrell Cyberdyne Soylent`)
)

func title(rng *rand.Rand) string {
	return pick(rng, vulnKinds) + " in " + pick(rng, components) + " " + pick(rng, conditions)
}

// sentence is 8 to 24 words, capitalised, with a full stop.
func sentence(rng *rand.Rand) string {
	n := between(rng, 8, 24)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pick(rng, words)
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// prose is paragraphs of sentences, about minLen to maxLen characters long.
func prose(rng *rand.Rand, minLen, maxLen int) string {
	target := between(rng, minLen, maxLen)
	var b strings.Builder
	for b.Len() < target {
		if b.Len() > 0 {
			if rng.IntN(4) == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(sentence(rng))
	}
	return b.String()
}

// steps is a numbered list of steps to reproduce, with a request to paste.
func steps(rng *rand.Rand, minLen, maxLen int) string {
	target := between(rng, minLen, maxLen)
	var b strings.Builder
	for i := 1; b.Len() < target; i++ {
		fmt.Fprintf(&b, "%d. %s\n", i, sentence(rng))
		if i == 2 {
			fmt.Fprintf(&b, "   curl -s -H 'Authorization: Bearer $TOKEN' 'https://chat.example.com/api/v4/%s?id=%s'\n", pick(rng, words), newID(rng))
		}
	}
	return strings.TrimSpace(b.String())
}

func personName(rng *rand.Rand) string { return pick(rng, firstNames) + " " + pick(rng, lastNames) }

func affiliation(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return ""
	}
	return "from " + pick(rng, labs) + " " + pick(rng, []string{"Labs", "Security", "Research", "Red Team"})
}

// vectors are CVSS 3.1 base vectors researchers give, from low to critical.
var vectors = []string{
	"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
}
