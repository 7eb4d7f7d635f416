/*
 * lsp_json.c - the language server's JSON reader and writer (see
 * lsp_json.h).  The reader recurses, but never deeper than LJ_MAXDEPTH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hconf.h"
#include "lsp_json.h"

struct rd {
	const char *p, *end;
	int depth;
};

static struct lj *value(struct rd *);

static void
ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r')) {
		r->p++;
	}
}

static struct lj *
node(enum lj_type t)
{
	struct lj *v = hconf_xcalloc(1, sizeof(*v));

	v->t = t;
	return v;
}

static void
push(struct lj *c, struct lj *item)
{
	if ((c->n & (c->n - 1)) == 0) {
		c->v = hconf_xrealloc(c->v, (c->n ? c->n * 2 : 2) *
		    sizeof(*c->v));
	}
	c->v[c->n++] = item;
}

void
lj_free(struct lj *v)
{
	size_t i;

	if (v == NULL) {
		return;
	}
	for (i = 0; i < v->n; i++) {
		lj_free(v->v[i]);
	}
	free(v->v);
	free(v->s);
	free(v);
}

static int
hex4(struct rd *r, unsigned *u)
{
	int i;

	*u = 0;
	if (r->end - r->p < 4) {
		return -1;
	}
	for (i = 0; i < 4; i++) {
		char c = *r->p++;

		*u <<= 4;
		if (c >= '0' && c <= '9') {
			*u |= (unsigned)(c - '0');
		} else if (c >= 'a' && c <= 'f') {
			*u |= (unsigned)(c - 'a' + 10);
		} else if (c >= 'A' && c <= 'F') {
			*u |= (unsigned)(c - 'A' + 10);
		} else {
			return -1;
		}
	}
	return 0;
}

static void
put_utf8(struct jb *b, unsigned u)
{
	char o[4];

	if (u < 0x80) {
		o[0] = (char)u;
		jb_mem(b, o, 1);
	} else if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		jb_mem(b, o, 2);
	} else if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		jb_mem(b, o, 3);
	} else {
		o[0] = (char)(0xf0 | u >> 18);
		o[1] = (char)(0x80 | (u >> 12 & 0x3f));
		o[2] = (char)(0x80 | (u >> 6 & 0x3f));
		o[3] = (char)(0x80 | (u & 0x3f));
		jb_mem(b, o, 4);
	}
}

/* \uXXXX, with a surrogate pair when there is one; -1 when bad. */
static int
escape_u(struct rd *r, struct jb *b)
{
	unsigned u, lo;

	if (hex4(r, &u) != 0) {
		return -1;
	}
	if (u >= 0xdc00 && u <= 0xdfff) {
		return -1;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') {
			return -1;
		}
		r->p += 2;
		if (hex4(r, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
			return -1;
		}
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, u);
	return 0;
}

static int
escape(struct rd *r, struct jb *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (r->p == r->end) {
		return -1;
	}
	if (*r->p == 'u') {
		r->p++;
		return escape_u(r, b);
	}
	if ((k = strchr(from, *r->p)) == NULL || *r->p == '\0') {
		return -1;
	}
	r->p++;
	jb_mem(b, to + (k - from), 1);
	return 0;
}

static struct lj *
string(struct rd *r)
{
	struct jb b = {NULL, 0, 0};
	struct lj *v;

	r->p++; /* '"' */
	for (;;) {
		const char *s = r->p;
		size_t n;

		while (r->p < r->end && *r->p != '"' && *r->p != '\\' &&
		    (unsigned char)*r->p >= 0x20) {
			r->p++;
		}
		if (!hconf_utf8_valid(s, (size_t)(r->p - s))) {
			break;
		}
		jb_mem(&b, s, (size_t)(r->p - s));
		if (r->p == r->end || (unsigned char)*r->p < 0x20) {
			break;
		}
		if (*r->p++ == '"') {
			v = node(LJ_STR);
			n = b.n;
			jb_mem(&b, "", 1);
			v->s = b.p;
			v->len = n;
			return v;
		}
		if (escape(r, &b) != 0) {
			break;
		}
	}
	jb_free(&b);
	return NULL;
}

static const char *
digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9') {
		p++;
	}
	return p;
}

static struct lj *
number(struct rd *r)
{
	const char *p = r->p, *q;
	char tmp[64];
	struct lj *v;

	if (p < r->end && *p == '-') {
		p++;
	}
	if (p < r->end && *p == '0') {
		p++;
	} else if ((q = digits(p, r->end)) == p) {
		return NULL;
	} else {
		p = q;
	}
	if (p < r->end && *p == '.') {
		if ((q = digits(p + 1, r->end)) == p + 1) {
			return NULL;
		}
		p = q;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < r->end && (*p == '+' || *p == '-')) {
			p++;
		}
		if ((q = digits(p, r->end)) == p) {
			return NULL;
		}
		p = q;
	}
	if ((size_t)(p - r->p) >= sizeof(tmp)) {
		return NULL;
	}
	memcpy(tmp, r->p, (size_t)(p - r->p));
	tmp[p - r->p] = '\0';
	v = node(LJ_NUM);
	v->num = strtod(tmp, NULL);
	/* written back as read: 2E1153 is JSON, its double is not */
	v->s = hconf_xstrdup(tmp);
	v->len = (size_t)(p - r->p);
	r->p = p;
	return v;
}

static struct lj *
word(struct rd *r)
{
	static const struct {
		const char *w;
		enum lj_type t;
		int b;
	} k[] = {{"true", LJ_BOOL, 1}, {"false", LJ_BOOL, 0},
	    {"null", LJ_NULL, 0}};
	size_t i;

	for (i = 0; i < 3; i++) {
		size_t n = strlen(k[i].w);

		if ((size_t)(r->end - r->p) >= n &&
		    memcmp(r->p, k[i].w, n) == 0) {
			struct lj *v = node(k[i].t);

			v->b = k[i].b;
			r->p += n;
			return v;
		}
	}
	return NULL;
}

/* An array or object after its opening bracket. */
static struct lj *
container(struct rd *r, int obj)
{
	struct lj *c = node(obj ? LJ_OBJ : LJ_ARR), *v;
	char close = obj ? '}' : ']';

	r->p++;
	ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return c;
	}
	for (;;) {
		ws(r);
		if (obj) {
			if (r->p == r->end || *r->p != '"' ||
			    (v = string(r)) == NULL) {
				break;
			}
			push(c, v);
			ws(r);
			if (r->p == r->end || *r->p++ != ':') {
				break;
			}
		}
		if ((v = value(r)) == NULL) {
			break;
		}
		push(c, v);
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return c;
		}
		break;
	}
	lj_free(c);
	return NULL;
}

static struct lj *
value(struct rd *r)
{
	struct lj *v = NULL;

	ws(r);
	if (r->p == r->end) {
		return NULL;
	}
	switch (*r->p) {
	case '{':
	case '[':
		if (r->depth >= LJ_MAXDEPTH) {
			return NULL;
		}
		r->depth++;
		v = container(r, *r->p == '{');
		r->depth--;
		break;
	case '"':
		v = string(r);
		break;
	case 't':
	case 'f':
	case 'n':
		v = word(r);
		break;
	default:
		v = number(r);
		break;
	}
	return v;
}

struct lj *
lj_parse(const char *buf, size_t len)
{
	struct rd r = {buf, buf + len, 0};
	struct lj *v = value(&r);

	ws(&r);
	if (v != NULL && r.p != r.end) {
		lj_free(v);
		v = NULL;
	}
	return v;
}

const struct lj *
lj_get(const struct lj *o, const char *key)
{
	size_t i;

	if (o == NULL || o->t != LJ_OBJ) {
		return NULL;
	}
	for (i = 0; i + 1 < o->n; i += 2) {
		if (strcmp(o->v[i]->s, key) == 0 &&
		    strlen(o->v[i]->s) == o->v[i]->len) {
			return o->v[i + 1];
		}
	}
	return NULL;
}

const char *
lj_str(const struct lj *v)
{
	return v != NULL && v->t == LJ_STR ? v->s : NULL;
}

int
lj_long(const struct lj *v, long *out)
{
	if (v == NULL || v->t != LJ_NUM || v->num != v->num ||
	    v->num < -2147483648.0 || v->num > 2147483647.0 ||
	    (double)(long)v->num != v->num) {
		return -1;
	}
	*out = (long)v->num;
	return 0;
}

/* ---- writer -------------------------------------------------------------- */

void
jb_mem(struct jb *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		b->p = hconf_xrealloc(b->p, b->cap);
	}
	if (len > 0) {
		memcpy(b->p + b->n, s, len);
	}
	b->n += len;
	b->p[b->n] = '\0';
}

void
jb_raw(struct jb *b, const char *s)
{
	jb_mem(b, s, strlen(s));
}

void
jb_fmt(struct jb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		return;
	}
	jb_mem(b, "", 0); /* b->p exists */
	if (b->n + (size_t)n + 1 > b->cap) {
		b->cap = (b->n + (size_t)n + 1) * 2;
		b->p = hconf_xrealloc(b->p, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void
jb_str(struct jb *b, const char *s, size_t len)
{
	size_t i = 0, k;

	jb_mem(b, "\"", 1);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			jb_mem(b, "\\", 1);
			jb_mem(b, s + i++, 1);
		} else if (c == '\n') {
			jb_raw(b, "\\n");
			i++;
		} else if (c == '\t') {
			jb_raw(b, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			jb_fmt(b, "\\u%04x", c);
			i++;
		} else if ((k = hconf_utf8_len(s + i, len - i)) == 0) {
			jb_raw(b, "\\ufffd");
			i++;
		} else {
			jb_mem(b, s + i, k);
			i += k;
		}
	}
	jb_mem(b, "\"", 1);
}

void
jb_cstr(struct jb *b, const char *s)
{
	jb_str(b, s, strlen(s));
}

void
jb_str_md(struct jb *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>#|", *s) != NULL) {
			jb_mem(b, "\\", 1);
		}
		jb_mem(b, s, 1);
	}
}

void
jb_key(struct jb *b, int first, const char *key)
{
	if (!first) {
		jb_mem(b, ",", 1);
	}
	jb_cstr(b, key);
	jb_mem(b, ":", 1);
}

void
jb_value(struct jb *b, const struct lj *v)
{
	size_t i;

	switch (v->t) {
	case LJ_NULL:
		jb_raw(b, "null");
		break;
	case LJ_BOOL:
		jb_raw(b, v->b ? "true" : "false");
		break;
	case LJ_NUM:
		jb_raw(b, v->s);
		break;
	case LJ_STR:
		jb_str(b, v->s, v->len);
		break;
	case LJ_ARR:
	case LJ_OBJ:
		jb_raw(b, v->t == LJ_ARR ? "[" : "{");
		for (i = 0; i < v->n; i++) {
			if (i > 0) {
				jb_raw(b, v->t == LJ_OBJ && i % 2 ? ":" : ",");
			}
			jb_value(b, v->v[i]);
		}
		jb_raw(b, v->t == LJ_ARR ? "]" : "}");
		break;
	}
}

void
jb_free(struct jb *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}
