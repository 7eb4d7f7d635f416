/*
 * walk.c - the two passes of conv_run() over the configuration in
 * httpd's reading order, Include files in place: the MPM <IfModule>
 * guards, the MPM directives and LoadModule lines, with whether httpd
 * reads each after the conversion.  Reads the tree; edits nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conv_int.h"

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
		conv_refuse(c, doc, n,
		    "%s%s inside <IfModule %s> is not an MPM "
		    "directive mpmconv understands; it is kept as it is",
		    n->kind == HCONF_SECTION ? "<" : "", name, gname);
	} else if (g->cur && !g->post) {
		conv_refuse(c, doc, n,
		    "%s%s inside <IfModule %s> stops applying "
		    "once mpm_%s is no longer loaded; move it out of the block",
		    n->kind == HCONF_SECTION ? "<" : "", name, gname,
		    rules_mpm_name(c->from));
	} else if (!g->cur && g->post) {
		conv_refuse(c, doc, n,
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
	const char *name, *how;

	if (c->pass != 2 || !c->debian || n->parent == NULL ||
	    n->parent->kind != HCONF_DOC) {
		return;
	}
	name = n->word ? n->word : "?";
	if (doc == c->r->extra) {
		how = "starts applying once it is enabled";
	} else if (c->deb_dead[1] != NULL &&
	    strcmp(conv_fpath(doc, n->file_id), c->deb_dead[1]) == 0) {
		how = "stops applying once it is disabled";
	} else {
		return;
	}
	conv_refuse(c, doc, n, "%s%s in %s %s; move it elsewhere",
	    n->kind == HCONF_SECTION ? "<" : "", name,
	    conv_fpath(doc, n->file_id), how);
}

int
conv_dead_file(const struct conv *c, const struct hconf_doc *doc, uint32_t fid)
{
	size_t i;

	if (!c->debian || doc != c->doc) {
		return 0;
	}
	for (i = 0; i < 2; i++) {
		if (c->deb_dead[i] != NULL &&
		    strcmp(conv_fpath(doc, fid), c->deb_dead[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

static void
walk_file(struct conv *c, struct hconf_doc *doc, uint32_t fid, int post)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	int dead = conv_dead_file(c, doc, fid);

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
	c->g = conv_grow(c->g, c->ng, &c->capg, sizeof(*c->g), 16);
	g = &c->g[c->ng++];
	*g = (struct guard){.n = n, .doc = doc, .m = m, .neg = neg,
	    .after_load = c->load_seen};
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
			conv_refuse(c, doc, b,
			    "%s inside the body of <Macro %s>: "
			    "mpmconv does not edit macro bodies; move the MPM "
			    "settings out of the macro, or convert it by hand",
			    w, n->nargs ? n->args[0].value : "");
		}
	}
	return 1;
}

/*
 * The contents of an ordinary or conditional section.  Both passes walk
 * the same sections in the same order: pass 1 marks each one in whose
 * contents nothing happened (c->events: no MPM directive, LoadModule,
 * Include*, guard, macro body or MPM block member), and pass 2 skips
 * those (a <VirtualHost> usually), as it would find nothing there
 * either.  Debian's layout makes every top-level line count: no marks.
 */
static void
walk_inside(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    int post, long gi, int unsure, int ctxbad)
{
	size_t at, ev;

	if (c->debian) {
		walk_list(c, doc, n->first, post, gi, unsure, ctxbad);
	} else if (c->pass == 2) {
		at = c->smnext++;
		if (c->sm[at].inert) {
			c->smnext += c->sm[at].below;
			return;
		}
		walk_list(c, doc, n->first, post, gi, unsure, ctxbad);
	} else {
		c->sm = conv_grow(c->sm, c->nsm, &c->capsm, sizeof(*c->sm), 64);
		at = c->nsm++;
		ev = c->events;
		walk_list(c, doc, n->first, post, gi, unsure, ctxbad);
		c->sm[at].inert = c->events == ev;
		c->sm[at].below = c->nsm - at - 1;
	}
}

static void
walk_section(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    int post, long gi, int unsure, int ctxbad)
{
	enum rules_mpm m;
	int neg;

	if (macro_body(c, doc, n)) {
		c->events++;
		return;
	}

	if ((n->flags & HCONF_NODE_COND) && hconf_node_is(n, "IfModule") &&
	    n->nargs > 0 && guard_mpm(n->args[0].value, &m, &neg)) {
		struct guard *g = guard_at(c, doc, n, m, neg);
		int cur = (n->flags & HCONF_NODE_ACTIVE) &&
		    (n->flags & HCONF_NODE_TRUE);
		int pt = guard_post_true(c, g, cur);

		c->events++;
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
		c->events++;
		other_in_block(c, doc, n, &c->g[gi]);
	}
	debian_other(c, doc, n);
	if (n->flags & HCONF_NODE_COND) {
		/* a conditional inside a false block was never evaluated */
		int u = unsure || (post && !(n->flags & HCONF_NODE_ACTIVE));

		walk_inside(c, doc, n,
		    post && (u || (n->flags & HCONF_NODE_TRUE)), gi, u, ctxbad);
	} else {
		walk_inside(c, doc, n, post, gi, unsure, 1);
	}
}

static void
add_ent(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    enum rules_mpm_key k, int post, int bad)
{
	c->e = conv_grow(c->e, c->ne, &c->cape, sizeof(*c->e), 32);
	c->e[c->ne++] = (struct ent){.doc = doc, .n = n, .k = k, .post = post,
	    .bad = bad, .tk = NOKEY};
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
	c->loads = conv_grow(c->loads, c->nloads, &c->caploads,
	    sizeof(*c->loads), 4);
	c->loads[c->nloads++] = n;
}

static void
visit_directive(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    int post, long gi, int unsure, int ctxbad)
{
	enum rules_mpm_key k;
	struct guard *g = gi >= 0 ? &c->g[gi] : NULL;
	int inblock = g != NULL && n->parent == g->n;
	unsigned char c0;

	if (rules_mpm_key_lookup(n->word, &k)) {
		int bad = ctxbad || unsure || malformed(n);

		c->events++;
		if (c->pass == 1) {
			if (inblock) {
				g->has_keys = 1;
			}
			return;
		}
		add_ent(c, doc, n, k, post, bad);
		if (post && bad) {
			conv_refuse(c, doc, n,
			    "%s: %s; mpmconv leaves it as it is", n->word,
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
	/* the first letter first: most directives are none of these */
	c0 = (unsigned char)(n->word[0] | 0x20);
	if (c0 == 'l' && hconf_node_is(n, "LoadModule")) {
		c->events++;
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
	} else if (c0 == 'i' && (hconf_node_is(n, "Include") ||
	    hconf_node_is(n, "IncludeOptional"))) {
		uint32_t i;

		c->events++;
		if (inblock) {
			other_in_block(c, doc, n, g);
		}
		if (n->flags & HCONF_NODE_ACTIVE) {
			for (i = 0; i < n->nincl; i++) {
				walk_file(c, doc, n->incl[i], post);
			}
		} else if (post && c->pass == 2) {
			conv_refuse(c, doc, n,
			    "%s is not read now but will be after "
			    "the conversion; mpmconv cannot see what it sets",
			    n->word);
		}
		return;
	}
	if (inblock) {
		c->events++;
		other_in_block(c, doc, n, g);
	}
	debian_other(c, doc, n);
}

/*
 * What visit_directive() may do something with, by the first letter of
 * the name folded (| 0x20): an MPM directive (a, l, m, s, t), LoadModule
 * or Include*.  Any other directive matters only directly inside an MPM
 * block, or to debian_other().
 */
static int
may_matter(const char *w)
{
	switch (w[0] | 0x20) {
	case 'a': case 'i': case 'l': case 'm': case 's': case 't':
		return 1;
	default:
		return 0;
	}
}

static void
walk_list(struct conv *c, struct hconf_doc *doc, struct hconf_node *first,
    int post, long gi, int unsure, int ctxbad)
{
	struct hconf_node *n;
	const struct hconf_node *block = gi >= 0 ? c->g[gi].n : NULL;
	int deb = c->pass == 2 && c->debian;

	for (n = first; n != NULL; n = n->next) {
		if (n->kind == HCONF_SECTION) {
			walk_section(c, doc, n, post, gi, unsure, ctxbad);
		} else if (n->kind == HCONF_DIRECTIVE && n->word != NULL &&
		    n->word[0] != '\0' && (may_matter(n->word) ||
		    n->parent == block || deb)) {
			visit_directive(c, doc, n, post, gi, unsure, ctxbad);
		}
	}
}

void
conv_walk(struct conv *c)
{
	/* --mpm: the MPM's LoadModule line is read before the file */
	c->load_seen = c->o->from != RULES_MPM_NONE;
	c->gnext = 0;
	c->smnext = 0;
	if (c->pass == 1) {
		c->nsm = 0;
	}
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

