/*
 * engine.c - walk a parsed document as httpd would (active nodes, in
 * reading order, through Includes), send each node to the checks, run
 * the MPM model and record findings.  The checks themselves are in
 * engine_mpm.c, engine_regex.c, engine_generic.c and engine_read.c
 * (engine_int.h); modcheck.c and readtime.c decide for them.  It never
 * prints; the CLI formats the result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "directives.h"
#include "ieq.h"
#include "expr.h"
#include "modcheck.h"
#include "readtime.h"

static const struct rules_info rule_table[] = {
#define RULE(e, id, name, sev, sum) {id, name, sev, sum},
#include "rules.def"
#undef RULE
};

static struct rules_info *catalogue;
static size_t ncatalogue;

/* The parser's catalogue and ours, built once (immutable afterwards). */
const struct rules_info *
rules_catalogue(size_t *n)
{
	if (catalogue == NULL) {
		size_t np, i;
		const struct hconf_diag_info *d = hconf_diag_catalogue(&np);
		struct rules_info *c = hconf_xcalloc(np + R__COUNT, sizeof(*c));

		for (i = 0; i < np; i++) {
			c[i].id = d[i].id;
			c[i].name = d[i].name;
			c[i].sev = d[i].sev;
			c[i].summary = d[i].summary;
		}
		for (i = 0; i < R__COUNT; i++) {
			c[np + i] = rule_table[i];
		}
		ncatalogue = np + R__COUNT;
		catalogue = c;
	}
	*n = ncatalogue;
	return catalogue;
}

const struct rules_info *
rules_find(const char *s)
{
	size_t n, i;
	const struct rules_info *c = rules_catalogue(&n);

	for (i = 0; i < n; i++) {
		if (hconf_ieq(c[i].id, s) || strcmp(c[i].name, s) == 0) {
			return &c[i];
		}
	}
	return NULL;
}

#define MAX_PER_RULE 200

/*
 * A finding inside a macro expansion is reported at the Use line that
 * expanded it, with the <Macro> body line as its context (the parser
 * does the same for its own diagnostics).
 */
static void
macro_relocate(struct rules_walk *c, struct rules_finding *f)
{
	const struct hconf_node *use = NULL;
	const struct hconf_file *mf = hconf_doc_file(c->doc, f->file_id), *bf;
	uint32_t bfile, boff;
	char *msg;
	int len;

	if (!hconf_macro_origin(c->doc, f->file_id, f->off, &use, &bfile,
	    &boff) || use == NULL) {
		return;
	}
	f->has_ctx = 1;
	f->ctx_file = bfile;
	hconf_linecol(c->doc, bfile, boff, &f->ctx_line, &f->ctx_col);
	bf = hconf_doc_file(c->doc, bfile);
	len = snprintf(NULL, 0, "%s (in macro '%s', %s:%u)", f->msg, mf->macro,
	    bf != NULL ? bf->path : "?", f->ctx_line);
	msg = hconf_xmalloc((size_t)len + 1);
	snprintf(msg, (size_t)len + 1, "%s (in macro '%s', %s:%u)", f->msg,
	    mf->macro, bf != NULL ? bf->path : "?", f->ctx_line);
	free(f->msg);
	f->msg = msg;
	f->file_id = use->file_id;
	f->off = use->name.off;
	hconf_linecol(c->doc, f->file_id, f->off, &f->line, &f->col);
	f->line = use->line_last;
}

void
rules_add_finding(struct rules_walk *c, const struct rules_info *info,
    uint32_t file_id, uint32_t off, uint32_t line, const char *httpd,
    const struct hconf_node *node, const char *fmt, ...)
{
	struct rules_result *r = c->res;
	struct rules_finding *f;
	va_list ap;
	char *msg;
	int len;
	size_t ci = (size_t)(info - rules_catalogue(&(size_t){0}));

	/* A pathological file can repeat one mistake 100,000 times: keep
	 * the first ones and count the rest (reported at the end). */
	if (c->counts != NULL && c->counts[ci]++ >= MAX_PER_RULE) {
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->f = hconf_xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->info = info;
	f->sev = info->sev;
	f->file_id = file_id;
	f->off = off;
	hconf_linecol(c->doc, file_id, off, &f->line, &f->col);
	if (line != 0) {
		f->line = line;
	}
	f->httpd = httpd;
	f->node = node;
	f->seq = r->n - 1;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = hconf_xmalloc(len > 0 ? (size_t)len + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	va_end(ap);
	f->msg = msg;
	macro_relocate(c, f);
}

size_t
rules_np(void)
{
	size_t n;

	hconf_diag_catalogue(&n);
	return n;
}

/* A finding at a node's name, with httpd's line for it. */
void
rules_at_node(struct rules_walk *c, enum rule_code code,
    const struct hconf_node *n, const char *httpd, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rules_add_finding(c, RULE_INFO(code), n->file_id, n->name.off,
	    n->line_last, httpd, n, "%s", buf);
}

void
rules_at_arg(struct rules_walk *c, enum rule_code code,
    const struct hconf_node *n, uint32_t i, const char *httpd,
    const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	uint32_t off = i < n->nargs ? n->args[i].raw.off : n->name.off;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rules_add_finding(c, RULE_INFO(code), n->file_id, off, n->line_last,
	    httpd, n, "%s", buf);
}

/* ---- the walk ------------------------------------------------------- */

typedef void (*visit_fn)(struct rules_walk *, const struct hconf_node *);

/* Enter section n: a conditional one stands for the section around it. */
static void
sec_push(struct rules_walk *c, const struct hconf_node *n)
{
	size_t top = c->nsecs;

	if (c->nsecs == c->capsecs) {
		c->capsecs = c->capsecs ? c->capsecs * 2 : 64;
		c->secs = hconf_xrealloc(c->secs, c->capsecs * sizeof(*c->secs));
		c->secbits = hconf_xrealloc(c->secbits,
		    c->capsecs * sizeof(*c->secbits));
	}
	if (n->flags & HCONF_NODE_COND) {
		c->secs[top] = top ? c->secs[top - 1] : NULL;
		c->secbits[top] = top ? c->secbits[top - 1] : 0;
	} else {
		c->secs[top] = n;
		c->secbits[top] = c->dn_node == n ?
		    rules_section_kind_dn(c->dn.dn) :
		    rules_section_kind(n->word);
	}
	c->nsecs++;
}

/*
 * Visit the active nodes of file fid in reading order, entering the
 * files each Include read right after the Include line.  The stack of
 * enclosing sections is kept on the way so lookups stay O(1).
 */
static void
walk_file(struct rules_walk *c, uint32_t fid, visit_fn fn)
{
	const struct hconf_file *f = hconf_doc_file(c->doc, fid);
	const struct hconf_node *n;

	for (n = f->root->first; n != NULL;) {
		if (n->flags & HCONF_NODE_ACTIVE) {
			c->skip_children = 0;
			fn(c, n);
			if (n->nincl > 0) {
				uint32_t i;

				for (i = 0; i < n->nincl; i++) {
					walk_file(c, n->incl[i], fn);
				}
			}
			if (n->kind == HCONF_SECTION && n->first != NULL &&
			    !c->skip_children &&
			    (!(n->flags & HCONF_NODE_COND) ||
			    (n->flags & HCONF_NODE_TRUE))) {
				sec_push(c, n);
				n = n->first;
				continue;
			}
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n == NULL || n->kind == HCONF_DOC) {
				return;
			}
			c->nsecs--;
		}
		n = n->next;
	}
}

int
rules_unquoted_hash_arg(const struct hconf_node *n, uint32_t from)
{
	uint32_t i;

	for (i = from; i < n->nargs; i++) {
		if (n->args[i].quote == 0 && n->args[i].value[0] == '#') {
			return (int)i;
		}
	}
	return -1;
}

/* 1 when some loaded module is not one Debian ships: its directives
 * are unknown to us, so "Invalid command" cannot be decided. */
static int
third_party_loaded(const struct hconf_doc *doc)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	for (i = 0; i < n; i++) {
		if (!rules_module_known(m[i].ident)) {
			return 1;
		}
	}
	return 0;
}

/* Names that mod_ssl and mod_proxy_hcheck add to ap_expr. */
static unsigned
expr_flags_of(const struct hconf_doc *doc, int third_party)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);
	unsigned f = third_party ? RULES_EXPR_ANYNAME : 0;

	for (i = 0; i < n; i++) {
		if (strcmp(m[i].ident, "ssl_module") == 0) {
			f |= RULES_EXPR_SSL;
		} else if (strcmp(m[i].ident, "proxy_hcheck_module") == 0) {
			f |= RULES_EXPR_HCHECK;
		}
	}
	return f;
}

/*
 * <Limit> and the authorization sections: core's and mod_authz_core's
 * checks of the section as a whole (modcheck.c decides).
 */
static void
check_access_section(struct rules_walk *c, const struct hconf_node *n)
{
	char abuf[200];
	const struct hconf_node *at;
	unsigned dn = c->dn.dn;

	/* the checks below say nothing of any other section */
	if (dn != DN_LIMIT && dn != DN_LIMITEXCEPT && dn != DN_REQUIREALL &&
	    dn != DN_REQUIREANY && dn != DN_REQUIRENONE) {
		return;
	}
	if (rules_limit_check(n, abuf, sizeof(abuf))) {
		rules_at_node(c, R_MODULE_REFUSED, n, "AH00526", "%s", abuf);
		c->skip_children = 1;
	} else if (rules_authz_section_check(n, abuf, sizeof(abuf))) {
		rules_at_node(c, R_MODULE_REFUSED, n, "AH00526", "%s", abuf);
	} else if (!c->authz_failed &&
	    rules_authz_negative_check(n, &at, abuf, sizeof(abuf))) {
		/* a check_config hook: the first failure ends the checks,
		 * and httpd says so (AH00014) */
		c->authz_failed = 1;
		rules_at_node(c, R_MODULE_REFUSED, at, "AH01624", "%s", abuf);
		rules_at_node(c, R_MODULE_REFUSED, at, "AH00014",
		    "Configuration check failed (apache2 -t stops here)");
		c->res->f[c->res->n - 1].sev = HCONF_SEV_NOTE;
	}
}

/* A section, at its opening line (visit() has checked its name). */
static void
visit_section(struct rules_walk *c, const struct hconf_node *n)
{
	/* mod_macro keeps a <Macro> body as text until Use */
	if (c->dn.dn == DN_MACRO) {
		c->skip_children = 1;
	}
	if ((n->flags & HCONF_NODE_COND) && c->dn.dn == DN_IFMODULE) {
		rules_check_ifmodule(c, n);
	}
	if (!(n->flags & HCONF_NODE_COND) && !rules_check_generic(c, n)) {
		return;
	}
	rules_check_section_context(c, n);
	if (c->dn.bits & DG_REGEX) {
		rules_check_regex(c, n);
	}
	if (!(n->flags & HCONF_NODE_COND)) {
		check_access_section(c, n);
	}
	if (!(n->flags & HCONF_NODE_COND) &&
	    (c->dn.dn == DN_IF || c->dn.dn == DN_ELSEIF ||
	    c->dn.dn == DN_ELSE)) {
		rules_check_if_section(c, n);
	}
}

/*
 * The bytes of n from its name to the end of its last argument, as
 * written, into key: the parser's words follow from them alone (0 when
 * something else changed them, ${VAR} or an editor, when the line goes
 * on over several, or it is too long or holds a NUL).
 */
static size_t
value_line(const struct rules_walk *c, const struct hconf_node *n,
    char *key, size_t size)
{
	const unsigned other = HCONF_NODE_EXPANDED | HCONF_NODE_CONTINUED |
	    HCONF_NODE_SYNTH | HCONF_NODE_DIRTY;
	const struct hconf_file *f;
	uint32_t end;
	size_t len;

	if ((n->flags & other) || n->nargs == 0 ||
	    (f = hconf_doc_file(c->doc, n->file_id)) == NULL) {
		return 0;
	}
	end = n->args[n->nargs - 1].raw.off + n->args[n->nargs - 1].raw.len;
	if (end <= n->name.off || end - n->name.off >= size || end > f->len) {
		return 0;
	}
	len = end - n->name.off;
	memcpy(key, f->buf + n->name.off, len);
	key[len] = '\0';
	return strlen(key) == len ? len : 0;
}

/*
 * rules_value_refusal() reads the words alone: a line it passed passes
 * again (a templated configuration repeats its lines in every
 * <VirtualHost>), so a copy is looked up, not checked.
 */
static int
value_refused(struct rules_walk *c, const struct hconf_node *n,
    uint32_t *vi, char *vbuf, size_t size)
{
	char key[256];
	size_t keyed = value_line(c, n, key, sizeof(key));

	if (keyed && strset_has(&c->values_ok, key, n->nargs)) {
		return 0;
	}
	if (rules_value_refusal(n, vi, vbuf, size)) {
		return 1;
	}
	if (keyed) {
		strset_add(&c->values_ok, key, n->nargs);
	}
	return 0;
}

/*
 * A directive httpd accepted (known, in place, enough arguments): what
 * its handler refuses or warns of.  Returns 1 when a module's handler
 * stops httpd, so nothing else is said of the line.
 */
static int
visit_handlers(struct rules_walk *c, const struct hconf_node *n)
{
	char vbuf[1400];
	uint32_t vi;
	size_t before = c->res->n;

	/* a module compiles the regex before it counts the rest,
	 * but mod_rewrite and mod_alias check some words first */
	if ((c->dn.mphases & 1) && rules_check_module(c, n, 0)) {
		return 1;
	}
	if (c->dn.bits & DG_REGEX) {
		rules_check_regex(c, n);
	}
	if (c->res->n > before ||
	    ((c->dn.mphases & 2) && rules_check_module(c, n, 1))) {
		return 1;
	}
	if (c->dn.dn == DN_SETENVIFEXPR) {
		rules_check_setenvifexpr(c, n);
	}
	if ((c->dn.dn == DN_ALIAS || c->dn.dn == DN_SCRIPTALIAS) &&
	    n->nargs == 1 &&
	    !rules_in_section(c, SEC_LOCATION)) {
		rules_at_node(c, R_VALUE_REFUSED, n, "AH00526", "Alias must "
		    "have two arguments when used globally");
	}
	if ((c->dn.bits & DG_VALUE) &&
	    value_refused(c, n, &vi, vbuf, sizeof(vbuf))) {
		rules_at_arg(c, R_VALUE_REFUSED, n, vi, "AH00526", "%s", vbuf);
	}
	if (c->dn.dn == DN_SERVERALIAS &&
	    !rules_in_section(c, SEC_VHOST)) {
		rules_at_node(c, R_VALUE_REFUSED, n, "AH00526", "ServerAlias "
		    "only used in <VirtualHost>");
	}
	if (c->dn.dn == DN_ALLOWOVERRIDE &&
	    !rules_in_section(c, SEC_VHOST) &&
	    rules_in_section(c, SEC_LOCATION | SEC_FILES | SEC_IF)) {
		rules_at_node(c, R_OVERRIDE_USELESS, n, "AH00114", "Useless "
		    "use of AllowOverride (it works only in <Directory>)");
	}
	/* logged to the server's own log: a <VirtualHost>'s does
	 * not exist yet at -t, so only the main server's shows */
	if (c->dn.dn == DN_DEFAULTTYPE && n->nargs == 1 &&
	    !rules_in_section(c, SEC_VHOST) &&
	    !hconf_ieq(n->args[0].value, "off") &&
	    !hconf_ieq(n->args[0].value, "none")) {
		rules_at_arg(c, R_DEFAULTTYPE, n, 0, "AH00117", "Ignoring "
		    "deprecated use of DefaultType (httpd 2.4 has no "
		    "default type: use ForceType or AddType)");
	}
	return 0;
}

/* Mutex: the types after the mechanism (modcheck.c). */
static void
check_mutex(struct rules_walk *c, const struct hconf_node *n)
{
	char mbuf[600];
	uint32_t i;

	if (rules_mutex_check(c->doc, n, &i, mbuf, sizeof(mbuf))) {
		rules_at_arg(c, R_MUTEX_EVENT, n, i, "AH00526", "%s%s", mbuf,
		    c->mpm == RULES_MPM_EVENT && strcmp(n->args[i].value,
		    "mpm-accept") == 0 && strstr(mbuf, "not valid") ?
		    " (the event MPM has no accept mutex)" : "");
	}
}

/* KeepAlive and KeepAliveTimeout of the main server, for prefork. */
static void
note_keepalive(struct rules_walk *c, const struct hconf_node *n)
{
	if (c->dn.dn == DN_KEEPALIVE && n->nargs == 1) {
		c->keepalive = n;
		c->keepalive_on = !hconf_ieq(n->args[0].value, "off");
	} else if (c->dn.dn == DN_KEEPALIVETIMEOUT && n->nargs >= 1) {
		c->keepalive_timeout = n;
		c->keepalive_secs = strtol(n->args[0].value, NULL, 10);
		if (strstr(n->args[0].value, "ms") != NULL) {
			c->keepalive_secs /= 1000;
		}
	}
}

static void
visit(struct rules_walk *c, const struct hconf_node *n)
{
	int hash, valid;

	/*
	 * httpd skips a line whose first word is empty, but not a section
	 * with no name: "<>" is the command '<', which does not exist.
	 */
	if (n->word == NULL ||
	    (n->word[0] == '\0' && n->kind != HCONF_SECTION)) {
		return;
	}
	if (n->kind != HCONF_SECTION && n->kind != HCONF_DIRECTIVE) {
		return;
	}
	/* the one lookup of the name: the checks below dispatch on c->dn */
	rules_dirindex_name(c->dirs, n->word, n->kind == HCONF_SECTION, &c->dn);
	c->dn_node = n;
	c->mc_node = NULL;
	if (n->kind == HCONF_SECTION) {
		visit_section(c, n);
		return;
	}
	if (c->dn.mpmkey > 0) {
		rules_check_mpm_directive(c, n,
		    (enum rules_mpm_key)(c->dn.mpmkey - 1));
		return;
	}
	if (c->dn.dn == DN_ACCEPTMUTEX || c->dn.dn == DN_LOCKFILE) {
		rules_at_node(c, R_REMOVED, n, "AH00526", "Invalid command "
		    "'%s', perhaps misspelled or defined by a module not "
		    "included in the server configuration (removed in 2.4: use "
		    "Mutex)", n->word);
		return;
	}
	valid = rules_check_generic(c, n);
	if (c->dn.dn == DN_LISTEN && valid) {
		rules_check_listen(c, n);
	}
	if (c->dn.dn == DN_ERROR && valid) {
		rules_check_error_directive(c, n);
	}
	if (valid && visit_handlers(c, n)) {
		return;
	}
	if (c->dn.dn == DN_NAMEVIRTUALHOST) {
		rules_at_node(c, R_NAMEVHOST, n, "AH00548", "NameVirtualHost "
		    "has no effect and will be removed in the next release");
		return;
	}
	if (c->dn.dn == DN_MUTEX && valid) {
		check_mutex(c, n);
	}
	if (rules_enclosing_section(c) == NULL) {
		note_keepalive(c, n);
	}
	hash = rules_unquoted_hash_arg(n, 1);
	if (hash > 0) {
		rules_at_arg(c, R_TRAILING_COMMENT, n, (uint32_t)hash, NULL,
		    "'%s' after %s is not a comment: httpd passes it and what "
		    "follows as arguments", n->args[hash].value, n->word);
	}
}

/*
 * rules_config.mpm_only: the MPM directives the model reads, as visit()
 * and rules_check_mpm_directive() record them, and nothing else.  One
 * inside any ordinary section is never recorded, so the walk enters
 * only the conditional ones.
 */
static void
visit_mpm(struct rules_walk *c, const struct hconf_node *n)
{
	enum rules_mpm_key k;

	if (n->kind == HCONF_SECTION) {
		c->skip_children = !(n->flags & HCONF_NODE_COND);
	} else if (n->kind == HCONF_DIRECTIVE &&
	    rules_mpm_key_lookup(n->word, &k) &&
	    (c->mpm == RULES_MPM_NONE || rules_mpm_key_valid(c->mpm, k)) &&
	    n->nargs == 1 && n->args[0].value[0] != '\0') {
		c->res->set_at[k] = n;
		c->res->in.set[k] = 1;
		c->res->in.raw[k] = n->args[0].value;
	}
}

/* The walk and the model of rules_lint(), as rules_run_model() and
 * stop_at_read() leave eff and have_eff, with no findings. */
static void
lint_mpm_only(struct rules_walk *c)
{
	struct rules_result *r = c->res;

	walk_file(c, 0, visit_mpm);
	if (c->mpm != RULES_MPM_NONE) {
		r->in.mpm = c->mpm;
		r->in.buckets = c->cfg->buckets > 0 ? c->cfg->buckets : 1;
		(void)rules_mpm_compute(&r->in, &r->eff, NULL, 0, NULL);
		r->have_eff = !c->mpm_refused;
	}
	free(c->secs);
	free(c->secbits);
	free(c->counts);
}

static void
copy_parser_diags(struct rules_walk *c)
{
	size_t n, i;
	const struct hconf_diag *d = hconf_doc_diags(c->doc, &n);

	for (i = 0; i < n; i++) {
		const struct rules_info *info = rules_find(d[i].info->id);
		struct rules_finding *f;

		rules_add_finding(c, info, d[i].file_id, d[i].off, d[i].line,
		    d[i].httpd, NULL, "%s", d[i].msg);
		f = &c->res->f[c->res->n - 1];
		f->sev = d[i].sev;
		f->col = d[i].col;
		f->has_ctx = d[i].has_ctx;
		f->ctx_file = d[i].ctx_file;
		f->ctx_line = d[i].ctx_line;
		f->ctx_col = d[i].ctx_col;
	}
}

static int
unreadable(const struct hconf_doc *doc)
{
	size_t n, i;
	const struct hconf_diag *d = hconf_doc_diags(doc, &n);

	if (hconf_doc_nfiles(doc) == 0) {
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (d[i].file_id == 0 && strcmp(d[i].info->id, "HC001") == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * The parser's findings that httpd makes only when it walks the tree
 * (the handlers of SSLCertificateFile, DocumentRoot, Mutex, ...) or in
 * check_config (log directories), not while it reads.
 */
static int
walk_time(const char *id)
{
	static const char *const ids[] = {"HC072", "HC073", "HC074", "HC081",
	    "HC082"};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (strcmp(id, ids[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * No MPM or two loaded: httpd's ap_read_config() reads the whole tree
 * (the EXEC_ON_READ directives: LoadModule, Include, <IfModule>, Define,
 * mod_macro, ...), then ap_check_mpm() fails with AH00534 and -t stops
 * there.  Nothing of the tree walk (Invalid command, argument errors,
 * Listen, Error, <If>, DocumentRoot) nor of check_config (the MPM
 * warnings, log directories) is ever printed, and no MPM runs.  So the
 * parser's walk-time findings go, and of the findings from `from' on
 * (the walk, the model, the global checks) those that speak for httpd:
 * those with an httpd id, every error, and Invalid command whatever its
 * severity.  Plain lint advice stays.
 */
static void
stop_at_read(struct rules_walk *c, size_t from)
{
	struct rules_result *r = c->res;
	const struct rules_info *cat = rules_catalogue(&(size_t){0});
	size_t i, j = 0;

	for (i = 0; i < r->n; i++) {
		struct rules_finding *f = &r->f[i];

		/* the parser's read-time findings and the AH00534 itself
		 * stay, but not its checks of the walk and check_config */
		if (i < from ? !walk_time(f->info->id) :
		    f->httpd == NULL && f->sev != HCONF_SEV_ERROR &&
		    f->info != RULE_INFO(R_UNKNOWN)) {
			r->f[j++] = *f;
			continue;
		}
		c->counts[f->info - cat] = 0;
		free(f->msg);
	}
	r->n = j;
	r->have_eff = 0;
}

void
rules_lint(const struct hconf_doc *doc, const struct rules_config *cfg,
    struct rules_result *res)
{
	struct rules_walk c;
	static const struct rules_config defcfg;
	size_t nc, i, nread;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	rules_catalogue(&nc);
	c.counts = hconf_xcalloc(nc, sizeof(*c.counts));
	c.doc = doc;
	c.cfg = cfg ? cfg : &defcfg;
	c.keepalive_on = 1; /* httpd's default: KeepAlive On */
	c.res = res;
	if (!c.cfg->mpm_only) {
		copy_parser_diags(&c);
	}
	if (unreadable(doc)) {
		/* no verdict on a file that was never read */
		free(c.counts);
		return;
	}
	rules_detect_mpm(&c);
	nread = res->n;
	if (c.cfg->mpm_only) {
		lint_mpm_only(&c);
		return;
	}
	c.third_party = third_party_loaded(doc);
	c.expr_flags = expr_flags_of(doc, c.third_party);
	c.mod = rules_modstate_new(doc);
	c.dirs = rules_dirindex_new(doc);
	walk_file(&c, 0, visit);
	rules_modstate_free(c.mod);
	free(c.secs);
	free(c.secbits);
	free(c.ifs);
	free(c.listens);
	if (c.mpm != RULES_MPM_NONE) {
		rules_run_model(&c);
		rules_global_checks(&c);
	}
	if (c.mpm_refused || c.mpm == RULES_MPM_NONE) {
		/* two MPMs or none: ap_check_mpm() fails (AH00534) */
		stop_at_read(&c, nread);
	}
	for (i = 0; i < nc; i++) {
		if (c.counts[i] > MAX_PER_RULE) {
			const struct rules_info *info = &rules_catalogue(&nc)[i];
			size_t more = c.counts[i] - MAX_PER_RULE;

			c.counts[i] = 0; /* let the summary through */
			rules_add_finding(&c, info, 0, 0, 1, NULL, NULL, "%zu "
			    "more %s findings are not shown (only the first %d "
			    "of each rule are)", more, info->id, MAX_PER_RULE);
			c.res->f[c.res->n - 1].sev = HCONF_SEV_NOTE;
		}
	}
	rules_dirindex_free(c.dirs);
	rules_re_known_free(&c);
	strset_free(&c.values_ok);
	free(c.counts);
}

void
rules_result_free(struct rules_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->f[i].msg);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct rules_finding *x = a, *y = b;

	if (x->file_id != y->file_id) {
		return x->file_id < y->file_id ? -1 : 1;
	}
	if (x->line != y->line) {
		return x->line < y->line ? -1 : 1;
	}
	if (x->col != y->col) {
		return x->col < y->col ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
rules_sort(struct rules_result *r)
{
	/* qsort is not stable: the original order is the last key */
	if (r->n > 1) {
		qsort(r->f, r->n, sizeof(*r->f), cmp_finding);
	}
}
