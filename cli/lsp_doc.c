/*
 * lsp_doc.c - the language server's open documents: didOpen,
 * incremental didChange (positions in UTF-16 code units, as LSP
 * counts them), didClose, URIs, and the read hook that gives the
 * parser a buffer in place of the file on disk.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *
lsp_uri_path(const char *uri)
{
	const char *p;
	char *out, *o;

	if (uri == NULL || strncmp(uri, "file://", 7) != 0) {
		return NULL;
	}
	p = uri + 7;
	if (*p != '/') {
		/* file://host/path: only the local host */
		if (strncmp(p, "localhost/", 10) != 0) {
			return NULL;
		}
		p += 9;
	}
	out = o = hconf_xmalloc(strlen(p) + 1);
	for (; *p != '\0'; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	if (strlen(out) != (size_t)(o - out)) {
		free(out);
		return NULL;       /* %00 */
	}
	return out;
}

char *
lsp_path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = hconf_xmalloc(strlen(path) * 3 + 8), *o;

	memcpy(out, "file://", 7);
	o = out + 7;
	for (; *path != '\0'; path++) {
		unsigned char c = (unsigned char)*path;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c) != NULL) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* UTF-16 units of the character at s, and its byte length in *n. */
static size_t
u16_at(const char *s, size_t avail, size_t *n)
{
	*n = hconf_utf8_len(s, avail);
	if (*n == 0) {
		*n = 1;        /* a byte that is not UTF-8: one unit */
		return 1;
	}
	return *n == 4 ? 2 : 1;
}

size_t
lsp_u16len(const char *s, size_t len)
{
	size_t i = 0, u = 0, n;

	while (i < len) {
		u += u16_at(s + i, len - i, &n);
		i += n;
	}
	return u;
}

long
lsp_offset(const char *buf, size_t len, const struct lj *pos)
{
	long line, ch;
	size_t i = 0, u = 0, n;

	if (lj_long(lj_get(pos, "line"), &line) != 0 ||
	    lj_long(lj_get(pos, "character"), &ch) != 0 || line < 0 ||
	    ch < 0) {
		return -1;
	}
	while (line > 0 && i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);

		if (nl == NULL) {
			return (long)len;  /* past the last line: the end */
		}
		i = (size_t)(nl - buf) + 1;
		line--;
	}
	if (line > 0) {
		return (long)len;
	}
	while (i < len && buf[i] != '\n' && u < (size_t)ch) {
		u += u16_at(buf + i, len - i, &n);
		i += n;
	}
	return (long)i;
}

void
lsp_jpos(struct jb *b, const char *buf, size_t len, size_t off)
{
	size_t line = 0, ls = 0, i;

	if (off > len) {
		off = len;
	}
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			line++;
			ls = i + 1;
		}
	}
	jb_fmt(b, "{\"line\":%zu,\"character\":%zu}", line,
	    lsp_u16len(buf + ls, off - ls));
}

struct lsp_doc *
lsp_doc_find(struct lsp *s, const char *uri)
{
	struct lsp_doc *d;

	for (d = s->docs; d != NULL && uri != NULL; d = d->next) {
		if (strcmp(d->uri, uri) == 0) {
			return d;
		}
	}
	return NULL;
}

struct lsp_doc *
lsp_doc_by_real(struct lsp *s, const char *real)
{
	struct lsp_doc *d;

	for (d = s->docs; d != NULL; d = d->next) {
		if (strcmp(d->real, real) == 0 || strcmp(d->path, real) == 0) {
			return d;
		}
	}
	return NULL;
}

static const char *
base_name(const char *p)
{
	const char *b = strrchr(p, '/');

	return b != NULL ? b + 1 : p;
}

/* An open document whose real file has the base name of path (a symlink
 * keeps the name in Debian's *-enabled directories). */
int
lsp_doc_maybe(struct lsp *s, const char *path)
{
	const char *b = base_name(path);
	struct lsp_doc *d;

	for (d = s->docs; d != NULL; d = d->next) {
		if (strcmp(base_name(d->real), b) == 0 ||
		    strcmp(base_name(d->path), b) == 0) {
			return 1;
		}
	}
	return 0;
}

int
lsp_read_hook(void *ctx, const char *real, const char **buf, size_t *len)
{
	struct lsp *s = ctx;
	struct lsp_doc *d;
	char *r;

	if (s->docs == NULL) {
		return 0;
	}
	/* realpath() only for a likely match: a glob may read 10,000 files */
	if ((d = lsp_doc_by_real(s, real)) == NULL && lsp_doc_maybe(s, real) &&
	    (r = realpath(real, NULL)) != NULL) {
		d = lsp_doc_by_real(s, r);
		free(r);
	}
	if (d == NULL) {
		return 0;
	}
	*buf = d->text;
	*len = d->len;
	return 1;
}

static void
doc_set(struct lsp_doc *d, const char *text, size_t len)
{
	if (len + 1 > d->cap) {
		d->cap = len + 1;
		d->text = hconf_xrealloc(d->text, d->cap);
	}
	memcpy(d->text, text, len);
	d->len = len;
	d->text[len] = '\0';
}

int
lsp_did_open(struct lsp *s, const struct lj *params)
{
	const struct lj *td = lj_get(params, "textDocument");
	const struct lj *text = lj_get(td, "text");
	const char *uri = lj_str(lj_get(td, "uri"));
	struct lsp_doc *d;
	char *path, *real;
	long v = 0;

	if (uri == NULL || text == NULL || text->t != LJ_STR ||
	    (path = lsp_uri_path(uri)) == NULL) {
		return -1;
	}
	lj_long(lj_get(td, "version"), &v);
	if ((d = lsp_doc_find(s, uri)) == NULL) {
		d = hconf_xcalloc(1, sizeof(*d));
		d->uri = hconf_xstrdup(uri);
		d->path = path;
		real = realpath(path, NULL);
		d->real = real != NULL ? real : hconf_xstrdup(path);
		d->next = s->docs;
		s->docs = d;
	} else {
		free(path);
	}
	doc_set(d, text->s, text->len);
	d->version = v;
	d->dirty = 1;
	return 0;
}

/* One contentChanges entry; 0, or -1 when it is not one. */
static int
change_one(struct lsp_doc *d, const struct lj *c)
{
	const struct lj *range = lj_get(c, "range"), *text = lj_get(c, "text");
	long a, b;
	size_t nlen;

	if (text == NULL || text->t != LJ_STR) {
		return -1;
	}
	if (range == NULL) {
		doc_set(d, text->s, text->len);
		return 0;
	}
	a = lsp_offset(d->text, d->len, lj_get(range, "start"));
	b = lsp_offset(d->text, d->len, lj_get(range, "end"));
	if (a < 0 || b < 0 || b < a) {
		return -1;
	}
	nlen = d->len - (size_t)(b - a) + text->len;
	if (nlen + 1 > d->cap) {
		d->cap = nlen + 1 + nlen / 2;
		d->text = hconf_xrealloc(d->text, d->cap);
	}
	memmove(d->text + a + text->len, d->text + b, d->len - (size_t)b);
	memcpy(d->text + a, text->s, text->len);
	d->len = nlen;
	d->text[nlen] = '\0';
	return 0;
}

int
lsp_did_change(struct lsp *s, const struct lj *params)
{
	const struct lj *td = lj_get(params, "textDocument");
	const struct lj *ch = lj_get(params, "contentChanges");
	struct lsp_doc *d = lsp_doc_find(s, lj_str(lj_get(td, "uri")));
	size_t i;
	long v;

	if (d == NULL || ch == NULL || ch->t != LJ_ARR) {
		return -1;
	}
	for (i = 0; i < ch->n; i++) {
		if (change_one(d, ch->v[i]) != 0) {
			return -1;
		}
	}
	if (lj_long(lj_get(td, "version"), &v) == 0) {
		d->version = v;
	}
	d->dirty = 1;
	return 0;
}

static void
doc_free(struct lsp_doc *d)
{
	free(d->uri);
	free(d->path);
	free(d->real);
	free(d->text);
	free(d);
}

int
lsp_did_close(struct lsp *s, const struct lj *params)
{
	const char *uri = lj_str(lj_get(lj_get(params, "textDocument"),
	    "uri"));
	struct lsp_doc **pp, *d;

	for (pp = &s->docs; (d = *pp) != NULL; pp = &d->next) {
		if (uri != NULL && strcmp(d->uri, uri) == 0) {
			*pp = d->next;
			doc_free(d);
			return 0;
		}
	}
	return -1;
}

void
lsp_docs_free(struct lsp *s)
{
	struct lsp_doc *d, *next;

	for (d = s->docs; d != NULL; d = next) {
		next = d->next;
		doc_free(d);
	}
	s->docs = NULL;
}
