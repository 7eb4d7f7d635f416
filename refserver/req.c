/*
 * req.c - reading an HTTP/1.1 request head for mpmref within fixed
 * limits (line length, number of fields, head size): finding where the
 * head ends as input arrives, then parsing it in place.  It never reads
 * from a socket; http.c does.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "http.h"

static int
tchar(int ch)
{
	return isalnum(ch) || (ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

int
ref_head_scan(struct ref_conn *c)
{
	while (c->scan < c->len) {
		char *nl = memchr(c->buf + c->scan, '\n', c->len - c->scan);
		uint32_t end, ll;

		if (nl == NULL) {
			c->scan = c->len;
			break;
		}
		end = (uint32_t)(nl - c->buf);
		ll = end - c->line;
		if (ll > 0 && c->buf[end - 1] == '\r') {
			ll--;
		}
		if (ll > REF_LINE_MAX) {
			return c->have_line ? -400 : -414;
		}
		c->scan = end + 1;
		if (ll == 0) {
			if (!c->have_line) {
				/* RFC 9112 2.2: empty lines before a request. */
				if (++c->nblank > 8) {
					return -400;
				}
				c->hstart = c->line = c->scan;
				continue;
			}
			return (int)(c->scan - c->hstart);
		}
		if (!c->have_line) {
			c->have_line = 1;
		} else if (++c->nfields > REF_FIELDS_MAX) {
			return -400;
		}
		c->line = c->scan;
	}
	if (c->len - c->line > REF_LINE_MAX + 1) {
		return c->have_line ? -400 : -414;
	}
	if (c->len - c->hstart >= REF_HEAD_MAX) {
		return -431;
	}
	return 0;
}

/* The line at *p, NUL-terminated in place without its CR LF. */
static char *
next_line(char **p, char *end, size_t *len)
{
	char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	char *e;

	if (nl == NULL) {
		return NULL;
	}
	e = nl;
	if (e > s && e[-1] == '\r') {
		e--;
	}
	*e = '\0';
	*len = (size_t)(e - s);
	*p = nl + 1;
	return s;
}

static int
field_value_ok(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			return 0;
		}
	}
	return 1;
}

static int
name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* A token (RFC 9110 5.6.2): a method, a field name. */
static int
is_token(const char *s, const char *end)
{
	for (; s < end; s++) {
		if (!tchar((unsigned char)*s)) {
			return 0;
		}
	}
	return 1;
}

/*
 * The request line "METHOD TARGET HTTP/1.x", len bytes at line, split
 * in place into r.  Returns 0 or an HTTP status.
 */
static int
parse_request_line(char *line, size_t len, struct req *r)
{
	char *sp1, *sp2, *v;
	size_t i;

	sp1 = memchr(line, ' ', len);
	if (sp1 == NULL || sp1 == line) {
		return 400;
	}
	if (!is_token(line, sp1)) {
		return 400;
	}
	r->method = line;
	r->mlen = (size_t)(sp1 - line);
	r->target = sp1 + 1;
	sp2 = memchr(r->target, ' ', len - (size_t)(r->target - line));
	if (sp2 == NULL || sp2 == r->target) {
		return 400;         /* HTTP/0.9 or an empty target */
	}
	r->tlen = (size_t)(sp2 - r->target);
	for (i = 0; i < r->tlen; i++) {
		unsigned char ch = (unsigned char)r->target[i];

		if (ch <= 0x20 || ch == 0x7f) {
			return 400;
		}
	}
	v = sp2 + 1;
	if ((size_t)(line + len - v) != 8 || strncmp(v, "HTTP/", 5) != 0 ||
	    !isdigit((unsigned char)v[5]) || v[6] != '.' ||
	    !isdigit((unsigned char)v[7])) {
		return 400;
	}
	if (v[5] != '1') {
		return 505;
	}
	r->minor = v[7] - '0';
	*sp1 = '\0';
	*sp2 = '\0';
	return 0;
}

/* The options of a Connection field, val to ve. */
static void
parse_connection(struct req *r, char *val, char *ve)
{
	char *t = val;

	while (t < ve) {
		char *te = t, *a, *b;

		while (te < ve && *te != ',') {
			te++;
		}
		a = t;
		b = te;
		while (a < b && (*a == ' ' || *a == '\t')) {
			a++;
		}
		while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (name_is(a, (size_t)(b - a), "close")) {
			r->conn_close = 1;
		} else if (name_is(a, (size_t)(b - a), "keep-alive")) {
			r->conn_ka = 1;
		}
		t = te + 1;
	}
}

/* A Content-Length value, val to ve; -1 when it is not one. */
static long long
parse_length(const char *val, const char *ve)
{
	long long cl = 0;
	const char *v;

	if (val == ve || ve - val > 18) {
		return -1;
	}
	for (v = val; v < ve; v++) {
		if (!isdigit((unsigned char)*v)) {
			return -1;
		}
		cl = cl * 10 + (*v - '0');
	}
	return cl;
}

/*
 * A header field line (len bytes, not empty): checked, and the fields
 * mpmref reads noted in r.  Returns 0 or an HTTP status.
 */
static int
parse_field(char *line, size_t len, struct req *r)
{
	char *colon = memchr(line, ':', len), *val, *ve;

	if (colon == NULL || colon == line) {
		return 400;   /* also obs-fold and a space before ':' */
	}
	if (!is_token(line, colon)) {
		return 400;
	}
	val = colon + 1;
	ve = line + len;
	while (val < ve && (*val == ' ' || *val == '\t')) {
		val++;
	}
	while (ve > val && (ve[-1] == ' ' || ve[-1] == '\t')) {
		ve--;
	}
	if (!field_value_ok(val, (size_t)(ve - val))) {
		return 400;
	}
	len = (size_t)(colon - line);
	if (name_is(line, len, "host")) {
		r->host = val;
		r->hostlen = (size_t)(ve - val);
		r->nhost++;
	} else if (name_is(line, len, "connection")) {
		parse_connection(r, val, ve);
	} else if (name_is(line, len, "content-length")) {
		long long cl = parse_length(val, ve);

		if (cl < 0 || (r->clen >= 0 && r->clen != cl)) {
			return 400;
		}
		r->clen = cl;
	} else if (name_is(line, len, "transfer-encoding")) {
		r->te = 1;
	}
	return 0;
}

int
ref_parse_head(char *h, size_t n, struct req *r)
{
	char *p = h, *end = h + n, *line;
	size_t len;
	int st;

	memset(r, 0, sizeof(*r));
	r->clen = -1;
	if ((line = next_line(&p, end, &len)) == NULL) {
		return 400;
	}
	if ((st = parse_request_line(line, len, r)) != 0) {
		return st;
	}
	while ((line = next_line(&p, end, &len)) != NULL && len > 0) {
		if ((st = parse_field(line, len, r)) != 0) {
			return st;
		}
	}
	if (r->nhost > 1 || (r->minor >= 1 && r->nhost == 0)) {
		return 400;
	}
	r->head = r->mlen == 4 && memcmp(r->method, "HEAD", 4) == 0;
	return 0;
}
