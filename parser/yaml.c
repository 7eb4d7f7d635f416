/*
 * yaml.c - YAML and JSON for the tree as data (man/hconf-export.5): a
 * small writer that produces YAML through libyaml's emitter or JSON by
 * hand (export.c writes every file's nodes through it), and a loader
 * that turns a YAML text into a tree of scalars, sequences and mappings
 * with their marks.  It is the only file of parser/ that includes
 * <yaml.h>; it never prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "hconf_int.h"

/*
 * The nesting the loader accepts.  An export nests two levels per
 * section, and httpd itself runs out of stack at about 8,470 nested true
 * sections (parse.c, STACK_BUDGET), so every configuration httpd can read
 * exports within this depth.  It is checked on each event, before the
 * tree is built.
 *
 * Depth alone does not bound the time: libyaml's scanner spends time in
 * proportion to the flow depth ('[' and '{') on every token, so 20000
 * levels of '[' followed by 700 KB of items would take minutes.  The
 * loader therefore also caps that work, the sum over the events of the
 * flow depth at each, at FLOW_WORK_PER_BYTE times the size of the
 * document plus FLOW_WORK_BASE.  A JSON export (flow throughout, indented
 * at most EMIT_INDENT_MAX levels) of sections nested N deep needs about
 * N / 110 per byte (77 at 8,470, measured), under the cap for every N
 * httpd can read, though libyaml takes some 15 s for that one; 730 KB of
 * '[' and items are refused in about a second.
 */
#define YAML_MAX_DEPTH 20000
#define FLOW_WORK_PER_BYTE 128
#define FLOW_WORK_BASE ((unsigned long long)1 << 24)
/*
 * The JSON writer indents at most this many levels: JSON needs no
 * indentation, and otherwise the output would grow with the square of
 * the nesting (590 KB of sections nested 20000 deep gave 5.6 GB).
 */
#define EMIT_INDENT_MAX 64
#define JBUF 65536 /* the JSON writer's buffer */
#define BINARY_TAG "tag:yaml.org,2002:binary"

/* ---- UTF-8 and base64 ---------------------------------------------- */

/*
 * Strict UTF-8: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  libyaml's emitter and Python's reader both refuse those.
 */
size_t
hconf_utf8_len(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0], need, cp, k;

	if (c < 0x80) {
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1, cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2, cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3, cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail <= need) {
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			return 0;
		}
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		return 0;
	}
	return need + 1;
}

int
hconf_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = hconf_utf8_len(s + i, len - i)) == 0) {
			return 0;
		}
		i += n;
	}
	return 1;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
hconf_base64_encode(const void *data, size_t len, size_t *outlen)
{
	const unsigned char *p = data;
	char *out = hconf_xmalloc((len + 2) / 3 * 4 + 1), *q = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		*q++ = b64[p[i] >> 2];
		*q++ = b64[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*q++ = b64[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		*q++ = b64[p[i + 2] & 63];
	}
	if (i < len) {
		*q++ = b64[p[i] >> 2];
		if (i + 1 < len) {
			*q++ = b64[(p[i] & 3) << 4 | p[i + 1] >> 4];
			*q++ = b64[(p[i + 1] & 15) << 2];
		} else {
			*q++ = b64[(p[i] & 3) << 4];
			*q++ = '=';
		}
		*q++ = '=';
	}
	*q = '\0';
	if (outlen != NULL) {
		*outlen = (size_t)(q - out);
	}
	return out;
}

int
hconf_base64_decode(const char *s, size_t len, char **out, size_t *outlen)
{
	unsigned char *o = hconf_xmalloc(len / 4 * 3 + 4);
	unsigned acc = 0, nbits = 0, pad = 0;
	size_t i, n = 0, digits = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *at;

		/* YAML folds long !!binary scalars: white space is allowed */
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			continue;
		}
		if (c == '=') {
			pad++;
			continue;
		}
		at = c != '\0' ? strchr(b64, c) : NULL;
		if (at == NULL || pad > 0) {
			free(o);
			return -1;
		}
		digits++;
		acc = acc << 6 | (unsigned)(at - b64);
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			o[n++] = (unsigned char)(acc >> nbits);
			acc &= (1u << nbits) - 1;
		}
	}
	/* a lone trailing digit, bad padding, or non-zero leftover bits */
	if (digits % 4 == 1 || (pad > 0 && (digits + pad) % 4 != 0) ||
	    pad > 2 || acc != 0) {
		free(o);
		return -1;
	}
	o[n] = '\0';
	*out = (char *)o;
	*outlen = n;
	return 0;
}

/* ---- the writer ------------------------------------------------------ */

struct level {
	int map;      /* a mapping (else a sequence) */
	size_t count; /* entries written so far */
};

struct hconf_emit {
	FILE *fp;
	int json;
	int err;          /* sticky: the first failure */
	int after_key;    /* JSON: the next value follows a key */
	struct level *lv; /* open collections */
	size_t depth, cap;
	char *jb;         /* JSON: output not yet written, JBUF bytes */
	size_t jn;
	yaml_emitter_t em;
	yaml_event_t ev;
};

static void
yemit(struct hconf_emit *w)
{
	if (w->err) {
		yaml_event_delete(&w->ev);
		return;
	}
	if (!yaml_emitter_emit(&w->em, &w->ev)) {
		w->err = errno ? errno : EIO;
	}
}

struct hconf_emit *
hconf_emit_new(FILE *fp, int json)
{
	struct hconf_emit *w = hconf_xcalloc(1, sizeof(*w));

	w->fp = fp;
	w->json = json;
	if (json) {
		w->jb = hconf_xmalloc(JBUF);
		return w;
	}
	if (!yaml_emitter_initialize(&w->em)) {
		w->err = ENOMEM;
		return w;
	}
	yaml_emitter_set_output_file(&w->em, fp);
	yaml_emitter_set_unicode(&w->em, 1);
	/* no folding: a configuration line stays on one YAML line */
	yaml_emitter_set_width(&w->em, -1);
	yaml_emitter_set_break(&w->em, YAML_LN_BREAK);
	yaml_stream_start_event_initialize(&w->ev, YAML_UTF8_ENCODING);
	yemit(w);
	yaml_document_start_event_initialize(&w->ev, NULL, NULL, NULL, 1);
	yemit(w);
	return w;
}

/* The JSON writer's output so far, to the stream. */
static void
jflush(struct hconf_emit *w)
{
	if (!w->err && w->jn > 0 && fwrite(w->jb, 1, w->jn, w->fp) != w->jn) {
		w->err = errno ? errno : EIO;
	}
	w->jn = 0;
}

/* n bytes at s, through the buffer (stdio's costs more per call). */
static void
jwrite(struct hconf_emit *w, const char *s, size_t n)
{
	if (w->err) {
		return;
	}
	if (n > JBUF - w->jn) {
		jflush(w);
		if (n >= JBUF) {
			if (fwrite(s, 1, n, w->fp) != n) {
				w->err = errno ? errno : EIO;
			}
			return;
		}
	}
	memcpy(w->jb + w->jn, s, n);
	w->jn += n;
}

static void
jput(struct hconf_emit *w, const char *s)
{
	jwrite(w, s, strlen(s));
}

/* A line break and two spaces per open collection, in one write. */
static void
jindent(struct hconf_emit *w)
{
	static const char nl[2 * EMIT_INDENT_MAX + 2] = "\n"
	    "                                                                "
	    "                                                                ";
	size_t d = w->depth < EMIT_INDENT_MAX ? w->depth : EMIT_INDENT_MAX;

	jwrite(w, nl, 1 + 2 * d);
}

/* JSON: separator and indentation before a value or a key. */
static void
jbefore(struct hconf_emit *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		struct level *l = &w->lv[w->depth - 1];

		if (l->count++ > 0) {
			jput(w, ",");
		}
		jindent(w);
	}
}

/*
 * The code point of the UTF-8 sequence at s if YAML would not take it
 * raw inside a double-quoted scalar (C1 controls, NEL, the line and
 * paragraph separators, the BOM, U+FFFE and U+FFFF), else 0.  JSON
 * allows them, but escaping them keeps the JSON readable as YAML.
 */
static unsigned
yaml_unsafe(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] < 0xa0) {
		return s[1];
	}
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] == 0xa8 || s[2] == 0xa9)) {
		return 0x2000 | (s[2] & 0x3fu);
	}
	if (n >= 3 && s[0] == 0xef && ((s[1] == 0xbb && s[2] == 0xbf) ||
	    (s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf)))) {
		return 0xf000 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
	}
	return 0;
}

/* A byte jstring() writes as it is (the start of a UTF-8 sequence
 * yaml_unsafe() may refuse is not). */
static int
jplain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void
jstring(struct hconf_emit *w, const char *s, size_t len)
{
	char buf[8];
	size_t i, run;

	jput(w, "\"");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;

		/* a run of bytes that need no escape, in one write */
		for (run = i; run < len && jplain((unsigned char)s[run]);
		    run++) {
		}
		if (run > i) {
			jwrite(w, s + i, run - i);
			i = run - 1;
			continue;
		}
		cp = c >= 0x80 ? yaml_unsafe((const unsigned char *)s + i,
		    len - i) : 0;
		if (cp != 0) {
			snprintf(buf, sizeof(buf), "\\u%04x", cp);
			i += cp < 0x800 ? 1 : 2;
		} else if (c == '"' || c == '\\') {
			buf[0] = '\\', buf[1] = (char)c, buf[2] = '\0';
		} else if (c == '\n') {
			strcpy(buf, "\\n");
		} else if (c == '\t') {
			strcpy(buf, "\\t");
		} else if (c == '\r') {
			strcpy(buf, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(buf, sizeof(buf), "\\u%04x", c);
		} else {
			buf[0] = (char)c, buf[1] = '\0';
		}
		jput(w, buf);
	}
	jput(w, "\"");
}

static void
push_level(struct hconf_emit *w, int map)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->lv = hconf_xrealloc(w->lv, w->cap * sizeof(*w->lv));
	}
	w->lv[w->depth].map = map;
	w->lv[w->depth].count = 0;
	w->depth++;
}

/* Open a mapping (map) or a sequence. */
static void
open_collection(struct hconf_emit *w, int map)
{
	if (w->json) {
		jbefore(w);
		jput(w, map ? "{" : "[");
	} else {
		if (map) {
			yaml_mapping_start_event_initialize(&w->ev, NULL, NULL,
			    1, YAML_BLOCK_MAPPING_STYLE);
		} else {
			yaml_sequence_start_event_initialize(&w->ev, NULL,
			    NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		}
		yemit(w);
	}
	push_level(w, map);
}

void
hconf_emit_map(struct hconf_emit *w)
{
	open_collection(w, 1);
}

void
hconf_emit_seq(struct hconf_emit *w)
{
	open_collection(w, 0);
}

void
hconf_emit_end(struct hconf_emit *w)
{
	struct level l;

	if (w->depth == 0) {
		w->err = w->err ? w->err : EINVAL;
		return;
	}
	l = w->lv[--w->depth];
	if (w->json) {
		if (l.count > 0) {
			jindent(w);
		}
		jput(w, l.map ? "}" : "]");
		return;
	}
	if (l.map) {
		yaml_mapping_end_event_initialize(&w->ev);
	} else {
		yaml_sequence_end_event_initialize(&w->ev);
	}
	yemit(w);
}

/*
 * A scalar libyaml may write plain only if no YAML reader would take it
 * for a number, a boolean or null: it starts with a letter or '/' and is
 * not one of YAML 1.1's boolean or null words.  Others get quotes.
 */
static int
plain_safe(const char *s, size_t len)
{
	static const char *const words[] = {"y", "n", "yes", "no", "true",
	    "false", "on", "off", "null"};
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/')) {
		return 0;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i]) == len &&
		    strncasecmp(s, words[i], len) == 0) {
			return 0;
		}
	}
	return 1;
}

static void
yscalar(struct hconf_emit *w, const char *tag, const char *s, size_t len,
    int implicit, yaml_scalar_style_t style)
{
	if (!yaml_scalar_event_initialize(&w->ev, NULL, (yaml_char_t *)tag,
	    (yaml_char_t *)s, (int)len, implicit, implicit, style)) {
		w->err = w->err ? w->err : ENOMEM;
		return;
	}
	yemit(w);
}

void
hconf_emit_key(struct hconf_emit *w, const char *key)
{
	if (w->json) {
		jbefore(w);
		jstring(w, key, strlen(key));
		jput(w, ": ");
		w->after_key = 1;
		return;
	}
	yscalar(w, NULL, key, strlen(key), 1, YAML_PLAIN_SCALAR_STYLE);
}

void
hconf_emit_str(struct hconf_emit *w, const char *s, size_t len)
{
	size_t i;
	int ctl = 0;

	if (len > INT32_MAX) {
		w->err = w->err ? w->err : EOVERFLOW;
		return;
	}
	if (memchr(s, '\0', len) != NULL || !hconf_utf8_valid(s, len)) {
		/* Neither libyaml nor JSON carries these bytes as text. */
		size_t n;
		char *enc = hconf_base64_encode(s, len, &n);

		if (w->json) {
			hconf_emit_map(w);
			hconf_emit_key(w, "base64");
			jbefore(w);
			jstring(w, enc, n);
			hconf_emit_end(w);
		} else {
			yscalar(w, BINARY_TAG, enc, n, 0,
			    YAML_PLAIN_SCALAR_STYLE);
		}
		free(enc);
		return;
	}
	if (w->json) {
		jbefore(w);
		jstring(w, s, len);
		return;
	}
	for (i = 0; i < len && !ctl; i++) {
		const unsigned char *u = (const unsigned char *)s + i;

		if (u[0] >= 0x20 && u[0] < 0x7f) {
			continue; /* printable ASCII, the usual byte */
		}
		/*
		 * Controls (C0, DEL, C1 with NEL), and the line and paragraph
		 * separators and the BOM, which YAML readers treat specially.
		 */
		ctl = u[0] < 0x20 || u[0] == 0x7f ||
		    (u[0] == 0xc2 && i + 1 < len && u[1] < 0xa0) ||
		    (u[0] == 0xe2 && i + 2 < len && u[1] == 0x80 &&
		    (u[2] == 0xa8 || u[2] == 0xa9)) ||
		    (u[0] == 0xef && i + 2 < len && u[1] == 0xbb && u[2] == 0xbf);
	}
	/*
	 * Double quotes escape all of those, CR included; single quotes or
	 * plain text would let a reader fold or normalize line breaks.
	 */
	yscalar(w, NULL, s, len, 1, ctl ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
	    plain_safe(s, len) ? YAML_ANY_SCALAR_STYLE :
	    YAML_SINGLE_QUOTED_SCALAR_STYLE);
}

static void
emit_plain(struct hconf_emit *w, const char *s)
{
	if (w->json) {
		jbefore(w);
		jput(w, s);
		return;
	}
	yscalar(w, NULL, s, strlen(s), 1, YAML_PLAIN_SCALAR_STYLE);
}

void
hconf_emit_int(struct hconf_emit *w, long long v)
{
	char buf[32], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	/* what "%lld" prints, without snprintf's cost per number */
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0) {
		*--p = '-';
	}
	emit_plain(w, p);
}

void
hconf_emit_bool(struct hconf_emit *w, int v)
{
	emit_plain(w, v ? "true" : "false");
}

void
hconf_emit_null(struct hconf_emit *w)
{
	emit_plain(w, "null");
}

int
hconf_emit_finish(struct hconf_emit *w)
{
	int err;

	if (w->depth != 0) {
		w->err = w->err ? w->err : EINVAL;
	}
	if (w->json) {
		jput(w, "\n");
		jflush(w);
		free(w->jb);
	} else {
		yaml_document_end_event_initialize(&w->ev, 1);
		yemit(w);
		yaml_stream_end_event_initialize(&w->ev);
		yemit(w);
		if (!w->err && !yaml_emitter_flush(&w->em)) {
			w->err = errno ? errno : EIO;
		}
		yaml_emitter_delete(&w->em);
	}
	if (!w->err && fflush(w->fp) == EOF) {
		w->err = errno ? errno : EIO;
	}
	err = w->err;
	free(w->lv);
	free(w);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- the loader ------------------------------------------------------ */

struct hconf_ydoc {
	struct arena a;
	struct hconf_ynode *root;
};

struct open {
	struct hconf_ynode *node;
	struct vec kids; /* struct hconf_ynode * */
	int flow;        /* a flow collection */
};

static void
yerr_set(struct hconf_yerr *e, uint32_t line, uint32_t col, const char *fmt,
    ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void
yerr_set(struct hconf_yerr *e, uint32_t line, uint32_t col, const char *fmt,
    ...)
{
	va_list ap;

	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* libyaml reports reader errors by byte offset, not by mark. */
static void
offset_linecol(const char *buf, size_t len, size_t off, uint32_t *line,
    uint32_t *col)
{
	size_t i, ls = 0;
	uint32_t l = 1;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			l++;
			ls = i + 1;
		}
	}
	*line = l;
	*col = (uint32_t)(off - ls + 1);
}

static void
parser_error(const yaml_parser_t *p, const char *buf, size_t len,
    struct hconf_yerr *e)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->error == YAML_READER_ERROR) {
		uint32_t line, col;

		offset_linecol(buf, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1) {
			yerr_set(e, line, col, "%s: #%X", problem,
			    (unsigned)p->problem_value);
		} else {
			yerr_set(e, line, col, "%s", problem);
		}
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		yerr_set(e, 1, 1, "out of memory");
		return;
	}
	if (p->context != NULL && (p->context_mark.line !=
	    p->problem_mark.line || p->context_mark.column !=
	    p->problem_mark.column)) {
		/* libyaml's context mark: where the construct opened */
		yerr_set(e, (uint32_t)p->problem_mark.line + 1,
		    (uint32_t)p->problem_mark.column + 1,
		    "%s %s started at %lu:%lu", problem, p->context,
		    (unsigned long)p->context_mark.line + 1,
		    (unsigned long)p->context_mark.column + 1);
	} else if (p->context != NULL) {
		yerr_set(e, (uint32_t)p->problem_mark.line + 1,
		    (uint32_t)p->problem_mark.column + 1, "%s %s", problem,
		    p->context);
	} else {
		yerr_set(e, (uint32_t)p->problem_mark.line + 1,
		    (uint32_t)p->problem_mark.column + 1, "%s", problem);
	}
}

static int
collection_tag_ok(const yaml_char_t *tag, int map)
{
	return tag == NULL || strcmp((const char *)tag, "!") == 0 ||
	    strcmp((const char *)tag, map ? YAML_MAP_TAG : YAML_SEQ_TAG) == 0;
}

/* Fill a scalar node from a scalar event; 0, or -1 with e set. */
static int
load_scalar(struct hconf_ydoc *d, struct hconf_ynode *y,
    const yaml_event_t *ev, struct hconf_yerr *e)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;

	y->kind = HCONF_YSCALAR;
	if (tag == NULL || strcmp(tag, "!") == 0) {
		y->plain = ev->data.scalar.plain_implicit &&
		    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	} else if (strcmp(tag, BINARY_TAG) == 0) {
		char *bin;
		size_t n;

		if (hconf_base64_decode(v, len, &bin, &n) != 0) {
			yerr_set(e, y->line, y->col,
			    "!!binary scalar is not valid base64");
			return -1;
		}
		y->s = arena_strndup(&d->a, bin, n);
		y->len = n;
		y->binary = 1;
		free(bin);
		return 0;
	} else if (strcmp(tag, YAML_STR_TAG) == 0) {
		y->plain = 0;
	} else if (strcmp(tag, YAML_INT_TAG) == 0 ||
	    strcmp(tag, YAML_BOOL_TAG) == 0 ||
	    strcmp(tag, YAML_NULL_TAG) == 0 ||
	    strcmp(tag, YAML_FLOAT_TAG) == 0) {
		y->plain = 1;
	} else {
		yerr_set(e, y->line, y->col, "unsupported tag %s", tag);
		return -1;
	}
	y->s = arena_strndup(&d->a, v, len);
	y->len = len;
	return 0;
}

/* Attach a finished node to the innermost open collection, or as root. */
static void
attach(struct hconf_ydoc *d, struct vec *stack, struct hconf_ynode *y)
{
	if (stack->n == 0) {
		d->root = y;
	} else {
		struct open *o = (struct open *)stack->v + stack->n - 1;

		vec_push(&o->kids, &y);
	}
}

static void
free_stack(struct vec *stack)
{
	size_t i;

	for (i = 0; i < stack->n; i++) {
		vec_free(&((struct open *)stack->v)[i].kids);
	}
	vec_free(stack);
}

/*
 * A collection starts: push it on the stack of open ones, counting the
 * flow ones in *nflow.  0, or -1 with e set.
 */
static int
load_open(struct hconf_ydoc *d, struct vec *stack, const yaml_event_t *ev,
    uint32_t line, uint32_t col, size_t *nflow, struct hconf_yerr *e)
{
	int map = ev->type == YAML_MAPPING_START_EVENT;
	int flow = map ? ev->data.mapping_start.style ==
	    YAML_FLOW_MAPPING_STYLE :
	    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	struct hconf_ynode *y;
	struct open o;

	if (stack->n >= YAML_MAX_DEPTH) {
		yerr_set(e, line, col, "nested more than %d levels deep",
		    YAML_MAX_DEPTH);
		return -1;
	}
	*nflow += flow;
	if (!collection_tag_ok(map ? ev->data.mapping_start.tag :
	    ev->data.sequence_start.tag, map)) {
		yerr_set(e, line, col, "unsupported tag %s",
		    map ? (const char *)ev->data.mapping_start.tag
		    : (const char *)ev->data.sequence_start.tag);
		return -1;
	}
	y = arena_calloc(&d->a, sizeof(*y));
	y->line = line, y->col = col;
	y->kind = map ? HCONF_YMAP : HCONF_YSEQ;
	memset(&o, 0, sizeof(o));
	o.node = y;
	o.flow = flow;
	o.kids.size = sizeof(struct hconf_ynode *);
	vec_push(stack, &o);
	return 0;
}

/*
 * The innermost collection ends: give it its items and attach it.  -1
 * with e set when a mapping has a key that is not a scalar (the node
 * is attached all the same).
 */
static int
load_close(struct hconf_ydoc *d, struct vec *stack, size_t *nflow,
    struct hconf_yerr *e)
{
	struct open *o = (struct open *)stack->v + --stack->n;
	struct hconf_ynode *y = o->node;
	size_t i, n = o->kids.n;
	int rc = 0;

	*nflow -= o->flow;
	y->n = n;
	y->v = arena_alloc(&d->a, (n ? n : 1) * sizeof(*y->v));
	if (n > 0) {
		memcpy(y->v, o->kids.v, n * sizeof(*y->v));
	}
	vec_free(&o->kids);
	if (y->kind == HCONF_YMAP) {
		for (i = 0; i < n; i += 2) {
			if (y->v[i]->kind != HCONF_YSCALAR) {
				yerr_set(e, y->v[i]->line, y->v[i]->col,
				    "a mapping key must be a scalar");
				rc = -1;
				break;
			}
		}
	}
	attach(d, stack, y);
	return rc;
}

struct hconf_ydoc *
hconf_yaml_load(const char *buf, size_t len, struct hconf_yerr *e)
{
	struct hconf_ydoc *d = hconf_xcalloc(1, sizeof(*d));
	struct vec stack;
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, ndocs = 0, failed = 0;
	size_t nflow = 0;
	unsigned long long work = 0,
	    work_max = FLOW_WORK_BASE + FLOW_WORK_PER_BYTE * (unsigned long long)len;

	memset(&stack, 0, sizeof(stack));
	stack.size = sizeof(struct open);
	memset(e, 0, sizeof(*e));
	if (!yaml_parser_initialize(&p)) {
		yerr_set(e, 1, 1, "out of memory");
		free(d);
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !failed) {
		struct hconf_ynode *y;
		uint32_t line, col;

		if (!yaml_parser_parse(&p, &ev)) {
			parser_error(&p, buf, len, e);
			failed = 1;
			break;
		}
		line = (uint32_t)ev.start_mark.line + 1;
		col = (uint32_t)ev.start_mark.column + 1;
		work += nflow;
		if (work > work_max) {
			yerr_set(e, line, col, "flow collections ('[' and '{') "
			    "nested too deep for the size of the document (%zu "
			    "levels here)", nflow);
			yaml_event_delete(&ev);
			failed = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				yerr_set(e, line, col, "a second document: "
				    "only one is read");
				failed = 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			yerr_set(e, line, col, "aliases (*%s) are not "
			    "supported", (const char *)ev.data.alias.anchor);
			failed = 1;
			break;
		case YAML_SCALAR_EVENT:
			y = arena_calloc(&d->a, sizeof(*y));
			y->line = line, y->col = col;
			if (load_scalar(d, y, &ev, e) != 0) {
				failed = 1;
				break;
			}
			attach(d, &stack, y);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (load_open(d, &stack, &ev, line, col, &nflow,
			    e) != 0) {
				failed = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (load_close(d, &stack, &nflow, e) != 0) {
				failed = 1;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free_stack(&stack);
	if (!failed && d->root == NULL) {
		yerr_set(e, 1, 1, "empty input: no YAML document");
		failed = 1;
	}
	if (failed) {
		hconf_ydoc_free(d);
		return NULL;
	}
	return d;
}

const struct hconf_ynode *
hconf_ydoc_root(const struct hconf_ydoc *d)
{
	return d->root;
}

void
hconf_ydoc_free(struct hconf_ydoc *d)
{
	if (d != NULL) {
		arena_free(&d->a);
		free(d);
	}
}
