/*
 * conv.c - conv_run(), the conversion of a parsed configuration between
 * prefork, worker and event, as a short sequence of steps (walk.c, plan.c,
 * edit.c, verify.c, layout.c), the messages every step appends to the
 * result, and releasing the result.  Never writes files and never exits:
 * the front end does the I/O (mpmconv.c, with inplace.c).
 *
 * Reading order matters (the last setter of a directive wins), so the
 * configuration is walked twice in httpd's order, Include files in
 * place: pass 1 surveys the MPM guards and chooses between renaming the
 * source guards and switching to existing target guards; pass 2 lists
 * every MPM directive with whether httpd reads it after the conversion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conv_int.h"

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

char *
conv_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
conv_append(char **s, const char *sep, const char *add)
{
	char *n;

	if (*s == NULL) {
		*s = hconf_xstrdup(add);
		return;
	}
	n = conv_asprintf("%s%s%s", *s, sep, add);
	free(*s);
	*s = n;
}

const char *
conv_fpath(const struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);

	/* a macro's expansion has no file of its own: its name, then */
	return f == NULL ? "?" : f->link != NULL ? f->link :
	    f->path != NULL ? f->path : "?";
}

/* The file an edit of fid writes: every symlink resolved, inside --root. */
const char *
conv_fedit(const struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);

	return f ? f->real : "?";
}

/*
 * hconf_linecol()'s line of off in file fid.  Counted here when off is
 * near the start of the file (where the MPM settings usually are) and
 * the file has no line index yet: hconf_linecol() would index the whole
 * file for it.
 */
static uint32_t
line_of(const struct hconf_doc *doc, uint32_t fid, uint32_t off)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const char *p, *end;
	uint32_t line = 1, col;

	if (f == NULL || f->lines != NULL || off > 65536 || off > f->len) {
		hconf_linecol(doc, fid, off, &line, &col);
		return line;
	}
	end = f->buf + off;
	for (p = f->buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
	    p++) {
		line++;
	}
	return line;
}

/* "file:line" of a node (its first physical line). */
char *
conv_where(const struct hconf_doc *doc, const struct hconf_node *n)
{
	return conv_asprintf("%s:%u", conv_fpath(doc, n->file_id),
	    line_of(doc, n->file_id, n->full.off));
}

void *
conv_grow(void *p, size_t n, size_t *cap, size_t size, size_t first)
{
	if (n == *cap) {
		*cap = *cap ? *cap * 2 : first;
		p = hconf_xrealloc(p, *cap * size);
	}
	return p;
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
	m->where = n != NULL ? conv_where(doc, n) : NULL;
	m->text = xvasprintf(fmt, ap);
}

void
conv_msgf(struct conv *c, enum conv_sev sev, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, sev, doc, n, fmt, ap);
	va_end(ap);
}

/* A reason to refuse: an error, or a warning under --force. */
void
conv_refuse(struct conv *c, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, c->o->force ? CONV_WARNING : CONV_ERROR, doc, n, fmt, ap);
	va_end(ap);
	c->refusals++;
}

void
conv_fail(struct conv *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, CONV_ERROR, NULL, NULL, fmt, ap);
	va_end(ap);
	c->r->status = CONV_FAILED;
}


/* A plain decimal integer, as the conversion writes them. */
int
conv_clean_int(const char *s)
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






/* ---- conv_run ------------------------------------------------------------ */


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

	if (c->debian || c->from == c->to) {
		/* --tune on the file's own MPM: its blocks stay as they are */
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

/*
 * Lint the input: which MPM it loads and its effective values.  -1 when
 * there is nothing to convert (failed, or already the target MPM).
 */
static int
start(struct conv *c)
{
	const struct conv_opts *o = c->o;
	struct conv_result *r = c->r;
	struct rules_config lcfg;

	memset(&lcfg, 0, sizeof(lcfg));
	lcfg.force_mpm = o->from;
	lcfg.mpm_only = 1; /* c->res: the MPM, mpm_node and eff only */
	rules_lint(c->doc, &lcfg, &c->res);
	if (count_mpms(c->doc) > 1) {
		conv_fail(c,
		    "more than one MPM is loaded; httpd refuses this "
		    "configuration (AH00534)");
		return -1;
	}
	if (!c->res.have_eff || c->res.eff.mpm == RULES_MPM_NONE) {
		conv_fail(c,
		    "no MPM is loaded (no LoadModule of mpm_prefork_"
		    "module, mpm_worker_module or mpm_event_module is read): "
		    "nothing to convert");
		return -1;
	}
	c->from = r->from = c->res.eff.mpm;
	if (o->from != RULES_MPM_NONE && c->res.mpm_node == NULL &&
	    c->from != c->to) {
		/* a fragment: its MPM is loaded elsewhere, and stays so
		 * until that line changes too */
		conv_msgf(c, CONV_NOTE, NULL, NULL,
		    "--mpm %s: the LoadModule line of mpm_%s_module is not in "
		    "this file, and mpmconv adds none; change it where it is "
		    "to LoadModule mpm_%s_module (the settings here are "
		    "converted for mpm_%s)",
		    rules_mpm_name(c->from), rules_mpm_name(c->from),
		    rules_mpm_name(c->to), rules_mpm_name(c->to));
	}
	r->before = c->res.eff;
	r->after = c->res.eff;
	r->have_eff = 1;
	if (o->tune && c->to == RULES_MPM_NONE) {
		c->to = r->to = c->from;
	}
	if (c->from == c->to && !o->tune) {
		conv_msgf(c, CONV_NOTE, NULL, NULL,
		    "the configuration already uses mpm_%s: nothing to convert",
		    rules_mpm_name(c->to));
		r->status = CONV_NOOP;
		return -1;
	}
	if (o->threads > 0 && c->from != RULES_MPM_PREFORK &&
	    c->from != c->to) {
		conv_msgf(c, CONV_WARNING, NULL, NULL,
		    "--threads-per-child is "
		    "ignored: converting from %s keeps its ThreadsPerChild",
		    rules_mpm_name(c->from));
	}
	return 0;
}

/*
 * Pass 1: the guards; the strategy; pass 2: every MPM directive.  -1
 * when the conversion is refused (or Debian's layout cannot be read).
 */
static int
survey(struct conv *c)
{
	if (c->from != c->to) {
		conv_check_php(c);
	}
	if (c->from != c->to && conv_debian_setup(c) == -1) {
		return -1;
	}
	c->pass = 1;
	conv_walk(c);
	choose_strategy(c);
	c->pass = 2;
	conv_walk(c);
	conv_report_php(c);
	if (c->refusals > 0 && !c->o->force) {
		c->r->status = CONV_REFUSED;
		return -1;
	}
	c->r->forced = (size_t)c->refusals;
	return 0;
}

/* The plan, applied to the tree. */
static void
edit(struct conv *c)
{
	size_t i;
	int k;

	/* what no longer exists in the target goes */
	for (i = 0; i < c->ne; i++) {
		struct ent *e = &c->e[i];

		if (e->post && !e->bad && e->tk == NOKEY) {
			conv_note_removed(c, e);
			conv_delete_ent(c, e);
		}
	}
	for (k = 0; k < RULES_K__COUNT; k++) {
		if (c->w[k].managed) {
			conv_apply_key(c, (enum rules_mpm_key)k);
		}
	}
	/* whole-line rewrites first: an insertion may add a final newline */
	if (c->from != c->to) {
		conv_edit_loadmodule(c);
		conv_rename_guards(c);
	}
	conv_do_inserts(c);
	if (c->to == RULES_MPM_EVENT && c->from != c->to) {
		conv_fix_mutexes(c, c->doc, 0);
		if (c->r->extra != NULL) {
			conv_fix_mutexes(c, c->r->extra, 0);
		}
	}
}

static void
release(struct conv *c)
{
	int k;

	for (k = 0; k < RULES_K__COUNT; k++) {
		free(c->w[k].action);
		free(c->removed[k]);
	}
	free(c->deb_dead[0]);
	free(c->deb_dead[1]);
	free(c->g);
	free(c->sm);
	free(c->e);
	free(c->t);
	free(c->loads);
	rules_result_free(&c->res);
}

enum conv_status
conv_run(
    struct hconf_doc *doc, const struct conv_opts *o, struct conv_result *r)
{
	struct conv c;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.r = r;
	c.doc = doc;
	c.to = r->to = o->to;
	r->status = CONV_OK;
	if (start(&c) == 0 && survey(&c) == 0 && conv_plan(&c) == 0) {
		edit(&c);
		if (r->status != CONV_FAILED && conv_verify(&c) == 0 &&
		    conv_check_memory(&c) == 0) {
			conv_build_ledger(&c);
			conv_collect_outputs(&c);
			conv_drop_unused_conf_link(&c);
		}
	}
	release(&c);
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
	for (i = 0; i < r->nmemory; i++) {
		free(r->memory[i]);
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

