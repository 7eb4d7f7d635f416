/*
 * engine.c - walk a parsed document as httpd would (active nodes, in
 * reading order, through Includes), collect the MPM settings, run the
 * MPM model and the specific checks, and record findings.  It never
 * prints; the CLI formats the result.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules.h"
#include "directives.h"
#include "ieq.h"
#include "expr.h"
#include "modcheck.h"
#include "readtime.h"
#include "resolve.h"

enum rule_code {
#define RULE(e, id, name, sev, sum) e,
#include "rules.def"
#undef RULE
	R__COUNT
};

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

struct ctx {
	const struct hconf_doc *doc;
	const struct rules_config *cfg;
	struct rules_result *res;
	enum rules_mpm mpm;
	const struct hconf_node *keepalive, *keepalive_timeout;
	int keepalive_on;
	long keepalive_secs;
	const struct hconf_node *php;
	size_t *counts;                 /* findings per catalogue entry */
	int third_party;                /* a module we have no table for */
	const struct hconf_node **listens; /* Listen lines so far */
	size_t nlistens, caplistens;
	int skip_children;              /* set by visit: do not descend */
	const struct hconf_node **secs; /* enclosing ordinary sections */
	size_t nsecs, capsecs;
	unsigned expr_flags;            /* modules that add ap_expr names */
	struct if_scope *ifs;           /* <If> chains per open scope */
	size_t nifs, capifs;
	int mpm_refused;                /* AH00534: httpd stops after reading */
	int authz_failed;               /* AH01624 said (once, as httpd) */
	struct rules_modstate *mod;     /* modcheck.c's state */
	struct rules_dirindex *dirs;    /* the directive table's index */
	struct re_seen *res_ok;         /* regexes that compiled: see re_known */
	size_t nres_ok, capres_ok;
	int resolve_gave_up;            /* a Listen name timed out */
};

/* A regex (with its compile options) that pcre2_compile accepted. */
struct re_seen {
	uint32_t hash, opts;
	char *re;
};

static uint32_t
re_hash(const char *re, uint32_t opts)
{
	uint32_t h = 2166136261u ^ opts;

	for (; *re; re++) {
		h = (h ^ (unsigned char)*re) * 16777619u;
	}
	return h;
}

/*
 * Has this regex already compiled with these options?  A generated or
 * templated configuration repeats the same RewriteRule in every
 * <VirtualHost>; compiling it once is enough, as the verdict depends
 * on the pattern and the options only.  add: remember it.
 */
static int
re_known(struct ctx *c, const char *re, uint32_t opts, int add)
{
	uint32_t h = re_hash(re, opts);
	size_t mask, i;

	if (c->capres_ok == 0) {
		if (!add) {
			return 0;
		}
		c->capres_ok = 64;
		c->res_ok = hconf_xcalloc(c->capres_ok, sizeof(*c->res_ok));
	}
	mask = c->capres_ok - 1;
	for (i = h & mask; c->res_ok[i].re != NULL; i = (i + 1) & mask) {
		if (c->res_ok[i].hash == h && c->res_ok[i].opts == opts &&
		    strcmp(c->res_ok[i].re, re) == 0) {
			return 1;
		}
	}
	if (!add) {
		return 0;
	}
	c->res_ok[i].hash = h;
	c->res_ok[i].opts = opts;
	c->res_ok[i].re = hconf_xmalloc(strlen(re) + 1);
	strcpy(c->res_ok[i].re, re);
	if (++c->nres_ok * 2 > c->capres_ok) {
		struct re_seen *old = c->res_ok;
		size_t oldcap = c->capres_ok, k;

		c->capres_ok *= 2;
		c->res_ok = hconf_xcalloc(c->capres_ok, sizeof(*c->res_ok));
		mask = c->capres_ok - 1;
		for (k = 0; k < oldcap; k++) {
			if (old[k].re == NULL) {
				continue;
			}
			for (i = old[k].hash & mask; c->res_ok[i].re != NULL;
			    i = (i + 1) & mask) {
			}
			c->res_ok[i] = old[k];
		}
		free(old);
	}
	return 0;
}

static void
re_known_free(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->capres_ok; i++) {
		free(c->res_ok[i].re);
	}
	free(c->res_ok);
}

/* The last <If>/<ElseIf>/<Else> of one scope (httpd's sec_if list). */
struct if_scope {
	const struct hconf_node *scope; /* enclosing section, NULL: server */
	int last;                       /* 0, or IF_KIND_* of the last one */
};

#define MAX_PER_RULE 200

/*
 * A finding inside a macro expansion is reported at the Use line that
 * expanded it, with the <Macro> body line as its context (the parser
 * does the same for its own diagnostics).
 */
static void
macro_relocate(struct ctx *c, struct rules_finding *f)
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

static void
add_finding(struct ctx *c, const struct rules_info *info, uint32_t file_id,
    uint32_t off, uint32_t line, const char *httpd,
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

#define RULE_INFO(code) (&rules_catalogue(&(size_t){0})[rules_np() + (code)])

static size_t
rules_np(void)
{
	size_t n;

	hconf_diag_catalogue(&n);
	return n;
}

/* A finding at a node's name, with httpd's line for it. */
static void
at_node(struct ctx *c, enum rule_code code, const struct hconf_node *n,
    const char *httpd, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_finding(c, RULE_INFO(code), n->file_id, n->name.off, n->line_last,
	    httpd, n, "%s", buf);
}

static void
at_arg(struct ctx *c, enum rule_code code, const struct hconf_node *n,
    uint32_t i, const char *httpd, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	uint32_t off = i < n->nargs ? n->args[i].raw.off : n->name.off;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_finding(c, RULE_INFO(code), n->file_id, off, n->line_last, httpd,
	    n, "%s", buf);
}

/* ---- the walk ------------------------------------------------------- */

typedef void (*visit_fn)(struct ctx *, const struct hconf_node *);

static void
sec_push(struct ctx *c, const struct hconf_node *n)
{
	const struct hconf_node *e = c->nsecs ? c->secs[c->nsecs - 1] : NULL;

	if (c->nsecs == c->capsecs) {
		c->capsecs = c->capsecs ? c->capsecs * 2 : 64;
		c->secs = hconf_xrealloc(c->secs, c->capsecs * sizeof(*c->secs));
	}
	c->secs[c->nsecs++] = (n->flags & HCONF_NODE_COND) ? e : n;
}

/*
 * Visit the active nodes of file fid in reading order, entering the
 * files each Include read right after the Include line.  The stack of
 * enclosing sections is kept on the way so lookups stay O(1).
 */
static void
walk_file(struct ctx *c, uint32_t fid, visit_fn fn)
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

/* ---- MPM detection -------------------------------------------------- */

static enum rules_mpm
mpm_of(const char *ident)
{
	if (strcmp(ident, "mpm_prefork_module") == 0) {
		return RULES_MPM_PREFORK;
	}
	if (strcmp(ident, "mpm_worker_module") == 0) {
		return RULES_MPM_WORKER;
	}
	if (strcmp(ident, "mpm_event_module") == 0) {
		return RULES_MPM_EVENT;
	}
	return RULES_MPM_NONE;
}

/* Any MPM httpd would count (mpm_itk is a module on top of prefork). */
static int
is_mpm_ident(const char *ident)
{
	size_t n = strlen(ident);

	return strncmp(ident, "mpm_", 4) == 0 && n > 11 &&
	    strcmp(ident + n - 7, "_module") == 0 &&
	    strcmp(ident, "mpm_itk_module") != 0;
}

/*
 * The MPM.  --mpm X (force_mpm) stands for X's LoadModule line before
 * the file (cli_parse_mpm() has the parser take X as loaded, so its
 * guards are true): a file that loads another MPM on top of it is
 * AH00534, as httpd says with both lines.  Should the caller not have
 * preloaded X, X still counts as the first MPM here.
 */
static void
detect_mpm(struct ctx *c)
{
	size_t n, i, count = 0;
	const struct hconf_module *m = hconf_doc_modules(c->doc, &n);
	const char *first = NULL;
	const struct hconf_node *first_node = NULL;
	static const char *const forced_ident[] = {NULL, "mpm_prefork_module",
	    "mpm_worker_module", "mpm_event_module"};
	const char *forced = NULL;

	if (c->cfg->force_mpm != RULES_MPM_NONE) {
		forced = forced_ident[c->cfg->force_mpm];
		for (i = 0; i < n; i++) {
			if (m[i].ident != NULL && strcmp(m[i].ident, forced) == 0) {
				break;
			}
		}
		if (i == n) {
			first = forced;
			count = 1;
		}
	}
	for (i = 0; i < n; i++) {
		if (m[i].ident != NULL && is_mpm_ident(m[i].ident)) {
			count++;
			if (first == NULL) {
				first = m[i].ident;
				first_node = m[i].node;
			} else if (m[i].node != NULL) {
				c->mpm_refused = 1;
				at_node(c, R_MPM_MANY, m[i].node, "AH00534",
				    "More than one MPM loaded: %s after %s%s",
				    m[i].ident, first, first_node == NULL &&
				    forced != NULL ? " (given with --mpm)" : "");
			}
		}
		if (m[i].ident != NULL && (strncmp(m[i].ident, "php", 3) == 0 ||
		    (m[i].path && strstr(m[i].path, "libphp") != NULL))) {
			c->php = m[i].node;
		}
	}
	if (c->cfg->force_mpm != RULES_MPM_NONE) {
		c->mpm = c->cfg->force_mpm;
		if (first == forced || (first != NULL &&
		    strcmp(first, forced) == 0)) {
			c->res->mpm_node = first_node;
		}
		return;
	}
	if (count == 0) {
		add_finding(c, RULE_INFO(R_MPM_NONE), 0, 0, 1, "AH00534", NULL,
		    "No MPM loaded: no LoadModule of mpm_prefork_module, "
		    "mpm_worker_module or mpm_event_module is reached "
		    "(use --mpm if the MPM is loaded elsewhere)");
		c->mpm = RULES_MPM_NONE;
		return;
	}
	c->mpm = mpm_of(first);
	c->res->mpm_node = first_node;
}

/* ---- per-directive checks -------------------------------------------- */

static const char *const help_text[RULES_K__COUNT] = {
	"Number of child processes launched at server startup",
	"Maximum number of child processes for this run of Apache",
	"Maximum number of threads alive at the same time",
	"Minimum number of idle children, to handle request spikes",
	"Maximum number of idle children",
	"Minimum number of idle threads, to handle request spikes",
	"Maximum number of idle threads",
	"Number of threads each child creates",
	"Maximum number of worker threads per child process for this run of "
	    "Apache - Upper limit for ThreadsPerChild",
	"How many additional connects will be accepted per idle worker thread",
	"Maximum number of connections a particular child serves before dying.",
	"Ratio between the number of CPU cores (online) and the number of "
	    "listeners buckets",
};

static const char *
help_for(const struct hconf_node *n, enum rules_mpm_key k, enum rules_mpm mpm)
{
	if (hconf_ieq(n->word, "MaxClients")) {
		return "Deprecated name of MaxRequestWorkers";
	}
	if (hconf_ieq(n->word, "MaxRequestsPerChild")) {
		return "Maximum number of connections a particular child serves "
		    "before dying. (DEPRECATED, use MaxConnectionsPerChild)";
	}
	if (mpm == RULES_MPM_PREFORK && k == RULES_K_MaxRequestWorkers) {
		return "Maximum number of children alive at the same time";
	}
	if (mpm == RULES_MPM_PREFORK && k == RULES_K_ServerLimit) {
		return "Maximum value of MaxRequestWorkers for this run of Apache";
	}
	return help_text[k];
}

/* The innermost enclosing section that is not a conditional. */
static const struct hconf_node *
enclosing_section(struct ctx *c)
{
	return c->nsecs ? c->secs[c->nsecs - 1] : NULL;
}

static int
unquoted_hash_arg(const struct hconf_node *n, uint32_t from)
{
	uint32_t i;

	for (i = from; i < n->nargs; i++) {
		if (n->args[i].quote == 0 && n->args[i].value[0] == '#') {
			return (int)i;
		}
	}
	return -1;
}

static int
is_int_text(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	(void)v;
	while (isspace((unsigned char)*s)) {
		s++;
	}
	return end != s && *end == '\0' && errno == 0 && v >= -2147483648L &&
	    v <= 2147483647L;
}

static void
check_mpm_directive(struct ctx *c, const struct hconf_node *n,
    enum rules_mpm_key k)
{
	struct rules_result *r = c->res;
	const struct hconf_node *sec;
	const char *canon;
	int hash;

	if (c->mpm != RULES_MPM_NONE && !rules_mpm_key_valid(c->mpm, k)) {
		at_node(c, R_FOREIGN, n, "AH00526", "Invalid command '%s', "
		    "perhaps misspelled or defined by a module not included in "
		    "the server configuration (mpm_%s is loaded; guard it with "
		    "<IfModule> or remove it)", n->word, rules_mpm_name(c->mpm));
		return;
	}
	/* httpd's messages name the directive as registered (cmd->name) */
	canon = hconf_ieq(n->word, "MaxClients") ? "MaxClients" :
	    hconf_ieq(n->word, "MaxRequestsPerChild") ?
	    "MaxRequestsPerChild" : rules_mpm_key_name(k);
	sec = enclosing_section(c);
	/* in a <VirtualHost> the handler checks the context, after
	 * invoke_cmd() has checked the argument count */
	if (sec != NULL && hconf_ieq(sec->word, "VirtualHost") &&
	    (n->nargs != 1 || n->args[0].value[0] == '\0')) {
		sec = NULL;
	}
	if (sec != NULL) {
		if (hconf_ieq(sec->word, "VirtualHost")) {
			at_node(c, R_CONTEXT, n, "AH00526", "%s cannot occur "
			    "within <VirtualHost> section", canon);
		} else {
			at_node(c, R_CONTEXT, n, "AH00526", "%s not allowed in "
			    "<%s> context", canon, sec->word);
		}
		return;
	}
	if (n->nargs != 1 || n->args[0].value[0] == '\0') {
		hash = unquoted_hash_arg(n, 1);
		if (hash > 0) {
			at_arg(c, R_TRAILING_COMMENT, n, (uint32_t)hash,
			    "AH00526", "%s takes one argument, %s ('#' starts a "
			    "comment only at the beginning of a line)", canon,
			    help_for(n, k, c->mpm));
			r->f[r->n - 1].sev = HCONF_SEV_ERROR;
		} else {
			at_node(c, R_ARGS, n, "AH00526", "%s takes one argument, "
			    "%s", canon, help_for(n, k, c->mpm));
		}
		return;
	}
	if (hconf_ieq(n->word, "MaxClients") ||
	    hconf_ieq(n->word, "MaxRequestsPerChild")) {
		int prefork = c->mpm == RULES_MPM_PREFORK;
		const char *ah = k == RULES_K_MaxConnectionsPerChild ? "AH00545"
		    : prefork ? "AH00188" : c->mpm == RULES_MPM_WORKER ?
		    "AH00324" : "AH00521";

		at_node(c, R_DEPRECATED, n, ah, "%s is deprecated; use %s "
		    "(httpd logs this only at LogLevel info)", n->word,
		    rules_mpm_key_name(k));
	}
	if (r->set_at[k] != NULL) {
		const struct hconf_node *o = r->set_at[k];
		const struct hconf_file *of = hconf_doc_file(c->doc, o->file_id);
		uint32_t line, col;

		hconf_linecol(c->doc, o->file_id, o->name.off, &line, &col);
		at_node(c, R_OVERRIDDEN, n, NULL, "%s %s overrides %s %s set at "
		    "%s:%u; the last one wins", n->word, n->args[0].value,
		    o->word, o->args[0].value, of->path, o->line_last);
	}
	if (k != RULES_K_AsyncRequestWorkerFactor &&
	    !is_int_text(n->args[0].value)) {
		at_arg(c, R_NOT_NUMBER, n, 0, NULL, "%s '%s' is not a whole "
		    "number: httpd reads it as %d", n->word, n->args[0].value,
		    hconf_atoi(n->args[0].value));
	}
	if ((k == RULES_K_AsyncRequestWorkerFactor ||
	    k == RULES_K_ListenCoresBucketsRatio) && c->mpm != RULES_MPM_NONE) {
		/*
		 * httpd runs the handler of every occurrence, and the first
		 * refused value stops it even when a later one is valid:
		 * check this occurrence on its own.
		 */
		struct rules_mpm_in one;
		struct rules_mpm_eff e1;
		struct rules_mpm_adj a1[4];
		size_t na = 0, i;

		memset(&one, 0, sizeof(one));
		one.mpm = c->mpm;
		one.set[k] = 1;
		one.raw[k] = n->args[0].value;
		rules_mpm_compute(&one, &e1, a1, 4, &na);
		for (i = 0; i < na && i < 4; i++) {
			if (a1[i].error) {
				at_arg(c, R_INVALID_VALUE, n, 0, "AH00526", "%s",
				    a1[i].msg);
			}
		}
	}
	r->set_at[k] = n;
	r->in.set[k] = 1;
	r->in.raw[k] = n->args[0].value;
}

/* ---- regular expressions --------------------------------------------- */

int
rules_regex_arg(const struct hconf_node *n, uint32_t *argi)
{
	static const char *const first[] = {"AliasMatch", "ScriptAliasMatch",
	    "RewriteRule", "BrowserMatch", "BrowserMatchNoCase",
	    "DirectoryMatch", "FilesMatch", "LocationMatch", "ProxyMatch",
	    NULL};
	size_t i;

	if (n->word == NULL) {
		return 0;
	}
	for (i = 0; first[i] != NULL; i++) {
		if (hconf_ieq(n->word, first[i])) {
			*argi = 0;
			return n->nargs > 0;
		}
	}
	if (hconf_ieq(n->word, "RedirectMatch")) {
		*argi = n->nargs >= 3 ? 1 : 0;
		return n->nargs > 0;
	}
	if (hconf_ieq(n->word, "SetEnvIf") ||
	    hconf_ieq(n->word, "SetEnvIfNoCase") ||
	    hconf_ieq(n->word, "SetEnvIfExpr")) {
		*argi = 1;
		return !hconf_ieq(n->word, "SetEnvIfExpr") && n->nargs > 1;
	}
	if (hconf_ieq(n->word, "RewriteCond")) {
		const char *p;

		*argi = 1;
		if (n->nargs < 2 || strcasecmp(n->args[0].value, "expr") == 0) {
			return 0; /* "expr" takes an ap_expr (modcheck.c) */
		}
		p = n->args[1].value;
		/* lexicographic, integer and file tests are not regexes */
		return rules_rewritecond_regex(n->args[0].value, p);
	}
	if (n->kind == HCONF_SECTION && (hconf_ieq(n->word, "Directory") ||
	    hconf_ieq(n->word, "Files") ||
	    hconf_ieq(n->word, "Location") ||
	    hconf_ieq(n->word, "Proxy")) && n->nargs >= 2 &&
	    strcmp(n->args[0].value, "~") == 0) {
		*argi = 1;
		return 1;
	}
	return 0;
}

int
rules_regex_match(void *ctx, const char *re, const char *subject,
    const char **error)
{
	int err, rc;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	pcre2_match_data *md;

	(void)ctx;
	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err,
	    &eoff, NULL);
	if (code == NULL) {
		*error = "Unable to compile regular expression";
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0,
	    md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc >= 0;
}

/*
 * Argument i of a mod_rewrite directive as its parseargline() splits
 * it: quotes, and a backslash before a blank keeps the blank in the
 * word (the backslash too).  Falls back to httpd's words for lines
 * changed by ${VAR} or joined from several physical lines.
 */
static const char *
rewrite_arg(struct ctx *c, const struct hconf_node *n, uint32_t i, char *buf,
    size_t size, uint32_t *srcoff)
{
	const struct hconf_file *f = hconf_doc_file(c->doc, n->file_id);
	const char *p, *end;
	uint32_t k;

	if (n->flags & (HCONF_NODE_EXPANDED | HCONF_NODE_CONTINUED) ||
	    n->nargs == 0) {
		return n->args[i].value;
	}
	p = f->buf + n->args[0].raw.off;
	end = f->buf + n->full.off + n->full.len;
	for (k = 0; k <= i; k++) {
		char quote;
		size_t len = 0;

		while (p < end && (*p == ' ' || *p == '\t')) {
			p++;
		}
		quote = p < end && (*p == '"' || *p == '\'') ? *p++ : 0;
		if (k == i) {
			*srcoff = (uint32_t)(p - f->buf);
		}
		for (; p < end && *p != '\n' && *p != '\r'; p++) {
			if ((!quote && (*p == ' ' || *p == '\t')) ||
			    (quote && *p == quote)) {
				break;
			}
			if (*p == '\\' && p + 1 < end &&
			    (p[1] == ' ' || p[1] == '\t')) {
				if (k == i && len + 2 < size) {
					buf[len++] = *p;
					buf[len++] = p[1];
				}
				p++;
				continue;
			}
			if (k == i && len + 1 < size) {
				buf[len++] = *p;
			}
		}
		if (p < end && quote && *p == quote) {
			p++;
		}
		if (k == i) {
			buf[len] = '\0';
			return buf;
		}
	}
	return n->args[i].value;
}

/* The words each module stops httpd with for a regex it cannot compile. */
static void
regex_refusal(const struct hconf_node *n, const char *re, char *buf,
    size_t size)
{
	static const char *const setenvif[] = {"BrowserMatch",
	    "BrowserMatchNoCase", "SetEnvIf", "SetEnvIfNoCase", NULL};
	static const char *const alias[] = {"AliasMatch", "ScriptAliasMatch",
	    "RedirectMatch", NULL};
	size_t i;

	if (hconf_ieq(n->word, "RewriteRule") ||
	    hconf_ieq(n->word, "RewriteCond")) {
		snprintf(buf, size, "%s: cannot compile regular expression '%s'",
		    hconf_ieq(n->word, "RewriteRule") ? "RewriteRule" :
		    "RewriteCond", re);
		return;
	}
	for (i = 0; setenvif[i] != NULL; i++) {
		if (hconf_ieq(n->word, setenvif[i])) {
			snprintf(buf, size, "%s regex could not be compiled.",
			    setenvif[i]);
			return;
		}
	}
	for (i = 0; alias[i] != NULL; i++) {
		if (hconf_ieq(n->word, alias[i])) {
			snprintf(buf, size, "Regular expression could not be "
			    "compiled.");
			return;
		}
	}
	/* the sections: <DirectoryMatch>, <Location ~ ...> ... */
	snprintf(buf, size, "Regex could not be compiled");
}

static void
check_regex(struct ctx *c, const struct hconf_node *n)
{
	uint32_t i, srcoff;
	const char *re, *base;
	char rebuf[4096];
	int err;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	/* ap_regcomp(): duplicate names are allowed, and the default
	 * RegexDefaultOptions are DOTALL and DOLLAR_ENDONLY */
	uint32_t opts = PCRE2_DUPNAMES | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;

	if (!rules_regex_arg(n, &i)) {
		return;
	}
	re = base = n->args[i].value;
	srcoff = UINT32_MAX;
	if (!(n->flags & HCONF_NODE_EXPANDED) && n->args[i].raw.len ==
	    strlen(base) + (n->args[i].quote ? 2u : 0u)) {
		/* the raw text maps one to one onto the value */
		srcoff = n->args[i].raw.off + (n->args[i].quote ? 1u : 0u);
	}
	if (hconf_ieq(n->word, "RewriteRule") ||
	    hconf_ieq(n->word, "RewriteCond")) {
		/* mod_rewrite splits its own arguments: "\ " keeps a blank */
		srcoff = UINT32_MAX;
		re = base = rewrite_arg(c, n, i, rebuf, sizeof(rebuf), &srcoff);
		if (*re == '!') {
			re++;
		}
	}
	if (hconf_ieq(n->word, "BrowserMatchNoCase") ||
	    hconf_ieq(n->word, "SetEnvIfNoCase")) {
		opts |= PCRE2_CASELESS;
	}
	if (re_known(c, re, opts, 0)) {
		return;
	}
	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opts, &err,
	    &eoff, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];
		uint32_t off = n->args[i].raw.off, line, col;

		pcre2_get_error_message(err, msg, sizeof(msg));
		/* point at the fault itself when we know where the word is */
		if (srcoff != UINT32_MAX) {
			off = srcoff + (uint32_t)(re - base) + (uint32_t)eoff;
		}
		hconf_linecol(c->doc, n->file_id, off, &line, &col);
		{
			char head[4200];

			regex_refusal(n, re, head, sizeof(head));
			add_finding(c, RULE_INFO(R_REGEX), n->file_id, off, line,
			    "AH00526", n, "%s (PCRE2: %s at offset %zu of '%s')",
			    head, (const char *)msg, (size_t)eoff, re);
		}
		return;
	}
	pcre2_code_free(code);
	(void)re_known(c, re, opts, 1);
}

/* ---- the visitor ------------------------------------------------------ */

/*
 * An <IfModule> name that looks like an MPM but that no module reports
 * (mod_mpm_event.c, Event.c, mpm_event.c ...).  Returns the MPM meant.
 */
static const char *
never_matches(const char *name)
{
	static const char *const mpm[] = {"prefork", "worker", "event"};
	static const char *const forms[] = {"mod_mpm_%s.c", "mpm_%s.c",
	    "mod_%s.c", "mpm_%s", "%s", "mod_mpm_%s", "mpm_%s_module",
	    "%s.c", "%s_module", "mod_mpm_%s_module"};
	enum rules_mpm m;
	size_t i, j;

	if (rules_mpm_guard(name, &m)) {
		return NULL;
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < sizeof(forms) / sizeof(forms[0]); j++) {
			char f[64];

			snprintf(f, sizeof(f), forms[j], mpm[i]);
			if (hconf_ieq(name, f)) {
				return mpm[i];
			}
		}
	}
	return NULL;
}

static int
module_loaded_later(const struct hconf_doc *doc, const char *name,
    const struct hconf_node *at)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	for (i = 0; i < n; i++) {
		if (m[i].node != NULL && (strcmp(m[i].ident, name) == 0 ||
		    strcmp(m[i].source, name) == 0) && m[i].node != at) {
			return 1;
		}
	}
	return 0;
}

static void
check_ifmodule(struct ctx *c, const struct hconf_node *n)
{
	const char *name, *meant;
	char fix[160];
	enum rules_mpm m;
	int neg = 0;

	if (n->nargs == 0) {
		return;
	}
	name = n->args[0].value;
	if (name[0] == '!') {
		neg = 1;
		name = name[1] ? name + 1 : (n->nargs > 1 ? n->args[1].value : "");
	}
	meant = never_matches(name);
	if (meant != NULL) {
		at_arg(c, R_IFMODULE_NEVER, n, 0, NULL, "<IfModule %s%s> is "
		    "always %s: no module is called '%s'; write "
		    "mpm_%s_module or %s.c (case matters)", neg ? "!" : "",
		    name, neg ? "true" : "false", name, meant, meant);
		return;
	}
	if (rules_module_misnamed(name, fix, sizeof(fix))) {
		at_arg(c, R_IFMODULE_NEVER, n, 0, NULL, "<IfModule %s%s> is "
		    "always %s: no module is called '%s'; did you mean %s? "
		    "(case matters)", neg ? "!" : "", name,
		    neg ? "true" : "false", name, fix);
		return;
	}
	if (!(n->flags & HCONF_NODE_TRUE) && !neg &&
	    module_loaded_later(c->doc, name, n)) {
		at_arg(c, R_IFMODULE_EARLY, n, 0, NULL, "<IfModule %s> is "
		    "tested before the LoadModule line of %s, so it is false "
		    "here", name, name);
		return;
	}
	if (!neg && rules_mpm_guard(name, &m) && m != c->mpm &&
	    c->mpm != RULES_MPM_NONE) {
		at_arg(c, R_GUARD_DEAD, n, 0, NULL, "<IfModule %s>: mpm_%s is "
		    "not loaded (mpm_%s is), so these settings are unused",
		    name, rules_mpm_name(m), rules_mpm_name(c->mpm));
	}
}

static int
name_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (hconf_ieq(w, *list)) {
			return 1;
		}
	}
	return 0;
}

/* Sections that only the server config or a <VirtualHost> may hold. */
static void
check_section_context(struct ctx *c, const struct hconf_node *n)
{
	static const char *const server_only[] = {"Directory",
	    "DirectoryMatch", "Location", "LocationMatch", "Proxy",
	    "ProxyMatch", "VirtualHost", NULL};
	static const char *const files[] = {"Files", "FilesMatch", NULL};
	static const char *const locations[] = {"Location", "LocationMatch",
	    NULL};
	const struct hconf_node *sec = enclosing_section(c);

	if (sec == NULL || n->flags & HCONF_NODE_COND) {
		return;
	}
	if (hconf_ieq(n->word, "VirtualHost") &&
	    hconf_ieq(sec->word, "VirtualHost")) {
		at_node(c, R_SECTION_CONTEXT, n, "AH00526", "<VirtualHost> "
		    "cannot occur within <VirtualHost> section");
	} else if (name_in(n->word, server_only) &&
	    !hconf_ieq(sec->word, "VirtualHost")) {
		at_node(c, R_SECTION_CONTEXT, n, "AH00526", "<%s not allowed "
		    "in <%s> context", n->word, sec->word);
	} else if (name_in(n->word, files)) {
		/* httpd looks through every enclosing section */
		size_t i;

		for (i = c->nsecs; i-- > 0;) {
			const struct hconf_node *o = c->secs[i];

			if (o != NULL && name_in(o->word, locations)) {
				at_node(c, R_SECTION_CONTEXT, n, "AH00526", "<%s> "
				    "cannot occur within <%s> section", n->word,
				    o->word);
				break;
			}
		}
	}
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

static int
args_ok(const struct hconf_node *n, int shape)
{
	uint32_t k = n->nargs;
	int e0 = k < 1 || n->args[0].value[0] == '\0';
	int e1 = k < 2 || n->args[1].value[0] == '\0';

	switch (shape) {
	case ARGS_TAKE1:
		return k == 1 && !e0;
	case ARGS_TAKE2:
		return k == 2 && !e0 && !e1;
	case ARGS_TAKE12:
		return k >= 1 && k <= 2 && !e0;
	case ARGS_TAKE3:
		return k == 3 && !e0 && !e1 && n->args[2].value[0] != '\0';
	case ARGS_TAKE23:
		return k >= 2 && k <= 3 && !e0 && !e1;
	case ARGS_TAKE123:
		return k >= 1 && k <= 3 && !e0;
	case ARGS_TAKE13:
		return (k == 1 || k == 3) && !e0;
	case ARGS_ITERATE:
		return !e0;
	case ARGS_ITERATE2:
		return !e0 && !e1;
	case ARGS_FLAG:
		return k == 1 && (hconf_ieq(n->args[0].value, "on") ||
		    hconf_ieq(n->args[0].value, "off"));
	case ARGS_NO_ARGS:
		return k == 0;
	default:
		return 1;
	}
}

/* Sections inside which httpd walks with ACCESS_CONF|OR_ALL. */
static int
access_section(const char *w)
{
	static const char *const s[] = {"Directory", "DirectoryMatch",
	    "Location", "LocationMatch", "Files", "FilesMatch", "If", "ElseIf",
	    "Else", "Proxy", "ProxyMatch", NULL};

	return name_in(w, s);
}

static int
in_virtualhost(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->nsecs; i++) {
		if (c->secs[i] != NULL &&
		    hconf_ieq(c->secs[i]->word, "VirtualHost")) {
			return 1;
		}
	}
	return 0;
}

/*
 * httpd's generic checks for any directive: it must exist in a loaded
 * module, sit where its override bits allow, and have the argument
 * count its shape demands.
 */
static int
check_generic(struct ctx *c, const struct hconf_node *n)
{
	char name[256];
	const struct rules_directive *d;
	const struct hconf_node *sec = enclosing_section(c);
	int is_loaded;

	if (n->kind == HCONF_SECTION) {
		if (strlen(n->word) + 2 > sizeof(name)) {
			return 1;
		}
		name[0] = '<';
		strcpy(name + 1, n->word);
	} else {
		if (strlen(n->word) + 1 > sizeof(name)) {
			return 1;
		}
		strcpy(name, n->word);
	}
	d = rules_dirindex_find(c->dirs, n->word, n->kind == HCONF_SECTION,
	    &is_loaded);
	if (d == NULL) {
		/* httpd never walks into a section it cannot run */
		c->skip_children = n->kind == HCONF_SECTION;
		/* the parser reports a byte order mark itself (HC040) */
		if (c->third_party || strncmp(name, "\xef\xbb\xbf", 3) == 0) {
			return 0;
		}
		at_node(c, R_UNKNOWN, n, "AH00526", "Invalid command '%s', "
		    "perhaps misspelled or defined by a module not "
		    "included in the server configuration", name);
		if (c->res->mpm_node == NULL) {
			/*
			 * A fragment: a third-party module loaded elsewhere
			 * may provide it.  Under --mpm X the fragment is read
			 * as httpd reads it after X's LoadModule line, which
			 * refuses it: an error, as httpd's verdict.
			 */
			struct rules_finding *f = &c->res->f[c->res->n - 1];
			char *m = NULL;
			size_t len = strlen(f->msg) + 200;

			m = hconf_xmalloc(len);
			snprintf(m, len, "%s (no module of Debian's apache2 "
			    "has it; a third-party module%s may)", f->msg,
			    c->cfg->force_mpm != RULES_MPM_NONE ?
			    " loaded elsewhere" : "");
			free(f->msg);
			f->msg = m;
			if (c->cfg->force_mpm == RULES_MPM_NONE) {
				f->sev = HCONF_SEV_NOTE;
			}
		}
		return 0;
	}
	if (!is_loaded) {
		/* A fragment loads nothing: only a whole configuration
		 * (one that loads its MPM) can miss a module. */
		if (c->res->mpm_node != NULL) {
			at_node(c, R_UNKNOWN, n, "AH00526", "Invalid command '%s', "
			    "perhaps misspelled or defined by a module not "
			    "included in the server configuration (it comes "
			    "from %s, which is not loaded)", name, d->modules);
			return 0;
		}
		return 1;
	}
	if (d->where & CTX_EXEC_ON_READ) {
		return 1;
	}
	if (n->kind == HCONF_SECTION) {
		/* nesting is check_section_context()'s; here the server and
		 * <VirtualHost> levels, e.g. "<RequireAll not allowed here" */
		if ((sec == NULL || hconf_ieq(sec->word, "VirtualHost")) &&
		    !(d->where & (CTX_RSRC_CONF | CTX_OR_OPTIONS |
		    CTX_OR_FILEINFO | CTX_OR_INDEXES))) {
			if (sec == NULL) {
				at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
				    "%s not allowed here", d->name);
			} else {
				at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
				    "%s not allowed in <VirtualHost> context",
				    d->name);
			}
			c->skip_children = 1;
			return 0;
		}
		return 1;
	}
	if (sec == NULL || hconf_ieq(sec->word, "VirtualHost")) {
		if (!(d->where & (CTX_RSRC_CONF | CTX_OR_OPTIONS |
		    CTX_OR_FILEINFO | CTX_OR_INDEXES))) {
			if (sec == NULL) {
				at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
				    "%s not allowed here", d->name);
			} else {
				at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
				    "%s not allowed in <VirtualHost> context",
				    d->name);
			}
			return 0;
		}
	} else if (access_section(sec->word)) {
		unsigned ok = CTX_ACCESS_CONF | CTX_OR_ALL;

		if (strncasecmp(sec->word, "Proxy", 5) == 0) {
			ok |= CTX_PROXY_CONF;
		}
		if (!(d->where & ok)) {
			at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526", "%s not "
			    "allowed in <%s> context", d->name, sec->word);
			return 0;
		}
	} else {
		/* <Limit>, <RequireAll> ...: httpd's rules differ; skip */
		sec = NULL;
	}
	if (!args_ok(n, d->args)) {
		const char *m = rules_args_message(d->args);

		if (d->args == ARGS_FLAG) {
			at_node(c, R_DIRECTIVE_ARGS, n, "AH00526", "%s must be On "
			    "or Off", d->name);
		} else if (m != NULL) {
			at_node(c, R_DIRECTIVE_ARGS, n, "AH00526", "%s %s%s%s",
			    d->name, m, d->help ? ", " : "",
			    d->help ? d->help : "");
		}
		return 0;
	}
	if ((d->forbid & CTX_NOT_IN_VIRTUALHOST) && in_virtualhost(c)) {
		at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526", "%s cannot occur "
		    "within <VirtualHost> section", d->name);
		return 0;
	}
	return 1;
}

/*
 * ap_set_listener's view of "[host:]port": no host or "*" is the
 * wildcard, the host compares as written (case matters), the port as a
 * number, so 8080, *:8080 and 08080 are one listener.
 */
static void
split_listen(const char *a, char *host, size_t size, long *port)
{
	const char *colon;

	host[0] = '\0';
	if (a[0] == '[') {
		const char *rb = strchr(a, ']');

		colon = rb != NULL ? strchr(rb, ':') : NULL;
	} else {
		colon = strrchr(a, ':');
	}
	if (colon == NULL) {
		*port = strtol(a, NULL, 10);
		return;
	}
	*port = strtol(colon + 1, NULL, 10);
	if ((size_t)(colon - a) < size) {
		memcpy(host, a, (size_t)(colon - a));
		host[colon - a] = '\0';
	}
	if (strcmp(host, "*") == 0) {
		host[0] = '\0';
	}
}

static int
same_listener(const char *a, const char *b)
{
	char ha[256], hb[256];
	long pa, pb;

	split_listen(a, ha, sizeof(ha), &pa);
	split_listen(b, hb, sizeof(hb), &pb);
	return pa == pb && strcmp(ha, hb) == 0;
}

/* Listen: httpd refuses the same address and port twice. */
static void
check_listen(struct ctx *c, const struct hconf_node *n)
{
	size_t i;

	for (i = 0; i < c->nlistens; i++) {
		const struct hconf_node *o = c->listens[i];

		if (same_listener(o->args[0].value, n->args[0].value)) {
			const struct hconf_file *f = hconf_doc_file(c->doc,
			    o->file_id);

			at_arg(c, R_DUP_LISTEN, n, 0, "AH00526", "Cannot define "
			    "multiple Listeners on the same IP:port (%s is "
			    "already given at %s:%u)", n->args[0].value,
			    f->path, o->line_last);
			return;
		}
	}
	if (c->nlistens == c->caplistens) {
		c->caplistens = c->caplistens ? c->caplistens * 2 : 8;
		c->listens = hconf_xrealloc(c->listens,
		    c->caplistens * sizeof(*c->listens));
	}
	c->listens[c->nlistens++] = n;
}

/* ---- read-time refusals: Error, <If>, Listen ------------------------- */

/* Error: httpd stops reading with the directive's own message. */
static void
check_error_directive(struct ctx *c, const struct hconf_node *n)
{
	char msg[1024];

	rules_error_text(c->doc, n, msg, sizeof(msg));
	at_node(c, R_ERROR_DIRECTIVE, n, "AH00526", "%s (an Error directive "
	    "in an active part of the configuration: httpd does not start)",
	    msg);
}

enum { IF_KIND_IF = 1, IF_KIND_ELSE = 2, IF_KIND_ELSEIF = 3 };

/*
 * The sec_if chain of the scope n sits in: the enclosing section that
 * is not a conditional (httpd's per-directory configuration), or the
 * server.  Chains of scopes that are closed are dropped on the way.
 */
static struct if_scope *
if_scope_of(struct ctx *c)
{
	const struct hconf_node *scope = enclosing_section(c);
	size_t i;

	while (c->nifs > 0 && c->ifs[c->nifs - 1].scope != scope) {
		const struct hconf_node *t = c->ifs[c->nifs - 1].scope;
		int open = t == NULL;

		for (i = 0; i < c->nsecs && !open; i++) {
			open = c->secs[i] == t;
		}
		if (open) {
			break;
		}
		c->nifs--;
	}
	if (c->nifs > 0 && c->ifs[c->nifs - 1].scope == scope) {
		return &c->ifs[c->nifs - 1];
	}
	if (c->nifs == c->capifs) {
		c->capifs = c->capifs ? c->capifs * 2 : 16;
		c->ifs = hconf_xrealloc(c->ifs, c->capifs * sizeof(*c->ifs));
	}
	c->ifs[c->nifs].scope = scope;
	c->ifs[c->nifs].last = 0;
	return &c->ifs[c->nifs++];
}

/* Map an offset in an argument's value to the source, when it can. */
static uint32_t
arg_offset(const struct hconf_node *n, uint32_t i, size_t voff)
{
	const struct hconf_arg *a = &n->args[i];
	size_t vlen = strlen(a->value);
	uint32_t q = a->quote ? 1u : 0u;

	if (!(n->flags & HCONF_NODE_EXPANDED) && a->raw.len == vlen + 2 * q &&
	    voff <= vlen) {
		return a->raw.off + q + (uint32_t)voff;
	}
	return a->raw.off;
}

/* <If>, <ElseIf>, <Else> as core's ifsection() reads them. */
static void
check_if_section(struct ctx *c, const struct hconf_node *n)
{
	int kind = hconf_ieq(n->word, "If") ? IF_KIND_IF :
	    hconf_ieq(n->word, "ElseIf") ? IF_KIND_ELSEIF : IF_KIND_ELSE;
	const char *reg = kind == IF_KIND_IF ? "If" : kind == IF_KIND_ELSEIF ?
	    "ElseIf" : "Else";
	struct if_scope *sc;
	struct rules_expr_err e;

	if (kind == IF_KIND_ELSE && n->nargs > 0) {
		at_arg(c, R_IF_SECTION, n, 0, "AH00526", "<Else> does not take "
		    "an argument");
		return;
	}
	if (kind != IF_KIND_ELSE && n->nargs == 0) {
		at_node(c, R_IF_SECTION, n, "AH00526", "<%s> directive "
		    "requires additional arguments", reg);
		return;
	}
	if (kind != IF_KIND_ELSE &&
	    rules_expr_check(n->args[0].value, c->expr_flags, &e) != 0) {
		uint32_t off = arg_offset(n, 0, e.off), line, col;

		hconf_linecol(c->doc, n->file_id, off, &line, &col);
		if (e.exits) {
			add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
			    n->line_last, NULL, n, "%s (httpd's expression "
			    "scanner finds no rule for this byte, prints this "
			    "and exits with status 2)", e.msg);
		} else {
			add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
			    n->line_last, "AH00526", n, "Cannot parse condition "
			    "clause: %s%s%s%s", e.msg, e.detail[0] ? " (" : "",
			    e.detail, e.detail[0] ? ")" : "");
		}
		(void)line;
		(void)col;
		return;
	}
	/* after the children in httpd, at the section's line */
	sc = if_scope_of(c);
	if ((kind & IF_KIND_ELSE) && !(sc->last & IF_KIND_IF)) {
		at_node(c, R_IF_SECTION, n, "AH00526", "<Else> or <ElseIf> "
		    "section without previous <If> or <ElseIf> section in same "
		    "scope");
	} else if (kind != IF_KIND_ELSE && n->nargs > 1) {
		at_arg(c, R_IF_SECTION, n, 1, "AH00526", "Multiple <%s> "
		    "arguments not supported.", reg);
	}
	sc->last = kind;
}

/* Inside <Location>, <Files> (or their Match forms) or <If>. */
static int
in_location_or_files(struct ctx *c)
{
	static const char *const s[] = {"Location", "LocationMatch", "Files",
	    "FilesMatch", "If", "ElseIf", "Else", NULL};
	size_t i;

	for (i = 0; i < c->nsecs; i++) {
		if (c->secs[i] != NULL && name_in(c->secs[i]->word, s)) {
			return 1;
		}
	}
	return 0;
}

/* Inside <Location> or <LocationMatch> (mod_alias's cmd->path). */
static int
in_location(struct ctx *c)
{
	static const char *const s[] = {"Location", "LocationMatch", NULL};
	size_t i;

	for (i = 0; i < c->nsecs; i++) {
		if (c->secs[i] != NULL && name_in(c->secs[i]->word, s)) {
			return 1;
		}
	}
	return 0;
}

/* SetEnvIfExpr: an ap_expr like <If>'s, then at least one variable. */
static void
check_setenvifexpr(struct ctx *c, const struct hconf_node *n)
{
	struct rules_expr_err e;

	if (n->nargs == 0 || n->args[0].value[0] == '\0') {
		at_node(c, R_VALUE_REFUSED, n, "AH00526", "Missing expression "
		    "for SetEnvIfExpr");
		return;
	}
	if (rules_expr_check(n->args[0].value, c->expr_flags, &e) != 0) {
		uint32_t off = arg_offset(n, 0, e.off);

		if (e.exits) {
			add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
			    n->line_last, NULL, n, "%s (httpd's expression "
			    "scanner finds no rule for this byte, prints this "
			    "and exits with status 2)", e.msg);
		} else {
			add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
			    n->line_last, "AH00526", n, "Could not parse "
			    "expression \"%s\": %s%s%s%s", n->args[0].value,
			    e.msg, e.detail[0] ? " (" : "", e.detail,
			    e.detail[0] ? ")" : "");
		}
		return;
	}
	if (n->nargs == 1) {
		at_node(c, R_VALUE_REFUSED, n, "AH00526", "Missing envariable "
		    "expression for SetEnvIfExpr");
	}
}

/*
 * The handlers of loaded modules (modcheck.c).  Returns 1 when httpd
 * stops there.  A section whose config a directive goes to is the
 * innermost ordinary section; cmd->path is set inside the per-directory
 * ones.
 */
static int
check_module(struct ctx *c, const struct hconf_node *n, int phase)
{
	static const char *const perdir[] = {"Directory", "DirectoryMatch",
	    "Location", "LocationMatch", "Files", "FilesMatch", "If", "ElseIf",
	    "Else", "Proxy", "ProxyMatch", NULL};
	struct rules_modctx mc;
	enum rules_mod_verdict v;
	uint32_t next = 0, argi;
	const char *ah;
	char buf[4400];
	size_t i;

	memset(&mc, 0, sizeof(mc));
	mc.doc = c->doc;
	mc.expr_flags = c->expr_flags;
	mc.third_party = c->third_party;
	for (i = c->nsecs; i > 0; i--) {
		static const char *const dirs[] = {"Directory",
		    "DirectoryMatch", NULL};
		static const char *const files[] = {"Files", "FilesMatch", "If",
		    "ElseIf", "Else", NULL};
		const struct hconf_node *s = c->secs[i - 1];

		if (s == NULL) {
			continue;
		}
		if (mc.in_directory == NULL && name_in(s->word, dirs)) {
			mc.in_directory = s;
		}
		if (mc.in_files == NULL && name_in(s->word, files)) {
			mc.in_files = s;
		}
		if (strcasecmp(s->word, "Limit") == 0 ||
		    strcasecmp(s->word, "LimitExcept") == 0) {
			continue; /* the enclosing config's */
		}
		if (mc.section == NULL) {
			mc.section = s;
		}
		if (name_in(s->word, perdir)) {
			mc.perdir = 1;
		}
		if (strcasecmp(s->word, "VirtualHost") == 0) {
			break;
		}
	}
	for (;;) {
		v = rules_module_check(c->mod, &mc, n, phase, &next, &argi, &ah,
		    buf, sizeof(buf));
		if (v == RULES_MOD_OK) {
			return 0;
		}
		if (v == RULES_MOD_WARNING) {
			/* logged to cmd->server's own log: a <VirtualHost>'s
			 * is not open at -t, so only the main server's show */
			if (!in_virtualhost(c)) {
				at_arg(c, R_MODULE_WARNING, n, argi, ah, "%s",
				    buf);
			}
			if (next == 0) {
				return 0;
			}
			continue;
		}
		if (v == RULES_MOD_JAMMED) {
			at_arg(c, R_IF_EXPR, n, argi, NULL, "%s", buf);
		} else {
			at_arg(c, R_MODULE_REFUSED, n, argi, "AH00526", "%s", buf);
		}
		return 1;
	}
}

/* Listen: ap_set_listener()'s checks of its arguments. */
static int
check_listen_args(struct ctx *c, const struct hconf_node *n)
{
	uint32_t i;
	const char *m = rules_listen_refusal(n, &i);

	if (m == NULL) {
		return 1;
	}
	if (i >= n->nargs) {
		at_node(c, R_LISTEN_ARGS, n, "AH00526", "%s", m);
	} else {
		at_arg(c, R_LISTEN_ARGS, n, i, "AH00526", "%s", m);
	}
	return 0;
}

/* how long one Listen name may take to resolve */
#define RESOLVE_MS 10000

/*
 * Listen's host name: alloc_listener() resolves it when it reads the
 * line, apache2 -t included, and a name that does not resolve stops
 * httpd (AH00077, then "Listen setup failed").  Looked up on this
 * machine only when the caller asks (cfg->resolve); for a --root tree
 * the server is elsewhere, so a failure there is a note.  After one
 * lookup timed out no other is tried.
 */
static void
check_listen_host(struct ctx *c, const struct hconf_node *n)
{
	char host[256], why[256];
	size_t before = c->res->n;
	int r;

	/* no MPM or two: httpd never walks to the Listen line */
	if (c->cfg->resolve == 0 || c->resolve_gave_up ||
	    c->mpm == RULES_MPM_NONE || c->mpm_refused ||
	    rules_listen_host(n, host, sizeof(host)) == NULL) {
		return;
	}
	r = rules_resolve(host, RESOLVE_MS, why, sizeof(why));
	if (r == 0) {
		return;
	}
	if (r < 0) {
		c->resolve_gave_up = 1;
		at_arg(c, R_LISTEN_ARGS, n, 0, NULL, "Listen %s: the host name "
		    "was not resolved (%s); httpd waits for its resolver "
		    "here, and later Listen names are not looked up", host,
		    why);
	} else if (c->cfg->resolve == 2) {
		at_arg(c, R_LISTEN_ARGS, n, 0, NULL, "Listen %s: the host name "
		    "does not resolve on this machine (%s); the server "
		    "(--root) may resolve it", host, why);
	} else {
		at_arg(c, R_LISTEN_ARGS, n, 0, "AH00526", "Listen setup failed "
		    "(%s: AH00077: alloc_listener: failed to set up sockaddr "
		    "for %s)", why, host);
		return;
	}
	if (c->res->n > before) {
		c->res->f[c->res->n - 1].sev = HCONF_SEV_NOTE;
	}
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

static void
visit(struct ctx *c, const struct hconf_node *n)
{
	enum rules_mpm_key k;
	int hash, valid;

	/*
	 * httpd skips a line whose first word is empty, but not a section
	 * with no name: "<>" is the command '<', which does not exist.
	 */
	if (n->word == NULL ||
	    (n->word[0] == '\0' && n->kind != HCONF_SECTION)) {
		return;
	}
	if (n->kind == HCONF_SECTION) {
		/* mod_macro keeps a <Macro> body as text until Use */
		if (hconf_ieq(n->word, "Macro")) {
			c->skip_children = 1;
		}
		if ((n->flags & HCONF_NODE_COND) &&
		    hconf_ieq(n->word, "IfModule")) {
			check_ifmodule(c, n);
		}
		if (!(n->flags & HCONF_NODE_COND) && !check_generic(c, n)) {
			return;
		}
		check_section_context(c, n);
		check_regex(c, n);
		if (!(n->flags & HCONF_NODE_COND)) {
			char abuf[200];

			const struct hconf_node *at;

			if (rules_limit_check(n, abuf, sizeof(abuf))) {
				at_node(c, R_MODULE_REFUSED, n, "AH00526", "%s",
				    abuf);
				c->skip_children = 1;
			} else if (rules_authz_section_check(n, abuf,
			    sizeof(abuf))) {
				at_node(c, R_MODULE_REFUSED, n, "AH00526", "%s",
				    abuf);
			} else if (!c->authz_failed &&
			    rules_authz_negative_check(n, &at, abuf,
			    sizeof(abuf))) {
				/* a check_config hook: the first failure ends
				 * the checks, and httpd says so (AH00014) */
				c->authz_failed = 1;
				at_node(c, R_MODULE_REFUSED, at, "AH01624", "%s",
				    abuf);
				at_node(c, R_MODULE_REFUSED, at, "AH00014",
				    "Configuration check failed (apache2 -t "
				    "stops here)");
				c->res->f[c->res->n - 1].sev = HCONF_SEV_NOTE;
			}
		}
		if (!(n->flags & HCONF_NODE_COND) &&
		    (hconf_ieq(n->word, "If") ||
		    hconf_ieq(n->word, "ElseIf") ||
		    hconf_ieq(n->word, "Else"))) {
			check_if_section(c, n);
		}
		return;
	}
	if (n->kind != HCONF_DIRECTIVE) {
		return;
	}
	if (rules_mpm_key_lookup(n->word, &k)) {
		check_mpm_directive(c, n, k);
		return;
	}
	if (hconf_ieq(n->word, "AcceptMutex") ||
	    hconf_ieq(n->word, "LockFile")) {
		at_node(c, R_REMOVED, n, "AH00526", "Invalid command '%s', "
		    "perhaps misspelled or defined by a module not included in "
		    "the server configuration (removed in 2.4: use Mutex)",
		    n->word);
		return;
	}
	valid = check_generic(c, n);
	if (hconf_ieq(n->word, "Listen") && valid &&
	    check_listen_args(c, n)) {
		size_t before = c->res->n;

		/* alloc_listener(): the same address first, then the name */
		check_listen(c, n);
		if (c->res->n == before) {
			check_listen_host(c, n);
		}
	}
	if (hconf_ieq(n->word, "Error") && valid) {
		check_error_directive(c, n);
	}
	if (valid) {
		char vbuf[1400];
		uint32_t vi;
		size_t before = c->res->n;

		/* a module compiles the regex before it counts the rest,
		 * but mod_rewrite and mod_alias check some words first */
		if (check_module(c, n, 0)) {
			return;
		}
		check_regex(c, n);
		if (c->res->n > before || check_module(c, n, 1)) {
			return;
		}
		if (hconf_ieq(n->word, "SetEnvIfExpr")) {
			check_setenvifexpr(c, n);
		}
		if ((hconf_ieq(n->word, "Alias") ||
		    hconf_ieq(n->word, "ScriptAlias")) && n->nargs == 1 &&
		    !in_location(c)) {
			at_node(c, R_VALUE_REFUSED, n, "AH00526", "Alias must "
			    "have two arguments when used globally");
		}
		if (rules_value_refusal(n, &vi, vbuf, sizeof(vbuf))) {
			at_arg(c, R_VALUE_REFUSED, n, vi, "AH00526", "%s", vbuf);
		}
		if (hconf_ieq(n->word, "ServerAlias") &&
		    !in_virtualhost(c)) {
			at_node(c, R_VALUE_REFUSED, n, "AH00526", "ServerAlias "
			    "only used in <VirtualHost>");
		}
		if (hconf_ieq(n->word, "AllowOverride") &&
		    !in_virtualhost(c) && in_location_or_files(c)) {
			at_node(c, R_OVERRIDE_USELESS, n, "AH00114", "Useless use "
			    "of AllowOverride (it works only in <Directory>)");
		}
		/* logged to the server's own log: a <VirtualHost>'s does
		 * not exist yet at -t, so only the main server's shows */
		if (hconf_ieq(n->word, "DefaultType") && n->nargs == 1 &&
		    !in_virtualhost(c) &&
		    !hconf_ieq(n->args[0].value, "off") &&
		    !hconf_ieq(n->args[0].value, "none")) {
			at_arg(c, R_DEFAULTTYPE, n, 0, "AH00117", "Ignoring "
			    "deprecated use of DefaultType (httpd 2.4 has no "
			    "default type: use ForceType or AddType)");
		}
	}
	if (hconf_ieq(n->word, "NameVirtualHost")) {
		at_node(c, R_NAMEVHOST, n, "AH00548", "NameVirtualHost has no "
		    "effect and will be removed in the next release");
		return;
	}
	if (hconf_ieq(n->word, "Mutex") && valid) {
		char mbuf[600];
		uint32_t i;

		if (rules_mutex_check(c->doc, n, &i, mbuf, sizeof(mbuf))) {
			at_arg(c, R_MUTEX_EVENT, n, i, "AH00526", "%s%s", mbuf,
			    c->mpm == RULES_MPM_EVENT && strcmp(n->args[i].value,
			    "mpm-accept") == 0 && strstr(mbuf, "not valid") ?
			    " (the event MPM has no accept mutex)" : "");
		}
	}
	if (enclosing_section(c) == NULL) {
		if (hconf_ieq(n->word, "KeepAlive") && n->nargs == 1) {
			c->keepalive = n;
			c->keepalive_on = !hconf_ieq(n->args[0].value, "off");
		} else if (hconf_ieq(n->word, "KeepAliveTimeout") &&
		    n->nargs >= 1) {
			c->keepalive_timeout = n;
			c->keepalive_secs = strtol(n->args[0].value, NULL, 10);
			if (strstr(n->args[0].value, "ms") != NULL) {
				c->keepalive_secs /= 1000;
			}
		}
	}
	hash = unquoted_hash_arg(n, 1);
	if (hash > 0) {
		at_arg(c, R_TRAILING_COMMENT, n, (uint32_t)hash, NULL, "'%s' "
		    "after %s is not a comment: httpd passes it and what "
		    "follows as arguments", n->args[hash].value, n->word);
	}
}

/* ---- model and global checks ------------------------------------------ */

static enum rule_code
rule_for_ah(const char *ah)
{
	static const struct {
		const char *ah;
		enum rule_code r;
	} map[] = {
		{"AH00316", R_NOT_MULTIPLE}, {"AH00513", R_NOT_MULTIPLE},
		{"AH00180", R_OVER_SERVERLIMIT}, {"AH00318", R_OVER_SERVERLIMIT},
		{"AH00515", R_OVER_SERVERLIMIT}, {"AH00310", R_THREADS_LIMIT},
		{"AH00507", R_THREADS_LIMIT},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(map[i].ah, ah) == 0) {
			return map[i].r;
		}
	}
	return R_CLAMPED;
}

/* Where to report an adjustment of key k. */
static const struct hconf_node *
locate(struct ctx *c, enum rules_mpm_key k)
{
	/* For each key, the directives whose values cause its change. */
	static const enum rules_mpm_key causes[RULES_K__COUNT][4] = {
		[RULES_K_StartServers] = {RULES_K_MaxRequestWorkers,
		    RULES_K_ThreadsPerChild, RULES_K_ServerLimit},
		[RULES_K_ServerLimit] = {RULES_K_MaxRequestWorkers},
		[RULES_K_MaxRequestWorkers] = {RULES_K_ThreadsPerChild,
		    RULES_K_ServerLimit, RULES_K_ThreadLimit},
		[RULES_K_MinSpareServers] = {RULES_K_MaxRequestWorkers},
		[RULES_K_MaxSpareServers] = {RULES_K_MinSpareServers},
		[RULES_K_MinSpareThreads] = {RULES_K_MaxRequestWorkers,
		    RULES_K_ThreadsPerChild},
		[RULES_K_MaxSpareThreads] = {RULES_K_MinSpareThreads,
		    RULES_K_ThreadsPerChild},
		[RULES_K_ThreadsPerChild] = {RULES_K_ThreadLimit},
		[RULES_K_ThreadLimit] = {RULES_K_ThreadsPerChild},
	};
	size_t i;

	if (c->res->set_at[k] != NULL) {
		return c->res->set_at[k];
	}
	for (i = 0; i < 4 && causes[k][i] != 0; i++) {
		if (c->res->set_at[causes[k][i]] != NULL) {
			return c->res->set_at[causes[k][i]];
		}
	}
	return c->res->mpm_node;
}

static void
report(struct ctx *c, enum rule_code code, enum rules_mpm_key k,
    const char *ah, const char *fmt, ...)
{
	const struct hconf_node *n = locate(c, k);
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n != NULL) {
		uint32_t off = c->res->set_at[k] == n && n->nargs > 0 ?
		    n->args[0].raw.off : n->name.off;

		add_finding(c, RULE_INFO(code), n->file_id, off, n->line_last,
		    ah, n, "%s", buf);
	} else {
		add_finding(c, RULE_INFO(code), 0, 0, 1, ah, NULL, "%s", buf);
	}
}

static void
run_model(struct ctx *c)
{
	struct rules_result *r = c->res;
	struct rules_mpm_adj adj[64];
	size_t nadj = 0, i;
	struct rules_mpm_eff *e = &r->eff;
	const char *key;

	r->in.mpm = c->mpm;
	r->in.buckets = c->cfg->buckets > 0 ? c->cfg->buckets : 1;
	rules_mpm_compute(&r->in, e, adj, 64, &nadj);
	r->have_eff = 1;
	if (nadj > 64) {
		nadj = 64;
	}
	for (i = 0; i < nadj; i++) {
		const struct rules_mpm_adj *a = &adj[i];

		key = rules_mpm_key_name(a->key);
		if (a->error) {
			/* reported at each occurrence (check_mpm_directive) */
			continue;
		} else if (a->ahid != NULL) {
			report(c, rule_for_ah(a->ahid), a->key, a->ahid,
			    "%s: %s", a->ahid, a->msg);
		} else if (a->key == RULES_K_AsyncRequestWorkerFactor) {
			report(c, R_ARWF_FRACTION, a->key, NULL, "%s", a->msg);
		} else if (a->key == RULES_K_StartServers) {
			/* the default capped is nothing the user wrote */
			if (r->set_at[RULES_K_StartServers] != NULL) {
				report(c, R_START_CAPPED, a->key, NULL, "%s",
				    a->msg);
			}
		} else {
			report(c, R_SPARE_RAISED, a->key, NULL, "%s", a->msg);
		}
		(void)key;
	}
}

static void
global_checks(struct ctx *c)
{
	struct rules_result *r = c->res;
	const struct rules_mpm_eff *e = &r->eff;
	long long cap = e->capacity;

	if (c->mpm == RULES_MPM_PREFORK) {
		if (e->v[RULES_K_MinSpareServers] >= cap) {
			report(c, R_MINSPARE_MRW, RULES_K_MinSpareServers,
			    "AH00161", "MinSpareServers %lld is not below "
			    "MaxRequestWorkers %lld: at idle httpd keeps every "
			    "child and logs AH00161 'server reached "
			    "MaxRequestWorkers setting'",
			    e->v[RULES_K_MinSpareServers], cap);
		}
	} else if (e->v[RULES_K_MinSpareThreads] >= cap) {
		report(c, R_MINSPARE_MRW, RULES_K_MinSpareThreads,
		    c->mpm == RULES_MPM_WORKER ? "AH00287" : "AH10159",
		    "MinSpareThreads %lld is not below MaxRequestWorkers %lld: "
		    "at idle httpd runs every process and logs %s 'server is "
		    "within MinSpareThreads of MaxRequestWorkers'",
		    e->v[RULES_K_MinSpareThreads], cap,
		    c->mpm == RULES_MPM_WORKER ? "AH00287" : "AH10159");
	}
	if (e->buckets > e->v[RULES_K_ServerLimit]) {
		report(c, R_BUCKETS_SERVERLIMIT, RULES_K_ServerLimit,
		    c->mpm == RULES_MPM_EVENT ? "AH03490" : "AH00060",
		    "ServerLimit %lld is below the %d listener buckets: httpd "
		    "raises the process limit to %d, past the end of the "
		    "scoreboard, and %s", e->v[RULES_K_ServerLimit],
		    e->buckets, e->buckets, c->mpm == RULES_MPM_EVENT ?
		    "logs AH03490 'scoreboard is full' over and over" :
		    "its parent process crashes (AH00060 'seg fault or similar "
		    "nasty error detected in the parent process')");
	}
	if (c->mpm != RULES_MPM_PREFORK &&
	    r->set_at[RULES_K_MaxConnectionsPerChild] != NULL &&
	    hconf_atoi(r->in.raw[RULES_K_MaxConnectionsPerChild]) < 0) {
		report(c, R_NEG_MAXCONN, RULES_K_MaxConnectionsPerChild,
		    "AH00486", "MaxConnectionsPerChild %d under %s: every child "
		    "exits at once and is respawned, over and over (use 0 for "
		    "unlimited)",
		    hconf_atoi(r->in.raw[RULES_K_MaxConnectionsPerChild]),
		    rules_mpm_name(c->mpm));
	}
	if (c->php != NULL && c->mpm != RULES_MPM_PREFORK) {
		at_node(c, R_MOD_PHP, c->php, "AH00013", "mod_php is loaded "
		    "with the threaded %s MPM: a non-thread-safe PHP refuses "
		    "to start ('Apache is running a threaded MPM, but your PHP "
		    "Module is not compiled to be threadsafe'), then httpd "
		    "exits with AH00013 Pre-configuration failed; use php-fpm "
		    "through proxy_fcgi, or prefork", rules_mpm_name(c->mpm));
	}
	if (c->mpm == RULES_MPM_PREFORK && c->keepalive_on) {
		long t = c->keepalive_timeout ? c->keepalive_secs : 5;
		int limit = c->cfg->keepalive_max > 0 ? c->cfg->keepalive_max : 5;

		if (t > limit && c->keepalive_timeout != NULL) {
			const struct hconf_node *n = c->keepalive_timeout;

			at_node(c, R_PREFORK_KEEPALIVE, n, NULL, "KeepAlive On "
			    "with KeepAliveTimeout %ld under prefork: each idle "
			    "connection holds a whole process for up to %ld s, "
			    "so %lld idle clients exhaust MaxRequestWorkers",
			    t, t, cap);
		}
	}
	{
		/* Scoreboard: limits far above need (only when set). */
		long long tpc = c->mpm == RULES_MPM_PREFORK ? 1 :
		    e->v[RULES_K_ThreadsPerChild];
		long long need = tpc > 0 ? (cap + tpc - 1) / tpc : cap;
		long long sl = e->v[RULES_K_ServerLimit];
		long long floor = c->mpm == RULES_MPM_PREFORK ? 256 : 16;
		long long slack = c->mpm == RULES_MPM_EVENT ? need * 2 + 16 :
		    need * 2;

		if (r->set_at[RULES_K_ServerLimit] != NULL && sl > floor &&
		    sl > slack) {
			report(c, R_SCOREBOARD, RULES_K_ServerLimit, NULL,
			    "ServerLimit %lld is far above the %lld processes "
			    "MaxRequestWorkers %lld needs: the scoreboard "
			    "reserves %llu bytes of shared memory", sl, need,
			    cap, rules_scoreboard_bytes(sl,
			    e->v[RULES_K_ThreadLimit]));
		}
		if (c->mpm != RULES_MPM_PREFORK &&
		    r->set_at[RULES_K_ThreadLimit] != NULL &&
		    e->v[RULES_K_ThreadLimit] > 64 &&
		    e->v[RULES_K_ThreadLimit] > 2 * tpc) {
			report(c, R_SCOREBOARD, RULES_K_ThreadLimit, NULL,
			    "ThreadLimit %lld is far above ThreadsPerChild "
			    "%lld: the scoreboard reserves %llu bytes of shared "
			    "memory", e->v[RULES_K_ThreadLimit], tpc,
			    rules_scoreboard_bytes(sl,
			    e->v[RULES_K_ThreadLimit]));
		}
		if (c->mpm == RULES_MPM_EVENT && sl == e->processes &&
		    r->set_at[RULES_K_ServerLimit] != NULL) {
			report(c, R_EVENT_HEADROOM, RULES_K_ServerLimit, "AH03490",
			    "ServerLimit %lld equals the %lld processes "
			    "MaxRequestWorkers needs: event has no slot left for "
			    "processes that are stopping gracefully (AH03490 "
			    "'scoreboard is full')", sl, e->processes);
		}
	}
}

static void
copy_parser_diags(struct ctx *c)
{
	size_t n, i;
	const struct hconf_diag *d = hconf_doc_diags(c->doc, &n);

	for (i = 0; i < n; i++) {
		const struct rules_info *info = rules_find(d[i].info->id);
		struct rules_finding *f;

		add_finding(c, info, d[i].file_id, d[i].off, d[i].line,
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
stop_at_read(struct ctx *c, size_t from)
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
	struct ctx c;
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
	copy_parser_diags(&c);
	if (unreadable(doc)) {
		/* no verdict on a file that was never read */
		free(c.counts);
		return;
	}
	detect_mpm(&c);
	nread = res->n;
	c.third_party = third_party_loaded(doc);
	c.expr_flags = expr_flags_of(doc, c.third_party);
	c.mod = rules_modstate_new(doc);
	c.dirs = rules_dirindex_new(doc);
	walk_file(&c, 0, visit);
	rules_modstate_free(c.mod);
	free(c.secs);
	free(c.ifs);
	free(c.listens);
	if (c.mpm != RULES_MPM_NONE) {
		run_model(&c);
		global_checks(&c);
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
			add_finding(&c, info, 0, 0, 1, NULL, NULL, "%zu more "
			    "%s findings are not shown (only the first %d of "
			    "each rule are)", more, info->id, MAX_PER_RULE);
			c.res->f[c.res->n - 1].sev = HCONF_SEV_NOTE;
		}
	}
	rules_dirindex_free(c.dirs);
	re_known_free(&c);
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
