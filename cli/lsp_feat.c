/*
 * lsp_feat.c - the language server's requests about one document:
 * hover (the value httpd runs with, and why; a rule's explanation in a
 * suppression comment), documentSymbol, foldingRange, completion of
 * directive names, and codeAction (suppression comments; quick fixes
 * are in lsp_fix.c).  Each answers from the last lint of the
 * document's configuration, relinting first when the text changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directives.h"
#include "explain.h"
#include "lsp.h"
#include "output.h"

#define E_PARAMS (-32602)

/* What a position request is about. */
struct at {
	struct lsp_doc *d;
	struct lsp_proj *p;
	uint32_t fid;
	const struct hconf_file *f;
	uint32_t off;
};

struct lsp_doc *
lsp_param_doc(struct lsp *s, const struct lj *params)
{
	return lsp_doc_find(s, lj_str(lj_get(lj_get(params, "textDocument"),
	    "uri")));
}

/*
 * The document and its configuration; with pos, the offset of
 * params.position.  -1: bad params; 0: nothing known (answer null);
 * 1: filled in.
 */
static int
at(struct lsp *s, const struct lj *params, int pos, struct at *a)
{
	long off;

	if (lj_str(lj_get(lj_get(params, "textDocument"), "uri")) == NULL ||
	    (pos && lj_get(params, "position") == NULL)) {
		return -1;
	}
	memset(a, 0, sizeof(*a));
	if ((a->d = lsp_param_doc(s, params)) == NULL) {
		return 0;
	}
	if (a->d->dirty) {
		lsp_relint(s);
	}
	if ((a->p = lsp_proj_of(s, a->d, &a->fid)) == NULL) {
		return 0;
	}
	a->f = lsp_proj_file(a->p, a->fid);
	if (a->f == NULL || a->f->root == NULL) {
		return 0;          /* the file could not be read */
	}
	if (pos) {
		off = lsp_offset(a->f->buf, a->f->len,
		    lj_get(params, "position"));
		if (off < 0) {
			return -1;
		}
		a->off = (uint32_t)off;
	}
	return 1;
}

static int
in_span(struct hconf_span sp, uint32_t off)
{
	return off >= sp.off && off < sp.off + sp.len;
}

/* The deepest node whose line holds off. */
static const struct hconf_node *
node_at(const struct at *a)
{
	const struct hconf_node *n, *hit = NULL;

	for (n = a->f->root->first; n != NULL; n = hconf_node_walk(n)) {
		if (in_span(n->full, a->off) || (n->kind == HCONF_SECTION &&
		    in_span(n->close, a->off))) {
			hit = n;
		}
	}
	return hit;
}

/* ---- hover -------------------------------------------------------------- */

static void
hover_rule(struct jb *md, const struct rules_info *r)
{
	const struct explain *e = explain_find(r->id);
	size_t i;

	jb_raw(md, "**");
	jb_raw(md, r->id);
	jb_raw(md, "** ");
	jb_str_md(md, r->name);
	jb_raw(md, " (");
	jb_raw(md, out_severity(r->sev));
	jb_raw(md, ")\n\n");
	jb_str_md(md, r->summary);
	jb_raw(md, "\n");
	for (i = 0; e != NULL && i < EXPLAIN_NPARTS; i++) {
		const char *t = explain_part(e, i);

		if (t == NULL || *t == '\0') {
			continue;
		}
		jb_raw(md, "\n**");
		jb_raw(md, explain_parts[i].heading);
		jb_raw(md, i == EXPLAIN_NPARTS - 1 ? "**\n\n```apache\n" :
		    "**\n\n");
		jb_raw(md, t);
		jb_raw(md, i == EXPLAIN_NPARTS - 1 ? "\n```\n" : "\n");
	}
}

/* A rule id or name under the cursor in a comment. */
static const struct rules_info *
comment_rule(const struct at *a)
{
	const char *b = a->f->buf;
	uint32_t s = a->off, e = a->off;
	char w[80];

#define WORDC(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
	((c) >= '0' && (c) <= '9') || (c) == '-')
	while (s > 0 && WORDC(b[s - 1])) {
		s--;
	}
	while (e < a->f->len && WORDC(b[e])) {
		e++;
	}
#undef WORDC
	if (e == s || e - s >= sizeof(w)) {
		return NULL;
	}
	memcpy(w, b + s, e - s);
	w[e - s] = '\0';
	return rules_find(w);
}

/* The value httpd runs with and the changes that led there. */
static void
hover_mpm(struct jb *md, const struct at *a, const struct hconf_node *n,
    enum rules_mpm_key k)
{
	const struct rules_result *r = &a->p->raw;
	struct rules_mpm_adj adj[32];
	struct rules_mpm_eff eff;
	size_t nadj = 0, i;
	const struct hconf_node *last = r->set_at[k];

	if (!r->have_eff) {
		jb_raw(md, "No MPM is loaded in this configuration: httpd "
		    "has no value for it (set `mpm:` in .mpmlint.yaml to "
		    "lint a fragment).\n");
		return;
	}
	if (k == RULES_K_MaxRequestWorkers && r->eff.mpm != RULES_MPM_PREFORK) {
		/* the real limit: eff.v[] keeps httpd's max_workers */
		jb_fmt(md, "httpd (%s) runs with **%lld** at most (%lld "
		    "processes x %lld threads)", rules_mpm_name(r->eff.mpm),
		    r->eff.capacity, r->eff.processes,
		    r->eff.v[RULES_K_ThreadsPerChild]);
	} else {
		jb_fmt(md, "httpd (%s) runs with **%lld**",
		    rules_mpm_name(r->eff.mpm), k == RULES_K_MaxRequestWorkers ?
		    r->eff.capacity : r->eff.v[k]);
	}
	jb_raw(md, r->in.set[k] ? "" : " (the default)");
	jb_raw(md, ".\n");
	rules_mpm_compute(&r->in, &eff, adj, 32, &nadj);
	for (i = 0; i < nadj && i < 32; i++) {
		if (adj[i].key == k) {
			jb_raw(md, "\n- ");
			if (adj[i].ahid != NULL) {
				jb_raw(md, adj[i].ahid);
				jb_raw(md, ": ");
			}
			jb_str_md(md, adj[i].msg);
		}
	}
	if (last != NULL && last != n) {
		uint32_t line, col;
		const struct hconf_file *lf = hconf_doc_file(a->p->doc,
		    last->file_id);

		hconf_linecol(a->p->doc, last->file_id, last->full.off, &line,
		    &col);
		jb_fmt(md, "\n\nThis line is overridden: the value in force is "
		    "set on line %u of ", line);
		jb_raw(md, lf != NULL ? lf->path : "?");
		jb_raw(md, ".\n");
	}
}

static void
hover_directive(struct jb *md, const struct at *a, const struct hconf_node *n)
{
	const struct rules_directive *dir;
	enum rules_mpm_key k;
	int loaded = 0;

	if (n->word == NULL) {
		return;
	}
	dir = rules_directive(a->p->doc, n->word, &loaded);
	jb_raw(md, "**");
	jb_raw(md, n->kind == HCONF_SECTION ? "<" : "");
	jb_str_md(md, n->word);
	jb_raw(md, n->kind == HCONF_SECTION ? ">" : "");
	jb_raw(md, "**");
	if (dir != NULL && dir->help != NULL) {
		jb_raw(md, ": ");
		jb_str_md(md, dir->help);
	}
	if (dir != NULL && !loaded) {
		jb_raw(md, " (its module is not loaded: ");
		jb_str_md(md, dir->modules);
		jb_raw(md, ")");
	}
	jb_raw(md, "\n\n");
	if (rules_mpm_key_lookup(n->word, &k)) {
		hover_mpm(md, a, n, k);
	}
}

int
lsp_hover(struct lsp *s, const struct lj *params, struct jb *r)
{
	struct jb md = {NULL, 0, 0};
	const struct hconf_node *n;
	const struct rules_info *ri;
	struct at a;
	int rc = at(s, params, 1, &a);

	if (rc < 0) {
		return E_PARAMS;
	}
	if (rc == 0 || (n = node_at(&a)) == NULL) {
		jb_raw(r, "null");
		return 0;
	}
	if (n->kind == HCONF_COMMENT) {
		if ((ri = comment_rule(&a)) != NULL) {
			hover_rule(&md, ri);
		}
	} else if (n->kind == HCONF_DIRECTIVE || n->kind == HCONF_SECTION) {
		hover_directive(&md, &a, n);
	}
	if (md.n == 0) {
		jb_raw(r, "null");
		return 0;
	}
	jb_raw(r, "{\"contents\":{\"kind\":\"markdown\",\"value\":");
	jb_str(r, md.p, md.n);
	jb_raw(r, "},\"range\":");
	lsp_jrange(r, a.p->doc, a.fid, n->full.off, n->full.off +
	    (n->full.len > 0 && a.f->buf[n->full.off + n->full.len - 1] ==
	    '\n' ? n->full.len - 1 : n->full.len));
	jb_raw(r, "}");
	jb_free(&md);
	return 0;
}

/* ---- outline and folding ------------------------------------------------ */

static uint32_t
sect_end(const struct hconf_node *n)
{
	struct hconf_span sp = n->close.len > 0 ? n->close : n->full;

	return sp.len > 0 && sp.off + sp.len > 0 ? sp.off + sp.len - 1 : sp.off;
}

/* Sections of parent as DocumentSymbol[]; nesting is capped by the parser. */
static void
symbols(struct jb *r, const struct at *a, const struct hconf_node *parent)
{
	const struct hconf_node *n;
	int first = 1;
	uint32_t i;

	jb_raw(r, "[");
	for (n = parent->first; n != NULL; n = n->next) {
		struct jb name = {NULL, 0, 0};

		if (n->kind != HCONF_SECTION || n->word == NULL) {
			continue;
		}
		jb_raw(r, first ? "{\"name\":" : ",{\"name\":");
		first = 0;
		jb_mem(&name, "<", 1);
		jb_raw(&name, n->word);
		for (i = 0; i < n->nargs; i++) {
			jb_mem(&name, " ", 1);
			jb_raw(&name, n->args[i].value);
		}
		jb_mem(&name, ">", 1);
		jb_str(r, name.p, name.n);
		jb_free(&name);
		jb_fmt(r, ",\"kind\":%d,\"range\":",
		    hconf_node_is(n, "VirtualHost") ? 5 : 3);
		lsp_jrange(r, a->p->doc, a->fid, n->full.off, sect_end(n));
		jb_raw(r, ",\"selectionRange\":");
		lsp_jrange(r, a->p->doc, a->fid, n->name.off,
		    n->name.off + n->name.len);
		jb_raw(r, ",\"children\":");
		symbols(r, a, n);
		jb_raw(r, "}");
	}
	jb_raw(r, "]");
}

int
lsp_symbols(struct lsp *s, const struct lj *params, struct jb *r)
{
	struct at a;
	int rc = at(s, params, 0, &a);

	if (rc < 0) {
		return E_PARAMS;
	}
	if (rc == 0) {
		jb_raw(r, "[]");
		return 0;
	}
	symbols(r, &a, a.f->root);
	return 0;
}

int
lsp_folding(struct lsp *s, const struct lj *params, struct jb *r)
{
	const struct hconf_node *n;
	struct at a;
	int rc = at(s, params, 0, &a), first = 1;

	if (rc < 0) {
		return E_PARAMS;
	}
	jb_raw(r, "[");
	for (n = rc > 0 ? a.f->root->first : NULL; n != NULL;
	    n = hconf_node_walk(n)) {
		uint32_t l1, l2, col;

		if (n->kind != HCONF_SECTION || n->close.len == 0) {
			continue;
		}
		hconf_linecol(a.p->doc, a.fid, n->full.off, &l1, &col);
		hconf_linecol(a.p->doc, a.fid, n->close.off, &l2, &col);
		if (l2 > l1) {
			jb_fmt(r, "%s{\"startLine\":%u,\"endLine\":%u}",
			    first ? "" : ",", l1 - 1, l2 - 1);
			first = 0;
		}
	}
	jb_raw(r, "]");
	return 0;
}

/* ---- completion --------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned where, forbid;
	const char *help;
} table[] = {
#define DIRECTIVE(n, m, a, w, f, h) {n, w, f, h},
#include "directives.def"
#undef DIRECTIVE
};

/* The innermost section around off, or NULL at the top. */
static const struct hconf_node *
section_at(const struct at *a)
{
	const struct hconf_node *n, *hit = NULL;

	for (n = a->f->root->first; n != NULL; n = hconf_node_walk(n)) {
		if (n->kind == HCONF_SECTION && a->off >= n->full.off +
		    n->full.len && (n->close.len == 0 || a->off < n->close.off)) {
			hit = n;
		}
	}
	return hit;
}

static int
dir_section(const struct hconf_node *sec)
{
	static const char *const dirs[] = {"Directory", "DirectoryMatch",
	    "Location", "LocationMatch", "Files", "FilesMatch", "Proxy",
	    "ProxyMatch", NULL};
	size_t i;

	for (; sec != NULL; sec = sec->parent) {
		for (i = 0; dirs[i] != NULL; i++) {
			if (sec->kind == HCONF_SECTION &&
			    hconf_node_is(sec, dirs[i])) {
				return 1;
			}
		}
	}
	return 0;
}

static int
fits(const struct at *a, size_t k, int indir, int invhost)
{
	int loaded = 0;

	if (indir ? !(table[k].where & (CTX_ACCESS_CONF | CTX_OR_ALL)) :
	    !(table[k].where & CTX_RSRC_CONF)) {
		return 0;
	}
	if (invhost && (table[k].forbid & CTX_NOT_IN_VIRTUALHOST)) {
		return 0;
	}
	return rules_directive(a->p->doc, table[k].name[0] == '<' ?
	    table[k].name + 1 : table[k].name, &loaded) != NULL && loaded;
}

static void
complete(struct jb *r, const struct at *a, const char *pre, size_t plen)
{
	const struct hconf_node *sec = section_at(a), *v;
	int indir = dir_section(sec), invhost = 0, first = 1;
	size_t k;

	for (v = sec; v != NULL; v = v->parent) {
		invhost |= v->kind == HCONF_SECTION &&
		    hconf_node_is(v, "VirtualHost");
	}
	for (k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		if (strncasecmp(table[k].name, pre, plen) != 0 ||
		    (k > 0 && strcmp(table[k].name, table[k - 1].name) == 0) ||
		    !fits(a, k, indir, invhost)) {
			continue;
		}
		jb_raw(r, first ? "{\"label\":" : ",{\"label\":");
		first = 0;
		jb_cstr(r, table[k].name);
		jb_raw(r, ",\"kind\":14");
		if (table[k].help != NULL) {
			jb_raw(r, ",\"detail\":");
			jb_cstr(r, table[k].help);
		}
		jb_raw(r, "}");
	}
}

int
lsp_completion(struct lsp *s, const struct lj *params, struct jb *r)
{
	struct at a;
	int rc = at(s, params, 1, &a);
	uint32_t ls, ws;

	if (rc < 0) {
		return E_PARAMS;
	}
	jb_raw(r, "{\"isIncomplete\":false,\"items\":[");
	if (rc > 0) {
		for (ls = a.off; ls > 0 && a.f->buf[ls - 1] != '\n'; ls--) {
			continue;
		}
		for (ws = ls; ws < a.off && (a.f->buf[ws] == ' ' ||
		    a.f->buf[ws] == '\t'); ws++) {
			continue;
		}
		/* names only: the first word of the line */
		if (memchr(a.f->buf + ws, ' ', a.off - ws) == NULL &&
		    memchr(a.f->buf + ws, '\t', a.off - ws) == NULL &&
		    (a.off == ws || a.f->buf[ws] != '#')) {
			complete(r, &a, a.f->buf + ws, a.off - ws);
		}
	}
	jb_raw(r, "]}");
	return 0;
}

/* ---- code actions ------------------------------------------------------- */

/* Insert text at off of the document as a CodeAction. */
static void
insert_action(struct jb *r, const struct at *a, const char *title,
    uint32_t off, const char *text, int *first)
{
	jb_raw(r, *first ? "{\"title\":" : ",{\"title\":");
	*first = 0;
	jb_cstr(r, title);
	jb_raw(r, ",\"kind\":\"quickfix\",\"edit\":{\"changes\":{");
	jb_cstr(r, a->d->uri);
	jb_raw(r, ":[{\"range\":");
	lsp_jrange(r, a->p->doc, a->fid, off, off);
	jb_raw(r, ",\"newText\":");
	jb_cstr(r, text);
	jb_raw(r, "}]}}}");
}

static void
suppress_actions(struct jb *r, const struct at *a,
    const struct rules_finding *f, int *first)
{
	const char *b = a->f->buf;
	uint32_t ls = f->off <= a->f->len ? f->off : a->f->len, ws;
	char title[160], *text;

	while (ls > 0 && b[ls - 1] != '\n') {
		ls--;
	}
	for (ws = ls; ws < a->f->len && (b[ws] == ' ' || b[ws] == '\t');
	    ws++) {
		continue;
	}
	if (f->node != NULL && f->off > 0 && b[ws] != '#') {
		snprintf(title, sizeof(title), "Disable %s for this line",
		    f->info->id);
		text = hconf_xmalloc(ws - ls + 64);
		memcpy(text, b + ls, ws - ls);
		snprintf(text + (ws - ls), 64, "# mpmlint disable=%s\n",
		    f->info->id);
		insert_action(r, a, title, ls, text, first);
		free(text);
	}
	snprintf(title, sizeof(title), "Disable %s in this file", f->info->id);
	text = hconf_xmalloc(64);
	snprintf(text, 64, "# mpmlint disable-file=%s\n", f->info->id);
	insert_action(r, a, title, 0, text, first);
	free(text);
}

int
lsp_code_action(struct lsp *s, const struct lj *params, struct jb *r)
{
	const struct lj *range = lj_get(params, "range");
	const struct rules_result *res;
	struct at a;
	long lo, hi;
	size_t i;
	int rc = at(s, params, 0, &a), first = 1;

	if (rc < 0 || range == NULL) {
		return E_PARAMS;
	}
	jb_raw(r, "[");
	if (rc > 0) {
		lo = lsp_offset(a.f->buf, a.f->len, lj_get(range, "start"));
		hi = lsp_offset(a.f->buf, a.f->len, lj_get(range, "end"));
		if (lo < 0 || hi < 0) {
			return E_PARAMS;
		}
		while (lo > 0 && a.f->buf[lo - 1] != '\n') {
			lo--;
		}
		while ((size_t)hi < a.f->len && a.f->buf[hi] != '\n') {
			hi++;
		}
		res = &a.p->fr.res;
		for (i = 0; i < res->n; i++) {
			if (res->f[i].file_id != a.fid || res->f[i].off <
			    (uint32_t)lo || res->f[i].off > (uint32_t)hi) {
				continue;
			}
			lsp_fix_actions(s, a.p, a.fid, i, a.d->uri, r, &first);
			suppress_actions(r, &a, &res->f[i], &first);
		}
	}
	jb_raw(r, "]");
	return 0;
}
