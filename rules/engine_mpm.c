/*
 * engine_mpm.c - the MPM in rules_lint(): which one the configuration
 * loads (AH00534), its directives as their handlers read them, and the
 * findings of the MPM model (mpm_model.c) and of the settings taken
 * together.  It records through engine.c; it never prints.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "ieq.h"

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
void
rules_detect_mpm(struct rules_walk *c)
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
				rules_at_node(c, R_MPM_MANY, m[i].node,
				    "AH00534", "More than one MPM loaded: %s "
				    "after %s%s", m[i].ident, first, first_node
				    == NULL && forced != NULL ? " (given with "
				    "--mpm)" : "");
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
		rules_add_finding(c, RULE_INFO(R_MPM_NONE), 0, 0, 1, "AH00534",
		    NULL, "No MPM loaded: no LoadModule of mpm_prefork_module, "
		    "mpm_worker_module or mpm_event_module is reached (use "
		    "--mpm if the MPM is loaded elsewhere)");
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

void
rules_check_mpm_directive(struct rules_walk *c, const struct hconf_node *n,
    enum rules_mpm_key k)
{
	struct rules_result *r = c->res;
	const struct hconf_node *sec;
	const char *canon;
	int hash;

	if (c->mpm != RULES_MPM_NONE && !rules_mpm_key_valid(c->mpm, k)) {
		rules_at_node(c, R_FOREIGN, n, "AH00526", "Invalid command "
		    "'%s', perhaps misspelled or defined by a module not "
		    "included in the server configuration (mpm_%s is loaded; "
		    "guard it with <IfModule> or remove it)", n->word,
		    rules_mpm_name(c->mpm));
		return;
	}
	/* httpd's messages name the directive as registered (cmd->name) */
	canon = hconf_ieq(n->word, "MaxClients") ? "MaxClients" :
	    hconf_ieq(n->word, "MaxRequestsPerChild") ?
	    "MaxRequestsPerChild" : rules_mpm_key_name(k);
	sec = rules_enclosing_section(c);
	/* in a <VirtualHost> the handler checks the context, after
	 * invoke_cmd() has checked the argument count */
	if (sec != NULL && hconf_ieq(sec->word, "VirtualHost") &&
	    (n->nargs != 1 || n->args[0].value[0] == '\0')) {
		sec = NULL;
	}
	if (sec != NULL) {
		if (hconf_ieq(sec->word, "VirtualHost")) {
			rules_at_node(c, R_CONTEXT, n, "AH00526", "%s cannot "
			    "occur within <VirtualHost> section", canon);
		} else {
			rules_at_node(c, R_CONTEXT, n, "AH00526", "%s not "
			    "allowed in <%s> context", canon, sec->word);
		}
		return;
	}
	if (n->nargs != 1 || n->args[0].value[0] == '\0') {
		hash = rules_unquoted_hash_arg(n, 1);
		if (hash > 0) {
			rules_at_arg(c, R_TRAILING_COMMENT, n, (uint32_t)hash,
			    "AH00526", "%s takes one argument, %s ('#' starts a "
			    "comment only at the beginning of a line)", canon,
			    help_for(n, k, c->mpm));
			r->f[r->n - 1].sev = HCONF_SEV_ERROR;
		} else {
			rules_at_node(c, R_ARGS, n, "AH00526", "%s takes one "
			    "argument, %s", canon, help_for(n, k, c->mpm));
		}
		return;
	}
	if (hconf_ieq(n->word, "MaxClients") ||
	    hconf_ieq(n->word, "MaxRequestsPerChild")) {
		int prefork = c->mpm == RULES_MPM_PREFORK;
		const char *ah = k == RULES_K_MaxConnectionsPerChild ? "AH00545"
		    : prefork ? "AH00188" : c->mpm == RULES_MPM_WORKER ?
		    "AH00324" : "AH00521";

		rules_at_node(c, R_DEPRECATED, n, ah, "%s is deprecated; use "
		    "%s (httpd logs this only at LogLevel info)", n->word,
		    rules_mpm_key_name(k));
	}
	if (r->set_at[k] != NULL) {
		const struct hconf_node *o = r->set_at[k];
		const struct hconf_file *of = hconf_doc_file(c->doc, o->file_id);
		uint32_t line, col;

		hconf_linecol(c->doc, o->file_id, o->name.off, &line, &col);
		rules_at_node(c, R_OVERRIDDEN, n, NULL, "%s %s overrides %s %s "
		    "set at %s:%u; the last one wins", n->word,
		    n->args[0].value, o->word, o->args[0].value, of->path,
		    o->line_last);
	}
	if (k != RULES_K_AsyncRequestWorkerFactor &&
	    !is_int_text(n->args[0].value)) {
		rules_at_arg(c, R_NOT_NUMBER, n, 0, NULL, "%s '%s' is not a "
		    "whole number: httpd reads it as %d", n->word,
		    n->args[0].value, hconf_atoi(n->args[0].value));
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
				rules_at_arg(c, R_INVALID_VALUE, n, 0,
				    "AH00526", "%s", a1[i].msg);
			}
		}
	}
	r->set_at[k] = n;
	r->in.set[k] = 1;
	r->in.raw[k] = n->args[0].value;
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
locate(struct rules_walk *c, enum rules_mpm_key k)
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
report(struct rules_walk *c, enum rule_code code, enum rules_mpm_key k,
    const char *ah, const char *fmt, ...)
{
	const struct hconf_node *n = locate(c, k);
	size_t before = c->res->n;
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n != NULL) {
		uint32_t off = c->res->set_at[k] == n && n->nargs > 0 ?
		    n->args[0].raw.off : n->name.off;

		rules_add_finding(c, RULE_INFO(code), n->file_id, off,
		    n->line_last, ah, n, "%s", buf);
	} else {
		rules_add_finding(c, RULE_INFO(code), 0, 0, 1, ah, NULL, "%s",
		    buf);
	}
	if (c->res->n > before) {
		c->res->f[c->res->n - 1].key = (int)k + 1;
	}
}

void
rules_run_model(struct rules_walk *c)
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

void
rules_global_checks(struct rules_walk *c)
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
		rules_at_node(c, R_MOD_PHP, c->php, "AH00013", "mod_php is "
		    "loaded with the threaded %s MPM: a non-thread-safe PHP "
		    "refuses to start ('Apache is running a threaded MPM, but "
		    "your PHP Module is not compiled to be threadsafe'), then "
		    "httpd exits with AH00013 Pre-configuration failed; use "
		    "php-fpm through proxy_fcgi, or prefork",
		    rules_mpm_name(c->mpm));
	}
	if (c->mpm == RULES_MPM_PREFORK && c->keepalive_on) {
		long t = c->keepalive_timeout ? c->keepalive_secs : 5;
		int limit = c->cfg->keepalive_max > 0 ? c->cfg->keepalive_max : 5;

		if (t > limit && c->keepalive_timeout != NULL) {
			const struct hconf_node *n = c->keepalive_timeout;

			rules_at_node(c, R_PREFORK_KEEPALIVE, n, NULL,
			    "KeepAlive On with KeepAliveTimeout %ld under "
			    "prefork: each idle connection holds a whole "
			    "process for up to %ld s, so %lld idle clients "
			    "exhaust MaxRequestWorkers", t, t, cap);
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
