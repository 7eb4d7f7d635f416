/*
 * export.c - every file's nodes as data (man/hconf-export.5), written
 * through the YAML/JSON writer of yaml.c (hconf_emit_*), with line and
 * column counted from the bytes.  Loading an export back is yaml.c's
 * loader and cli/'s import.  Nothing here prints or includes <yaml.h>.
 */
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

/* ---- the export of the files ----------------------------------------- */

struct xfile {
	const struct hconf_file *f;
	uint32_t *lines; /* line starts, computed here from the bytes */
	uint32_t nlines;
};

static void
xfile_init(struct xfile *x, const struct hconf_file *f)
{
	uint32_t i, n = 1;

	x->f = f;
	for (i = 0; i < f->len; i++) {
		n += f->buf[i] == '\n';
	}
	x->lines = hconf_xmalloc(n * sizeof(*x->lines));
	x->lines[0] = 0;
	for (i = 0, n = 1; i < f->len; i++) {
		if (f->buf[i] == '\n') {
			x->lines[n++] = i + 1;
		}
	}
	x->nlines = n;
}

static void
xfile_linecol(const struct xfile *x, uint32_t off, uint32_t *line,
    uint32_t *col)
{
	uint32_t lo = 0, hi = x->nlines;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (x->lines[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*line = lo + 1;
	*col = off - x->lines[lo] + 1;
}

static void
emit_span(struct hconf_emit *w, const struct hconf_file *f,
    struct hconf_span sp)
{
	if ((uint64_t)sp.off + sp.len > f->len) {
		sp.len = 0;
	}
	hconf_emit_str(w, f->buf + sp.off, sp.len);
}

/*
 * A span as httpd reads it after joining continuation lines: each
 * backslash before a line end goes with that line end ("Serv\<LF>erName"
 * is ServerName, and a quoted name keeps its quote), and so does one the
 * joined line then ends in.
 */
static void
emit_joined(struct hconf_emit *w, const struct hconf_file *f,
    struct hconf_span sp)
{
	const char *s;
	char *j;
	uint32_t i, k = 0;

	if ((uint64_t)sp.off + sp.len > f->len) {
		sp.len = 0;
	}
	s = f->buf + sp.off;
	j = hconf_xmalloc((size_t)sp.len + 1);
	for (i = 0; i < sp.len; i++) {
		/*
		 * The backslash goes with the line end, and the line read so
		 * far may end in another one: "u\\<LF><LF>r" is "ur".
		 */
		if (k > 0 && j[k - 1] == '\\' && (s[i] == '\n' ||
		    (s[i] == '\r' && i + 1 < sp.len && s[i + 1] == '\n'))) {
			k--;
			i += s[i] == '\r';
		} else {
			j[k++] = s[i];
		}
	}
	hconf_emit_str(w, j, k);
	free(j);
}

/* The node's own text: its source bytes, or its replacement text. */
static void
emit_text(struct hconf_emit *w, const struct hconf_file *f,
    const struct hconf_node *n)
{
	if (n->flags & (HCONF_NODE_DIRTY | HCONF_NODE_SYNTH)) {
		const char *t = n->text != NULL ? n->text : "";

		hconf_emit_str(w, t, strlen(t));
	} else {
		emit_span(w, f, n->full);
	}
}

static const char *const kind_names[] = {"doc", "directive", "section",
    "comment", "blank", "error"};

/*
 * Did ${VAR} expansion change the number of words of n?  Then the words
 * from one expansion share its raw span, and those from an expansion in
 * the name ("Server${X}") have none of their own.
 */
static int
resplit(const struct hconf_node *n)
{
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		if (n->args[i].raw.len == 0 || (i > 0 &&
		    n->args[i].raw.off == n->args[i - 1].raw.off &&
		    n->args[i].raw.len == n->args[i - 1].raw.len)) {
			return 1;
		}
	}
	return 0;
}

static void export_node(struct hconf_emit *, const struct xfile *,
    const struct hconf_node *, int lossless);

/* The nodes from first on, as a sequence; without lossless, no comments
 * or blank lines. */
static void
export_list(struct hconf_emit *w, const struct xfile *x,
    const struct hconf_node *first, int lossless)
{
	const struct hconf_node *c;

	hconf_emit_seq(w);
	for (c = first; c != NULL; c = c->next) {
		if (!(c->flags & HCONF_NODE_DELETED) &&
		    (lossless || (c->kind != HCONF_COMMENT &&
		    c->kind != HCONF_BLANK))) {
			export_node(w, x, c, lossless);
		}
	}
	hconf_emit_end(w);
}

/* directive and args of a directive or section */
static void
export_name(struct hconf_emit *w, const struct hconf_file *f,
    const struct hconf_node *n)
{
	struct hconf_span nm = n->name;
	uint32_t i;

	if (nm.len > 0 && f->buf[nm.off] == '<') {
		nm.off++, nm.len--;
	}
	if (n->kind == HCONF_SECTION && nm.len > 0 &&
	    f->buf[nm.off + nm.len - 1] == '>') {
		nm.len--;
	}
	hconf_emit_key(w, "directive");
	/*
	 * A name split by a continuation line ("Serv\<newline>erName")
	 * is given joined, as httpd reads it, quotes and all: the
	 * bytes as written are in text, and no name holds a line
	 * break.
	 */
	if (n->word != NULL && nm.len == 0) {
		hconf_emit_str(w, n->word, strlen(n->word));
	} else if (memchr(f->buf + nm.off, '\n', nm.len) != NULL) {
		emit_joined(w, f, nm);
	} else {
		emit_span(w, f, nm);
	}
	hconf_emit_key(w, "args");
	hconf_emit_seq(w);
	for (i = 0; i < n->nargs; i++) {
		const struct hconf_arg *a = &n->args[i];

		hconf_emit_map(w);
		hconf_emit_key(w, "value");
		hconf_emit_str(w, a->value, strlen(a->value));
		hconf_emit_key(w, "raw");
		emit_span(w, f, a->raw);
		hconf_emit_end(w);
	}
	hconf_emit_end(w);
}

/* A comment's text after the '#' (at), up to the line break. */
static void
export_comment(struct hconf_emit *w, const struct hconf_file *f,
    const struct hconf_node *n, uint32_t at)
{
	uint32_t end = n->full.off + n->full.len, start = at + 1;

	if (end > f->len) {
		end = f->len;
	}
	if (end > start && f->buf[end - 1] == '\n') {
		end--;
	}
	if (end > start && f->buf[end - 1] == '\r') {
		end--;
	}
	hconf_emit_key(w, "comment");
	hconf_emit_str(w, f->buf + start, end > start ? end - start : 0);
}

/*
 * Whether the text of n goes out: always in a lossless export, and for
 * what cannot be rebuilt from parts: an error line, a line whose ${VAR}
 * expansion changed the number of words (every argument then has the
 * same raw span), a line of a <Macro> body (raw text that may open or
 * close sections).
 */
static int
export_text(const struct hconf_node *n, int named, int lossless)
{
	return lossless || !named || (n->kind == HCONF_DIRECTIVE &&
	    !(n->flags & HCONF_NODE_ACTIVE) && n->parent != NULL &&
	    n->parent->kind == HCONF_SECTION &&
	    hconf_node_is(n->parent, "Macro")) || resplit(n);
}

static void
export_node(struct hconf_emit *w, const struct xfile *x,
    const struct hconf_node *n, int lossless)
{
	const struct hconf_file *f = x->f;
	uint32_t i, line, col, at = n->full.off;
	int named = n->kind == HCONF_DIRECTIVE || n->kind == HCONF_SECTION;

	if (named && n->name.len > 0) {
		at = n->name.off;
	} else if (n->kind != HCONF_BLANK) {
		/* the first non-blank byte of the line */
		while (at < n->full.off + n->full.len && at < f->len &&
		    (f->buf[at] == ' ' || f->buf[at] == '\t')) {
			at++;
		}
	}
	hconf_emit_map(w);
	hconf_emit_key(w, "kind");
	{
		/* a kind added to hconf.h later exports as an error line */
		const char *k = (size_t)n->kind < sizeof(kind_names) /
		    sizeof(kind_names[0]) ? kind_names[n->kind] : "error";

		hconf_emit_str(w, k, strlen(k));
	}
	if (named) {
		export_name(w, f, n);
	}
	xfile_linecol(x, at, &line, &col);
	hconf_emit_key(w, "line");
	hconf_emit_int(w, line);
	hconf_emit_key(w, "column");
	hconf_emit_int(w, col);
	hconf_emit_key(w, "active");
	hconf_emit_bool(w, (n->flags & HCONF_NODE_ACTIVE) != 0);
	/* a Use line's expansion is not a file of the export */
	if ((n->nincl > 0 && !(n->incl[0] & HCONF_FILE_MACRO)) ||
	    (n->kind == HCONF_DIRECTIVE &&
	    (hconf_node_is(n, "Include") || hconf_node_is(n,
	    "IncludeOptional")))) {
		hconf_emit_key(w, "include");
		hconf_emit_seq(w);
		for (i = 0; i < n->nincl; i++) {
			hconf_emit_int(w, n->incl[i]);
		}
		hconf_emit_end(w);
	}
	if (export_text(n, named, lossless)) {
		hconf_emit_key(w, "text");
		emit_text(w, f, n);
	}
	if (lossless && n->kind == HCONF_SECTION) {
		hconf_emit_key(w, "close");
		emit_span(w, f, n->close);
	}
	if (lossless && n->kind == HCONF_COMMENT &&
	    !(n->flags & (HCONF_NODE_DIRTY | HCONF_NODE_SYNTH))) {
		export_comment(w, f, n, at);
	}
	if (n->kind == HCONF_SECTION) {
		hconf_emit_key(w, "children");
		export_list(w, x, n->first, lossless);
	}
	hconf_emit_end(w);
}

void
hconf_export_files(struct hconf_emit *w, const struct hconf_doc *doc,
    int lossless)
{
	uint32_t id, nfiles = hconf_doc_nfiles(doc);

	hconf_emit_seq(w);
	for (id = 0; id < nfiles; id++) {
		const struct hconf_file *f = hconf_doc_file(doc, id);
		struct xfile x;

		/*
		 * Line numbers come from the bytes here rather than from
		 * hconf_linecol(), whose cache may be built mid-parse.
		 */
		xfile_init(&x, f);
		hconf_emit_map(w);
		hconf_emit_key(w, "path");
		hconf_emit_str(w, f->path, strlen(f->path));
		hconf_emit_key(w, "nodes");
		export_list(w, &x, f->root->first, lossless);
		hconf_emit_end(w);
		free(x.lines);
	}
	hconf_emit_end(w);
}
