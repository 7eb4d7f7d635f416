/*
 * conv.c - convert the MPM settings of a parsed configuration between
 * prefork, worker and event.  The capacity rules (mpmconv(1)) derive
 * the target values from the effective source values; the edits touch
 * only LoadModule lines, MPM <IfModule> guards and MPM directives, and
 * keep every other byte.  Never writes files and never exits: mpmconv.c
 * does the I/O.
 *
 * Reading order matters (the last setter of a directive wins), so the
 * configuration is walked twice in httpd's order, Include files in
 * place: pass 1 surveys the MPM guards and chooses between renaming the
 * source guards and switching to existing target guards; pass 2 lists
 * every MPM directive with whether httpd reads it after the conversion.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conv.h"
#include "emit.h"
#include "esc.h"

#define NOKEY (-1)
#define PREFORK_SL_DEFAULT 256
#define PREFORK_SL_MAX 200000
#define THREADED_SL_DEFAULT 16
#define THREADED_SL_MAX 20000
#define THREADED_TL_DEFAULT 64
#define WORKER_TL_MAX 20000
#define EVENT_TL_MAX 100000
#define TPC_DEFAULT 25

/* One MPM directive, in reading order. */
struct ent {
	struct hconf_doc *doc;
	struct hconf_node *n;
	enum rules_mpm_key k; /* as read; 2.2 names already mapped */
	int tk;               /* key in the target MPM, or NOKEY */
	int post;             /* httpd reads it after the conversion */
	int bad;              /* not understood: never edited */
	int deleted;
	const char *val; /* new value (arena), NULL: unchanged */
};

/* An <IfModule> naming prefork, worker or event. */
struct guard {
	struct hconf_node *n;
	struct hconf_doc *doc;
	enum rules_mpm m;
	int neg;
	int after_load; /* read after the MPM's LoadModule line */
	int has_keys;   /* holds MPM directives itself */
	int rename;     /* renamed to the target MPM */
	int cur, post;  /* read before / after (ancestors included) */
};

/* What the conversion wants for one key of the target MPM. */
struct want {
	int managed;
	int drop;   /* remove every setter */
	int insert; /* write it when no setter exists */
	long long v;
	char val[40]; /* text to write */
	char formula[320];
	char *action;
};

struct touched {
	struct hconf_doc *doc;
	uint32_t fid;
};

struct conv {
	const struct conv_opts *o;
	struct conv_result *r;
	struct hconf_doc *doc;
	struct rules_result res;
	enum rules_mpm from, to;
	int pass;
	int load_seen;
	size_t gnext;
	struct guard *g;
	size_t ng, capg;
	struct ent *e;
	size_t ne, cape;
	int switching; /* target guards exist: do not rename */
	int refusals;
	/* mod_php */
	const struct hconf_node *php;
	const char *php_ident;
	int php_post;
	/* Debian mods-enabled */
	int debian;
	char *deb_dead[2]; /* real paths no longer read */
	size_t splice_at;
	int have_splice;
	const char *deb_mods[2];
	/* every LoadModule of the source MPM httpd reads (AH01574 repeats) */
	struct hconf_node **loads;
	size_t nloads, caploads;
	/* plan */
	long long T, M0;
	struct want w[RULES_K__COUNT];
	char *removed[RULES_K__COUNT];
	struct touched *t;
	size_t nt, capt;
	struct {
		enum rules_mpm_key k;
		const char *val;
	} ins[RULES_K__COUNT];
	size_t nins;
};

/* ---- small helpers ------------------------------------------------------ */

static char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *s;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		n = 0;
	}
	s = hconf_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void
append(char **s, const char *sep, const char *add)
{
	char *n;

	if (*s == NULL) {
		*s = hconf_xstrdup(add);
		return;
	}
	n = xasprintf("%s%s%s", *s, sep, add);
	free(*s);
	*s = n;
}

static const char *
fpath(const struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);

	/* a macro's expansion has no file of its own: its name, then */
	return f == NULL ? "?" : f->link != NULL ? f->link :
	    f->path != NULL ? f->path : "?";
}

/* The file an edit of fid writes: every symlink resolved, inside --root. */
static const char *
fedit(const struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);

	return f ? f->real : "?";
}

/* "file:line" of a node (its first physical line). */
static char *
where(const struct hconf_doc *doc, const struct hconf_node *n)
{
	uint32_t line, col;

	hconf_linecol(doc, n->file_id, n->full.off, &line, &col);
	return xasprintf("%s:%u", fpath(doc, n->file_id), line);
}

static void
vmsg(struct conv *c, enum conv_sev sev, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, va_list ap)
{
	struct conv_result *r = c->r;
	struct conv_msg *m;

	r->msgs = hconf_xrealloc(r->msgs, (r->nmsgs + 1) * sizeof(*r->msgs));
	m = &r->msgs[r->nmsgs++];
	m->sev = sev;
	m->where = n != NULL ? where(doc, n) : NULL;
	m->text = xvasprintf(fmt, ap);
}

static void
msg(struct conv *c, enum conv_sev sev, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, sev, doc, n, fmt, ap);
	va_end(ap);
}

/* A reason to refuse: an error, or a warning under --force. */
static void
refuse(struct conv *c, const struct hconf_doc *doc, const struct hconf_node *n,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, c->o->force ? CONV_WARNING : CONV_ERROR, doc, n, fmt, ap);
	va_end(ap);
	c->refusals++;
}

static void
fail(struct conv *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, CONV_ERROR, NULL, NULL, fmt, ap);
	va_end(ap);
	c->r->status = CONV_FAILED;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t') {
			return 0;
		}
	}
	return 1;
}

/* A plain decimal integer, as the conversion writes them. */
static int
clean_int(const char *s)
{
	if (*s == '-') {
		s++;
	}
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0')) {
		return 0;
	}
	while (*s >= '0' && *s <= '9') {
		s++;
	}
	return *s == '\0';
}

static long long
ceil_div(long long a, long long b)
{
	return (a + b - 1) / b;
}

static const char *
mpm_ident(enum rules_mpm m)
{
	return m == RULES_MPM_PREFORK ? "mpm_prefork_module"
	    : m == RULES_MPM_WORKER   ? "mpm_worker_module"
	                              : "mpm_event_module";
}

/* The bytes a node prints now: its new text, or its source line. */
static const char *
node_text(const struct hconf_doc *doc, const struct hconf_node *n, size_t *len)
{
	if (n->flags & (HCONF_NODE_DIRTY | HCONF_NODE_SYNTH)) {
		*len = n->text ? n->text_len : 0;
		return n->text ? n->text : "";
	}
	*len = n->full.len;
	return hconf_doc_file(doc, n->file_id)->buf + n->full.off;
}

static void
touch(struct conv *c, struct hconf_doc *doc, uint32_t fid)
{
	size_t i;

	for (i = 0; i < c->nt; i++) {
		if (c->t[i].doc == doc && c->t[i].fid == fid) {
			return;
		}
	}
	if (c->nt == c->capt) {
		c->capt = c->capt ? c->capt * 2 : 8;
		c->t = hconf_xrealloc(c->t, c->capt * sizeof(*c->t));
	}
	c->t[c->nt].doc = doc;
	c->t[c->nt].fid = fid;
	c->nt++;
}

/*
 * Rebuild a node's line from its source bytes with some byte ranges
 * replaced (sorted, not overlapping, inside the line), and store it.
 */
struct repl {
	uint32_t off, len;
	const char *with;
};

static void
rewrite(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    const struct repl *r, size_t nr)
{
	const char *buf = hconf_doc_file(doc, n->file_id)->buf;
	uint32_t at = n->full.off, end = n->full.off + n->full.len;
	size_t i, cap = n->full.len + 1, len = 0;
	char *s;

	for (i = 0; i < nr; i++) {
		cap += strlen(r[i].with);
	}
	/* the line may hold NUL bytes (httpd ignores what follows one):
	 * they are copied as they are */
	s = hconf_xmalloc(cap);
	for (i = 0; i < nr; i++) {
		memcpy(s + len, buf + at, r[i].off - at);
		len += r[i].off - at;
		memcpy(s + len, r[i].with, strlen(r[i].with));
		len += strlen(r[i].with);
		at = r[i].off + r[i].len;
	}
	memcpy(s + len, buf + at, end - at);
	len += end - at;
	hconf_node_set_bytes(doc, n, s, len);
	free(s);
	touch(c, doc, n->file_id);
}

/* ---- the walk ----------------------------------------------------------- */

/* prefork/worker/event named by an <IfModule> argument, either form. */
static int
guard_mpm(const char *v, enum rules_mpm *m, int *neg)
{
	*neg = v[0] == '!';
	return rules_mpm_guard(v + *neg, m);
}

static int
guard_post_true(const struct conv *c, const struct guard *g, int cur)
{
	int loaded;

	if (g->rename) {
		return cur;
	}
	loaded = g->m == c->to && g->after_load;
	return g->neg ? !loaded : loaded;
}

/* Directives valid under every MPM: kept as they are in a renamed block. */
static int
core_mpm_directive(const char *w)
{
	static const char *const core[] = {"GracefulShutdownTimeout", "Listen",
	    "ListenBacklog", "SendBufferSize", "ReceiveBufferSize", "PidFile",
	    "CoreDumpDirectory", "MaxMemFree", "ThreadStackSize",
	    "ScoreBoardFile", "Mutex", "ListenCoresBucketsRatio", NULL};
	size_t i;

	for (i = 0; core[i] != NULL; i++) {
		if (strcasecmp(w, core[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Something other than an MPM directive directly inside an MPM block. */
static void
other_in_block(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    const struct guard *g)
{
	const char *name = n->word ? n->word : "?";
	const char *gname = g->n->args[0].value;

	if (c->pass != 2 || !g->has_keys) {
		return;
	}
	if (g->rename) {
		if (n->kind == HCONF_DIRECTIVE && core_mpm_directive(name)) {
			return;
		}
		refuse(c, doc, n,
		    "%s%s inside <IfModule %s> is not an MPM "
		    "directive mpmconv understands; it is kept as it is",
		    n->kind == HCONF_SECTION ? "<" : "", name, gname);
	} else if (g->cur && !g->post) {
		refuse(c, doc, n,
		    "%s%s inside <IfModule %s> stops applying "
		    "once mpm_%s is no longer loaded; move it out of the block",
		    n->kind == HCONF_SECTION ? "<" : "", name, gname,
		    rules_mpm_name(c->from));
	} else if (!g->cur && g->post) {
		refuse(c, doc, n,
		    "%s%s inside <IfModule %s> starts applying "
		    "once mpm_%s is loaded; check it or move it out of the "
		    "block",
		    n->kind == HCONF_SECTION ? "<" : "", name, gname,
		    rules_mpm_name(c->to));
	}
}

/* An MPM directive mpmconv can edit: one plain argument, sane spans. */
static int
malformed(const struct hconf_node *n)
{
	const struct hconf_arg *a;

	if (n->nargs != 1 || n->args[0].value[0] == '\0') {
		return 1;
	}
	a = &n->args[0];
	return n->name.off < n->full.off || n->name.len == 0 ||
	    n->name.off + n->name.len > a->raw.off ||
	    a->raw.off + a->raw.len > n->full.off + n->full.len;
}

static void walk_list(struct conv *, struct hconf_doc *, struct hconf_node *,
    int post, long gi, int unsure, int ctxbad);

/*
 * Debian: the old mpm_X.conf stops being read and the new mpm_Y.conf
 * starts; anything in them besides MPM directives changes its effect.
 */
static void
debian_other(struct conv *c, struct hconf_doc *doc, struct hconf_node *n)
{
	const char *name = n->word ? n->word : "?";
	const char *how;

	if (c->pass != 2 || !c->debian || n->parent == NULL ||
	    n->parent->kind != HCONF_DOC) {
		return;
	}
	if (doc == c->r->extra) {
		how = "starts applying once it is enabled";
	} else if (c->deb_dead[1] != NULL &&
	    strcmp(fpath(doc, n->file_id), c->deb_dead[1]) == 0) {
		how = "stops applying once it is disabled";
	} else {
		return;
	}
	refuse(c, doc, n, "%s%s in %s %s; move it elsewhere",
	    n->kind == HCONF_SECTION ? "<" : "", name, fpath(doc, n->file_id),
	    how);
}

static int
dead_file(const struct conv *c, const struct hconf_doc *doc, uint32_t fid)
{
	size_t i;

	if (!c->debian || doc != c->doc) {
		return 0;
	}
	for (i = 0; i < 2; i++) {
		if (c->deb_dead[i] != NULL &&
		    strcmp(fpath(doc, fid), c->deb_dead[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

static void
walk_file(struct conv *c, struct hconf_doc *doc, uint32_t fid, int post)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	int dead = dead_file(c, doc, fid);

	if (f == NULL || f->root == NULL) {
		return;
	}
	/* the target .conf of a Debian switch is read where the old one was */
	if (dead && c->deb_dead[1] != NULL &&
	    strcmp(f->link, c->deb_dead[1]) == 0 && !c->have_splice) {
		c->splice_at = c->ne;
		c->have_splice = 1;
	}
	walk_list(c, doc, f->root->first, post && !dead, -1, 0, 0);
	if (dead && strcmp(f->link, c->deb_dead[0]) == 0 &&
	    c->deb_dead[1] == NULL && !c->have_splice) {
		c->splice_at = c->ne;
		c->have_splice = 1;
	}
}

static struct guard *
guard_at(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    enum rules_mpm m, int neg)
{
	struct guard *g;

	if (c->pass == 2) {
		return &c->g[c->gnext++];
	}
	if (c->ng == c->capg) {
		c->capg = c->capg ? c->capg * 2 : 16;
		c->g = hconf_xrealloc(c->g, c->capg * sizeof(*c->g));
	}
	g = &c->g[c->ng++];
	memset(g, 0, sizeof(*g));
	g->n = n;
	g->doc = doc;
	g->m = m;
	g->neg = neg;
	g->after_load = c->load_seen;
	return g;
}

/*
 * mod_macro: with macro_module loaded a <Macro> body is text that each
 * Use line substitutes and reads again.  mpmconv does not edit macro
 * bodies: one that holds an MPM directive, an MPM LoadModule or an MPM
 * guard makes it refuse (see mpmconv(1)).  Returns 1 for such a body
 * (walked no further).
 */
static int
macro_body(struct conv *c, struct hconf_doc *doc, struct hconf_node *n)
{
	const struct hconf_node *b;
	enum rules_mpm_key k;
	enum rules_mpm m;
	int neg;

	if (!hconf_node_is(n, "Macro") || !(n->flags & HCONF_NODE_ACTIVE) ||
	    n->first == NULL || (n->first->flags & HCONF_NODE_ACTIVE)) {
		return 0;
	}
	for (b = n->first; b != NULL; b = b->next) {
		const char *w = b->word, *a = b->nargs ? b->args[0].value : "";
		int mpm = 0;

		if (b->kind != HCONF_DIRECTIVE || w == NULL) {
			continue;
		}
		if (rules_mpm_key_lookup(w, &k)) {
			mpm = 1;
		} else if (strcasecmp(w, "LoadModule") == 0) {
			mpm = strncmp(a, "mpm_", 4) == 0;
		} else if (strcasecmp(w, "<IfModule") == 0) {
			char *g = hconf_xstrdup(a), *gt = strrchr(g, '>');

			if (gt != NULL) {
				*gt = '\0';
			}
			mpm = guard_mpm(g, &m, &neg);
			free(g);
		}
		if (mpm && c->pass == 2) {
			refuse(c, doc, b, "%s inside the body of <Macro %s>: "
			    "mpmconv does not edit macro bodies; move the MPM "
			    "settings out of the macro, or convert it by hand",
			    w, n->nargs ? n->args[0].value : "");
		}
	}
	return 1;
}

static void
walk_section(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    int post, long gi, int unsure, int ctxbad)
{
	enum rules_mpm m;
	int neg;

	if (macro_body(c, doc, n)) {
		return;
	}

	if ((n->flags & HCONF_NODE_COND) && hconf_node_is(n, "IfModule") &&
	    n->nargs > 0 && guard_mpm(n->args[0].value, &m, &neg)) {
		struct guard *g = guard_at(c, doc, n, m, neg);
		int cur = (n->flags & HCONF_NODE_ACTIVE) &&
		    (n->flags & HCONF_NODE_TRUE);
		int pt = guard_post_true(c, g, cur);

		if (gi >= 0 && n->parent == c->g[gi].n) {
			other_in_block(c, doc, n, &c->g[gi]);
		}
		g->cur = cur;
		g->post = post && pt;
		walk_list(c, doc, n->first, post && pt, (long)(g - c->g),
		    unsure, ctxbad);
		return;
	}
	if (gi >= 0 && n->parent == c->g[gi].n) {
		other_in_block(c, doc, n, &c->g[gi]);
	}
	debian_other(c, doc, n);
	if (n->flags & HCONF_NODE_COND) {
		/* a conditional inside a false block was never evaluated */
		int u = unsure || (post && !(n->flags & HCONF_NODE_ACTIVE));

		walk_list(c, doc, n->first,
		    post && (u || (n->flags & HCONF_NODE_TRUE)), gi, u, ctxbad);
	} else {
		walk_list(c, doc, n->first, post, gi, unsure, 1);
	}
}

static void
add_ent(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    enum rules_mpm_key k, int post, int bad)
{
	struct ent *e;

	if (c->ne == c->cape) {
		c->cape = c->cape ? c->cape * 2 : 32;
		c->e = hconf_xrealloc(c->e, c->cape * sizeof(*c->e));
	}
	e = &c->e[c->ne++];
	memset(e, 0, sizeof(*e));
	e->doc = doc;
	e->n = n;
	e->k = k;
	e->post = post;
	e->bad = bad;
	e->tk = NOKEY;
}

/* "mpm_event_module" for m, as LoadModule names it. */
static int
is_mpm_ident(const char *v, enum rules_mpm m)
{
	const char *name = rules_mpm_name(m);
	size_t nl = strlen(name);

	return strncmp(v, "mpm_", 4) == 0 && strncmp(v + 4, name, nl) == 0 &&
	    strcmp(v + 4 + nl, "_module") == 0;
}

static void
add_load(struct conv *c, struct hconf_node *n)
{
	if (c->nloads == c->caploads) {
		c->caploads = c->caploads ? c->caploads * 2 : 4;
		c->loads = hconf_xrealloc(
		    c->loads, c->caploads * sizeof(*c->loads));
	}
	c->loads[c->nloads++] = n;
}

static void
visit_directive(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    int post, long gi, int unsure, int ctxbad)
{
	enum rules_mpm_key k;
	struct guard *g = gi >= 0 ? &c->g[gi] : NULL;
	int inblock = g != NULL && n->parent == g->n;

	if (rules_mpm_key_lookup(n->word, &k)) {
		int bad = ctxbad || unsure || malformed(n);

		if (c->pass == 1) {
			if (inblock) {
				g->has_keys = 1;
			}
			return;
		}
		add_ent(c, doc, n, k, post, bad);
		if (post && bad) {
			refuse(c, doc, n, "%s: %s; mpmconv leaves it as it is",
			    n->word,
			    ctxbad ? "an MPM directive inside a "
			             "section where httpd does not allow it"
			        : unsure
			        ? "inside a conditional httpd has not "
			          "evaluated, so "
			          "mpmconv cannot tell whether it applies"
			        : "not one plain argument");
		}
		return;
	}
	if (hconf_node_is(n, "LoadModule")) {
		if (n == c->res.mpm_node) {
			c->load_seen = 1;
		}
		if (c->pass == 2 && doc == c->doc && n->nargs > 0 &&
		    is_mpm_ident(n->args[0].value, c->from)) {
			add_load(c, n);
		}
		if (c->pass == 2 && n == c->php) {
			c->php_post = post;
		}
	} else if (hconf_node_is(n, "Include") ||
	    hconf_node_is(n, "IncludeOptional")) {
		uint32_t i;

		if (inblock) {
			other_in_block(c, doc, n, g);
		}
		if (n->flags & HCONF_NODE_ACTIVE) {
			for (i = 0; i < n->nincl; i++) {
				walk_file(c, doc, n->incl[i], post);
			}
		} else if (post && c->pass == 2) {
			refuse(c, doc, n,
			    "%s is not read now but will be after "
			    "the conversion; mpmconv cannot see what it sets",
			    n->word);
		}
		return;
	}
	if (inblock) {
		other_in_block(c, doc, n, g);
	}
	debian_other(c, doc, n);
}

static void
walk_list(struct conv *c, struct hconf_doc *doc, struct hconf_node *first,
    int post, long gi, int unsure, int ctxbad)
{
	struct hconf_node *n;

	for (n = first; n != NULL; n = n->next) {
		if (n->kind == HCONF_SECTION) {
			walk_section(c, doc, n, post, gi, unsure, ctxbad);
		} else if (n->kind == HCONF_DIRECTIVE && n->word != NULL &&
		    n->word[0] != '\0') {
			visit_directive(c, doc, n, post, gi, unsure, ctxbad);
		}
	}
}

static void
walk_all(struct conv *c)
{
	/* --mpm: the MPM's LoadModule line is read before the file */
	c->load_seen = c->o->from != RULES_MPM_NONE;
	c->gnext = 0;
	c->have_splice = 0;
	walk_file(c, c->doc, 0, 1);
	if (c->r->extra != NULL) {
		size_t before = c->ne, n, at;
		struct ent *tmp;

		c->load_seen = 1;
		walk_file(c, c->r->extra, 0, 1);
		if (c->pass == 2 && c->have_splice && c->splice_at < before) {
			/* move the target .conf's directives to where it is
			 * read */
			n = c->ne - before;
			at = c->splice_at;
			tmp = hconf_xmalloc((n ? n : 1) * sizeof(*tmp));
			memcpy(tmp, c->e + before, n * sizeof(*tmp));
			memmove(c->e + at + n, c->e + at,
			    (before - at) * sizeof(*tmp));
			memcpy(c->e + at, tmp, n * sizeof(*tmp));
			free(tmp);
		}
	}
}

/* ---- Debian's mods-enabled ----------------------------------------------- */

static char *
dir_of(const char *p)
{
	const char *s = strrchr(p, '/');

	if (s == NULL) {
		return hconf_xstrdup(".");
	}
	if (s == p) {
		return hconf_xstrdup("/");
	}
	return xasprintf("%.*s", (int)(s - p), p);
}

static char *
read_link(const char *p)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	if (n < 0) {
		return NULL;
	}
	buf[n] = '\0';
	return hconf_xstrdup(buf);
}

/*
 * Fold "." and "dir/.." in a path without making it absolute, so that
 * messages show mods-available/x, not mods-enabled/../mods-available/x.
 * Only used where no component is a symlink to a directory.
 */
static char *
norm_path(const char *p)
{
	char *s = hconf_xstrdup(p), *out = hconf_xmalloc(strlen(p) + 3);
	char *tok, *save = NULL;
	size_t len = 0, fixed = 0;

	out[0] = '\0';
	if (p[0] == '/') {
		out[len++] = '/';
		fixed = 1;
	}
	for (tok = strtok_r(s, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save)) {
		char *sl;

		if (strcmp(tok, ".") == 0) {
			continue;
		}
		if (strcmp(tok, "..") == 0 && len > fixed) {
			out[len] = '\0';
			sl = strrchr(out + fixed, '/');
			if (strcmp(sl ? sl + 1 : out + fixed, "..") != 0) {
				len = sl ? (size_t)(sl - out) : fixed;
				out[len] = '\0';
				continue;
			}
		}
		if (len > fixed) {
			out[len++] = '/';
		}
		strcpy(out + len, tok);
		len += strlen(tok);
	}
	if (len == 0) {
		out[len++] = '.';
	}
	out[len] = '\0';
	free(s);
	return out;
}

/* Where a link value points, seen from the link's directory (--root). */
static char *
link_dest(const struct conv *c, const char *dir, const char *val)
{
	char *sd, *sp, *res;

	if (c->o->root == NULL) {
		return val[0] == '/' ? hconf_xstrdup(val) :
		    xasprintf("%s/%s", dir, val);
	}
	/* inside the root, as the server would follow it */
	sd = val[0] == '/' ? NULL : hconf_path_server(c->o->root, dir);
	sp = val[0] == '/' ? hconf_xstrdup(val) :
	    xasprintf("%s/%s", sd ? sd : "", val);
	res = hconf_path_resolve(c->o->root, sp, 0);
	if (res == NULL) {
		/* a missing directory: a path inside the root that fails */
		res = xasprintf("%s%s%s", c->o->root,
		    sp[0] == '/' ? "" : "/", sp);
	}
	free(sd);
	free(sp);
	return res;
}

static void
add_link(struct conv_result *r, char *path, char *target, int create)
{
	struct conv_link *l;

	r->links = hconf_xrealloc(r->links, (r->nlinks + 1) * sizeof(*l));
	l = &r->links[r->nlinks++];
	l->path = path;
	l->target = target;
	l->create = create;
	l->label = NULL;
}

static void
add_cmd(struct conv_result *r, char *cmd)
{
	r->cmds = hconf_xrealloc(r->cmds, (r->ncmds + 1) * sizeof(char *));
	r->cmds[r->ncmds++] = cmd;
}

/*
 * The MPM is loaded by mods-enabled/mpm_X.load, a symlink: switch the
 * way a2dismod/a2enmod do, and carry the settings into the target's
 * mods-available/mpm_Y.conf.  Returns 0, or -1 after fail().
 */
static int
debian_setup(struct conv *c)
{
	const struct hconf_node *lm = c->res.mpm_node;
	const char *real, *from = rules_mpm_name(c->from);
	const char *to = rules_mpm_name(c->to);
	char *suffix, *dir = NULL, *lval = NULL, *ldir, *p, *q;
	struct stat st;
	struct hconf_options po;

	if (lm == NULL) {
		return 0;
	}
	real = fpath(c->doc, lm->file_id);
	suffix = xasprintf("/mods-enabled/mpm_%s.load", from);
	if (strlen(real) < strlen(suffix) ||
	    strcmp(real + strlen(real) - strlen(suffix), suffix) != 0 ||
	    lstat(real, &st) != 0 || !S_ISLNK(st.st_mode) ||
	    (lval = read_link(real)) == NULL) {
		free(suffix);
		return 0;
	}
	free(suffix);
	c->debian = 1;
	dir = dir_of(real);
	ldir = strchr(lval, '/') ? dir_of(lval) : NULL;
	c->deb_dead[0] = hconf_xstrdup(real);

	/* the new .load must exist in mods-available */
	p = ldir ? xasprintf("%s/mpm_%s.load", ldir, to)
	         : xasprintf("mpm_%s.load", to);
	q = link_dest(c, dir, p);
	if (stat(q, &st) != 0) {
		fail(c, "%s: cannot enable mpm_%s: %s", q, to, strerror(errno));
		free(p);
		free(q);
		goto out;
	}
	free(q);
	q = xasprintf("%s/mpm_%s.load", dir, to);
	if (lstat(q, &st) == 0) {
		fail(c, "%s already exists", q);
		free(p);
		free(q);
		goto out;
	}
	add_link(c->r, q, p, 1);
	add_link(c->r, hconf_xstrdup(real), hconf_xstrdup(lval), 0);

	/* the old .conf link goes, the new one comes */
	p = xasprintf("%s/mpm_%s.conf", dir, from);
	if (lstat(p, &st) == 0) {
		char *v = S_ISLNK(st.st_mode) ? read_link(p) : NULL;

		if (v == NULL) {
			fail(c,
			    "%s is not a symlink: a2dismod would not remove it",
			    p);
			free(p);
			goto out;
		}
		c->deb_dead[1] = hconf_xstrdup(p);
		add_link(c->r, p, v, 0);
	} else {
		free(p);
	}
	p = xasprintf("%s/mpm_%s.conf", dir, to);
	if (lstat(p, &st) == 0) {
		fail(c, "%s already exists", p);
		free(p);
		goto out;
	}
	q = ldir ? xasprintf("%s/mpm_%s.conf", ldir, to)
	         : xasprintf("mpm_%s.conf", to);
	add_link(c->r, p, q, 1);

	/* read the target .conf as httpd will: with the new MPM loaded */
	po = *c->o->popts;
	c->deb_mods[0] = mpm_ident(c->to);
	c->deb_mods[1] = NULL;
	po.modules = c->deb_mods;
	po.no_envvars = 1;
	p = link_dest(c, dir, q);
	q = norm_path(p);
	free(p);
	p = q;
	if (stat(p, &st) == 0) {
		c->r->extra = hconf_parse_file(p, &po);
		if (hconf_doc_nfiles(c->r->extra) == 0 ||
		    hconf_doc_file(c->r->extra, 0)->buf == NULL) {
			fail(c, "%s: cannot read", p);
		}
	} else {
		/* a new file; conv_out marks it created */
		c->r->extra = hconf_parse_buffer(p, "", 0, &po);
	}
	free(p);
	add_cmd(c->r, xasprintf("a2dismod mpm_%s", from));
	add_cmd(c->r, xasprintf("a2enmod mpm_%s", to));
out:
	free(ldir);
	free(lval);
	free(dir);
	return c->r->status == CONV_FAILED ? -1 : 0;
}

/* ---- the plan ------------------------------------------------------------ */

static int
target_key(enum rules_mpm to, enum rules_mpm_key k)
{
	if (rules_mpm_key_valid(to, k)) {
		return (int)k;
	}
	if (to == RULES_MPM_PREFORK) {
		return k == RULES_K_MinSpareThreads ? RULES_K_MinSpareServers
		    : k == RULES_K_MaxSpareThreads  ? RULES_K_MaxSpareServers
		                                    : NOKEY;
	}
	return k == RULES_K_MinSpareServers ? RULES_K_MinSpareThreads
	    : k == RULES_K_MaxSpareServers  ? RULES_K_MaxSpareThreads
	                                    : NOKEY;
}

/* The last setter httpd will read of target key tk, or NULL. */
static struct ent *
last_setter(struct conv *c, int tk)
{
	size_t i;

	for (i = c->ne; i-- > 0;) {
		struct ent *e = &c->e[i];

		if (e->post && !e->bad && !e->deleted && e->tk == tk) {
			return e;
		}
	}
	return NULL;
}

static const char *
ent_value(const struct ent *e)
{
	return e->val ? e->val : e->n->args[0].value;
}

static void
want(struct conv *c, enum rules_mpm_key k, long long v, int insert,
    const char *fmt, ...)
{
	struct want *w = &c->w[k];
	va_list ap;

	w->managed = 1;
	w->v = v;
	w->insert = insert;
	snprintf(w->val, sizeof(w->val), "%lld", v);
	va_start(ap, fmt);
	vsnprintf(w->formula, sizeof(w->formula), fmt, ap);
	va_end(ap);
}

static void
want_drop(struct conv *c, enum rules_mpm_key k, const char *fmt, ...)
{
	struct want *w = &c->w[k];
	va_list ap;

	w->managed = 1;
	w->drop = 1;
	va_start(ap, fmt);
	vsnprintf(w->formula, sizeof(w->formula), fmt, ap);
	va_end(ap);
}

/*
 * What event's httpd does with an AsyncRequestWorkerFactor text: 0 it
 * uses it as written, 1 it uses *used instead (a fraction, below 1, an
 * overflow; the model's sentence in why), -1 it refuses it.
 */
static int
arwf_check(const char *v, long long *used, char *why, size_t wn)
{
	struct rules_mpm_in in;
	struct rules_mpm_eff eff;
	struct rules_mpm_adj adj[4];
	size_t nadj = 0, i;
	int rc = 0;

	memset(&in, 0, sizeof(in));
	in.mpm = RULES_MPM_EVENT;
	in.buckets = 1;
	in.set[RULES_K_AsyncRequestWorkerFactor] = 1;
	in.raw[RULES_K_AsyncRequestWorkerFactor] = v;
	(void)rules_mpm_compute(&in, &eff, adj, 4, &nadj);
	*used = eff.arwf_used;
	why[0] = '\0';
	for (i = 0; i < nadj && i < 4; i++) {
		if (adj[i].key != RULES_K_AsyncRequestWorkerFactor) {
			continue;
		}
		snprintf(why, wn, "%s", adj[i].msg);
		if (why[0] != '\0' && why[strlen(why) - 1] == '.') {
			why[strlen(why) - 1] = '\0';
		}
		if (adj[i].error) {
			return -1;
		}
		rc = 1;
	}
	return rc;
}

/*
 * An AsyncRequestWorkerFactor already set for event is kept when httpd
 * uses it as written.  Otherwise mpmconv writes what httpd would use
 * (2.5 runs as 2: the gate divides by 16 in integers), or event's
 * default 2 for a value httpd refuses, and says so.
 */
static void
want_arwf(struct conv *c)
{
	struct ent *e = last_setter(c, RULES_K_AsyncRequestWorkerFactor);
	long long used;
	char why[320];
	char *w;
	int rc;

	if (e == NULL) {
		want(c, RULES_K_AsyncRequestWorkerFactor, 2, 1,
		    "event's default 2, written out so the event block says "
		    "it");
		return;
	}
	w = where(e->doc, e->n);
	rc = arwf_check(ent_value(e), &used, why, sizeof(why));
	if (rc == 0) {
		want(c, RULES_K_AsyncRequestWorkerFactor, used, 1,
		    "kept: already set for event at %s", w);
		snprintf(c->w[RULES_K_AsyncRequestWorkerFactor].val,
		    sizeof(c->w[0].val), "%s", ent_value(e));
	} else if (rc > 0) {
		want(c, RULES_K_AsyncRequestWorkerFactor, used, 1,
		    "the value httpd runs with for %s at %s", ent_value(e), w);
		msg(c, CONV_WARNING, e->doc, e->n,
		    "%s; mpmconv writes %lld", why, used);
	} else {
		want(c, RULES_K_AsyncRequestWorkerFactor, 2, 1,
		    "event's default 2: httpd refuses %s at %s", ent_value(e),
		    w);
		msg(c, CONV_WARNING, e->doc, e->n,
		    "AsyncRequestWorkerFactor %s: httpd refuses it (%s); "
		    "mpmconv writes event's default 2",
		    ent_value(e), why);
	}
	free(w);
}

/* prefork -> worker or event */
static int
plan_threaded(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	int event = c->to == RULES_MPM_EVENT;
	long long maxtl = event ? EVENT_TL_MAX : WORKER_TL_MAX;
	long long T, P, mrw, sl, tl, mins, maxs, mc, minf, maxf;
	struct ent *e;
	char tsrc[200];

	e = last_setter(c, RULES_K_ThreadsPerChild);
	if (c->o->threads > 0) {
		T = c->o->threads;
		snprintf(tsrc, sizeof(tsrc), "--threads-per-child %lld", T);
	} else if (e != NULL && clean_int(ent_value(e)) &&
	    hconf_atoi(ent_value(e)) >= 1 &&
	    hconf_atoi(ent_value(e)) <= maxtl) {
		char *w = where(e->doc, e->n);

		T = hconf_atoi(ent_value(e));
		snprintf(tsrc, sizeof(tsrc), "already set for %s at %s",
		    rules_mpm_name(c->to), w);
		free(w);
	} else {
		T = TPC_DEFAULT;
		snprintf(tsrc, sizeof(tsrc),
		    "the default (--threads-per-child changes it)");
	}
	if (T > maxtl) {
		fail(c,
		    "--threads-per-child %lld is above %s's ThreadLimit "
		    "maximum of %lld",
		    T, rules_mpm_name(c->to), maxtl);
		return -1;
	}
	c->T = T;
	c->M0 = b->capacity;
	P = ceil_div(c->M0, T);
	mrw = P * T;
	if (P > THREADED_SL_MAX) {
		fail(c,
		    "MaxRequestWorkers %lld needs %lld processes of %lld "
		    "threads, above the ServerLimit maximum of %d; use a "
		    "larger --threads-per-child",
		    c->M0, P, T, THREADED_SL_MAX);
		return -1;
	}
	want(c, RULES_K_ThreadsPerChild, T, T != TPC_DEFAULT, "T, %s", tsrc);
	want(c, RULES_K_MaxRequestWorkers, mrw, mrw != 400,
	    "ceil(M / T) x T "
	    "= ceil(%lld / %lld) x %lld: the smallest multiple of T that is "
	    "at least M, the effective prefork MaxRequestWorkers %lld",
	    c->M0, T, T, c->M0);
	if (event) {
		sl = 2 * P > THREADED_SL_MAX ? THREADED_SL_MAX : 2 * P;
		want(c, RULES_K_ServerLimit, sl, sl > THREADED_SL_DEFAULT,
		    "2 x MaxRequestWorkers / T = 2 x %lld%s: room for a whole "
		    "generation of %lld processes stopping gracefully%s",
		    P, sl < 2 * P ? " (capped at 20000)" : "", P,
		    sl > THREADED_SL_DEFAULT ? ""
		                             : " (the default 16 holds them)");
	} else {
		sl = P;
		want(c, RULES_K_ServerLimit, sl, sl > THREADED_SL_DEFAULT,
		    "MaxRequestWorkers / T = %lld / %lld%s", mrw, T,
		    sl > THREADED_SL_DEFAULT ? ""
		                             : " (the default 16 holds them)");
	}
	e = last_setter(c, RULES_K_ThreadLimit);
	if (e != NULL && clean_int(ent_value(e)) &&
	    hconf_atoi(ent_value(e)) >= T &&
	    hconf_atoi(ent_value(e)) <= maxtl) {
		tl = hconf_atoi(ent_value(e));
		want(c, RULES_K_ThreadLimit, tl, 0, "kept: %lld >= T", tl);
	} else if (e != NULL || T > THREADED_TL_DEFAULT) {
		want(c, RULES_K_ThreadLimit, T, 1,
		    "T: ThreadLimit must be at least ThreadsPerChild");
	} else {
		want(c, RULES_K_ThreadLimit, THREADED_TL_DEFAULT, 0,
		    "the default 64 is at least T = %lld", T);
	}
	want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 3,
	    "StartServers %lld: the same "
	    "number of processes, each now with T threads",
	    b->v[RULES_K_StartServers]);
	minf = b->v[RULES_K_MinSpareServers];
	maxf = b->v[RULES_K_MaxSpareServers];
	mins = minf * T;
	if (mins > INT_MAX) {
		fail(c,
		    "MinSpareServers %lld x %lld threads is beyond what "
		    "httpd can read",
		    minf, T);
		return -1;
	}
	want(c, RULES_K_MinSpareThreads, mins, mins != 75,
	    "MinSpareServers "
	    "x T = %lld x %lld: N spare processes are N x T spare threads",
	    minf, T);
	maxs = maxf * T;
	if (maxs < mins + T + 1) {
		maxs = mins + T + 1;
	}
	if (maxs > INT_MAX) {
		maxs = INT_MAX;
	}
	want(c, RULES_K_MaxSpareThreads, maxs, maxs != 250,
	    "max(MaxSpare"
	    "Servers x T, MinSpareThreads + T + 1) = max(%lld x %lld, %lld + "
	    "%lld + 1), so httpd raises nothing at start",
	    maxf, T, mins, T);
	mc = b->v[RULES_K_MaxConnectionsPerChild];
	if (mc < 0) {
		want(c, RULES_K_MaxConnectionsPerChild, 0, 0,
		    "0: prefork reads "
		    "%lld as unlimited, worker and event would respawn their "
		    "children without end",
		    mc);
	} else {
		want(c, RULES_K_MaxConnectionsPerChild, mc, mc != 0,
		    "kept: a count of connections per child, not scaled by T");
	}
	if (event) {
		want_arwf(c);
	}
	return 0;
}

/* worker or event -> prefork */
static int
plan_prefork(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long T = b->v[RULES_K_ThreadsPerChild], mins, maxs, minf, maxf;

	c->T = T;
	c->M0 = b->capacity;
	if (c->M0 > PREFORK_SL_MAX) {
		fail(c,
		    "MaxRequestWorkers %lld is above prefork's ServerLimit "
		    "maximum of %d processes",
		    c->M0, PREFORK_SL_MAX);
		return -1;
	}
	want(c, RULES_K_MaxRequestWorkers, c->M0, c->M0 != PREFORK_SL_DEFAULT,
	    "M = processes x ThreadsPerChild = %lld x %lld: one process for "
	    "every thread",
	    b->processes, T);
	if (c->M0 > PREFORK_SL_DEFAULT) {
		want(c, RULES_K_ServerLimit, c->M0, 1,
		    "MaxRequestWorkers: above the default 256");
	} else {
		want_drop(c, RULES_K_ServerLimit,
		    "MaxRequestWorkers %lld <= "
		    "256: the default ServerLimit 256 holds it",
		    c->M0);
	}
	want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 5,
	    "StartServers %lld: the same number of processes",
	    b->v[RULES_K_StartServers]);
	mins = b->v[RULES_K_MinSpareThreads];
	maxs = b->v[RULES_K_MaxSpareThreads];
	minf = ceil_div(mins, T);
	if (minf < 1) {
		minf = 1;
	}
	want(c, RULES_K_MinSpareServers, minf, minf != 5,
	    "max(1, ceil(MinSpareThreads / T)) = ceil(%lld / %lld)", mins, T);
	if (maxs == mins + T + 1) {
		maxf = minf + 1;
		want(c, RULES_K_MaxSpareServers, maxf, maxf != 10,
		    "MinSpareServers + 1: MaxSpareThreads %lld is httpd's "
		    "floor MinSpareThreads + T + 1",
		    maxs);
	} else {
		maxf = maxs / T;
		if (maxf < minf + 1) {
			maxf = minf + 1;
		}
		want(c, RULES_K_MaxSpareServers, maxf, maxf != 10,
		    "max(floor(MaxSpareThreads / T), MinSpareServers + 1) = "
		    "max(floor(%lld / %lld), %lld + 1)",
		    maxs, T, minf);
	}
	want(c, RULES_K_MaxConnectionsPerChild,
	    b->v[RULES_K_MaxConnectionsPerChild],
	    b->v[RULES_K_MaxConnectionsPerChild] != 0,
	    "kept: a count of connections per child");
	return 0;
}

/* worker <-> event: the effective values carry over */
static int
plan_carry(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long tl = b->v[RULES_K_ThreadLimit];
	long long T = b->v[RULES_K_ThreadsPerChild];

	c->T = T;
	c->M0 = b->capacity;
	if (c->to == RULES_MPM_WORKER && T > WORKER_TL_MAX) {
		fail(c,
		    "ThreadsPerChild %lld is above worker's ThreadLimit "
		    "maximum of %d",
		    T, WORKER_TL_MAX);
		return -1;
	}
	if (c->to == RULES_MPM_WORKER && tl > WORKER_TL_MAX) {
		tl = WORKER_TL_MAX;
	}
	want(c, RULES_K_ServerLimit, b->v[RULES_K_ServerLimit],
	    b->v[RULES_K_ServerLimit] != THREADED_SL_DEFAULT, "carried over");
	want(c, RULES_K_ThreadLimit, tl, tl != THREADED_TL_DEFAULT,
	    tl == b->v[RULES_K_ThreadLimit] ? "carried over"
	                                    : "worker's maximum 20000");
	want(c, RULES_K_ThreadsPerChild, T, T != TPC_DEFAULT, "carried over");
	want(c, RULES_K_MaxRequestWorkers, c->M0, c->M0 != 400,
	    "carried over: the effective %lld = %lld processes x %lld threads",
	    c->M0, b->processes, T);
	want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 3, "carried over");
	want(c, RULES_K_MinSpareThreads, b->v[RULES_K_MinSpareThreads],
	    b->v[RULES_K_MinSpareThreads] != 75, "carried over");
	want(c, RULES_K_MaxSpareThreads, b->v[RULES_K_MaxSpareThreads],
	    b->v[RULES_K_MaxSpareThreads] != 250,
	    "carried over (as httpd "
	    "runs it, at least MinSpareThreads + T + 1)");
	want(c, RULES_K_MaxConnectionsPerChild,
	    b->v[RULES_K_MaxConnectionsPerChild],
	    b->v[RULES_K_MaxConnectionsPerChild] != 0, "carried over");
	if (c->to == RULES_MPM_EVENT) {
		want_arwf(c);
	}
	return 0;
}

/* ---- edits --------------------------------------------------------------- */

/* Rename and/or revalue a directive, keeping every other byte. */
static void
edit_ent(struct conv *c, struct ent *e, const char *name, const char *val)
{
	struct hconf_node *n = e->n;
	struct repl r[2];
	size_t nr = 0;
	char *q = NULL;

	if (name != NULL) {
		r[nr].off = n->name.off;
		r[nr].len = n->name.len;
		r[nr].with = name;
		nr++;
	}
	if (val != NULL) {
		const struct hconf_arg *a = &n->args[0];

		if (a->quote) {
			q = xasprintf("%c%s%c", a->quote, val, a->quote);
		}
		r[nr].off = a->raw.off;
		r[nr].len = a->raw.len;
		r[nr].with = q ? q : val;
		nr++;
		if (n->flags & HCONF_NODE_EXPANDED) {
			msg(c, CONV_WARNING, e->doc, n,
			    "%s: the ${...} "
			    "reference is replaced by the value %s",
			    n->word, val);
		}
		e->val = hconf_strdup(e->doc, val);
	}
	rewrite(c, e->doc, n, r, nr);
	free(q);
}

static void
delete_ent(struct conv *c, struct ent *e)
{
	e->n->flags |= HCONF_NODE_DELETED;
	e->deleted = 1;
	touch(c, e->doc, e->n->file_id);
}

/* Does the directive already hold v?  Numbers compare as httpd reads them. */
static int
same_value(enum rules_mpm_key k, const char *have, const char *v)
{
	if (k == RULES_K_AsyncRequestWorkerFactor) {
		return strcmp(have, v) == 0;
	}
	return clean_int(have) && strcmp(have, v) == 0;
}

static void
note_removed(struct conv *c, struct ent *e)
{
	char *w = where(e->doc, e->n);
	char *s = xasprintf("removed at %s", w);

	append(&c->removed[e->k], ", ", s);
	free(s);
	free(w);
}

static void
apply_key(struct conv *c, enum rules_mpm_key tk)
{
	struct want *w = &c->w[tk];
	const char *canon = rules_mpm_key_name(tk);
	struct ent *last = last_setter(c, (int)tk);
	size_t i;

	for (i = 0; i < c->ne; i++) {
		struct ent *e = &c->e[i];
		char *at;

		if (!e->post || e->bad || e->tk != (int)tk) {
			continue;
		}
		at = where(e->doc, e->n);
		if (w->drop) {
			char *rm = xasprintf("removed at %s", at);

			delete_ent(c, e);
			append(&c->removed[tk], ", ", rm);
			free(rm);
		} else if (e != last) {
			/* overridden: only what httpd would refuse changes */
			if (!rules_mpm_key_valid(c->to, e->k)) {
				delete_ent(c, e);
				msg(c, CONV_NOTE, e->doc, e->n,
				    "removed %s %s: "
				    "overridden by a later %s, and mpm_%s does "
				    "not know it",
				    e->n->word, e->n->args[0].value, canon,
				    rules_mpm_name(c->to));
			} else if (strcasecmp(e->n->word, canon) != 0) {
				edit_ent(c, e, canon, NULL);
			}
		} else {
			int rn = strcasecmp(e->n->word, canon) != 0;
			int rv = !same_value(tk, e->n->args[0].value, w->val);

			if (rn || rv) {
				char *was = xasprintf("set at %s (was %s %s)",
				    at, e->n->word, e->n->args[0].value);

				edit_ent(c, e, rn ? canon : NULL,
				    rv ? w->val : NULL);
				w->action = was;
			} else {
				w->action = xasprintf("unchanged at %s", at);
			}
		}
		free(at);
	}
	if (w->drop) {
		if (c->removed[tk] == NULL) {
			w->action = hconf_xstrdup("not set");
		} else {
			w->action = hconf_xstrdup(c->removed[tk]);
			free(c->removed[tk]);
			c->removed[tk] = NULL;
		}
		return;
	}
	if (last == NULL) {
		if (w->insert) {
			c->ins[c->nins].k = tk;
			c->ins[c->nins].val = w->val;
			c->nins++;
		} else {
			w->action = hconf_xstrdup("not written: the default "
			                          "applies");
		}
	}
}

/* Where new lines go, and how they look. */
struct tmpl {
	struct hconf_doc *doc;
	struct hconf_node *parent, *after;
	char indent[64];
	char sep[32];
	int valcol; /* align values at this column, or -1 */
	const char *eol;
};

static const char *
file_eol(const struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const char *nl = f && f->len ? memchr(f->buf, '\n', f->len) : NULL;

	return nl != NULL && nl > f->buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

static void
tmpl_from(struct tmpl *t, struct hconf_doc *doc, struct hconf_node *n, int mpm)
{
	const char *buf = hconf_doc_file(doc, n->file_id)->buf;
	uint32_t ilen = n->name.off - n->full.off;
	const char *end = buf + n->full.off + n->full.len;

	t->eol = file_eol(doc, n->file_id);
	if (n->full.len > 0 && end[-1] == '\n') {
		t->eol = n->full.len > 1 && end[-2] == '\r' ? "\r\n" : "\n";
	}
	if (ilen < sizeof(t->indent) && is_blank(buf + n->full.off, ilen)) {
		memcpy(t->indent, buf + n->full.off, ilen);
		t->indent[ilen] = '\0';
	}
	if (mpm) {
		uint32_t s = n->name.off + n->name.len;
		uint32_t slen = n->args[0].raw.off - s;

		if (slen > 0 && slen < sizeof(t->sep) &&
		    is_blank(buf + s, slen)) {
			memcpy(t->sep, buf + s, slen);
			t->sep[slen] = '\0';
			if (slen > 1 && strchr(t->sep, '\t') == NULL) {
				t->valcol = (int)(n->name.len + slen);
			}
		}
	}
}

static void
find_anchor(struct conv *c, struct tmpl *t)
{
	struct ent *mrw = NULL, *any = NULL, *a = NULL;
	size_t i;

	memset(t, 0, sizeof(*t));
	strcpy(t->sep, " ");
	t->valcol = -1;
	t->eol = "\n";
	for (i = 0; i < c->ne; i++) {
		struct ent *e = &c->e[i];

		if (!e->post || e->bad) {
			continue;
		}
		any = e;
		if (e->tk == RULES_K_MaxRequestWorkers) {
			mrw = e;
		}
	}
	if (mrw == NULL) {
		mrw = any;
	}
	if (mrw != NULL) {
		/*
		 * After the last MPM directive of that block; spacing from
		 * the last one that stays.
		 */
		struct ent *look = NULL;

		for (i = 0; i < c->ne; i++) {
			struct ent *e = &c->e[i];

			if (e->post && !e->bad && e->doc == mrw->doc &&
			    e->n->parent == mrw->n->parent) {
				a = e;
				if (!e->deleted) {
					look = e;
				}
			}
		}
		t->doc = a->doc;
		t->parent = a->n->parent;
		t->after = a->n;
		look = look ? look : a;
		tmpl_from(t, look->doc, look->n, 1);
		return;
	}
	if (c->r->extra != NULL) {
		const struct hconf_file *f = hconf_doc_file(c->r->extra, 0);

		t->doc = c->r->extra;
		t->parent = f->root;
		t->after = f->root->last;
		t->eol = file_eol(t->doc, 0);
		return;
	}
	t->doc = c->doc;
	t->after = (struct hconf_node *)c->res.mpm_node;
	t->parent = t->after->parent;
	tmpl_from(t, c->doc, t->after, 0);
}

static struct hconf_node *
insert_line(struct conv *c, struct tmpl *t, const char *name, const char *val)
{
	struct hconf_node *n;
	const char *eol = t->eol;
	char sep[64], *line;
	size_t len;

	if (t->valcol > 0 && (int)strlen(name) < t->valcol) {
		int k = t->valcol - (int)strlen(name);

		if (k >= (int)sizeof(sep)) {
			k = (int)sizeof(sep) - 1;
		}
		memset(sep, ' ', (size_t)k);
		sep[k] = '\0';
	} else if (t->valcol > 0) {
		strcpy(sep, " ");
	} else {
		snprintf(sep, sizeof(sep), "%s", t->sep);
	}
	if (t->after != NULL) {
		const char *s = node_text(t->doc, t->after, &len);

		if (len == 0 || s[len - 1] != '\n') {
			/* keep "no newline at end of file" at the end */
			if (t->after->flags & HCONF_NODE_DELETED) {
				eol = "";
			} else {
				size_t el = strlen(t->eol);
				char *fixed = hconf_xmalloc(len + el + 1);

				memcpy(fixed, s, len);
				memcpy(fixed + len, t->eol, el + 1);
				hconf_node_set_bytes(
				    t->doc, t->after, fixed, len + el);
				free(fixed);
				eol = "";
			}
		}
	}
	line = xasprintf("%s%s%s%s%s", t->indent, name, sep, val, eol);
	n = hconf_node_insert_after(t->doc, t->parent, t->after, line);
	free(line);
	touch(c, t->doc, t->parent->file_id);
	t->after = n;
	return n;
}

static void
do_inserts(struct conv *c)
{
	struct tmpl t;
	char *at = NULL;
	size_t i;

	if (c->nins == 0) {
		return;
	}
	find_anchor(c, &t);
	if (t.after != NULL && !(t.after->flags & HCONF_NODE_SYNTH)) {
		at = where(t.doc, t.after);
	}
	for (i = 0; i < c->nins; i++) {
		struct want *w = &c->w[c->ins[i].k];

		insert_line(
		    c, &t, rules_mpm_key_name(c->ins[i].k), c->ins[i].val);
		w->action = at ? xasprintf("inserted after %s", at)
		               : xasprintf("inserted in %s",
		                     fpath(t.doc, t.parent->file_id));
	}
	free(at);
}

/* Replace the first (or last) occurrence of from in a span by to. */
static int
subst(const char *buf, struct hconf_span sp, const char *from, int lastocc,
    struct repl *r)
{
	size_t fl = strlen(from);
	uint32_t i, found = UINT32_MAX;

	for (i = 0; i + fl <= sp.len; i++) {
		if (memcmp(buf + sp.off + i, from, fl) == 0) {
			found = i;
			if (!lastocc) {
				break;
			}
		}
	}
	if (found == UINT32_MAX) {
		return -1;
	}
	r->off = sp.off + found;
	r->len = (uint32_t)fl;
	return 0;
}

/* Point one LoadModule line of the source MPM at the target MPM. */
static int
edit_one_load(struct conv *c, struct hconf_node *n)
{
	const char *buf, *from = rules_mpm_name(c->from);
	const char *to = rules_mpm_name(c->to);
	struct repl r[2];
	char *so = NULL;

	buf = hconf_doc_file(c->doc, n->file_id)->buf;
	if (n->nargs != 2 || subst(buf, n->args[0].raw, from, 0, &r[0]) == -1) {
		return -1;
	}
	r[0].with = to;
	if (subst(buf, n->args[1].raw, from, 1, &r[1]) == 0) {
		r[1].with = to;
	} else {
		/* an unusual file name: point at the usual one beside it */
		const char *p = buf + n->args[1].raw.off;
		uint32_t len = n->args[1].raw.len, b = len;

		while (b > 0 && p[b - 1] != '/') {
			b--;
		}
		so = xasprintf("mod_mpm_%s.so", to);
		r[1].off = n->args[1].raw.off + b;
		r[1].len = len - b;
		if (n->args[1].quote && r[1].len > 0) {
			r[1].len--;
		}
		r[1].with = so;
		msg(c, CONV_WARNING, c->doc, n,
		    "LoadModule: %s does not name "
		    "%s; using %s in the same directory",
		    n->args[1].value, from, so);
	}
	rewrite(c, c->doc, n, r, 2);
	free(so);
	return 0;
}

/*
 * Every LoadModule line of the source MPM: the first loads it, httpd
 * skips the others (AH01574).  All of them change, those in a false
 * conditional too, or a repeat would load the source MPM beside the
 * target (AH00534).  In the Debian layout the .load symlinks switch and
 * a repeat elsewhere goes.
 */
static void
edit_loadmodule(struct conv *c)
{
	struct hconf_node *first = (struct hconf_node *)c->res.mpm_node;
	size_t i;

	if (first == NULL) {
		return;
	}
	if (!c->debian && edit_one_load(c, first) == -1) {
		fail(c, "cannot read the LoadModule line of mpm_%s",
		    rules_mpm_name(c->from));
		return;
	}
	for (i = 0; i < c->nloads; i++) {
		struct hconf_node *n = c->loads[i];

		if (n == first || dead_file(c, c->doc, n->file_id)) {
			continue;
		}
		if (c->debian) {
			n->flags |= HCONF_NODE_DELETED;
			touch(c, c->doc, n->file_id);
			msg(c, CONV_NOTE, c->doc, n,
			    "removed a repeated LoadModule %s (httpd skipped "
			    "it, AH01574): mods-enabled now loads mpm_%s",
			    n->args[0].value, rules_mpm_name(c->to));
			continue;
		}
		if (edit_one_load(c, n) == -1) {
			refuse(c, c->doc, n,
			    "LoadModule %s: cannot read this line to point it "
			    "at mpm_%s; fix or remove it",
			    n->args[0].value, rules_mpm_name(c->to));
			continue;
		}
		msg(c, CONV_NOTE, c->doc, n,
		    "another LoadModule %s changed too (%s)",
		    n->args[0].value,
		    (n->flags & HCONF_NODE_ACTIVE)
		        ? "httpd skips a repeat, AH01574"
		        : "in a conditional httpd does not read now");
	}
}

static void
rename_guards(struct conv *c)
{
	const char *from = rules_mpm_name(c->from);
	size_t i;

	for (i = 0; i < c->ng; i++) {
		struct guard *g = &c->g[i];
		const char *buf;
		struct repl r;

		if (!g->rename) {
			continue;
		}
		buf = hconf_doc_file(g->doc, g->n->file_id)->buf;
		if (subst(buf, g->n->args[0].raw, from, 0, &r) == 0) {
			r.with = rules_mpm_name(c->to);
			rewrite(c, g->doc, g->n, &r, 1);
		}
	}
}

/* event has no accept mutex: "Mutex x mpm-accept" would stop httpd. */
static void
fix_mutexes(struct conv *c, struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const struct hconf_node *cn;

	if (f == NULL || dead_file(c, doc, fid)) {
		return;
	}
	for (cn = f->root->first; cn != NULL; cn = hconf_node_walk(cn)) {
		struct hconf_node *n = (struct hconf_node *)cn;
		uint32_t i, keep = 0, drop = UINT32_MAX;

		if (n->kind == HCONF_DIRECTIVE && n->nincl > 0 &&
		    (n->flags & HCONF_NODE_ACTIVE)) {
			for (i = 0; i < n->nincl; i++) {
				fix_mutexes(c, doc, n->incl[i]);
			}
		}
		if (n->kind != HCONF_DIRECTIVE || !hconf_node_is(n, "Mutex") ||
		    !(n->flags & HCONF_NODE_ACTIVE) || n->nargs < 2) {
			continue;
		}
		for (i = 1; i < n->nargs; i++) {
			if (strcmp(n->args[i].value, "mpm-accept") == 0) {
				drop = i;
			} else if (strcasecmp(n->args[i].value, "OmitPID") !=
			    0) {
				keep++;
			}
		}
		if (drop == UINT32_MAX) {
			continue;
		}
		if (keep == 0) {
			n->flags |= HCONF_NODE_DELETED;
			touch(c, doc, n->file_id);
			msg(c, CONV_NOTE, doc, n,
			    "removed Mutex ... mpm-accept: "
			    "event has no accept mutex");
		} else {
			struct repl r;
			uint32_t s = n->args[drop - 1].raw.off +
			    n->args[drop - 1].raw.len;

			r.off = s;
			r.len =
			    n->args[drop].raw.off + n->args[drop].raw.len - s;
			r.with = "";
			rewrite(c, doc, n, &r, 1);
			msg(c, CONV_NOTE, doc, n,
			    "removed mpm-accept from Mutex: "
			    "event has no accept mutex");
		}
	}
}

/* ---- checks ---------------------------------------------------------------
 */

static void
check_php(struct conv *c)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(c->doc, &n);

	for (i = 0; i < n; i++) {
		if (m[i].node != NULL && m[i].ident != NULL &&
		    (strncmp(m[i].ident, "php", 3) == 0 ||
		        (m[i].path != NULL &&
		            (strstr(m[i].path, "libphp") != NULL ||
		                strstr(m[i].path, "mod_php") != NULL)))) {
			c->php = m[i].node;
			c->php_ident = m[i].ident;
		}
	}
}

static void
report_php(struct conv *c)
{
	const struct hconf_file *f;
	const char *base, *dot;
	char *hint;

	if (c->php == NULL || !c->php_post || c->to == RULES_MPM_PREFORK) {
		if (c->php != NULL && !c->php_post) {
			msg(c, CONV_WARNING, c->doc, c->php,
			    "%s is no longer "
			    "loaded after the conversion (its LoadModule line "
			    "depends on the MPM)",
			    c->php_ident);
		}
		return;
	}
	f = hconf_doc_file(c->doc, c->php->file_id);
	base = strrchr(f->link, '/');
	base = base ? base + 1 : f->link;
	dot = strstr(base, ".load");
	if (strstr(f->link, "/mods-enabled/") != NULL && dot != NULL) {
		hint = xasprintf(" (Debian: a2dismod %.*s; a2enmod proxy_fcgi "
		                 "setenvif; a2enconf %.*s-fpm)",
		    (int)(dot - base), base, (int)(dot - base), base);
	} else {
		hint = hconf_xstrdup("");
	}
	refuse(c, c->doc, c->php,
	    "mod_php (%s) is loaded and is not "
	    "thread-safe: httpd refuses to start it under the threaded %s MPM "
	    "(AH00013 Pre-configuration failed); move PHP to php-fpm through "
	    "mod_proxy_fcgi first%s, or convert with --force",
	    c->php_ident, rules_mpm_name(c->to), hint);
	free(hint);
}

/*
 * The setter of k when its value is the input's own: mpmconv neither
 * derived nor wrote it (ListenCoresBucketsRatio, say).  NULL otherwise.
 */
static struct ent *
carried_setter(struct conv *c, enum rules_mpm_key k)
{
	struct ent *e;
	size_t i;

	if (c->w[k].managed) {
		return NULL;
	}
	for (i = 0; i < c->nins; i++) {
		if (c->ins[i].k == k) {
			return NULL;
		}
	}
	e = last_setter(c, (int)k);
	return e != NULL && e->val == NULL ? e : NULL;
}

/* The settings httpd will read after the edits, through the model. */
static int
verify(struct conv *c)
{
	struct rules_mpm_in in;
	struct rules_mpm_adj adj[32];
	size_t nadj = 0, i;
	long long cap;
	int k, ok = 1, refused = 0;

	memset(&in, 0, sizeof(in));
	in.mpm = c->to;
	in.buckets = 1;
	for (k = 0; k < RULES_K__COUNT; k++) {
		struct ent *e;

		if (!rules_mpm_key_valid(c->to, (enum rules_mpm_key)k)) {
			continue;
		}
		e = last_setter(c, k);
		if (e != NULL) {
			in.set[k] = 1;
			in.raw[k] = ent_value(e);
		}
	}
	for (i = 0; i < c->nins; i++) {
		in.set[c->ins[i].k] = 1;
		in.raw[c->ins[i].k] = c->ins[i].val;
	}
	(void)rules_mpm_compute(&in, &c->r->after, adj, 32, &nadj);
	c->r->have_eff = 1;
	for (i = 0; i < nadj && i < 32; i++) {
		struct ent *e = carried_setter(c, adj[i].key);

		if (e != NULL && adj[i].error) {
			/* the input's own value, refused under any MPM */
			msg(c, c->o->force ? CONV_WARNING : CONV_ERROR, e->doc,
			    e->n,
			    "%s %s: httpd refuses it (%s), before and after "
			    "the conversion; fix it first%s",
			    e->n->word, ent_value(e), adj[i].msg,
			    c->o->force ? "" : " (--force converts anyway)");
			if (!c->o->force) {
				refused = 1;
			}
			continue;
		}
		if (e != NULL) {
			msg(c, CONV_WARNING, e->doc, e->n,
			    "%s %s is kept as it is, and httpd adjusts it: "
			    "%s%s%s",
			    e->n->word, ent_value(e),
			    adj[i].ahid ? adj[i].ahid : "",
			    adj[i].ahid ? ": " : "", adj[i].msg);
			continue;
		}
		if (adj[i].runtime && adj[i].key == RULES_K_StartServers &&
		    adj[i].from > adj[i].to) {
			msg(c, CONV_NOTE, NULL, NULL,
			    "StartServers %lld is above "
			    "the %lld processes MaxRequestWorkers allows: "
			    "httpd starts %lld (prefork, too, started at most "
			    "MaxRequestWorkers)",
			    adj[i].from, adj[i].to, adj[i].to);
			continue;
		}
		msg(c, CONV_ERROR, NULL, NULL,
		    "internal error: httpd would adjust the result: %s%s%s",
		    adj[i].ahid ? adj[i].ahid : "", adj[i].ahid ? ": " : "",
		    adj[i].msg);
		ok = 0;
	}
	cap = c->r->after.capacity;
	if (c->from == RULES_MPM_PREFORK ? cap < c->M0 || cap >= c->M0 + c->T
	                                 : cap != c->M0) {
		msg(c, CONV_ERROR, NULL, NULL,
		    "internal error: capacity %lld "
		    "does not match the original %lld",
		    cap, c->M0);
		ok = 0;
	}
	if (c->to != RULES_MPM_PREFORK &&
	    c->r->after.v[RULES_K_MinSpareThreads] >= cap) {
		msg(c, CONV_WARNING, NULL, NULL,
		    "MinSpareThreads %lld is not "
		    "below MaxRequestWorkers %lld: at idle httpd keeps every "
		    "process running (lower MinSpareServers before converting "
		    "to keep fewer)",
		    c->r->after.v[RULES_K_MinSpareThreads], cap);
	}
	if (refused && ok) {
		c->r->status = CONV_REFUSED;
		return -1;
	}
	if (!ok) {
		c->r->status = CONV_FAILED;
	}
	return ok ? 0 : -1;
}

/* ---- the ledger -----------------------------------------------------------
 */

static void
ledger(struct conv *c, enum rules_mpm_key k, int has, long long v,
    const char *formula, const char *action)
{
	struct conv_result *r = c->r;
	struct conv_ledger *l;

	r->led = hconf_xrealloc(r->led, (r->nled + 1) * sizeof(*l));
	l = &r->led[r->nled++];
	l->key = rules_mpm_key_name(k);
	l->has_value = has;
	l->value = v;
	l->formula = hconf_xstrdup(formula);
	l->action = hconf_xstrdup(action ? action : "");
}

static void
build_ledger(struct conv *c)
{
	static const enum rules_mpm_key order[] = {
	    RULES_K_StartServers,
	    RULES_K_ServerLimit,
	    RULES_K_ThreadLimit,
	    RULES_K_ThreadsPerChild,
	    RULES_K_MaxRequestWorkers,
	    RULES_K_MinSpareServers,
	    RULES_K_MaxSpareServers,
	    RULES_K_MinSpareThreads,
	    RULES_K_MaxSpareThreads,
	    RULES_K_MaxConnectionsPerChild,
	    RULES_K_AsyncRequestWorkerFactor,
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum rules_mpm_key k = order[i];
		struct want *w = &c->w[k];

		if (w->managed) {
			long long v = w->v;

			if (!w->drop && w->action != NULL &&
			    strncmp(w->action, "not written", 11) == 0) {
				v = c->r->after.v[k];
			}
			ledger(c, k, !w->drop, v, w->formula, w->action);
		} else if (c->removed[k] != NULL) {
			ledger(c, k, 0, 0,
			    rules_mpm_key_valid(c->to, k) ? ""
			        : c->to == RULES_MPM_PREFORK
			        ? "not a prefork directive"
			        : "not a directive of this MPM",
			    c->removed[k]);
		}
	}
}

/* ---- paths ----------------------------------------------------------------
 */

/* Absolute and lexically normalised ("." and ".." folded); caller frees. */
static char *
abs_norm(const char *p)
{
	char cwd[PATH_MAX], *s, *out, *tok, *save = NULL;
	size_t len = 0;

	if (p[0] == '/') {
		s = hconf_xstrdup(p);
	} else if (getcwd(cwd, sizeof(cwd)) != NULL) {
		s = xasprintf("%s/%s", cwd, p);
	} else {
		s = xasprintf("/%s", p);
	}
	out = hconf_xmalloc(strlen(s) + 2);
	out[0] = '\0';
	for (tok = strtok_r(s, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0) {
			continue;
		}
		if (strcmp(tok, "..") == 0) {
			char *sl = strrchr(out, '/');

			if (sl != NULL) {
				*sl = '\0';
				len = (size_t)(sl - out);
			}
			continue;
		}
		out[len++] = '/';
		strcpy(out + len, tok);
		len += strlen(tok);
	}
	if (len == 0) {
		strcpy(out, "/");
	}
	free(s);
	return out;
}

static const char *
under(const char *a, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0) {
		return a + 1;
	}
	if (strncmp(a, dir, n) == 0 && a[n] == '/') {
		return a + n + 1;
	}
	return NULL;
}

/*
 * The path a diff shows: relative to the current directory when the file
 * is under it, else relative to --root, else absolute without its "/".
 */
static char *
label_for(const char *path, const char *root)
{
	char *a, *d;
	const char *rel;
	char *res;

	if (strcmp(path, "-") == 0) {
		return hconf_xstrdup("-");
	}
	a = abs_norm(path);
	d = abs_norm(".");
	rel = under(a, d);
	if (rel == NULL && root != NULL) {
		free(d);
		d = abs_norm(root);
		rel = under(a, d);
	}
	res = hconf_xstrdup(rel ? rel : a + 1);
	free(a);
	free(d);
	return res;
}

/* Where to write: a symlinked file is written where it points. */
static char *
write_path(const char *real)
{
	struct stat st;
	char *rp;

	if (strcmp(real, "-") != 0 && lstat(real, &st) == 0 &&
	    S_ISLNK(st.st_mode) && (rp = realpath(real, NULL)) != NULL) {
		return rp;
	}
	return hconf_xstrdup(real);
}

static void
collect_outputs(struct conv *c)
{
	struct conv_result *r = c->r;
	size_t i, j, pass;

	/* the main file first, then in file order, then the Debian .conf */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nt; i++) {
			struct touched *t = NULL;
			struct conv_out *o;
			size_t best = SIZE_MAX;

			for (j = 0; j < c->nt; j++) {
				int used = 0;
				size_t k, rank;

				if ((c->t[j].doc == c->doc) != (pass == 0)) {
					continue;
				}
				for (k = 0; k < r->nout; k++) {
					if (r->out[k].doc == c->t[j].doc &&
					    r->out[k].file_id == c->t[j].fid) {
						used = 1;
					}
				}
				rank = c->t[j].fid;
				if (!used && rank < best) {
					best = rank;
					t = &c->t[j];
				}
			}
			if (t == NULL) {
				break;
			}
			r->out =
			    hconf_xrealloc(r->out, (r->nout + 1) * sizeof(*o));
			o = &r->out[r->nout++];
			o->doc = t->doc;
			o->file_id = t->fid;
			o->path = write_path(fedit(t->doc, t->fid));
			o->label = label_for(o->path, c->o->root);
			o->created =
			    t->doc == r->extra && access(o->path, F_OK) != 0;
		}
	}
	for (i = 0; i < r->nlinks; i++) {
		r->links[i].label = label_for(r->links[i].path, c->o->root);
	}
	/* a file read twice would be written twice, each with half the edits */
	for (i = 0; i < r->nout; i++) {
		for (j = i + 1; j < r->nout; j++) {
			if (strcmp(r->out[i].path, r->out[j].path) == 0) {
				fail(c,
				    "%s is read more than once and would "
				    "change "
				    "in each copy; mpmconv cannot edit it",
				    r->out[i].path);
				return;
			}
		}
	}
}

/* ---- conv_run ------------------------------------------------------------ */

/* A new target .conf that nothing was written to needs no link. */
static void
drop_unused_conf_link(struct conv *c)
{
	struct conv_result *r = c->r;
	size_t i, j;

	if (r->extra == NULL || access(fpath(r->extra, 0), F_OK) == 0) {
		return;
	}
	for (i = 0; i < r->nout; i++) {
		if (r->out[i].doc == r->extra) {
			return;
		}
	}
	for (i = j = 0; i < r->nlinks; i++) {
		struct conv_link *l = &r->links[i];
		size_t n = strlen(l->path);

		if (l->create && n > 5 &&
		    strcmp(l->path + n - 5, ".conf") == 0) {
			free(l->path);
			free(l->label);
			free(l->target);
			continue;
		}
		r->links[j++] = *l;
	}
	r->nlinks = j;
}

static int
count_mpms(const struct hconf_doc *doc)
{
	size_t n, i;
	int count = 0;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	for (i = 0; i < n; i++) {
		const char *id = m[i].ident;

		if (id != NULL && strcmp(id, "mpm_prefork_module") == 0) {
			count++;
		} else if (id != NULL &&
		    (strcmp(id, "mpm_worker_module") == 0 ||
		        strcmp(id, "mpm_event_module") == 0)) {
			count++;
		}
	}
	return count;
}

static void
choose_strategy(struct conv *c)
{
	size_t i;

	if (c->debian) {
		c->switching = 1;
		return;
	}
	for (i = 0; i < c->ng; i++) {
		const struct guard *g = &c->g[i];

		if (g->m == c->to && !g->neg && g->after_load && g->has_keys) {
			c->switching = 1;
		}
	}
	if (c->switching) {
		return;
	}
	for (i = 0; i < c->ng; i++) {
		struct guard *g = &c->g[i];

		if (g->m == c->from && !g->neg && g->has_keys &&
		    (g->n->flags & HCONF_NODE_ACTIVE) &&
		    (g->n->flags & HCONF_NODE_TRUE)) {
			g->rename = 1;
		}
	}
}

enum conv_status
conv_run(
    struct hconf_doc *doc, const struct conv_opts *o, struct conv_result *r)
{
	struct conv c;
	size_t i;
	int k, rc;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.r = r;
	c.doc = doc;
	c.to = r->to = o->to;
	r->status = CONV_OK;
	{
		struct rules_config lcfg;

		memset(&lcfg, 0, sizeof(lcfg));
		lcfg.force_mpm = o->from;
		rules_lint(doc, &lcfg, &c.res);
	}
	if (count_mpms(doc) > 1) {
		fail(&c,
		    "more than one MPM is loaded; httpd refuses this "
		    "configuration (AH00534)");
		goto out;
	}
	if (!c.res.have_eff || c.res.eff.mpm == RULES_MPM_NONE) {
		fail(&c,
		    "no MPM is loaded (no LoadModule of mpm_prefork_"
		    "module, mpm_worker_module or mpm_event_module is read): "
		    "nothing to convert");
		goto out;
	}
	c.from = r->from = c.res.eff.mpm;
	if (o->from != RULES_MPM_NONE && c.res.mpm_node == NULL &&
	    c.from != c.to) {
		/* a fragment: its MPM is loaded elsewhere, and stays so
		 * until that line changes too */
		msg(&c, CONV_NOTE, NULL, NULL,
		    "--mpm %s: the LoadModule line of mpm_%s_module is not in "
		    "this file, and mpmconv adds none; change it where it is "
		    "to LoadModule mpm_%s_module (the settings here are "
		    "converted for mpm_%s)",
		    rules_mpm_name(c.from), rules_mpm_name(c.from),
		    rules_mpm_name(c.to), rules_mpm_name(c.to));
	}
	r->before = c.res.eff;
	r->after = c.res.eff;
	r->have_eff = 1;
	if (c.from == c.to) {
		msg(&c, CONV_NOTE, NULL, NULL,
		    "the configuration already uses mpm_%s: nothing to convert",
		    rules_mpm_name(c.to));
		r->status = CONV_NOOP;
		goto out;
	}
	if (o->threads > 0 && c.from != RULES_MPM_PREFORK) {
		msg(&c, CONV_WARNING, NULL, NULL,
		    "--threads-per-child is "
		    "ignored: converting from %s keeps its ThreadsPerChild",
		    rules_mpm_name(c.from));
	}
	check_php(&c);
	if (debian_setup(&c) == -1) {
		goto out;
	}

	/* pass 1: the guards; pass 2: every MPM directive */
	c.pass = 1;
	walk_all(&c);
	choose_strategy(&c);
	c.pass = 2;
	walk_all(&c);
	report_php(&c);
	if (c.refusals > 0 && !o->force) {
		r->status = CONV_REFUSED;
		goto out;
	}
	r->forced = (size_t)c.refusals;
	for (i = 0; i < c.ne; i++) {
		c.e[i].tk = target_key(c.to, c.e[i].k);
	}
	rc = c.to == RULES_MPM_PREFORK    ? plan_prefork(&c)
	    : c.from == RULES_MPM_PREFORK ? plan_threaded(&c)
	                                  : plan_carry(&c);
	if (rc == -1) {
		goto out;
	}
	r->threads = c.to == RULES_MPM_PREFORK ? 0 : c.T;

	/* what no longer exists in the target goes */
	for (i = 0; i < c.ne; i++) {
		struct ent *e = &c.e[i];

		if (e->post && !e->bad && e->tk == NOKEY) {
			note_removed(&c, e);
			delete_ent(&c, e);
		}
	}
	for (k = 0; k < RULES_K__COUNT; k++) {
		if (c.w[k].managed) {
			apply_key(&c, (enum rules_mpm_key)k);
		}
	}
	/* whole-line rewrites first: an insertion may add a final newline */
	edit_loadmodule(&c);
	rename_guards(&c);
	do_inserts(&c);
	if (c.to == RULES_MPM_EVENT) {
		fix_mutexes(&c, doc, 0);
		if (r->extra != NULL) {
			fix_mutexes(&c, r->extra, 0);
		}
	}
	if (r->status == CONV_FAILED || verify(&c) == -1) {
		goto out;
	}
	build_ledger(&c);
	collect_outputs(&c);
	drop_unused_conf_link(&c);
out:
	for (k = 0; k < RULES_K__COUNT; k++) {
		free(c.w[k].action);
		free(c.removed[k]);
	}
	free(c.deb_dead[0]);
	free(c.deb_dead[1]);
	free(c.g);
	free(c.e);
	free(c.t);
	free(c.loads);
	rules_result_free(&c.res);
	return r->status;
}

void
conv_result_free(struct conv_result *r)
{
	size_t i;

	for (i = 0; i < r->nmsgs; i++) {
		free(r->msgs[i].where);
		free(r->msgs[i].text);
	}
	for (i = 0; i < r->nled; i++) {
		free(r->led[i].formula);
		free(r->led[i].action);
	}
	for (i = 0; i < r->nout; i++) {
		free(r->out[i].path);
		free(r->out[i].label);
	}
	for (i = 0; i < r->nlinks; i++) {
		free(r->links[i].path);
		free(r->links[i].label);
		free(r->links[i].target);
	}
	for (i = 0; i < r->ncmds; i++) {
		free(r->cmds[i]);
	}
	free(r->msgs);
	free(r->led);
	free(r->out);
	free(r->links);
	free(r->cmds);
	if (r->extra != NULL) {
		hconf_doc_free(r->extra);
	}
	memset(r, 0, sizeof(*r));
}

int
conv_single_file(const struct conv_result *r)
{
	if (r->nlinks > 0 || r->nout > 1) {
		return 0;
	}
	return r->nout == 0 ||
	    (r->out[0].doc != r->extra && r->out[0].file_id == 0);
}

char *
conv_render(const struct conv_out *o, size_t *len)
{
	return hconf_print_buffer(o->doc, o->file_id, len);
}

/* ---- printing -------------------------------------------------------------
 */

static const char *
sev_name(enum conv_sev s)
{
	return s == CONV_ERROR  ? "error"
	    : s == CONV_WARNING ? "warning"
	                        : "note";
}

void
conv_print_msgs(FILE *fp, const struct conv_result *r)
{
	size_t i;

	for (i = 0; i < r->nmsgs; i++) {
		const struct conv_msg *m = &r->msgs[i];

		esc_printf(fp, "%s: %s: %s\n", m->where ? m->where : "mpmconv",
		    sev_name(m->sev), m->text);
	}
}

static void
print_eff(FILE *fp, const char *label, const struct rules_mpm_eff *e)
{
	struct emit_kv kv[16];
	size_t n = emit_eff_pairs(e, kv), i;

	fprintf(fp, "  %-7s %s:", label, rules_mpm_name(e->mpm));
	for (i = 0; i < n; i++) {
		fprintf(fp, " %s %lld", kv[i].k, kv[i].v);
	}
	fputc('\n', fp);
}

void
conv_print_ledger(FILE *fp, const struct conv_result *r)
{
	size_t i;

	if (!r->have_eff) {
		return;
	}
	fprintf(fp, "mpmconv: %s -> %s", rules_mpm_name(r->from),
	    rules_mpm_name(r->to));
	if (r->threads > 0) {
		fprintf(fp, ", T = ThreadsPerChild = %lld", r->threads);
	}
	fputc('\n', fp);
	print_eff(fp, "before", &r->before);
	if (r->status == CONV_OK || r->status == CONV_NOOP) {
		print_eff(fp, "after", &r->after);
	}
	for (i = 0; i < r->nled; i++) {
		const struct conv_ledger *l = &r->led[i];
		char v[32];

		if (l->has_value) {
			snprintf(v, sizeof(v), "%lld", l->value);
		} else {
			strcpy(v, "-");
		}
		esc_printf(fp, "  %-24s %8s  = %s  [%s]\n", l->key, v, l->formula,
		    l->action);
	}
	for (i = 0; i < r->ncmds; i++) {
		esc_printf(fp, "  run: %s\n", r->cmds[i]);
	}
}

/* A tiny writer for the report: JSON by hand, YAML through libyaml. */
struct rw {
	FILE *fp;
	int yaml;
	struct emit_yaml y; /* YAML */
	int depth;          /* JSON, from here on */
	int first[16];
	int after_key;
};

static void
j_sep(struct rw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		fprintf(w->fp, "%s\n%*s", w->first[w->depth] ? "" : ",",
		    2 * w->depth, "");
		w->first[w->depth] = 0;
	}
}

static void
j_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			fprintf(fp, "\\%c", ch);
		} else if (ch == '\n') {
			fputs("\\n", fp);
		} else if (ch == '\t') {
			fputs("\\t", fp);
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* bytes as Latin-1 code points, as mpmlint's JSON:
			 * valid whatever the input holds */
			fprintf(fp, "\\u%04x", ch);
		} else {
			fputc(ch, fp);
		}
	}
	fputc('"', fp);
}

static void
rw_open(struct rw *w, int map)
{
	if (w->yaml) {
		emit_yaml_nest(&w->y, map, 1);
		return;
	}
	j_sep(w);
	fputc(map ? '{' : '[', w->fp);
	if (w->depth < 15) {
		w->depth++;
	}
	w->first[w->depth] = 1;
}

static void
rw_close(struct rw *w, int map)
{
	if (w->yaml) {
		emit_yaml_nest(&w->y, map, 0);
		return;
	}
	w->depth--;
	if (!w->first[w->depth + 1]) {
		fprintf(w->fp, "\n%*s", 2 * w->depth, "");
	}
	fputc(map ? '}' : ']', w->fp);
}

/* A string YAML would read back as something else when left plain. */
static int
yaml_special(const char *s)
{
	static const char *const words[] = {"null", "Null", "NULL", "~", "true",
	    "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
	    "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "", NULL};
	char *end;
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(s, words[i]) == 0) {
			return 1;
		}
	}
	(void)strtod(s, &end);
	return end != s && *end == '\0';
}

static void
rw_scalar(struct rw *w, const char *s, int plain)
{
	if (w->yaml && plain) {
		emit_yaml_plain(&w->y, s);
		return;
	}
	if (w->yaml) {
		emit_yaml_scalar(&w->y, NULL, s, 1, 1,
		    yaml_special(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
		                    : YAML_ANY_SCALAR_STYLE);
		return;
	}
	j_sep(w);
	if (plain) {
		fputs(s, w->fp);
	} else {
		j_str(w->fp, s);
	}
}

static void
rw_key(struct rw *w, const char *k)
{
	rw_scalar(w, k, 0);
	if (!w->yaml) {
		fputs(": ", w->fp);
		w->after_key = 1;
	}
}

static void
rw_num(struct rw *w, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	rw_scalar(w, b, 1);
}

static void
rw_kstr(struct rw *w, const char *k, const char *v)
{
	rw_key(w, k);
	if (v == NULL) {
		rw_scalar(w, "null", 1);
	} else {
		rw_scalar(w, v, 0);
	}
}

static void
rw_eff(struct rw *w, const char *k, const struct rules_mpm_eff *e)
{
	struct emit_kv kv[16];
	size_t n = emit_eff_pairs(e, kv), i;

	rw_key(w, k);
	rw_open(w, 1);
	rw_kstr(w, "mpm", rules_mpm_name(e->mpm));
	for (i = 0; i < n; i++) {
		rw_key(w, kv[i].k);
		rw_num(w, kv[i].v);
	}
	rw_close(w, 1);
}

static const char *
status_name(enum conv_status s)
{
	return s == CONV_OK     ? "converted"
	    : s == CONV_NOOP    ? "unchanged"
	    : s == CONV_REFUSED ? "refused"
	                        : "failed";
}

int
conv_print_report(FILE *fp, const struct conv_result *r, int yaml)
{
	struct rw w;
	size_t i;
	int ok = 1;

	memset(&w, 0, sizeof(w));
	w.fp = fp;
	w.yaml = yaml;
	/* folded at libyaml's width; no "---" */
	if (yaml && emit_yaml_open(&w.y, fp, 0, 1) != 0) {
		return -1;
	}
	rw_open(&w, 1);
	rw_kstr(&w, "tool", "mpmconv");
	rw_kstr(&w, "version", HCONF_VERSION);
	rw_kstr(&w, "status", status_name(r->status));
	rw_kstr(&w, "from", r->have_eff ? rules_mpm_name(r->from) : NULL);
	rw_kstr(&w, "to", rules_mpm_name(r->to));
	rw_key(&w, "threads_per_child");
	if (r->threads > 0) {
		rw_num(&w, r->threads);
	} else {
		rw_scalar(&w, "null", 1);
	}
	if (r->have_eff) {
		rw_eff(&w, "before", &r->before);
		if (r->status == CONV_OK || r->status == CONV_NOOP) {
			rw_eff(&w, "after", &r->after);
		}
	}
	rw_key(&w, "ledger");
	rw_open(&w, 0);
	for (i = 0; i < r->nled; i++) {
		const struct conv_ledger *l = &r->led[i];

		rw_open(&w, 1);
		rw_kstr(&w, "directive", l->key);
		rw_key(&w, "value");
		if (l->has_value) {
			rw_num(&w, l->value);
		} else {
			rw_scalar(&w, "null", 1);
		}
		rw_kstr(&w, "formula", l->formula);
		rw_kstr(&w, "action", l->action);
		rw_close(&w, 1);
	}
	rw_close(&w, 0);
	rw_key(&w, "files");
	rw_open(&w, 0);
	for (i = 0; i < r->nout; i++) {
		rw_scalar(&w, r->out[i].label, 0);
	}
	rw_close(&w, 0);
	rw_key(&w, "commands");
	rw_open(&w, 0);
	for (i = 0; i < r->ncmds; i++) {
		rw_scalar(&w, r->cmds[i], 0);
	}
	rw_close(&w, 0);
	rw_key(&w, "messages");
	rw_open(&w, 0);
	for (i = 0; i < r->nmsgs; i++) {
		rw_open(&w, 1);
		rw_kstr(&w, "severity", sev_name(r->msgs[i].sev));
		rw_kstr(&w, "where", r->msgs[i].where);
		rw_kstr(&w, "message", r->msgs[i].text);
		rw_close(&w, 1);
	}
	rw_close(&w, 0);
	rw_close(&w, 1);
	if (yaml) {
		ok = emit_yaml_close(&w.y) == 0;
	} else {
		fputc('\n', fp);
	}
	return ok && !ferror(fp) ? 0 : -1;
}

/* ---- the unified diff ------------------------------------------------------
 */

struct dline {
	char type; /* ' ', '-', '+' */
	const char *p;
	size_t len; /* with its newline, if any */
};

struct dvec {
	struct dline *v;
	size_t n, cap;
};

static void
dpush(struct dvec *d, char type, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (p + i)) + 1 : len - i;

		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 256;
			d->v = hconf_xrealloc(d->v, d->cap * sizeof(*d->v));
		}
		d->v[d->n].type = type;
		d->v[d->n].p = p + i;
		d->v[d->n].len = l;
		d->n++;
		i += l;
	}
}

/* The same walk as the printer, recording which lines stay or change. */
static void
diff_lines(
    struct dvec *d, const struct hconf_file *f, const struct hconf_node *root)
{
	const struct hconf_node *n = root->first;

	while (n != NULL) {
		int del = (n->flags & HCONF_NODE_DELETED) != 0;

		if (del) {
			if (!(n->flags & HCONF_NODE_SYNTH)) {
				uint32_t end =
				    n->kind == HCONF_SECTION && n->close.len
				    ? n->close.off + n->close.len
				    : n->full.off + n->full.len;

				dpush(d, '-', f->buf + n->full.off,
				    end - n->full.off);
			}
		} else if (n->flags & HCONF_NODE_SYNTH) {
			if (n->text != NULL) {
				dpush(d, '+', n->text, n->text_len);
			}
		} else if ((n->flags & HCONF_NODE_DIRTY) && n->text != NULL &&
		    (n->text_len != n->full.len ||
		        memcmp(n->text, f->buf + n->full.off, n->full.len) !=
		            0)) {
			dpush(d, '-', f->buf + n->full.off, n->full.len);
			dpush(d, '+', n->text, n->text_len);
		} else {
			dpush(d, ' ', f->buf + n->full.off, n->full.len);
		}
		if (n->kind == HCONF_SECTION && n->first != NULL && !del) {
			n = n->first;
			continue;
		}
		for (;;) {
			if (n->kind == HCONF_SECTION &&
			    !(n->flags & HCONF_NODE_DELETED)) {
				dpush(d, ' ', f->buf + n->close.off,
				    n->close.len);
			}
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == NULL || n == root) {
				return;
			}
		}
	}
}

/* In each run of changed lines, the removed ones first, as diff(1) does. */
static void
group_changes(struct dvec *d)
{
	size_t i = 0, j, k;

	while (i < d->n) {
		if (d->v[i].type == ' ') {
			i++;
			continue;
		}
		for (j = i; j < d->n && d->v[j].type != ' '; j++) {
			;
		}
		if (j - i > 1) {
			struct dline *tmp =
			    hconf_xmalloc((j - i) * sizeof(*tmp));
			size_t n = 0;

			for (k = i; k < j; k++) {
				if (d->v[k].type == '-') {
					tmp[n++] = d->v[k];
				}
			}
			for (k = i; k < j; k++) {
				if (d->v[k].type == '+') {
					tmp[n++] = d->v[k];
				}
			}
			memcpy(d->v + i, tmp, (j - i) * sizeof(*tmp));
			free(tmp);
		}
		i = j;
	}
}

static void
put_line(FILE *fp, const struct dline *l)
{
	fputc(l->type, fp);
	fwrite(l->p, 1, l->len, fp);
	if (l->len == 0 || l->p[l->len - 1] != '\n') {
		fputs("\n\\ No newline at end of file\n", fp);
	}
}

static void
range(FILE *fp, char sign, size_t start, size_t len)
{
	if (len == 1) {
		fprintf(fp, "%c%zu", sign, start);
	} else {
		fprintf(fp, "%c%zu,%zu", sign, len ? start : start - 1, len);
	}
}

#define CTX 3

static void
hunks(FILE *fp, const struct dvec *d)
{
	size_t *oldno = hconf_xmalloc((d->n + 1) * sizeof(size_t));
	size_t *newno = hconf_xmalloc((d->n + 1) * sizeof(size_t));
	size_t i, o = 0, nw = 0, at = 0;

	for (i = 0; i < d->n; i++) {
		oldno[i] = o;
		newno[i] = nw;
		o += d->v[i].type != '+';
		nw += d->v[i].type != '-';
	}
	oldno[d->n] = o;
	newno[d->n] = nw;
	while (at < d->n) {
		size_t c = at, s, e, last;

		while (c < d->n && d->v[c].type == ' ') {
			c++;
		}
		if (c == d->n) {
			break;
		}
		s = c > at + CTX ? c - CTX : at;
		last = c;
		for (e = c; e < d->n; e++) {
			if (d->v[e].type != ' ') {
				last = e;
			} else if (e - last > 2 * CTX) {
				break;
			}
		}
		e = last + 1 + CTX < d->n ? last + 1 + CTX : d->n;
		fputs("@@ ", fp);
		range(fp, '-', oldno[s] + 1, oldno[e] - oldno[s]);
		fputc(' ', fp);
		range(fp, '+', newno[s] + 1, newno[e] - newno[s]);
		fputs(" @@\n", fp);
		for (i = s; i < e; i++) {
			put_line(fp, &d->v[i]);
		}
		at = e;
	}
	free(oldno);
	free(newno);
}

int
conv_print_diff(FILE *fp, const struct conv_result *r)
{
	size_t i;

	for (i = 0; i < r->nout; i++) {
		const struct conv_out *o = &r->out[i];
		const struct hconf_file *f = hconf_doc_file(o->doc, o->file_id);
		struct dvec d;

		memset(&d, 0, sizeof(d));
		diff_lines(&d, f, f->root);
		group_changes(&d);
		fprintf(fp, "diff --git a/%s b/%s\n", o->label, o->label);
		if (o->created) {
			fprintf(fp, "new file mode 100644\n--- /dev/null\n");
		} else {
			fprintf(fp, "--- a/%s\n", o->label);
		}
		fprintf(fp, "+++ b/%s\n", o->label);
		hunks(fp, &d);
		free(d.v);
	}
	for (i = 0; i < r->nlinks; i++) {
		const struct conv_link *l = &r->links[i];

		fprintf(fp, "diff --git a/%s b/%s\n", l->label, l->label);
		if (l->create) {
			fprintf(fp,
			    "new file mode 120000\n--- /dev/null\n"
			    "+++ b/%s\n@@ -0,0 +1 @@\n+%s\n",
			    l->label, l->target);
		} else {
			fprintf(fp,
			    "deleted file mode 120000\n--- a/%s\n"
			    "+++ /dev/null\n@@ -1 +0,0 @@\n-%s\n",
			    l->label, l->target);
		}
		fputs("\\ No newline at end of file\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}
