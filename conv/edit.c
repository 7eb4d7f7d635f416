/*
 * edit.c - the minimal byte-exact edits on the tree: a directive's value
 * replaced in its own line, a line deleted or inserted beside the one it
 * belongs with (copying its indentation), LoadModule lines and MPM guards
 * renamed, Mutex mechanisms event cannot use.  Every other byte stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conv_int.h"

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

void
conv_touch(struct conv *c, struct hconf_doc *doc, uint32_t fid)
{
	size_t i;

	for (i = 0; i < c->nt; i++) {
		if (c->t[i].doc == doc && c->t[i].fid == fid) {
			return;
		}
	}
	c->t = conv_grow(c->t, c->nt, &c->capt, sizeof(*c->t), 8);
	c->t[c->nt].doc = doc;
	c->t[c->nt].fid = fid;
	c->nt++;
}

void
conv_rewrite(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    const struct conv_repl *r, size_t nr)
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
	conv_touch(c, doc, n->file_id);
}

/* ---- edits --------------------------------------------------------------- */

char *
conv_quote_value(const struct hconf_arg *a, const char *val)
{
	if (a->quote) {
		return conv_asprintf("%c%s%c", a->quote, val, a->quote);
	}
	return hconf_xstrdup(val);
}

/* Rename and/or revalue a directive, keeping every other byte. */
static void
edit_ent(struct conv *c, struct ent *e, const char *name, const char *val)
{
	struct hconf_node *n = e->n;
	struct conv_repl r[2];
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

		q = conv_quote_value(a, val);
		r[nr].off = a->raw.off;
		r[nr].len = a->raw.len;
		r[nr].with = q;
		nr++;
		if (n->flags & HCONF_NODE_EXPANDED) {
			conv_msgf(c, CONV_WARNING, e->doc, n,
			    "%s: the ${...} "
			    "reference is replaced by the value %s",
			    n->word, val);
		}
		e->val = hconf_strdup(e->doc, val);
	}
	conv_rewrite(c, e->doc, n, r, nr);
	free(q);
}

void
conv_delete_ent(struct conv *c, struct ent *e)
{
	e->n->flags |= HCONF_NODE_DELETED;
	e->deleted = 1;
	conv_touch(c, e->doc, e->n->file_id);
}

/* Does the directive already hold v?  Numbers compare as httpd reads them. */
static int
same_value(enum rules_mpm_key k, const char *have, const char *v)
{
	if (k == RULES_K_AsyncRequestWorkerFactor) {
		return strcmp(have, v) == 0;
	}
	return conv_clean_int(have) && strcmp(have, v) == 0;
}

void
conv_note_removed(struct conv *c, struct ent *e)
{
	char *w = conv_where(e->doc, e->n);
	char *s = conv_asprintf("removed at %s", w);

	conv_append(&c->removed[e->k], ", ", s);
	free(s);
	free(w);
}

void
conv_apply_key(struct conv *c, enum rules_mpm_key tk)
{
	struct want *w = &c->w[tk];
	const char *canon = rules_mpm_key_name(tk);
	struct ent *last = conv_last_setter(c, (int)tk);
	size_t i;

	for (i = 0; i < c->ne; i++) {
		struct ent *e = &c->e[i];
		char *at;

		if (!e->post || e->bad || e->tk != (int)tk) {
			continue;
		}
		at = conv_where(e->doc, e->n);
		if (w->drop) {
			char *rm = conv_asprintf("removed at %s", at);

			conv_delete_ent(c, e);
			conv_append(&c->removed[tk], ", ", rm);
			free(rm);
		} else if (e != last) {
			/* overridden: only what httpd would refuse changes */
			if (!rules_mpm_key_valid(c->to, e->k)) {
				conv_delete_ent(c, e);
				conv_msgf(c, CONV_NOTE, e->doc, e->n,
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
				char *was =
				    conv_asprintf("set at %s (was %s %s)", at,
				        e->n->word, e->n->args[0].value);

				edit_ent(c, e, rn ? canon : NULL,
				    rv ? w->val : NULL);
				w->action = was;
			} else {
				w->action =
				    conv_asprintf("unchanged at %s", at);
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
tmpl_from(struct tmpl *t, const struct hconf_doc *doc,
    const struct hconf_node *n, int mpm)
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

/* "name val" as t lays lines out, then eol (caller frees). */
static char *
tmpl_line(const struct tmpl *t, const char *name, const char *val,
    const char *eol)
{
	char sep[64];

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
	return conv_asprintf("%s%s%s%s%s", t->indent, name, sep, val, eol);
}

char *
conv_line_like(const struct hconf_doc *doc, const struct hconf_node *n,
    const char *name, const char *val, int eol_first)
{
	struct tmpl t;
	char *line, *s;

	memset(&t, 0, sizeof(t));
	strcpy(t.sep, " ");
	t.valcol = -1;
	tmpl_from(&t, doc, n, n->nargs > 0);
	if (!eol_first) {
		return tmpl_line(&t, name, val, t.eol);
	}
	line = tmpl_line(&t, name, val, "");
	s = conv_asprintf("%s%s", t.eol, line);
	free(line);
	return s;
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
	char *line;
	size_t len;

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
	line = tmpl_line(t, name, val, eol);
	n = hconf_node_insert_after(t->doc, t->parent, t->after, line);
	free(line);
	conv_touch(c, t->doc, t->parent->file_id);
	t->after = n;
	return n;
}

void
conv_do_inserts(struct conv *c)
{
	struct tmpl t;
	char *at = NULL;
	size_t i;

	if (c->nins == 0) {
		return;
	}
	find_anchor(c, &t);
	if (t.after != NULL && !(t.after->flags & HCONF_NODE_SYNTH)) {
		at = conv_where(t.doc, t.after);
	}
	for (i = 0; i < c->nins; i++) {
		struct want *w = &c->w[c->ins[i].k];

		insert_line(
		    c, &t, rules_mpm_key_name(c->ins[i].k), c->ins[i].val);
		w->action = at ? conv_asprintf("inserted after %s", at)
		               : conv_asprintf("inserted in %s",
		                     conv_fpath(t.doc, t.parent->file_id));
	}
	free(at);
}

/* Replace the first (or last) occurrence of from in a span by to. */
static int
subst(const char *buf, struct hconf_span sp, const char *from, int lastocc,
    struct conv_repl *r)
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
	struct conv_repl r[2];
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
		so = conv_asprintf("mod_mpm_%s.so", to);
		r[1].off = n->args[1].raw.off + b;
		r[1].len = len - b;
		if (n->args[1].quote && r[1].len > 0) {
			r[1].len--;
		}
		r[1].with = so;
		conv_msgf(c, CONV_WARNING, c->doc, n,
		    "LoadModule: %s does not name "
		    "%s; using %s in the same directory",
		    n->args[1].value, from, so);
	}
	conv_rewrite(c, c->doc, n, r, 2);
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
void
conv_edit_loadmodule(struct conv *c)
{
	struct hconf_node *first = (struct hconf_node *)c->res.mpm_node;
	size_t i;

	if (first == NULL) {
		return;
	}
	if (!c->debian && edit_one_load(c, first) == -1) {
		conv_fail(c, "cannot read the LoadModule line of mpm_%s",
		    rules_mpm_name(c->from));
		return;
	}
	for (i = 0; i < c->nloads; i++) {
		struct hconf_node *n = c->loads[i];

		if (n == first || conv_dead_file(c, c->doc, n->file_id)) {
			continue;
		}
		if (c->debian) {
			n->flags |= HCONF_NODE_DELETED;
			conv_touch(c, c->doc, n->file_id);
			conv_msgf(c, CONV_NOTE, c->doc, n,
			    "removed a repeated LoadModule %s (httpd skipped "
			    "it, AH01574): mods-enabled now loads mpm_%s",
			    n->args[0].value, rules_mpm_name(c->to));
			continue;
		}
		if (edit_one_load(c, n) == -1) {
			conv_refuse(c, c->doc, n,
			    "LoadModule %s: cannot read this line to point it "
			    "at mpm_%s; fix or remove it",
			    n->args[0].value, rules_mpm_name(c->to));
			continue;
		}
		conv_msgf(c, CONV_NOTE, c->doc, n,
		    "another LoadModule %s changed too (%s)",
		    n->args[0].value,
		    (n->flags & HCONF_NODE_ACTIVE)
		        ? "httpd skips a repeat, AH01574"
		        : "in a conditional httpd does not read now");
	}
}

void
conv_rename_guards(struct conv *c)
{
	const char *from = rules_mpm_name(c->from);
	size_t i;

	for (i = 0; i < c->ng; i++) {
		struct guard *g = &c->g[i];
		const char *buf;
		struct conv_repl r;

		if (!g->rename) {
			continue;
		}
		buf = hconf_doc_file(g->doc, g->n->file_id)->buf;
		if (subst(buf, g->n->args[0].raw, from, 0, &r) == 0) {
			r.with = rules_mpm_name(c->to);
			conv_rewrite(c, g->doc, g->n, &r, 1);
		}
	}
}

/* event has no accept mutex: "Mutex x mpm-accept" would stop httpd. */
void
conv_fix_mutexes(struct conv *c, struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const struct hconf_node *cn;

	if (f == NULL || conv_dead_file(c, doc, fid)) {
		return;
	}
	for (cn = f->root->first; cn != NULL; cn = hconf_node_walk(cn)) {
		struct hconf_node *n = (struct hconf_node *)cn;
		uint32_t i, keep = 0, drop = UINT32_MAX;

		if (n->kind == HCONF_DIRECTIVE && n->nincl > 0 &&
		    (n->flags & HCONF_NODE_ACTIVE)) {
			for (i = 0; i < n->nincl; i++) {
				conv_fix_mutexes(c, doc, n->incl[i]);
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
			conv_touch(c, doc, n->file_id);
			conv_msgf(c, CONV_NOTE, doc, n,
			    "removed Mutex ... mpm-accept: "
			    "event has no accept mutex");
		} else {
			struct conv_repl r;
			uint32_t s = n->args[drop - 1].raw.off +
			    n->args[drop - 1].raw.len;

			r.off = s;
			r.len =
			    n->args[drop].raw.off + n->args[drop].raw.len - s;
			r.with = "";
			conv_rewrite(c, doc, n, &r, 1);
			conv_msgf(c, CONV_NOTE, doc, n,
			    "removed mpm-accept from Mutex: "
			    "event has no accept mutex");
		}
	}
}

