/*
 * lsp_lint.c - which configuration an edited file belongs to, linting
 * it as mpmlint does on the command line (rules_lint(), then filter.c:
 * .mpmlint.yaml and suppression comments), and publishing the findings
 * of every file read as textDocument/publishDiagnostics, clearing the
 * files whose findings went away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"
#include "output.h"
#include "resource.h"

#define RULE_DOC OUT_HELP_URI

static int
streq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The URI of a file read: the open document's when one is it. */
static char *
file_uri(struct lsp *s, const struct hconf_file *f)
{
	const char *real = f->real != NULL ? f->real : f->path;
	struct lsp_doc *d = lsp_doc_by_real(s, real);
	char *r, *u;

	if (d != NULL) {
		return hconf_xstrdup(d->uri);
	}
	if (lsp_doc_maybe(s, real) && (r = realpath(real, NULL)) != NULL) {
		d = lsp_doc_by_real(s, r);
		u = d != NULL ? hconf_xstrdup(d->uri) : lsp_path_uri(r);
		free(r);
		return u;
	}
	return lsp_path_uri(real);
}

/* A byte offset of file fid as an LSP position, through the line index. */
static void
jpos(struct jb *b, const struct hconf_doc *doc, uint32_t fid, uint32_t off)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	uint32_t line, col;

	if (off > f->len) {
		off = f->len;
	}
	hconf_linecol(doc, fid, off, &line, &col);
	jb_fmt(b, "{\"line\":%u,\"character\":%zu}", line - 1,
	    lsp_u16len(f->buf + off - (col - 1), col - 1));
}

/* The end of the word at off: to white space, '>' or the line's end. */
static uint32_t
word_end(const struct hconf_file *f, uint32_t off)
{
	uint32_t e = off;

	while (e < f->len && f->buf[e] != ' ' && f->buf[e] != '\t' &&
	    f->buf[e] != '\n' && f->buf[e] != '\r' &&
	    (f->buf[e] != '>' || e == off)) {
		e++;
	}
	if (e == off) {
		while (e < f->len && f->buf[e] != '\n') {
			e++;
		}
	}
	return e;
}

void
lsp_jrange(struct jb *b, const struct hconf_doc *doc, uint32_t fid,
    uint32_t off, uint32_t end)
{
	jb_raw(b, "{\"start\":");
	jpos(b, doc, fid, off);
	jb_raw(b, ",\"end\":");
	jpos(b, doc, fid, end);
	jb_raw(b, "}");
}

/* One DiagnosticRelatedInformation; *first says whether a comma goes before. */
static void
related(struct lsp *s, struct jb *b, const struct hconf_doc *doc,
    uint32_t fid, uint32_t off, const char *msg, int *first)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	char *uri;

	if (f == NULL || (fid & HCONF_FILE_MACRO) != 0) {
		return;
	}
	uri = file_uri(s, f);
	jb_raw(b, *first ? "" : ",");
	*first = 0;
	jb_raw(b, "{\"location\":{\"uri\":");
	jb_cstr(b, uri);
	jb_raw(b, ",\"range\":");
	lsp_jrange(b, doc, fid, off, word_end(f, off));
	jb_raw(b, "},\"message\":");
	jb_cstr(b, msg);
	jb_raw(b, "}");
	free(uri);
}

static uint32_t
node_off(const struct hconf_node *n)
{
	return n->name.len > 0 ? n->name.off : n->full.off;
}

/*
 * MPM023 names the line it overrides in its message ("... set at
 * PATH:LINE; the last one wins"): that line, as file id and offset.
 */
static int
overridden(const struct hconf_doc *doc, const struct rules_finding *f,
    uint32_t *fid, uint32_t *off)
{
	const char *at, *end, *colon;
	uint32_t i, n = hconf_doc_nfiles(doc);
	unsigned long line;

	if (strcmp(f->info->id, "MPM023") != 0 ||
	    (at = strstr(f->msg, " set at ")) == NULL ||
	    (end = strstr(at, "; the last one wins")) == NULL) {
		return 0;
	}
	at += 8;
	for (colon = end; colon > at && *colon != ':'; colon--) {
		continue;
	}
	line = strtoul(colon + 1, NULL, 10);
	for (i = 0; i < n && colon > at; i++) {
		const struct hconf_file *hf = hconf_doc_file(doc, i);
		uint32_t l, c;

		hconf_linecol(doc, i, 0, &l, &c); /* builds hf->lines */
		if (strlen(hf->path) == (size_t)(colon - at) &&
		    memcmp(hf->path, at, (size_t)(colon - at)) == 0 &&
		    hf->lines != NULL && line >= 1 && line <= hf->nlines) {
			*fid = i;
			*off = hf->lines[line - 1];
			while (*off < hf->len && (hf->buf[*off] == ' ' ||
			    hf->buf[*off] == '\t')) {
				(*off)++;
			}
			return 1;
		}
	}
	return 0;
}

/* The other places of finding f: macro body, Include, LoadModule, the
 * line an override hides. */
static void
related_all(struct lsp *s, struct jb *b, const struct lsp_proj *p,
    const struct rules_finding *f)
{
	const struct hconf_doc *doc = p->doc;
	const struct hconf_file *hf = hconf_doc_file(doc, f->file_id);
	uint32_t ofid, ooff;
	int first = 1, depth;

	jb_raw(b, ",\"relatedInformation\":[");
	if (f->has_ctx && hconf_doc_file(doc, f->ctx_file) != NULL) {
		const struct hconf_file *cf = hconf_doc_file(doc, f->ctx_file);
		uint32_t off = f->ctx_line >= 1 && f->ctx_line <= cf->nlines &&
		    cf->lines != NULL ? cf->lines[f->ctx_line - 1] : 0;

		related(s, b, doc, f->ctx_file, off, "the line in the macro",
		    &first);
	}
	/* the Include chain, innermost first (depth is capped by the parser) */
	for (depth = 0; hf != NULL && hf->incl_node != NULL &&
	    depth < OUT_CHAIN_MAX; depth++) {
		const struct hconf_node *in = hf->incl_node;

		related(s, b, doc, in->file_id, node_off(in),
		    "included from here", &first);
		hf = hconf_doc_file(doc, in->file_id);
	}
	if (overridden(doc, f, &ofid, &ooff)) {
		related(s, b, doc, ofid, ooff, "the value this line overrides",
		    &first);
	}
	if (p->raw.mpm_node != NULL && strncmp(f->info->id, "MPM", 3) == 0) {
		related(s, b, doc, p->raw.mpm_node->file_id,
		    node_off(p->raw.mpm_node), "the MPM is loaded here",
		    &first);
	}
	jb_raw(b, "]");
}

static int
lsp_severity(enum hconf_severity sev)
{
	return sev >= HCONF_SEV_ERROR ? 1 : sev == HCONF_SEV_WARNING ? 2 : 3;
}

static void
diagnostic(struct lsp *s, struct jb *b, const struct lsp_proj *p,
    const struct rules_finding *f)
{
	const struct hconf_file *hf = hconf_doc_file(p->doc, f->file_id);
	uint32_t off = f->off <= hf->len ? f->off : hf->len;

	jb_raw(b, "{\"range\":");
	lsp_jrange(b, p->doc, f->file_id, off, word_end(hf, off));
	jb_fmt(b, ",\"severity\":%d,\"code\":", lsp_severity(f->sev));
	jb_cstr(b, f->info->id);
	jb_raw(b, ",\"codeDescription\":{\"href\":\"" RULE_DOC);
	jb_raw(b, f->info->id);
	jb_raw(b, ".md\"},\"source\":\"mpmlint\",\"message\":");
	jb_cstr(b, f->msg);
	related_all(s, b, p, f);
	jb_raw(b, "}");
}

static void
publish(struct lsp *s, const char *uri, struct jb *diags)
{
	struct jb b = {NULL, 0, 0};

	jb_raw(&b, "{\"jsonrpc\":\"2.0\",\"method\":"
	    "\"textDocument/publishDiagnostics\",\"params\":{\"uri\":");
	jb_cstr(&b, uri);
	jb_raw(&b, ",\"diagnostics\":[");
	if (diags != NULL) {
		jb_mem(&b, diags->p, diags->n);
	}
	jb_raw(&b, "]}}");
	lsp_send(s, &b);
	jb_free(&b);
}

static int
has_uri(char **v, size_t n, const char *uri)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], uri) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Diagnostics of every file of p; clear those published before and
 * clean now. */
static void
publish_proj(struct lsp *s, struct lsp_proj *p)
{
	const struct rules_result *res = &p->fr.res;
	uint32_t fid, nf = hconf_doc_nfiles(p->doc);
	char **now = NULL;
	size_t nnow = 0, i;

	for (fid = 0; fid < nf; fid++) {
		const struct hconf_file *f = hconf_doc_file(p->doc, fid);
		struct jb d = {NULL, 0, 0};
		struct lsp_doc *od = lsp_doc_by_real(s, f->real ? f->real :
		    f->path);
		char *uri;
		int open = od != NULL, any = 0;
		uint32_t ofid;

		if (od != NULL && lsp_proj_of(s, od, &ofid) != p) {
			continue;       /* another configuration shows it */
		}
		uri = file_uri(s, f);

		for (i = 0; i < res->n; i++) {
			if (res->f[i].file_id != fid) {
				continue;
			}
			jb_raw(&d, any ? "," : "");
			diagnostic(s, &d, p, &res->f[i]);
			any = 1;
		}
		if ((any || open || has_uri(p->uris, p->nuris, uri)) &&
		    !has_uri(now, nnow, uri)) {
			publish(s, uri, &d);
			if (any) {
				now = hconf_xrealloc(now, (nnow + 1) *
				    sizeof(*now));
				now[nnow++] = uri;
				uri = NULL;
			}
		}
		free(uri);
		jb_free(&d);
	}
	for (i = 0; i < p->nuris; i++) {
		if (!has_uri(now, nnow, p->uris[i])) {
			publish(s, p->uris[i], NULL);
		}
	}
	cli_free_strings(p->uris, p->nuris);
	p->uris = now;
	p->nuris = nnow;
}

static void
proj_clear(struct lsp_proj *p)
{
	if (p->doc != NULL) {
		filter_free(&p->fr);
		rules_result_free(&p->raw);
		hconf_doc_free(p->doc);
		p->doc = NULL;
	}
	config_free(&p->cfg);
}

/* Read p's .mpmlint.yaml again (it may have changed); errors logged. */
static void
proj_config(struct lsp *s, struct lsp_proj *p)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *err;

	config_init(&p->cfg);
	if (p->config == NULL || (err = open_memstream(&msg, &len)) == NULL) {
		return;
	}
	if (config_load(p->config, &p->cfg, err) != 0) {
		config_free(&p->cfg);
		config_init(&p->cfg);
	}
	fclose(err);
	if (len > 0) {
		lsp_log(s, 1, "%s", msg);
	}
	free(msg);
}

/*
 * The resource checks (MPM042-MPM046) with what .mpmlint.yaml's profile
 * gives, as mpmlint reads it without options: capacity always, the RAM
 * comparison only when the profile names the RAM, sizes from the
 * profile or the documented defaults.
 */
static void
proj_resources(const struct lsp_proj *p, const struct hconf_doc *doc,
    struct rules_result *raw)
{
	const struct config_profile *pr = &p->cfg.profile;
	struct rules_res_in in;
	struct rules_resource out;

	memset(&in, 0, sizeof(in));
	if (pr->set && (pr->given & CONFIG_PROF_RAM) && raw->have_eff) {
		in.memory = 1;
		in.ram = pr->ram;
		in.ram_src = RULES_SRC_OPTION;
		in.ram_what = "the profile's ram";
		in.process_src = in.thread_src = RULES_SRC_PROFILE;
		in.process_size = pr->process_size;
		if (!(pr->given & CONFIG_PROF_PROCESS)) {
			in.process_size = rules_res_default_process_size(doc,
			    raw->eff.mpm);
			in.process_src = RULES_SRC_DEFAULT;
		}
		in.thread_size = pr->thread_size;
		if (!(pr->given & CONFIG_PROF_THREAD)) {
			in.thread_size = RULES_RES_THREAD_SIZE;
			in.thread_src = RULES_SRC_DEFAULT;
		}
		if (pr->given & CONFIG_PROF_RESERVE) {
			in.reserve = pr->reserve;
			in.reserve_src = RULES_SRC_PROFILE;
		}
		if (pr->given & CONFIG_PROF_THRESHOLD) {
			in.threshold = pr->threshold;
		}
	}
	rules_resource_check(doc, &in, raw, &out);
}

void
lsp_proj_parse(struct lsp *s, const struct lsp_proj *p,
    struct hconf_doc **docp, struct rules_result *raw)
{
	struct cli_parse cp = *s->cp;
	struct rules_config rc;
	struct lsp_doc *d;
	FILE *fp;

	memset(&rc, 0, sizeof(rc));
	rc.force_mpm = s->o.mpm != RULES_MPM_NONE ? s->o.mpm :
	    p->cfg.mpm != RULES_MPM_NONE ? p->cfg.mpm : s->init_mpm;
	cli_parse_mpm(&cp, rc.force_mpm != RULES_MPM_NONE ?
	    rules_mpm_name(rc.force_mpm) : NULL);
	cp.opts.defines = cp.defines;
	if (p->cfg.root != NULL || s->init_root != NULL) {
		cp.opts.root = p->cfg.root != NULL ? p->cfg.root : s->init_root;
	}
	if (p->cfg.httpd_version != NULL && cp.opts.version == NULL) {
		cp.opts.version = p->cfg.httpd_version;
	}
	cp.opts.read = lsp_read_hook;
	cp.opts.read_ctx = s;
	d = lsp_doc_by_real(s, p->main);
	if (d != NULL && cp.opts.root == NULL &&
	    (fp = fopen(p->main, "r")) == NULL) {
		/* a buffer never saved */
		*docp = hconf_parse_buffer(p->main, d->text, d->len, &cp.opts);
	} else {
		if (d != NULL && cp.opts.root == NULL) {
			fclose(fp);
		}
		*docp = hconf_parse_file(p->main, &cp.opts);
	}
	rules_lint(*docp, &rc, raw);
	proj_resources(p, *docp, raw);
	if (raw->n > 0) {
		rules_sort(raw);
	}
}

static void
proj_lint(struct lsp *s, struct lsp_proj *p)
{
	struct filter_opts fo;

	proj_clear(p);
	proj_config(s, p);
	lsp_proj_parse(s, p, &p->doc, &p->raw);
	memset(&fo, 0, sizeof(fo));
	fo.cfg = &p->cfg;
	fo.cli_sev = s->o.cli_sev;
	fo.inline_suppress = !s->o.no_inline;
	filter_run(p->doc, p->main, &p->raw, &fo, &p->fr);
}

/* 1 when p read the file real (a path as lsp_doc.real). */
static int
proj_reads(const struct lsp_proj *p, const struct lsp_doc *d, uint32_t *fid)
{
	uint32_t i, n;

	if (p->doc == NULL) {
		return 0;
	}
	n = hconf_doc_nfiles(p->doc);
	for (i = 0; i < n; i++) {
		const struct hconf_file *f = hconf_doc_file(p->doc, i);
		const char *r = f->real != NULL ? f->real : f->path;

		if (streq(r, d->real) || streq(r, d->path) ||
		    (i == 0 && streq(p->main, d->path))) {
			*fid = i;
			return 1;
		}
	}
	return 0;
}

static struct lsp_proj *
proj_get(struct lsp *s, const char *main, const char *config)
{
	struct lsp_proj *p;

	for (p = s->projs; p != NULL; p = p->next) {
		if (streq(p->main, main) && streq(p->config, config)) {
			return p;
		}
	}
	p = hconf_xcalloc(1, sizeof(*p));
	p->main = hconf_xstrdup(main);
	p->config = config != NULL ? hconf_xstrdup(config) : NULL;
	config_init(&p->cfg);
	p->next = s->projs;
	s->projs = p;
	return p;
}

/*
 * The configuration of d: main: of the .mpmlint.yaml above it, else
 * initializationOptions' main, else d alone.  Linted at once when new.
 */
static struct lsp_proj *
proj_for(struct lsp *s, struct lsp_doc *d)
{
	char *cfgpath = s->o.config != NULL ? hconf_xstrdup(s->o.config) :
	    s->o.no_config ? NULL : config_locate(d->path, NULL);
	struct config c;
	struct lsp_proj *p;
	const char *main = NULL;
	uint32_t fid;
	FILE *quiet;

	config_init(&c);
	if (cfgpath != NULL && (quiet = fopen("/dev/null", "w")) != NULL) {
		/* errors are logged when the configuration is linted */
		if (config_load(cfgpath, &c, quiet) == 0) {
			main = c.main;
		}
		fclose(quiet);
	}
	if (main == NULL) {
		main = s->init_main;
	}
	if (main == NULL && (p = lsp_proj_of(s, d, &fid)) != NULL &&
	    !streq(p->main, d->path)) {
		/* an open configuration includes it: linted there */
		config_free(&c);
		free(cfgpath);
		return p;
	}
	p = proj_get(s, main != NULL ? main : d->path, cfgpath);
	if (p->doc == NULL) {
		proj_lint(s, p);
		p->fresh = 1;
	}
	if (!proj_reads(p, d, &fid)) {
		/* not part of that configuration: linted as a fragment */
		p = proj_get(s, d->path, cfgpath);
	}
	config_free(&c);
	free(cfgpath);
	return p;
}

struct lsp_proj *
lsp_proj_of(struct lsp *s, const struct lsp_doc *d, uint32_t *fid)
{
	struct lsp_proj *p;

	/* a configuration that includes d, before d linted alone */
	for (p = s->projs; p != NULL; p = p->next) {
		if (!streq(p->main, d->path) && proj_reads(p, d, fid)) {
			return p;
		}
	}
	for (p = s->projs; p != NULL; p = p->next) {
		if (proj_reads(p, d, fid)) {
			return p;
		}
	}
	return NULL;
}

/* 1 when another configuration than p publishes uri. */
static int
published_elsewhere(const struct lsp *s, const struct lsp_proj *p,
    const char *uri)
{
	const struct lsp_proj *q;

	for (q = s->projs; q != NULL; q = q->next) {
		if (q != p && has_uri(q->uris, q->nuris, uri)) {
			return 1;
		}
	}
	return 0;
}

/* Forget configurations no open document belongs to (cleared first). */
static void
proj_gc(struct lsp *s)
{
	struct lsp_proj **pp = &s->projs, *p;

	while ((p = *pp) != NULL) {
		struct lsp_doc *d;
		uint32_t fid;
		size_t i;

		for (d = s->docs; d != NULL && lsp_proj_of(s, d, &fid) != p;
		    d = d->next) {
			continue;
		}
		if (d != NULL) {
			pp = &p->next;
			continue;
		}
		for (i = 0; i < p->nuris; i++) {
			if (!published_elsewhere(s, p, p->uris[i])) {
				publish(s, p->uris[i], NULL);
			}
		}
		*pp = p->next;
		proj_clear(p);
		cli_free_strings(p->uris, p->nuris);
		free(p->main);
		free(p->config);
		free(p);
	}
}

void
lsp_relint(struct lsp *s)
{
	struct lsp_proj *p;
	struct lsp_doc *d;
	long long t0 = lsp_now();
	uint32_t fid;
	int n = 0;

	for (d = s->docs; d != NULL; d = d->next) {
		if (!d->dirty) {
			continue;
		}
		d->dirty = 0;
		proj_for(s, d)->dirty = 1;
		for (p = s->projs; p != NULL; p = p->next) {
			if (proj_reads(p, d, &fid)) {
				p->dirty = 1;
			}
		}
	}
	for (p = s->projs; p != NULL; p = p->next) {
		if (p->dirty) {
			p->dirty = 0;
			if (!p->fresh) {
				proj_lint(s, p);
			}
			p->fresh = 0;
			publish_proj(s, p);
			n++;
		}
		p->fresh = 0;
	}
	proj_gc(s);
	if (getenv("MPMLINT_LSP_TIMING") != NULL) {
		lsp_log(s, 4, "relint: %d configuration(s) in %lld ms", n,
		    lsp_now() - t0);
	}
}

void
lsp_projs_free(struct lsp *s)
{
	struct lsp_proj *p, *next;

	for (p = s->projs; p != NULL; p = next) {
		next = p->next;
		proj_clear(p);
		cli_free_strings(p->uris, p->nuris);
		free(p->main);
		free(p->config);
		free(p);
	}
	s->projs = NULL;
}

const struct hconf_file *
lsp_proj_file(const struct lsp_proj *p, uint32_t fid)
{
	return hconf_doc_file(p->doc, fid);
}
