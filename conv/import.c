/*
 * import.c - mpmconv --import: build configuration files back from a
 * document in the schema of hconf-export(5).  The document is read and
 * checked whole, and every file is built in memory, before anything is
 * written: a bad document writes nothing.  A node with its text gets it
 * back verbatim; one without is regenerated from its directive and args.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conv_int.h"
#include "esc.h"

#define INDENT 4      /* spaces per section level in regenerated lines */
#define INDENT_MAX 64 /* levels: deeper lines are not indented further */

void
conv_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		b->p = hconf_xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n > 0) {
		memcpy(b->p + b->len, s, n);
	}
	b->len += n;
	b->p[b->len] = '\0';
}

/*
 * Append a chunk of a file.  A chunk that does not end its line can only
 * come from a hand-written document; the next one starts a new line.
 */
static void
put_chunk(struct buf *b, const char *s, size_t n)
{
	if (n > 0 && b->len > 0 && b->p[b->len - 1] != '\n') {
		conv_put(b, "\n", 1);
	}
	conv_put(b, s, n);
}

static void
indent(struct buf *b, size_t depth)
{
	size_t i;

	/* pathological nesting must not make the output quadratic */
	if (depth > INDENT_MAX) {
		depth = INDENT_MAX;
	}
	for (i = 0; i < depth * INDENT; i++) {
		conv_put(b, " ", 1);
	}
}

static int
bad(struct ictx *c, const struct hconf_ynode *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
bad(struct ictx *c, const struct hconf_ynode *at, const char *fmt, ...)
{
	va_list ap;

	esc_printf(c->err, "%s:%u:%u: error: ", c->name, at->line, at->col);
	va_start(ap, fmt);
	esc_vprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
	return -1;
}

static const char *
kind_name(const struct hconf_ynode *y)
{
	return y->kind == HCONF_YMAP ? "a mapping" : y->kind == HCONF_YSEQ ?
	    "a sequence" : "a scalar";
}

static int
is_null(const struct hconf_ynode *y)
{
	return y->kind == HCONF_YSCALAR && y->plain && (y->len == 0 ||
	    strcmp(y->s, "~") == 0 || strcmp(y->s, "null") == 0 ||
	    strcmp(y->s, "Null") == 0 || strcmp(y->s, "NULL") == 0);
}

/*
 * Look up the keys of a mapping: out[i] gets the value of keys[i], or
 * NULL.  Unknown and repeated keys are errors.
 */
static int
get_keys(struct ictx *c, const struct hconf_ynode *map, const char *what,
    const char *const *keys, size_t nkeys, const struct hconf_ynode **out)
{
	size_t i, k;

	if (map->kind != HCONF_YMAP) {
		return bad(c, map, "%s must be a mapping, not %s", what,
		    kind_name(map));
	}
	for (k = 0; k < nkeys; k++) {
		out[k] = NULL;
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct hconf_ynode *key = map->v[i];

		for (k = 0; k < nkeys; k++) {
			if (key->len == strlen(keys[k]) &&
			    strcmp(key->s, keys[k]) == 0) {
				break;
			}
		}
		if (k == nkeys) {
			return bad(c, key, "unknown key '%.64s' in %s",
			    key->s, what);
		}
		if (out[k] != NULL) {
			return bad(c, key, "key '%s' repeated in %s",
			    keys[k], what);
		}
		out[k] = map->v[i + 1];
	}
	return 0;
}

static int
need(struct ictx *c, const struct hconf_ynode *map,
    const struct hconf_ynode *v, const char *key, const char *what)
{
	if (v == NULL) {
		return bad(c, map, "missing key '%s' in %s", key, what);
	}
	return 0;
}

/* A string: a scalar (not null), a !!binary, or {base64: ...}. */
static int
get_str(struct ictx *c, const struct hconf_ynode *y, const char *what,
    struct str *out)
{
	if (y->kind == HCONF_YSCALAR) {
		if (is_null(y)) {
			return bad(c, y, "%s must be a string, not null", what);
		}
		out->s = y->s;
		out->len = y->len;
		return 0;
	}
	if (y->kind == HCONF_YMAP && y->n == 2 &&
	    strcmp(y->v[0]->s, "base64") == 0 &&
	    y->v[1]->kind == HCONF_YSCALAR) {
		char *dec;
		size_t n;

		if (hconf_base64_decode(y->v[1]->s, y->v[1]->len, &dec,
		    &n) != 0) {
			return bad(c, y->v[1], "%s: not valid base64", what);
		}
		c->owned = hconf_xrealloc(c->owned, (c->nowned + 1) *
		    sizeof(*c->owned));
		c->owned[c->nowned++] = dec;
		out->s = dec;
		out->len = n;
		return 0;
	}
	return bad(c, y, "%s must be a string, not %s", what, kind_name(y));
}

static int
get_int(struct ictx *c, const struct hconf_ynode *y, const char *what,
    long long *v)
{
	const char *s = y->s;
	char *end;

	if (y->kind != HCONF_YSCALAR || !y->plain || y->len == 0 ||
	    strspn(s + (*s == '-' || *s == '+'), "0123456789") !=
	    y->len - (*s == '-' || *s == '+') || y->len > 19) {
		return bad(c, y, "%s must be an integer", what);
	}
	*v = strtoll(s, &end, 10);
	return 0;
}

static int
get_bool(struct ictx *c, const struct hconf_ynode *y, const char *what,
    int *v)
{
	static const char *const t[] = {"true", "True", "TRUE"};
	static const char *const f[] = {"false", "False", "FALSE"};
	size_t i;

	if (y->kind == HCONF_YSCALAR && y->plain) {
		for (i = 0; i < 3; i++) {
			if (strcmp(y->s, t[i]) == 0 ||
			    strcmp(y->s, f[i]) == 0) {
				*v = y->s[0] == 't' || y->s[0] == 'T';
				return 0;
			}
		}
	}
	return bad(c, y, "%s must be true or false", what);
}

static int
get_seq(struct ictx *c, const struct hconf_ynode *y, const char *what)
{
	if (y->kind != HCONF_YSEQ) {
		return bad(c, y, "%s must be a sequence, not %s", what,
		    kind_name(y));
	}
	return 0;
}

/* ---- regenerating lines -------------------------------------------- */

/*
 * A directive or section name that can be written as it is; alone: no
 * argument follows it on the line.
 */
static int
check_name(struct ictx *c, const struct hconf_ynode *at,
    const struct str *name, int section, int alone)
{
	size_t i;

	if (name->len == 0) {
		if (section) {
			/* "<>": httpd reads the command '<' (and refuses it) */
			return 0;
		}
		return bad(c, at, "the directive name is empty");
	}
	if (!section && (name->s[0] == '"' || name->s[0] == '\'') &&
	    !conv_word_has_break(name) &&
	    conv_word_quoted(name->s, name->len, alone)) {
		/*
		 * httpd unquotes the first word too: a quoted name is one,
		 * and so is a name whose quote never closes, as long as no
		 * argument follows to be swallowed into it.
		 */
		return 0;
	}
	for (i = 0; i < name->len; i++) {
		unsigned char ch = (unsigned char)name->s[i];

		/*
		 * httpd's word splitter ends a word at white space only;
		 * other control characters are part of the name, as in the
		 * file the export came from.
		 */
		if (ch == '\0' || conv_word_space(ch)) {
			return bad(c, at, "the directive name holds white "
			    "space or a NUL byte");
		}
	}
	if (!section && name->s[0] == '#') {
		/* a section's name follows '<': "<# A>" is no comment */
		return bad(c, at, "a directive name cannot start with '#'");
	}
	if (section && name->s[0] == '<') {
		/*
		 * "<<Directory />" is a section named "<Directory" (httpd
		 * refuses the command "<<Directory"): an export of it must
		 * import again, so say what is written and go on.
		 */
		esc_printf(c->err, "%s:%u:%u: warning: the section name "
		    "starts with '<': it is written as '<", c->name, at->line,
		    at->col);
		esc_write(c->err, name->s, name->len);
		fputs("'\n", c->err);
	} else if (name->s[0] == '<' || (section && name->s[0] == '/')) {
		return bad(c, at, "give the name without '<'");
	}
	return 0;
}

/* ---- nodes ----------------------------------------------------------- */

enum { K_KIND, K_DIRECTIVE, K_ARGS, K_LINE, K_COLUMN, K_ACTIVE, K_INCLUDE,
	K_TEXT, K_CLOSE, K_COMMENT, K_CHILDREN, K__N };
static const char *const node_keys[K__N] = {"kind", "directive", "args",
    "line", "column", "active", "include", "text", "close", "comment",
    "children"};

enum nkind { N_DIRECTIVE, N_SECTION, N_COMMENT, N_BLANK, N_ERROR };
static const char *const nkind_names[] = {"directive", "section", "comment",
    "blank", "error"};

/* A section being written: its children, then its close line. */
struct frame {
	const struct hconf_ynode *seq; /* children, or NULL */
	size_t i;                      /* next child */
	size_t depth;                  /* of the children */
	int has_close;                 /* close holds the close text */
	struct str close, name;
};

/* The words after the name: " arg1 arg2 ...". */
static int
gen_args(struct ictx *c, struct buf *b, const struct hconf_ynode *args,
    int write)
{
	static const char *const akeys[] = {"value", "raw"};
	size_t i;

	if (args == NULL) {
		return 0;
	}
	if (get_seq(c, args, "args") != 0) {
		return -1;
	}
	for (i = 0; i < args->n; i++) {
		const struct hconf_ynode *a = args->v[i], *kv[2];
		struct str val, raw;
		int have_raw = 0;

		if (a->kind == HCONF_YSEQ) {
			return bad(c, a, "an argument must be a string or a "
			    "mapping {value, raw}, not a sequence");
		}
		if (a->kind == HCONF_YSCALAR) {
			/* shorthand: the value alone */
			if (get_str(c, a, "an argument", &val) != 0) {
				return -1;
			}
			kv[0] = a;
		} else {
			if (get_keys(c, a, "an argument", akeys, 2, kv) != 0 ||
			    need(c, a, kv[0], "value", "an argument") != 0 ||
			    get_str(c, kv[0], "value", &val) != 0) {
				return -1;
			}
			if (kv[1] != NULL) {
				if (get_str(c, kv[1], "raw", &raw) != 0) {
					return -1;
				}
				have_raw = 1;
			}
		}
		if (!write) {
			continue;
		}
		if (conv_word_has_break(&val)) {
			return bad(c, kv[0], "an argument cannot hold a line "
			    "break or a NUL byte");
		}
		conv_put(b, " ", 1);
		/*
		 * raw is the word as written: kept when it reads back as
		 * value, or when it holds a ${VAR} reference, which httpd
		 * expands again (value is the expansion, and may itself
		 * hold a literal "${" that must not be expanded twice).
		 */
		if (have_raw && (conv_word_spells(&raw, &val) ||
		    (conv_word_has_ref(&raw) && !conv_word_has_break(&raw) &&
		    raw.s[raw.len - 1] != '\\' &&
		    raw.s[raw.len - 1] != '\r'))) {
			conv_put(b, raw.s, raw.len);
		} else {
			conv_word_put(b, &val);
		}
	}
	return 0;
}

/* The node's kind: its 'kind', else section or directive. */
static int
node_kind(struct ictx *c, const struct hconf_ynode *const *k, enum nkind *kind)
{
	struct str s;
	size_t i;

	if (k[K_KIND] == NULL) {
		*kind = k[K_CHILDREN] != NULL ? N_SECTION : N_DIRECTIVE;
		return 0;
	}
	if (get_str(c, k[K_KIND], "kind", &s) != 0) {
		return -1;
	}
	for (i = 0; i < sizeof(nkind_names) / sizeof(nkind_names[0]); i++) {
		if (strcmp(s.s, nkind_names[i]) == 0) {
			break;
		}
	}
	if (i == sizeof(nkind_names) / sizeof(nkind_names[0])) {
		return bad(c, k[K_KIND], "unknown kind '%.32s' (directive, "
		    "section, comment, blank or error)", s.s);
	}
	*kind = (enum nkind)i;
	return 0;
}

/*
 * The fields' types, whether or not the kind uses them, and which
 * fields the kind allows; name and text when present.
 */
static int
node_fields(struct ictx *c, const struct hconf_ynode *y,
    const struct hconf_ynode *const *k, enum nkind kind, struct str *name,
    struct str *text)
{
	long long iv;
	int bv;
	size_t i;

	if ((k[K_LINE] && get_int(c, k[K_LINE], "line", &iv) != 0) ||
	    (k[K_COLUMN] && get_int(c, k[K_COLUMN], "column", &iv) != 0) ||
	    (k[K_ACTIVE] && get_bool(c, k[K_ACTIVE], "active", &bv) != 0)) {
		return -1;
	}
	if (k[K_INCLUDE] != NULL) {
		const struct hconf_ynode *inc = k[K_INCLUDE];

		if (get_seq(c, inc, "include") != 0) {
			return -1;
		}
		for (i = 0; i < inc->n; i++) {
			if (get_int(c, inc->v[i], "a file index", &iv) != 0) {
				return -1;
			}
			if (iv < 0 || (unsigned long long)iv >= c->nfiles) {
				return bad(c, inc->v[i], "file index %lld out "
				    "of range: the document has %zu file%s", iv,
				    c->nfiles, c->nfiles == 1 ? "" : "s");
			}
		}
	}
	if (kind != N_SECTION && k[K_CHILDREN] != NULL) {
		return bad(c, k[K_CHILDREN], "only a section has children");
	}
	if (kind != N_SECTION && k[K_CLOSE] != NULL) {
		return bad(c, k[K_CLOSE], "only a section has a close line");
	}
	if (kind != N_COMMENT && k[K_COMMENT] != NULL) {
		return bad(
		    c, k[K_COMMENT], "only a comment node has 'comment'");
	}
	if ((kind == N_DIRECTIVE || kind == N_SECTION) &&
	    k[K_DIRECTIVE] == NULL) {
		return bad(c, y, "missing key 'directive' in a %s node",
		    nkind_names[kind]);
	}
	if (k[K_DIRECTIVE] != NULL &&
	    get_str(c, k[K_DIRECTIVE], "directive", name) != 0) {
		return -1;
	}
	if (k[K_TEXT] != NULL && get_str(c, k[K_TEXT], "text", text) != 0) {
		return -1;
	}
	return 0;
}

static int
gen_directive(struct ictx *c, struct buf *b,
    const struct hconf_ynode *const *k, size_t depth, struct str *name,
    const struct str *text)
{
	if (gen_args(c, b, k[K_ARGS], 0) != 0) {
		return -1;
	}
	if (k[K_TEXT] != NULL) {
		put_chunk(b, text->s, text->len);
		return 0;
	}
	if (check_name(c, k[K_DIRECTIVE], name, 0,
	    k[K_ARGS] == NULL || k[K_ARGS]->n == 0) != 0) {
		return -1;
	}
	put_chunk(b, "", 0);
	indent(b, depth);
	conv_put(b, name->s, name->len);
	if (gen_args(c, b, k[K_ARGS], 1) != 0) {
		return -1;
	}
	if (name->s[name->len - 1] == '\\' &&
	    (k[K_ARGS] == NULL || k[K_ARGS]->n == 0)) {
		/*
		 * A backslash before the line end continues the line
		 * (the name was last in its file, with no line end);
		 * a space between stops that, and httpd trims it.
		 */
		conv_put(b, " ", 1);
	}
	conv_put(b, "\n", 1);
	return 0;
}

/* The opening line; sec is set up for gen_nodes(), which does the rest. */
static int
gen_section(struct ictx *c, struct buf *b,
    const struct hconf_ynode *const *k, size_t depth, struct str *name,
    const struct str *text, struct frame *sec)
{
	if (gen_args(c, b, k[K_ARGS], 0) != 0) {
		return -1;
	}
	if ((k[K_TEXT] == NULL || k[K_CLOSE] == NULL) &&
	    check_name(c, k[K_DIRECTIVE], name, 1, 0) != 0) {
		return -1;
	}
	if (k[K_TEXT] != NULL) {
		put_chunk(b, text->s, text->len);
	} else {
		put_chunk(b, "", 0);
		indent(b, depth);
		conv_put(b, "<", 1);
		conv_put(b, name->s, name->len);
		if (gen_args(c, b, k[K_ARGS], 1) != 0) {
			return -1;
		}
		conv_put(b, ">\n", 2);
	}
	/* the children and the close line: gen_nodes() does them */
	if (k[K_CHILDREN] != NULL &&
	    get_seq(c, k[K_CHILDREN], "children") != 0) {
		return -1;
	}
	if (k[K_CLOSE] != NULL &&
	    get_str(c, k[K_CLOSE], "close", &sec->close) != 0) {
		return -1;
	}
	sec->seq = k[K_CHILDREN];
	sec->i = 0;
	sec->depth = depth + 1;
	sec->has_close = k[K_CLOSE] != NULL;
	sec->name = *name;
	return 1;
}

static int
gen_comment(struct ictx *c, struct buf *b, const struct hconf_ynode *y,
    const struct hconf_ynode *const *k, size_t depth, const struct str *text)
{
	struct str s;

	if (k[K_COMMENT] != NULL &&
	    get_str(c, k[K_COMMENT], "comment", &s) != 0) {
		return -1;
	}
	if (k[K_TEXT] != NULL) {
		put_chunk(b, text->s, text->len);
		return 0;
	}
	if (k[K_COMMENT] == NULL) {
		return bad(c, y, "a comment node needs 'text' or "
		    "'comment'");
	}
	if (conv_word_has_break(&s)) {
		return bad(c, k[K_COMMENT], "a comment cannot hold a "
		    "line break or a NUL byte");
	}
	put_chunk(b, "", 0);
	indent(b, depth);
	conv_put(b, "#", 1);
	conv_put(b, s.s, s.len);
	conv_put(b, "\n", 1);
	return 0;
}

/*
 * Write one node.  Returns 0 when done, 1 for a section whose children
 * and close line are still to come (described in *sec), -1 on an error.
 */
static int
gen_node(struct ictx *c, struct buf *b, const struct hconf_ynode *y,
    size_t depth, struct frame *sec)
{
	const struct hconf_ynode *k[K__N];
	struct str name = {NULL, 0}, text;
	enum nkind kind = N_DIRECTIVE;

	if (get_keys(c, y, "a node", node_keys, K__N, k) != 0 ||
	    node_kind(c, k, &kind) != 0 ||
	    node_fields(c, y, k, kind, &name, &text) != 0) {
		return -1;
	}
	switch (kind) {
	case N_DIRECTIVE:
		return gen_directive(c, b, k, depth, &name, &text);
	case N_SECTION:
		return gen_section(c, b, k, depth, &name, &text, sec);
	case N_COMMENT:
		return gen_comment(c, b, y, k, depth, &text);
	case N_BLANK:
		if (k[K_TEXT] != NULL) {
			put_chunk(b, text.s, text.len);
		} else {
			put_chunk(b, "\n", 1);
		}
		return 0;
	case N_ERROR:
		if (k[K_TEXT] == NULL) {
			return bad(c, y, "missing key 'text' in an error node");
		}
		put_chunk(b, text.s, text.len);
		return 0;
	}
	return 0;
}

/*
 * Write a file's nodes.  Sections nest through an explicit stack, not
 * recursion, so that deep nesting costs heap rather than C stack.
 */
static int
gen_nodes(struct ictx *c, struct buf *b, const struct hconf_ynode *nodes)
{
	struct frame *st, *t;
	size_t n = 1, cap = 16;
	int rc = 0;

	if (get_seq(c, nodes, "nodes") != 0) {
		return -1;
	}
	st = hconf_xcalloc(cap, sizeof(*st));
	st[0].seq = nodes;
	while (n > 0 && rc == 0) {
		t = &st[n - 1];
		if (t->seq != NULL && t->i < t->seq->n) {
			struct frame sec;
			const struct hconf_ynode *y = t->seq->v[t->i++];

			rc = gen_node(c, b, y, t->depth, &sec);
			if (rc == 1) {
				if (n == cap) {
					cap *= 2;
					st = hconf_xrealloc(
					    st, cap * sizeof(*st));
				}
				st[n++] = sec;
				rc = 0;
			}
			continue;
		}
		/* all children written: the section's close line */
		if (n > 1) {
			if (t->has_close) {
				put_chunk(b, t->close.s, t->close.len);
			} else {
				put_chunk(b, "", 0);
				indent(b, t->depth - 1);
				conv_put(b, "</", 2);
				conv_put(b, t->name.s, t->name.len);
				conv_put(b, ">\n", 2);
			}
		}
		n--;
	}
	free(st);
	return rc;
}

/* ---- files ----------------------------------------------------------- */

static int
build(struct ictx *c, const struct hconf_ynode *root, const char *outdir,
    struct ofile **outv, size_t *outn)
{
	static const char *const tkeys[] = {"version", "lossless", "files",
	    "effective", "findings"};
	static const char *const fkeys[] = {"path", "nodes"};
	const struct hconf_ynode *t[5], *files;
	struct ofile *of;
	size_t i, j;
	long long ver;
	int lossless;

	if (get_keys(c, root, "the document", tkeys, 5, t) != 0 ||
	    need(c, root, t[2], "files", "the document") != 0) {
		return -1;
	}
	if (t[0] != NULL) {
		if (get_int(c, t[0], "version", &ver) != 0) {
			return -1;
		}
		if (ver != 1) {
			return bad(c, t[0], "version %lld: only version 1 is "
			    "known", ver);
		}
	}
	if (t[1] != NULL && get_bool(c, t[1], "lossless", &lossless) != 0) {
		return -1;
	}
	if ((t[3] != NULL && !is_null(t[3]) && t[3]->kind != HCONF_YMAP) ||
	    (t[4] != NULL && !is_null(t[4]) && t[4]->kind != HCONF_YSEQ)) {
		const struct hconf_ynode *w = t[3] != NULL &&
		    !is_null(t[3]) && t[3]->kind != HCONF_YMAP ? t[3] : t[4];

		return bad(c, w, "%s must be %s or null", w == t[3] ?
		    "effective" : "findings", w == t[3] ? "a mapping" :
		    "a sequence");
	}
	files = t[2];
	if (get_seq(c, files, "files") != 0) {
		return -1;
	}
	c->nfiles = files->n;
	if (files->n == 0) {
		return bad(c, files, "the document has no files");
	}
	if (outdir == NULL && files->n > 1) {
		return bad(c, files, "the document has %zu files: give an "
		    "output directory (-o DIR)", files->n);
	}
	of = hconf_xcalloc(files->n, sizeof(*of));
	*outv = of;
	*outn = files->n;
	for (i = 0; i < files->n; i++) {
		const struct hconf_ynode *f[2];
		struct str path;

		if (get_keys(c, files->v[i], "a file", fkeys, 2, f) != 0 ||
		    need(c, files->v[i], f[0], "path", "a file") != 0 ||
		    need(c, files->v[i], f[1], "nodes", "a file") != 0 ||
		    get_str(c, f[0], "path", &path) != 0) {
			return -1;
		}
		if (path.len == 0 || memchr(path.s, '\0', path.len) != NULL) {
			return bad(c, f[0], "a file path must be non-empty "
			    "and hold no NUL byte");
		}
		of[i].at = f[0];
		of[i].path = hconf_xmalloc(path.len + 1);
		memcpy(of[i].path, path.s, path.len + 1);
		if (outdir != NULL && path.s[0] != '/' &&
		    conv_import_escapes(path.s)) {
			return bad(c, f[0], "path %s has a '..' component: it "
			    "would be written outside the output directory",
			    of[i].path);
		}
		if (outdir != NULL && !conv_import_names_file(path.s)) {
			return bad(c, f[0], "path %s does not name a file",
			    of[i].path);
		}
		if (outdir != NULL) {
			char *np = conv_import_norm(of[i].path);

			free(of[i].path);
			of[i].path = np;
		}
		if (gen_nodes(c, &of[i].b, f[1]) != 0) {
			return -1;
		}
		/* a file read twice (Include of the same file) is one file */
		for (j = 0; outdir != NULL && j < i; j++) {
			if (strcmp(of[j].path, of[i].path) != 0) {
				continue;
			}
			if (of[j].b.len != of[i].b.len || (of[i].b.len > 0 &&
			    memcmp(of[j].b.p, of[i].b.p, of[i].b.len) != 0)) {
				int same = strcmp(path.s, of[i].path) == 0;

				return bad(c, f[0],
				    "path %s is also file %zu%s%s"
				    "%s, with different content",
				    path.s, j, same ? "" : " (",
				    same ? "" : of[i].path,
				    same ? "" : " under the output directory)");
			}
			of[i].skip = 1;
			break;
		}
	}
	return 0;
}

/*
 * Load the YAML document buf[0..len) and build its files: with outdir,
 * write them there; without, hand the first file's bytes to *first
 * (NUL-terminated, or p NULL when empty; the caller frees).  0, 1 for a
 * bad document, 2 for an I/O error, printed on c->err.
 */
static int
import(struct ictx *c, const char *buf, size_t len, const char *outdir,
    struct buf *first)
{
	struct hconf_ydoc *doc;
	struct hconf_yerr e;
	struct ofile *of = NULL;
	size_t i, n = 0;
	int rc = 0;

	doc = hconf_yaml_load(buf, len, &e);
	if (doc == NULL) {
		fprintf(c->err, "%s:%u:%u: error: %s\n", c->name, e.line, e.col,
		    e.msg);
		return 1;
	}
	if (build(c, hconf_ydoc_root(doc), outdir, &of, &n) != 0) {
		rc = 1;
	} else if (outdir != NULL) {
		rc = conv_import_write(c, outdir, of, n) != 0 ? 2 : 0;
	} else {
		*first = of[0].b;
		of[0].b.p = NULL;
	}
	for (i = 0; i < n; i++) {
		free(of[i].path);
		free(of[i].b.p);
	}
	free(of);
	for (i = 0; i < c->nowned; i++) {
		free(c->owned[i]);
	}
	free(c->owned);
	hconf_ydoc_free(doc);
	return rc;
}

int
cli_import_mem(const char *buf, size_t len, char **out, size_t *outlen,
    FILE *err)
{
	struct ictx c;
	struct buf first;

	memset(&c, 0, sizeof(c));
	memset(&first, 0, sizeof(first));
	c.name = "<memory>";
	c.err = err;
	*out = NULL;
	*outlen = 0;
	if (import(&c, buf, len, NULL, &first) != 0) {
		return 1;
	}
	*out = first.p != NULL ? first.p : hconf_xstrdup("");
	*outlen = first.len;
	return 0;
}

int
cli_import(const char *yaml_path, const char *outdir, FILE *err)
{
	struct ictx c;
	struct buf in, first;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&in, 0, sizeof(in));
	memset(&first, 0, sizeof(first));
	c.name = strcmp(yaml_path, "-") == 0 ? "<stdin>" : yaml_path;
	c.err = err;
	if (outdir != NULL && *outdir == '\0') {
		fprintf(err, "%s: error: the output directory is an empty "
		    "string\n", c.name);
		return 2;
	}
	if (conv_import_read(&c, yaml_path, &in) != 0) {
		free(in.p);
		return 2;
	}
	rc = import(&c, in.p, in.len, outdir, &first);
	if (rc == 0 && outdir == NULL &&
	    ((first.len > 0 &&
	         fwrite(first.p, 1, first.len, stdout) != first.len) ||
	        fflush(stdout) != 0)) {
		conv_import_ioerr(&c, "<stdout>");
		rc = 2;
	}
	free(first.p);
	free(in.p);
	return rc;
}
