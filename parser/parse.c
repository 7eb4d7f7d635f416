/*
 * parse.c - build the lossless tree, reading configuration the way
 * httpd 2.4's ap_build_config does, and never stopping at an error.
 *
 *   file       = { line } ;
 *   line       = blank | comment | directive | open | close ;
 *   blank      = { space } newline ;
 *   comment    = { space } "#" { any | "\" newline } newline ;
 *   directive  = { space } word { space word } newline ;
 *   open       = { space } "<" name [ { space word } ] ">" newline ;
 *   close      = { space } "</" name ">" newline ;
 *   word       = bare | '"' { any } '"' | "'" { any } "'" ;
 *   (a "\" before newline joins physical lines, before anything else)
 *
 * Three reading modes mirror httpd's: the file level (ordinary sections
 * on a per-file stack), a true conditional section (ends only at a line
 * that is exactly its close tag while no ordinary section is open in
 * it), and a false conditional section, whose lines are skipped raw,
 * with only the nesting of "<" words counted.  The modes are frames on
 * an explicit stack, so nesting depth costs heap, not C stack.
 * Directives httpd runs while reading (Include, Define, LoadModule,
 * ServerRoot, the conditionals) are run here too, by the files beside
 * this one: doc.c (documents, files, the entry points), vars.c (Define,
 * ${VAR}), cond.c (<IfModule> and the other conditionals) and include.c
 * (Include, LoadModule).  This file holds the line loop and the tree it
 * builds.  Nothing here prints.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hconf_int.h"
#include "ieq.h"

#define DEEP_NESTING 128
/*
 * httpd reads a true conditional by recursion (ap_build_cont_config) and
 * skips a false one by recursion too (ap_soak_end_container recurses on
 * every section line inside it), so deep nesting of either exhausts its
 * stack.  Measured with Debian's apache2 2.4.71 -t and the default 8 MiB
 * stack: it crashes (SIGSEGV) from about 8,470 true levels or 65,440
 * false ones, and one true level costs as much as 7.7 false ones (2,000
 * true levels crash with 50,000 false ones inside, pass with 49,980).
 * Counting a true level as STACK_TRUE_COST false ones against
 * STACK_BUDGET errs a little on the safe side everywhere.
 */
#define STACK_TRUE_COST 8
#define STACK_BUDGET 64000

#define MACRO_DEPTH_MAX 1000 /* Use inside expansions */

static void check_depth(struct reader *, struct hconf_node *);

/* ---- words and nodes ----------------------------------------------- */

static struct hconf_span
text_span_slow(struct reader *rd, const char *tt, const char *a,
    const char *b)
{
	struct hconf_span sp;
	uint32_t s, e;

	if (b <= a) {
		sp.off = lline_src(&rd->ll, (uint32_t)(a - tt));
		sp.len = 0;
		return sp;
	}
	s = lline_src(&rd->ll, (uint32_t)(a - tt));
	e = lline_src(&rd->ll, (uint32_t)(b - 1 - tt)) + 1;
	sp.off = s;
	sp.len = e - s;
	return sp;
}

/* The source span of text [a, b) of the trimmed line tt. */
static inline struct hconf_span
text_span(struct reader *rd, const char *tt, const char *a, const char *b)
{
	struct hconf_span sp;

	if (rd->ll.nseg != 1) {
		return text_span_slow(rd, tt, a, b);
	}
	/* one physical line: the text is the source, shifted */
	sp.off = rd->ll.seg[0].soff + rd->ll.lead + (uint32_t)(a - tt);
	sp.len = b > a ? (uint32_t)(b - a) : 0;
	return sp;
}

enum split_mode {
	SPLIT_SPANS,   /* copy values, record source spans */
	SPLIT_VALUES,  /* copy values only (an expanded line) */
	SPLIT_INPLACE  /* values cut in the scratch copy, with spans */
};

/*
 * The words of a plain line, cut in place, written straight into the
 * free tail of the arena's chunk (nothing else allocates meanwhile) and
 * committed when their number is known.  Returns NULL, having read
 * nothing, when the tail is too short for SPLIT_TAIL words.
 */
#define SPLIT_TAIL 16
static struct hconf_arg *
split_inplace(struct reader *rd, char *text, const char *tt, uint32_t *np)
{
	struct arena_chunk *c = rd->doc->a.head;
	struct hconf_arg *args, *big;
	uint32_t n, cap = SPLIT_TAIL, base;
	char *ip = text;

	*np = 0;
	if (c == NULL || rd->ll.nseg != 1 ||
	    c->size - c->used < SPLIT_TAIL * sizeof(*args)) {
		return NULL;
	}
	args = (struct hconf_arg *)(void *)((char *)c->data + c->used);
	base = rd->ll.seg[0].soff + rd->ll.lead;
	n = lex_args_inplace(&ip, tt, base, args, cap);
	if (n == 0) {
		return NULL;
	}
	c->used += n * sizeof(*args);
	while (n == cap && *ip != '\0') {
		/* a long line: a bigger array after this one */
		cap *= 2;
		big = arena_alloc(&rd->doc->a, cap * sizeof(*big));
		memcpy(big, args, n * sizeof(*big));
		args = big;
		n += lex_args_inplace(&ip, tt, base, args + n, cap - n);
	}
	*np = n;
	return args;
}

/*
 * Split the words of text into an arena array of exactly the right
 * size: most lines have one or two arguments, so they are collected on
 * the stack first.
 */
static struct hconf_arg *
split_args(struct reader *rd, char *text, const char *tt,
    enum split_mode mode, uint32_t *np)
{
	struct hconf_arg small[16], *args = small, *big = NULL, *out;
	struct word w;
	uint32_t n = 0, cap = 16;
	const char *p = text;
	char *ip = text;

	while (mode == SPLIT_INPLACE ? lex_word_inplace(&ip, &w) :
	    lex_word(&rd->doc->a, &p, &w)) {
		if (n == cap) {
			cap *= 2;
			big = arena_alloc(&rd->doc->a, cap * sizeof(*big));
			memcpy(big, args, n * sizeof(*big));
			args = big;
		}
		args[n].value = w.value;
		args[n].quote = (uint8_t)w.quote;
		if (mode != SPLIT_VALUES) {
			args[n].raw = text_span(rd, tt, w.start, w.end);
		} else {
			args[n].raw.off = args[n].raw.len = 0;
		}
		n++;
	}
	*np = n;
	if (n == 0) {
		return NULL;
	}
	if (big != NULL) {
		return big;
	}
	out = arena_alloc(&rd->doc->a, n * sizeof(*out));
	memcpy(out, small, n * sizeof(*out));
	return out;
}

/*
 * Fill in the node's name and arguments.  rest is the expanded text
 * after the first word; for sections only the part before the last '>'
 * becomes arguments.  section: 0 for a directive, 1 for a section
 * whose rest is read again, 2 for one whose rest nobody reads again
 * (its words may be cut in place).
 */
static void
set_args(struct reader *rd, struct hconf_node *n, char *etext, char *rest,
    int section)
{
	char *tt = rd->ll.text + rd->ll.lead, *cut = NULL, saved = 0;
	const char *rp = tt;
	struct word w;

	if (section) {
		cut = strrchr(rest, '>');
		if (cut != NULL) {
			saved = *cut;
			*cut = '\0';
		}
	}
	if (etext == NULL && section != 1 && rd->ll.inplace) {
		n->args = split_inplace(rd, rest, tt, &n->nargs);
		if (n->args == NULL && n->nargs == 0) {
			n->args = split_args(rd, rest, tt, SPLIT_INPLACE,
			    &n->nargs);
		}
		/* the last word may end at the cut: it stays cut */
		cut = NULL;
	} else if (etext == NULL) {
		n->args = split_args(rd, rest, tt, SPLIT_SPANS, &n->nargs);
	} else {
		/* Expanded: values from the expanded line, spans from the
		 * raw words when they line up one to one. */
		uint32_t nraw;
		struct hconf_arg *raw;
		char *rcut = NULL, rsaved = 0;

		lex_word(&rd->doc->a, &rp, &w);
		if (section) {
			rcut = strrchr(rp, '>');
			if (rcut != NULL) {
				rsaved = *rcut;
				*rcut = '\0';
			}
		}
		raw = split_args(rd, (char *)rp, tt, SPLIT_SPANS, &nraw);
		if (rcut != NULL) {
			*rcut = rsaved;
		}
		n->args = split_args(rd, rest, tt, SPLIT_VALUES, &n->nargs);
		if (nraw == n->nargs) {
			uint32_t i;

			for (i = 0; i < nraw; i++) {
				n->args[i].raw = raw[i].raw;
			}
		} else if (n->nargs > 0) {
			struct hconf_span all;
			uint32_t i;

			if (nraw > 0) {
				all.off = raw[0].raw.off;
				all.len = raw[nraw - 1].raw.off +
				    raw[nraw - 1].raw.len - all.off;
			} else {
				all = n->name;
				all.off += all.len;
				all.len = 0;
			}
			for (i = 0; i < n->nargs; i++) {
				n->args[i].raw = all;
			}
		}
	}
	if (cut != NULL) {
		*cut = saved;
	}
}

static struct frame *
top(struct reader *rd)
{
	return rd->frames.n ? &((struct frame *)rd->frames.v)[rd->frames.n - 1]
	    : NULL;
}

static struct hconf_node *
cur_parent(struct reader *rd)
{
	struct frame *t = top(rd);

	return t ? t->node : rd->f->root;
}

static void
push(struct reader *rd, enum frame_kind k, struct hconf_node *n,
    const char *name)
{
	struct frame fr;

	fr.kind = k;
	fr.node = n;
	fr.name = name;
	fr.mdef = NULL;
	vec_push(&rd->frames, &fr);
	rd->nconds += k == F_COND;
	rd->nsoak += k == F_SOAK;
}

static void
pop(struct reader *rd)
{
	rd->nconds -= top(rd)->kind == F_COND;
	rd->nsoak -= top(rd)->kind == F_SOAK;
	rd->frames.n--;
}

/*
 * Move a node built in the reader (rd->nb: a line that may turn out to
 * be a close tag, which leaves no node) into the arena; a node that is
 * in the arena already stays where it is.
 */
static struct hconf_node *
keep(struct reader *rd, struct hconf_node *tmp)
{
	struct hconf_node *n;

	if (tmp != &rd->nb) {
		return tmp;
	}
	n = arena_alloc(&rd->doc->a, sizeof(*n));
	*n = *tmp;
	return n;
}

static void
leaf_init(struct reader *rd, struct hconf_node *n, enum hconf_kind kind,
    int active)
{
	/* a copy of a zero node: plain stores, where memset of a whole
	 * node is a rep stos */
	static const struct hconf_node zero;

	*n = zero;
	n->kind = kind;
	n->file_id = rd->fid;
	n->full.off = rd->ll.start;
	n->full.len = rd->ll.end - rd->ll.start;
	n->line_last = rd->ll.last_line;
	if (active) {
		n->flags |= HCONF_NODE_ACTIVE;
	}
	if (rd->ll.continued) {
		n->flags |= HCONF_NODE_CONTINUED;
	}
}

static struct hconf_node *
leaf(struct reader *rd, enum hconf_kind kind, int active)
{
	struct hconf_node *n = arena_alloc(&rd->doc->a, sizeof(*n));

	leaf_init(rd, n, kind, active);
	return n;
}

/* Close the frame on top with the current line. */
static void
close_top(struct reader *rd)
{
	struct frame *t = top(rd);

	t->node->close.off = rd->ll.start;
	t->node->close.len = rd->ll.end - rd->ll.start;
	pop(rd);
}

/*
 * Recovery after a bad close tag: if name matches an open ordinary
 * section or conditional of this file, close everything above it as
 * unclosed and let this line close it.  Returns 1 when it did.
 */
static int
close_recover(struct reader *rd, const char *name)
{
	struct frame *fr = rd->frames.v;
	size_t i;

	for (i = rd->frames.n; i-- > 0;) {
		if (fr[i].kind != F_SOAK && hconf_ieq(fr[i].name, name)) {
			while (rd->frames.n > i + 1) {
				top(rd)->node->flags |= HCONF_NODE_UNCLOSED;
				pop(rd);
			}
			close_top(rd);
			return 1;
		}
	}
	return 0;
}

/* ---- directives httpd runs while reading ------------------------------ */

/* Ordinary sections whose handler refuses an empty argument. */
static int
needs_arg(const char *w)
{
	static const char *const s[] = {"Directory", "DirectoryMatch",
	    "Files", "FilesMatch", "Location", "LocationMatch", "VirtualHost",
	    "Proxy", "ProxyMatch", "Limit", "LimitExcept", NULL};
	size_t i;

	for (i = 0; s[i] != NULL; i++) {
		if (hconf_ieq(w, s[i])) {
			return 1;
		}
	}
	return 0;
}

/* A cheap filter for the directives httpd runs while reading. */
static int
readtime_name(const char *cmd, size_t len)
{
	switch (cmd[0] | 0x20) {
	case 'c':
		return len == 9 || len == 17;          /* CustomLog, CoreDump... */
	case 'd':
		return len == 6 || len == 12 || len == 17; /* Define, Document-
		                                        * Root, DefaultRuntimeDir */
	case 'e':
		return len == 8;                       /* ErrorLog */
	case 't':
		return len == 11;                      /* TransferLog */
	case 'i':
		return len == 7 || len == 15;          /* Include[Optional] */
	case 'l':
		return len == 10;                      /* LoadModule */
	case 'm':
		return len == 5;                       /* Mutex */
	case 's':
		return (len == 10 && (cmd[6] | 0x20) == 'r') || /* ServerRoot */
		    len == 6 || len == 15 ||           /* Suexec[UserGroup] */
		    ((cmd[1] | 0x20) == 's' && (cmd[2] | 0x20) == 'l'); /* SSL* */
	case 'r':
		return len == 10 || len == 24 || len == 25; /* RewriteMap,
		                                        * RemoteIP*ProxyList */
	case 'u':
		return len == 8;                       /* UnDefine */
	default:
		return 0;
	}
}

/* ---- mod_macro (the logic is in macro.c) ----------------------------- */

static int
macro_name(const char *cmd, size_t len)
{
	return (len == 3 && hconf_ieq(cmd, "Use")) ||
	    (len == 10 && hconf_ieq(cmd, "UndefMacro")) ||
	    (len == 20 && hconf_ieq(cmd, "MacroIgnoreEmptyArgs")) ||
	    (len == 21 && hconf_ieq(cmd, "MacroIgnoreBadNesting"));
}

static uint32_t
add_xfile(struct hconf_doc *doc, const struct macro_use *u,
    const struct hconf_node *use, uint32_t depth)
{
	struct hconf_file *f = arena_calloc(&doc->a, sizeof(*f));
	uint32_t id = (uint32_t)doc->xfiles.n | HCONF_FILE_MACRO;

	f->path = u->where;
	f->real = u->where;
	f->buf = u->buf;
	f->len = (uint32_t)u->len;
	f->incl_node = use;
	f->depth = depth;
	f->macro = u->name;
	f->body_file = u->body_file;
	f->body_off = u->body_off;
	f->body_lines = u->nlines;
	f->root = node_new(doc, HCONF_DOC, id);
	f->root->flags = HCONF_NODE_ACTIVE;
	vec_push(&doc->xfiles, &f);
	return id;
}

/*
 * Use: read the expansion as a file of its own at this line, the way an
 * Include is read (the walkers enter it through n->incl).
 */
static void
do_macro(struct reader *rd, struct hconf_node *n)
{
	struct hconf_doc *doc = rd->doc;
	struct macro_use u;
	uint32_t fid, *ids;

	if (n->word[0] == 'M' || n->word[0] == 'm') {
		macro_flag(doc, n);
		return;
	}
	if (strlen(n->word) != 3) {
		macro_undef(doc, rd->fid, n);
		return;
	}
	if (!macro_use(doc, rd->fid, n, &u)) {
		return;
	}
	if (doc->macro_depth >= MACRO_DEPTH_MAX) {
		diag_add(doc, HCONF_D_MACRO_LIMIT, rd->fid, n->name.off,
		    n->line_last, "macros used inside macros more than %u "
		    "levels deep; mpmlint stops expanding here",
		    MACRO_DEPTH_MAX);
		return;
	}
	fid = add_xfile(doc, &u, n, rd->f->depth);
	ids = arena_alloc(&doc->a, sizeof(*ids));
	ids[0] = fid;
	n->incl = ids;
	n->nincl = 1;
	doc->macro_depth++;
	rd->macro_open += parse_file(doc, fid);
	doc->macro_depth--;
}

/* A line of a <Macro> body: kept in the tree, inactive; collected raw. */
static void
macro_body_line(struct reader *rd)
{
	struct frame *t = top(rd);
	char *tt = rd->ll.text + rd->ll.lead;
	enum hconf_kind k = rd->ll.tlen == 0 ? HCONF_BLANK :
	    tt[0] == '#' ? HCONF_COMMENT : HCONF_DIRECTIVE;
	struct hconf_node *n;
	const char *p = tt;
	struct word w;

	if (t->mdef != NULL && macro_line(rd->doc, t->mdef, rd->fid, tt,
	    rd->ll.tlen, lline_src(&rd->ll, 0), rd->ll.last_line)) {
		close_top(rd);
		return;
	}
	n = leaf(rd, k, 0);
	if (k == HCONF_DIRECTIVE && lex_word(&rd->doc->a, &p, &w)) {
		n->name = text_span(rd, tt, w.start, w.end);
		n->word = w.value;
		set_args(rd, n, NULL, (char *)p, 0);
	}
	node_append(t->node, n);
}

/* ---- the line loop ------------------------------------------------- */

/* A line inside a false conditional: count nesting only. */
static void
soak_line(struct reader *rd)
{
	struct frame *t = top(rd);
	char *tt = rd->ll.text + rd->ll.lead;
	const char *p = tt;
	struct word w;
	struct hconf_node *n;

	if (rd->ll.tlen == 0) {
		node_append(t->node, leaf(rd, HCONF_BLANK, 0));
		return;
	}
	if (tt[0] == '#') {
		node_append(t->node, leaf(rd, HCONF_COMMENT, 0));
		return;
	}
	lex_word(&rd->doc->a, &p, &w);
	if (w.value[0] == '<' && w.value[1] == '/') {
		size_t len = strlen(w.value);
		char *name = arena_strdup(&rd->doc->a, w.value);

		/* httpd cuts the last character unconditionally */
		name[len - 1] = '\0';
		if (!hconf_ieq(len > 2 ? name + 2 : "", t->name)) {
			/*
			 * httpd returns the error from the <IfModule> (etc.)
			 * handler that is skipping the false section, so it
			 * names the line of the outermost false section.
			 */
			struct frame *fr = rd->frames.v;
			size_t i = 0;

			while (i + 1 < rd->frames.n && fr[i].kind != F_SOAK) {
				i++;
			}
			diag_add(rd->doc, HCONF_D_CLOSE_MISMATCH, rd->fid,
			    fr[i].node->name.off, fr[i].node->line_last,
			    "Expected </%s> but saw %s>", t->name, name);
		}
		close_top(rd);
		return;
	}
	if (w.value[0] == '<') {
		char *name = arena_strdup(&rd->doc->a, w.value);
		size_t len = strlen(name);

		if (*p == '\0' && len > 1 && name[len - 1] == '>') {
			name[len - 1] = '\0';
		}
		n = leaf(rd, HCONF_SECTION, 0);
		n->name = text_span(rd, tt, w.start, w.end);
		n->word = name + 1;
		set_args(rd, n, NULL, (char *)p, 1);
		node_append(t->node, n);
		push(rd, F_SOAK, n, name + 1);
		check_depth(rd, n);
		return;
	}
	n = leaf(rd, HCONF_DIRECTIVE, 0);
	n->name = text_span(rd, tt, w.start, w.end);
	n->word = w.value;
	set_args(rd, n, NULL, (char *)p, 0);
	node_append(t->node, n);
}

/* Nesting: a warning past DEEP_NESTING levels, an error where httpd's
 * recursion runs out of stack (see STACK_BUDGET). */
static void
check_depth(struct reader *rd, struct hconf_node *n)
{
	if (rd->frames.n > DEEP_NESTING && rd->warned_deep == 0) {
		rd->warned_deep = 1;
		diag_add(rd->doc, HCONF_D_DEEP, rd->fid, n->name.off,
		    rd->ll.last_line,
		    "sections are nested more than %s levels deep here", "128");
	}
	if (rd->warned_deep < 2 &&
	    rd->nconds * STACK_TRUE_COST + rd->nsoak > STACK_BUDGET) {
		struct hconf_diag *d;

		rd->warned_deep = 2;
		d = diag_add(rd->doc, HCONF_D_DEEP, rd->fid, n->name.off,
		    rd->ll.last_line, "conditional sections nested %zu levels "
		    "deep here (%zu true, %zu false): httpd reads each true "
		    "level and skips each false one by recursion, and runs "
		    "out of stack (it crashes with the default 8 MiB stack)",
		    rd->nconds + rd->nsoak, rd->nconds, rd->nsoak);
		d->sev = HCONF_SEV_ERROR;
	}
}

static void
open_section(struct reader *rd, struct hconf_node *n, const char *name)
{
	push(rd, F_ORD, n, name);
	check_depth(rd, n);
}

static void
close_tag(struct reader *rd, struct hconf_node *n, const char *cmd,
    const char *rest)
{
	struct frame *t = top(rd);
	size_t len = strlen(cmd);
	char small[128], *name;
	int bracket = len > 2 && cmd[len - 1] == '>';
	uint32_t off = n->name.off;

	/* the name without "</"; short ones stay on the stack */
	if (len < sizeof(small)) {
		memcpy(small, cmd + 2, len - 1);
		name = small;
	} else {
		name = arena_strdup(&rd->doc->a, cmd + 2);
	}
	if (bracket) {
		name[strlen(name) - 1] = '\0';
	}
	if ((t == NULL || t->kind != F_ORD) && rd->macro_open > 0) {
		/* closes a section a macro opened (see macro_left_open):
		 * kept verbatim, as a line that has no section here */
		rd->macro_open--;
		n->kind = HCONF_ERROR;
		node_append(cur_parent(rd), keep(rd, n));
		return;
	} else if (t == NULL || t->kind != F_ORD) {
		diag_at(rd, HCONF_D_CLOSE_NOOPEN, off,
		    "%s without matching <%s section", cmd, cmd + 2);
	} else if (!bracket) {
		diag_at(rd, HCONF_D_CLOSE_BRACKET, off,
		    "%s> directive missing closing '>'", cmd, NULL);
	} else if (!hconf_ieq(name, t->name)) {
		diag_at(rd, HCONF_D_CLOSE_MISMATCH, off,
		    "Expected </%s> but saw %s", t->name, cmd);
	} else {
		if (*rest != '\0') {
			diag_at(rd, HCONF_D_CLOSE_EXTRA, off,
			    "%s: the words after it (%s) are ignored", cmd,
			    rest);
		}
		close_top(rd);
		return;
	}
	if (!close_recover(rd, name)) {
		n->kind = HCONF_ERROR;
		node_append(cur_parent(rd), keep(rd, n));
	}
}

/*
 * An active comment: when it ends in '\' it swallows the next physical
 * lines.  Swallowing another comment or a blank line is harmless; a
 * directive that vanishes is not.
 */
static void
comment_line(struct reader *rd)
{
	struct hconf_doc *doc = rd->doc;
	uint32_t i;

	node_append(cur_parent(rd), leaf(rd, HCONF_COMMENT, 1));
	if (!rd->ll.continued) {
		return;
	}
	for (i = 1; i < rd->ll.nseg; i++) {
		uint32_t off = rd->ll.seg[i].soff, ln, col;
		const char *q = rd->f->buf + off;

		while (q < rd->f->buf + rd->ll.end &&
		    (*q == ' ' || *q == '\t')) {
			q++;
		}
		if (q >= rd->f->buf + rd->ll.end || *q == '#' ||
		    *q == '\n' || *q == '\r' || *q == '\\') {
			continue;
		}
		hconf_linecol(doc, rd->fid, off, &ln, &col);
		diag_add(doc, HCONF_D_COMMENT_CONT, rd->fid, off,
		    ln, "this line is part of the comment above, "
		    "which ends in '\\'; httpd never reads it");
		break;
	}
}

/*
 * An opening tag <cmd rest> (cmd without its '>', len its length): a
 * <Macro> body, a conditional evaluated now, or an ordinary section.
 */
static void
section_line(struct reader *rd, struct hconf_node *n, char *cmd, size_t len,
    char *rest, char *etext)
{
	struct hconf_doc *doc = rd->doc;
	const char *canon = NULL;
	int macro, closed = -1;

	n->kind = HCONF_SECTION;
	n->word = cmd + 1;
	macro = len == 6 && hconf_ieq(cmd + 1, "Macro") &&
	    cond_module_loaded(doc, "macro_module");
	if (!macro) {
		canon = len >= 7 && len <= 12 && (cmd[1] | 0x20) == 'i' &&
		    (cmd[2] | 0x20) == 'f' ? cond_canon(cmd + 1) : NULL;
	}
	if (macro || canon != NULL || etext != NULL || !rd->ll.inplace ||
	    (rest[0] == '>' && rest[1] == '\0')) {
		/* (rest ">" may be active_line's, not the line's) */
		set_args(rd, n, etext, rest, 1);
	} else {
		/* an ordinary section: rest is not read again */
		closed = strchr(rest, '>') != NULL;
		set_args(rd, n, etext, rest, 2);
	}
	n = keep(rd, n);
	node_append(cur_parent(rd), n);
	if (macro) {
		push(rd, F_MACRO, n, "Macro");
		top(rd)->mdef = macro_open(doc, rd->fid, n, rest);
		return;
	}
	if (canon != NULL) {
		int r = cond_test(rd, n, canon, rest);

		n->flags |= HCONF_NODE_COND;
		if (r == 1) {
			n->flags |= HCONF_NODE_TRUE;
			push(rd, F_COND, n, canon);
		} else {
			push(rd, F_SOAK, n, canon);
		}
		check_depth(rd, n);
		return;
	}
	if (n->nargs == 0 && needs_arg(cmd + 1)) {
		diag_at(rd, HCONF_D_SECTION_NOARG, n->name.off,
		    "<%s> directive requires additional "
		    "arguments", cmd + 1, NULL);
	}
	if (closed == -1) {
		closed = strchr(rest, '>') != NULL;
	}
	if (!closed) {
		diag_at(rd, HCONF_D_OPEN_BRACKET, n->name.off,
		    "<%s> directive missing closing '>'",
		    cmd + 1, NULL);
	}
	open_section(rd, n, cmd + 1);
}

/* A directive httpd runs while reading (readtime_name() let it by). */
static void
readtime_line(struct reader *rd, struct hconf_node *n, const char *cmd)
{
	if (hconf_ieq(cmd, "Include")) {
		inc_include(rd, n, 0);
	} else if (hconf_ieq(cmd, "IncludeOptional")) {
		inc_include(rd, n, 1);
	} else if (hconf_ieq(cmd, "Define")) {
		vars_define(rd, n, 0);
	} else if (hconf_ieq(cmd, "UnDefine")) {
		vars_define(rd, n, 1);
	} else if (hconf_ieq(cmd, "LoadModule")) {
		inc_loadmodule(rd, n);
	} else if (hconf_ieq(cmd, "ServerRoot")) {
		doc_serverroot(rd, n);
	} else {
		files_directive(rd->doc, rd->fid, n);
	}
}

/*
 * The first word of a directive or tag, into *w; n gets its name span.
 * Returns 0 when a ${VAR} expanded the line to nothing.
 */
static int
first_word(struct reader *rd, struct hconf_node *n, char *etext,
    const char **pp, struct word *w)
{
	char *tt = rd->ll.text + rd->ll.lead;

	if (etext != NULL) {
		/* the name span always comes from the raw text */
		const char *rp = tt;
		struct word rw;

		lex_word(&rd->doc->a, &rp, &rw);
		n->name = text_span(rd, tt, rw.start, rw.end);
	}
	if (etext == NULL && rd->ll.inplace) {
		/* a plain line: its words are cut in place */
		char *wp = tt;

		lex_word_inplace(&wp, w);
		*pp = wp;
	} else if (!lex_word(&rd->doc->a, pp, w)) {
		return 0;
	}
	if (etext == NULL) {
		n->name = text_span(rd, tt, w->start, w->end);
	}
	return 1;
}

/* A line read at the file level or inside a true conditional. */
static void
active_line(struct reader *rd)
{
	struct hconf_doc *doc = rd->doc;
	char *tt = rd->ll.text + rd->ll.lead, *etext, *rest;
	const char *p;
	struct frame *t = top(rd);
	struct hconf_node *n;
	struct word w;
	char *cmd, gt[2] = ">";
	size_t len;

	/* The end of a true conditional: the raw line, exactly. */
	if (t != NULL && t->kind == F_COND && tt[0] == '<' && tt[1] == '/' &&
	    strncasecmp(tt + 2, t->name, strlen(t->name)) == 0 &&
	    strcmp(tt + 2 + strlen(t->name), ">") == 0) {
		close_top(rd);
		return;
	}
	if (rd->ll.tlen == 0) {
		node_append(cur_parent(rd), leaf(rd, HCONF_BLANK, 1));
		return;
	}
	if (tt[0] == '#') {
		comment_line(rd);
		return;
	}
	etext = rd->ll.dollar ? vars_resolve(rd, tt, 1) : NULL;
	p = etext ? etext : tt;
	/* a directive's node goes straight to the arena; a tag's is
	 * built in the reader, as a close tag keeps none */
	n = tt[0] == '<' ? &rd->nb : arena_alloc(&doc->a, sizeof(*n));
	leaf_init(rd, n, HCONF_DIRECTIVE, 1);
	if (etext != NULL) {
		n->flags |= HCONF_NODE_EXPANDED;
	}
	if (!first_word(rd, n, etext, &p, &w)) {
		/* ${VAR} expanded to nothing: httpd ignores the line */
		n->word = "";
		node_append(cur_parent(rd), keep(rd, n));
		free(etext);
		return;
	}
	cmd = w.value;
	rest = (char *)p;
	len = w.len;
	if (cmd[0] == '<' && cmd[1] == '/') {
		close_tag(rd, n, cmd, rest);
		free(etext);
		return;
	}
	if (len > 0 && cmd[len - 1] == '>') {
		cmd[--len] = '\0';
	}
	if (cmd[0] == '<' && *rest == '\0') {
		rest = gt;
	}
	if (cmd[0] == '<') {
		section_line(rd, n, cmd, len, rest, etext);
		free(etext);
		return;
	}
	n->word = cmd;
	set_args(rd, n, etext, rest, 0);
	n = keep(rd, n);
	node_append(cur_parent(rd), n);
	if (macro_name(cmd, len) && cond_module_loaded(doc, "macro_module")) {
		do_macro(rd, n);
	} else if (readtime_name(cmd, len)) {
		readtime_line(rd, n, cmd);
	}
	if (etext != NULL) {
		free(etext);
	}
}

/*
 * A macro body may open sections that the lines after its Use line
 * close: httpd reads on from the expansion into the file (and warns,
 * AH02795).  mpmlint reads the expansion as a file of its own, so it says
 * what it does instead, and lets the file's close tags pass.
 */
static uint32_t
macro_left_open(struct reader *rd)
{
	struct frame *fr = rd->frames.v;
	struct hconf_node *n = fr[0].node;
	uint32_t i;

	for (i = 0; i < rd->frames.n; i++) {
		fr[i].node->flags |= HCONF_NODE_UNCLOSED;
		if (fr[i].kind == F_MACRO && fr[i].mdef != NULL) {
			macro_eof(rd->doc, fr[i].mdef, rd->fid);
		}
	}
	diag_add(rd->doc, HCONF_D_MACRO_OPEN, rd->fid, n->name.off,
	    n->line_last, "<%s> is opened in the macro and closed after the "
	    "Use line, where httpd goes on reading it; mpmlint checks the lines "
	    "after Use as if outside it", fr[0].name);
	i = (uint32_t)rd->frames.n;
	rd->frames.n = 0;
	rd->nconds = 0;
	rd->nsoak = 0;
	return i;
}

static uint32_t
end_of_file(struct reader *rd)
{
	struct frame *fr = rd->frames.v;
	size_t i, outer_soak = rd->frames.n, first_cond = rd->frames.n;
	int soak_reported = 0;

	if (rd->frames.n > 0 && rd->f->macro != NULL) {
		return macro_left_open(rd);
	}
	for (i = 0; i < rd->frames.n; i++) {
		if (fr[i].kind == F_SOAK && outer_soak == rd->frames.n) {
			outer_soak = i;
		}
		if (fr[i].kind == F_COND && first_cond == rd->frames.n) {
			first_cond = i;
		}
	}
	for (i = rd->frames.n; i-- > 0;) {
		struct hconf_node *n = fr[i].node;
		int in_cond = first_cond < i;

		n->flags |= HCONF_NODE_UNCLOSED;
		if (fr[i].kind == F_MACRO) {
			if (fr[i].mdef != NULL) {
				macro_eof(rd->doc, fr[i].mdef, rd->fid);
			}
		} else if (fr[i].kind == F_SOAK) {
			if (!soak_reported) {
				/* httpd names the false conditional's line */
				struct hconf_node *o = fr[outer_soak].node;

				soak_reported = 1;
				diag_add(rd->doc, HCONF_D_FALSE_NOT_CLOSED,
				    rd->fid, o->name.off, o->line_last,
				    "Expected </%s> before end of configuration",
				    fr[i].name);
			}
		} else if (fr[i].kind == F_COND) {
			diag_add(rd->doc, HCONF_D_TRUE_NOT_CLOSED, rd->fid,
			    n->name.off, n->line_last,
			    "<%s> is never closed; httpd closes it silently at "
			    "the end of the file", fr[i].name);
		} else {
			struct hconf_diag *d = diag_add(rd->doc,
			    HCONF_D_NOT_CLOSED, rd->fid, n->name.off,
			    n->line_last, "%s:%u: <%s> was not closed.",
			    rd->f->path, n->line_last, fr[i].name);

			if (in_cond) {
				/* httpd accepts this inside a true conditional */
				d->sev = HCONF_SEV_WARNING;
				d->msg = arena_printf(&rd->doc->a,
				    "<%s> is never closed; httpd accepts it "
				    "because it is inside a true conditional "
				    "section", fr[i].name);
			}
		}
	}
	rd->frames.n = 0;
	rd->nconds = 0;
	rd->nsoak = 0;
	return 0;
}

/*
 * The line index the lexer built on its way (hconf_file.lines), unless
 * a report made one already: the start of every line, and the file's
 * length when it ends in a newline, as file_index_lines() makes it.
 */
static void
publish_lines(struct reader *rd)
{
	struct hconf_file *f = rd->f;
	struct lexer *lx = &rd->lx;

	if (f->lines == NULL) {
		if (lx->nlines == 0) {
			lex_line_start(lx, 0);
		}
		if (f->len > 0 && f->buf[f->len - 1] == '\n') {
			lex_line_start(lx, f->len);
		}
		/* the heap array itself, cut to size: hconf_doc_free()
		 * frees it */
		f->lines = hconf_xrealloc(lx->lines,
		    lx->nlines * sizeof(*lx->lines));
		f->nlines = lx->nlines;
	} else {
		free(lx->lines);
	}
	lx->lines = NULL;
}

/* Returns the sections a macro expansion leaves open (0 for a file). */
uint32_t
parse_file(struct hconf_doc *doc, uint32_t fid)
{
	struct reader rd;
	uint32_t left;

	memset(&rd, 0, sizeof(rd));
	rd.doc = doc;
	rd.fid = fid;
	rd.f = doc_file(doc, fid);
	rd.lx.buf = rd.f->buf;
	rd.lx.len = rd.f->len;
	/* the scratch copy lines and words are cut in; the printer keeps
	 * using the pristine buffer */
	rd.lx.work = arena_alloc(&doc->a, (size_t)rd.f->len + 1 + LEX_PAD);
	memcpy(rd.lx.work, rd.f->buf, (size_t)rd.f->len);
	memset(rd.lx.work + rd.f->len, 0, 1 + LEX_PAD);
	{
		const char *z = memchr(rd.f->buf, '\0', rd.f->len);

		rd.lx.nul = z ? (uint32_t)(z - rd.f->buf) : rd.f->len;
	}
	rd.frames.size = sizeof(struct frame);
	rd.up = doc->reading;
	doc->reading = &rd;
	/* The line index is built on the first report (hconf_linecol):
	 * the lexer writes only into its scratch copy, never into f->buf. */
	if (rd.f->len >= 3 && memcmp(rd.f->buf, "\xef\xbb\xbf", 3) == 0) {
		/* httpd: AH00526 Syntax error, Invalid command */
		diag_add(doc, HCONF_D_BOM, fid, 0, 1, "Invalid command "
		    "'\\xef\\xbb\\xbf...': the file starts with a UTF-8 byte "
		    "order mark, which httpd does not strip on Unix")->httpd =
		    "AH00526";
	}
	while (lex_next(&rd.lx, &rd.ll)) {
		struct frame *t = top(&rd);

		if (rd.ll.too_long) {
			diag_add(doc, HCONF_D_LONGLINE, fid, rd.ll.start,
			    rd.ll.last_line, "Error reading %s at line %u: Line "
			    "too long", rd.f->path, rd.ll.last_line);
		}
		if (rd.ll.nul) {
			diag_add(doc, HCONF_D_NUL, fid,
			    rd.ll.start + (uint32_t)(memchr(rd.f->buf +
			    rd.ll.start, '\0', rd.ll.end - rd.ll.start) ?
			    (const char *)memchr(rd.f->buf + rd.ll.start, '\0',
			    rd.ll.end - rd.ll.start) - (rd.f->buf +
			    rd.ll.start) : 0), rd.ll.last_line,
			    "NUL byte: httpd ignores the rest of this line");
		}
		if (t != NULL && t->kind == F_MACRO) {
			macro_body_line(&rd);
		} else if (t != NULL && t->kind == F_SOAK) {
			soak_line(&rd);
		} else {
			if (rd.ll.cont_ws && rd.ll.tlen > 0 &&
			    rd.ll.text[rd.ll.lead] != '#') {
				uint32_t off = rd.ll.end - 1;

				while (off > rd.ll.start &&
				    rd.f->buf[off] != '\\') {
					off--;
				}
				diag_add(doc, HCONF_D_BACKSLASH_SPACE, fid, off,
				    rd.ll.last_line, "'\\' is followed by "
				    "whitespace, so it does not continue the "
				    "line: it is a literal argument and the next "
				    "line is a directive of its own");
			}
			active_line(&rd);
		}
	}
	left = end_of_file(&rd);
	doc->reading = rd.up;
	publish_lines(&rd);
	lline_free(&rd.ll);
	vec_free(&rd.frames);
	return left;
}
