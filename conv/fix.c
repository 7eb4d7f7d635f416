/*
 * fix.c - mpmlint --fix: the edits that cannot change what httpd runs.
 *
 * Each fixable finding has a plan of at most two byte edits in its own
 * line (or just after it): the value httpd already runs with written
 * over the one it adjusts at start (or, for a directive left at its
 * default, a new line after the one that caused the change), a 2.2 name
 * renamed, a trailing '#' comment that makes httpd refuse an MPM
 * directive moved to a line of its own, NameVirtualHost deleted.  The
 * same plan feeds conv_fix(), which applies it with edit.c's rewrite,
 * and the SARIF writer, which shows it as a replacement.  Nothing that
 * changes behaviour is ever planned: a directive of another MPM,
 * mod_php under a threaded MPM and the like stay findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conv_int.h"

enum fix_kind {
	FIX_NONE,
	FIX_MODEL,   /* the value httpd runs with (f->key) */
	FIX_NUMBER,  /* MPM010: the number httpd reads */
	FIX_RENAME,  /* MPM014 */
	FIX_COMMENT, /* MPM017, where httpd refuses the line */
	FIX_DELETE   /* MPM032 */
};

static enum fix_kind
kind_of(const struct rules_finding *f)
{
	/* not MPM034: StartServers above the process limit is what
	 * httpd reads, and spawns fewer; rewriting it changes nothing
	 * httpd prints, so the finding stays a note */
	static const char *const model[] = {"MPM006", "MPM007", "MPM008",
	    "MPM009", "MPM011", "MPM015"};
	const char *id = f->info != NULL ? f->info->id : "";
	size_t i;

	for (i = 0; i < sizeof(model) / sizeof(model[0]); i++) {
		if (strcmp(id, model[i]) == 0) {
			return f->key > 0 ? FIX_MODEL : FIX_NONE;
		}
	}
	if (strcmp(id, "MPM010") == 0) {
		return FIX_NUMBER;
	}
	if (strcmp(id, "MPM014") == 0) {
		return FIX_RENAME;
	}
	/* only where httpd refuses the line (AH00526): elsewhere the
	 * comment words are arguments, and moving them changes them */
	if (strcmp(id, "MPM017") == 0 && f->httpd != NULL) {
		return FIX_COMMENT;
	}
	if (strcmp(id, "MPM032") == 0) {
		return FIX_DELETE;
	}
	return FIX_NONE;
}

/* The MPM key the directive n sets, or -1. */
static int
key_of(const struct hconf_node *n)
{
	enum rules_mpm_key k;

	return rules_mpm_key_lookup(n->word, &k) ? (int)k : -1;
}

int
conv_fixable(const struct rules_finding *f)
{
	const struct hconf_node *n = f->node;
	enum fix_kind kind = kind_of(f);

	if (kind == FIX_NONE || n == NULL || n->kind != HCONF_DIRECTIVE ||
	    f->has_ctx || !(n->flags & HCONF_NODE_ACTIVE) ||
	    (n->flags & (HCONF_NODE_EXPANDED | HCONF_NODE_SYNTH |
	    HCONF_NODE_DELETED))) {
		return 0;
	}
	if ((n->flags & HCONF_NODE_CONTINUED) && kind == FIX_COMMENT) {
		return 0;
	}
	switch (kind) {
	case FIX_MODEL:
		/* its own line holds one value, or it is the line that
		 * caused a change to a directive left at its default */
		return key_of(n) != f->key - 1 || n->nargs == 1;
	case FIX_NUMBER:
		return key_of(n) >= 0 && n->nargs == 1 &&
		    key_of(n) != RULES_K_AsyncRequestWorkerFactor;
	case FIX_RENAME:
		return key_of(n) >= 0 && n->nargs == 1;
	case FIX_COMMENT:
		return key_of(n) >= 0 && n->nargs >= 3;
	default:
		return 1;
	}
}

/*
 * What httpd runs with for key k (see rules_mpm_eff), with one listener
 * bucket: a value httpd raises for more buckets (--buckets) it raises
 * again on a machine with more cores, while the value for more buckets
 * would be too high on one with fewer.
 */
static long long
target(const struct rules_result *res, enum rules_mpm_key k)
{
	struct rules_mpm_in in = res->in;
	struct rules_mpm_eff one;
	const struct rules_mpm_eff *e = &one;

	in.buckets = 1;
	if (rules_mpm_compute(&in, &one, NULL, 0, NULL) != 0 &&
	    one.mpm == RULES_MPM_NONE) {
		e = &res->eff;
	}

	if (k == RULES_K_MaxRequestWorkers && e->mpm != RULES_MPM_PREFORK) {
		/* check_config row 9 lowers the process limit only */
		return e->capacity;
	}
	return e->v[k];
}

/* The keys the model adjusts; the others are read by atoi() alone. */
static int
modelled(enum rules_mpm_key k)
{
	return k != RULES_K_MaxConnectionsPerChild &&
	    k != RULES_K_ListenCoresBucketsRatio;
}

static int
ends_in_newline(const struct hconf_doc *doc, const struct hconf_node *n)
{
	const char *buf = hconf_doc_file(doc, n->file_id)->buf;

	return n->full.len > 0 && buf[n->full.off + n->full.len - 1] == '\n';
}

/* 1 when the span holds a line break (a '\' continuation inside). */
static int
spans_lines(const struct hconf_doc *doc, uint32_t fid, struct hconf_span sp)
{
	const char *buf = hconf_doc_file(doc, fid)->buf;

	return memchr(buf + sp.off, '\n', sp.len) != NULL;
}

static void
add_edit(struct conv_fix_plan *p, const struct hconf_node *n, uint32_t off,
    uint32_t len, char *text)
{
	struct conv_fix_edit *e = &p->e[p->n++];

	e->file_id = n->file_id;
	e->off = off;
	e->len = len;
	e->text = text;
}

/* A value, or a new line after n for a key left at its default. */
static int
plan_value(const struct hconf_doc *doc, const struct rules_result *res,
    const struct hconf_node *n, enum rules_mpm_key k, long long v,
    struct conv_fix_plan *p)
{
	const char *name = rules_mpm_key_name(k);
	char val[32];

	snprintf(val, sizeof(val), "%lld", v);
	if (key_of(n) == (int)k) {
		if (strcmp(n->args[0].value, val) == 0 ||
		    spans_lines(doc, n->file_id, n->args[0].raw)) {
			return 0;
		}
		add_edit(p, n, n->args[0].raw.off, n->args[0].raw.len,
		    conv_quote_value(&n->args[0], val));
		p->desc = conv_asprintf("write %s %s, the value httpd runs "
		    "with", name, val);
		return 1;
	}
	if (res->set_at[k] != NULL) {
		return 0;
	}
	add_edit(p, n, n->full.off + n->full.len, 0,
	    conv_line_like(doc, n, name, val, !ends_in_newline(doc, n)));
	p->desc = conv_asprintf("add %s %s after %s, the value httpd runs "
	    "with", name, val, n->word);
	return 1;
}

/*
 * The new name; when spaces align the value in a column, as many fewer
 * (at least one) as the name is longer, so that the value stays there.
 */
static void
plan_rename(const struct hconf_doc *doc, const struct hconf_node *n,
    const char *name, struct conv_fix_plan *p)
{
	const char *buf = hconf_doc_file(doc, n->file_id)->buf;
	uint32_t s = n->name.off + n->name.len, gap, i;
	long pad;

	gap = n->args[0].raw.off - s;
	for (i = 0; i < gap && buf[s + i] == ' '; i++) {
		;
	}
	if (gap < 2 || i < gap) {
		add_edit(p, n, n->name.off, n->name.len, hconf_xstrdup(name));
		return;
	}
	pad = (long)gap - ((long)strlen(name) - (long)n->name.len);
	if (pad < 1) {
		pad = 1;
	}
	add_edit(p, n, n->name.off, n->name.len + gap,
	    conv_asprintf("%s%*s", name, (int)pad, ""));
}

/* "X 3 # three" -> "# three" on the line before, "X 3" left. */
static int
plan_comment(const struct hconf_doc *doc, const struct hconf_node *n,
    struct conv_fix_plan *p)
{
	const char *buf = hconf_doc_file(doc, n->file_id)->buf;
	const struct hconf_arg *last = &n->args[n->nargs - 1];
	uint32_t h, cut, end = last->raw.off + last->raw.len;
	uint32_t ind = n->name.off - n->full.off;
	const char *eol = "\n";

	for (h = 1; h < n->nargs; h++) {
		if (n->args[h].quote == 0 && n->args[h].value[0] == '#') {
			break;
		}
	}
	if (h == n->nargs) {
		return 0;
	}
	cut = n->args[h - 1].raw.off + n->args[h - 1].raw.len;
	if (n->full.len > 1 && buf[n->full.off + n->full.len - 2] == '\r') {
		eol = "\r\n";
	}
	add_edit(p, n, n->full.off, 0, conv_asprintf("%.*s%.*s%s", (int)ind,
	    buf + n->full.off, (int)(end - n->args[h].raw.off),
	    buf + n->args[h].raw.off, eol));
	add_edit(p, n, cut, end - cut, hconf_xstrdup(""));
	p->desc = hconf_xstrdup("move the comment to a line of its own");
	return 1;
}

int
conv_fix_plan(const struct hconf_doc *doc, const struct rules_result *res,
    const struct rules_finding *f, struct conv_fix_plan *p)
{
	const struct hconf_node *n = f->node;
	enum rules_mpm_key k;
	int ki;

	memset(p, 0, sizeof(*p));
	if (!conv_fixable(f) || hconf_doc_file(doc, n->file_id) == NULL ||
	    hconf_doc_file(doc, n->file_id)->real == NULL) {
		/* no file of its own to write (standard input is "-") */
		return 0;
	}
	switch (kind_of(f)) {
	case FIX_MODEL:
		k = (enum rules_mpm_key)(f->key - 1);
		return plan_value(doc, res, n, k, target(res, k), p);
	case FIX_NUMBER:
		ki = key_of(n);
		if (ki < 0 || ki >= RULES_K__COUNT) {
			return 0;
		}
		k = (enum rules_mpm_key)ki;
		return plan_value(doc, res, n, k, n == res->set_at[k] &&
		    modelled(k) ? target(res, k) :
		    hconf_atoi(n->args[0].value), p);
	case FIX_RENAME:
		if (spans_lines(doc, n->file_id, n->name)) {
			return 0;
		}
		k = (enum rules_mpm_key)key_of(n);
		plan_rename(doc, n, rules_mpm_key_name(k), p);
		p->desc = conv_asprintf("rename %s to %s", n->word,
		    rules_mpm_key_name(k));
		return 1;
	case FIX_COMMENT:
		return plan_comment(doc, n, p);
	case FIX_DELETE:
		add_edit(p, n, n->full.off, n->full.len, hconf_xstrdup(""));
		p->desc = conv_asprintf("delete %s (no effect in 2.4)",
		    n->word);
		return 1;
	default:
		return 0;
	}
}

void
conv_fix_plan_free(struct conv_fix_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->e[i].text);
	}
	free(p->desc);
	memset(p, 0, sizeof(*p));
}

/* ---- applying the plans ------------------------------------------------- */

struct item {
	struct hconf_node *n;
	struct conv_repl r;
};

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->n != y->n) {
		return x->n->file_id != y->n->file_id ?
		    (x->n->file_id < y->n->file_id ? -1 : 1) :
		    (x->n->full.off < y->n->full.off ? -1 : 1);
	}
	if (x->r.off != y->r.off) {
		return x->r.off < y->r.off ? -1 : 1;
	}
	/* an insertion before a replacement at the same byte */
	return (x->r.len > y->r.len) - (x->r.len < y->r.len);
}

/* 1 when e is already there, or overlaps an edit already planned. */
static int
clashes(const struct item *it, size_t n, const struct hconf_node *node,
    const struct conv_fix_edit *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct conv_repl *r = &it[i].r;

		if (it[i].n != node) {
			continue;
		}
		if (r->off == e->off && r->len == e->len &&
		    (e->len > 0 || strcmp(r->with, e->text) == 0)) {
			return 1;
		}
		if (e->len > 0 && r->len > 0 && e->off < r->off + r->len &&
		    r->off < e->off + e->len) {
			return 1;
		}
	}
	return 0;
}

/* The plans of the findings asked for, as one list of line edits. */
static size_t
gather(struct conv *c, const struct rules_result *res, long only,
    struct item **out, struct conv_fix_plan **plans)
{
	size_t i, n = 0, cap = 0;
	struct item *it = NULL;

	*plans = hconf_xcalloc(res->n ? res->n : 1, sizeof(**plans));
	for (i = 0; i < res->n; i++) {
		const struct rules_finding *f = &res->f[i];
		struct conv_fix_plan *p = &(*plans)[i];
		size_t j, used = 0;

		if ((only >= 0 && (size_t)only != i) ||
		    !conv_fix_plan(c->doc, res, f, p)) {
			continue;
		}
		for (j = 0; j < p->n; j++) {
			if (clashes(it, n, f->node, &p->e[j])) {
				continue;
			}
			it = conv_grow(it, n, &cap, sizeof(*it), 8);
			it[n].n = (struct hconf_node *)f->node;
			it[n].r.off = p->e[j].off;
			it[n].r.len = p->e[j].len;
			it[n].r.with = p->e[j].text;
			n++;
			used = 1;
		}
		if (used) {
			conv_msgf(c, CONV_NOTE, c->doc, f->node, "fixed %s: %s",
			    f->info->id, p->desc);
		}
	}
	*out = it;
	return n;
}

enum conv_status
conv_fix(struct hconf_doc *doc, const struct rules_result *res,
    const struct conv_opts *o, long only, struct conv_result *r)
{
	static const struct conv_opts none;
	struct conv c;
	struct conv_fix_plan *plans;
	struct item *it;
	size_t n, i, j;
	struct conv_repl *rp;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.o = o != NULL ? o : &none;
	c.r = r;
	c.doc = doc;
	r->status = CONV_OK;
	r->from = r->to = res->eff.mpm;
	r->have_eff = res->have_eff;
	r->before = r->after = res->eff;
	n = gather(&c, res, only, &it, &plans);
	if (n == 0) {
		r->status = CONV_NOOP;
	} else {
		qsort(it, n, sizeof(*it), item_cmp);
		rp = hconf_xcalloc(n, sizeof(*rp));
		for (i = 0; i < n; i = j) {
			for (j = i; j < n && it[j].n == it[i].n; j++) {
				rp[j - i] = it[j].r;
			}
			conv_rewrite(&c, doc, it[i].n, rp, j - i);
		}
		free(rp);
		conv_collect_outputs(&c);
	}
	for (i = 0; i < res->n; i++) {
		conv_fix_plan_free(&plans[i]);
	}
	free(plans);
	free(it);
	free(c.t);
	return r->status;
}
