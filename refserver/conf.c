/*
 * conf.c - read an httpd configuration for mpmref: the MPM and its
 * effective numbers come from rules_lint() (never recomputed here), the
 * rest from the server-level Listen, DocumentRoot, KeepAlive*, Timeout
 * and GracefulShutdownTimeout lines.  Directives inside <VirtualHost>,
 * <Directory> and similar sections are not read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "ref.h"

/* What the walk collects, with where each value was set. */
struct scan {
	const struct hconf_doc *doc;
	const struct ref_opts *o;
	struct ref_conf *c;
	const char *server_root;
	const char *docroot;
	int nlisten;
	int bad;
};

static void
where(const struct hconf_doc *doc, const struct hconf_node *n, char *buf,
    size_t len)
{
	const struct hconf_file *f = hconf_doc_file(doc, n->file_id);
	uint32_t line, col;

	hconf_linecol(doc, n->file_id, n->full.off, &line, &col);
	snprintf(buf, len, "%s:%u", f->path, (unsigned)line);
}

/*
 * httpd's ap_timeout_parameter_parse(): a number with an optional unit
 * (ms, s, mi, h); seconds when there is none.  Returns 0 and sets *ms.
 */
static int
parse_time(const char *s, int *ms)
{
	char *end;
	long long v, mult = 1000;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno != 0 || v < 0) {
		return -1;
	}
	if (*end == '\0' || strcasecmp(end, "s") == 0) {
		mult = 1000;
	} else if (strcasecmp(end, "ms") == 0) {
		mult = 1;
	} else if (strcasecmp(end, "mi") == 0 || strcasecmp(end, "min") == 0) {
		mult = 60000;
	} else if (strcasecmp(end, "h") == 0) {
		mult = 3600000;
	} else {
		return -1;
	}
	if (v > INT_MAX / mult) {
		v = INT_MAX / mult;
	}
	*ms = (int)(v * mult);
	return 0;
}

static void
directive(struct scan *s, const struct hconf_node *n)
{
	struct ref_conf *c = s->c;
	char at[512];
	const char *a0;

	if (n->word == NULL || n->nargs == 0) {
		return;
	}
	a0 = n->args[0].value;
	if (hconf_node_is(n, "Listen")) {
		where(s->doc, n, at, sizeof(at));
		s->nlisten++;
		/* --listen replaces the file's Listen lines. */
		if (s->o->nlisten == 0 && ref_listen_parse(a0, s->o->allow_any,
		    at, &c->ls, &c->nls) != 0) {
			s->bad = 1;
		}
	} else if (hconf_node_is(n, "DocumentRoot")) {
		s->docroot = a0;
	} else if (hconf_node_is(n, "ServerRoot")) {
		s->server_root = a0;
	} else if (hconf_node_is(n, "KeepAlive")) {
		if (strcasecmp(a0, "on") == 0) {
			c->keepalive = 1;
		} else if (strcasecmp(a0, "off") == 0) {
			c->keepalive = 0;
		} else {
			where(s->doc, n, at, sizeof(at));
			ref_log(REF_ERR, "%s: KeepAlive must be On or Off", at);
			s->bad = 1;
		}
	} else if (hconf_node_is(n, "KeepAliveTimeout") ||
	    hconf_node_is(n, "Timeout")) {
		int *dst = hconf_node_is(n, "Timeout") ? &c->timeout_ms :
		    &c->ka_timeout_ms;

		if (parse_time(a0, dst) != 0) {
			where(s->doc, n, at, sizeof(at));
			ref_log(REF_ERR, "%s: %s argument '%s' is not parsable",
			    at, n->word, a0);
			s->bad = 1;
		}
	} else if (hconf_node_is(n, "MaxKeepAliveRequests")) {
		c->ka_max = hconf_atoi(a0);
	} else if (hconf_node_is(n, "GracefulShutdownTimeout")) {
		int v = hconf_atoi(a0);

		c->graceful_ms = v > 0 && v < INT_MAX / 1000 ? v * 1000 : 0;
	}
}

/*
 * Visit the active nodes of a file in reading order, entering included
 * files right after their Include line and true conditional sections,
 * but no other section: only server-level settings count.
 */
static void
walk_nodes(struct scan *s, const struct hconf_node *n, int depth)
{
	for (; n != NULL; n = n->next) {
		if (!(n->flags & HCONF_NODE_ACTIVE)) {
			continue;
		}
		if (n->kind == HCONF_DIRECTIVE) {
			uint32_t i;

			directive(s, n);
			for (i = 0; i < n->nincl && depth < 256; i++) {
				const struct hconf_file *f =
				    hconf_doc_file(s->doc, n->incl[i]);

				if (f != NULL && f->root != NULL) {
					walk_nodes(s, f->root->first, depth + 1);
				}
			}
		} else if (n->kind == HCONF_SECTION &&
		    (n->flags & HCONF_NODE_COND) &&
		    (n->flags & HCONF_NODE_TRUE) && depth < 256) {
			walk_nodes(s, n->first, depth + 1);
		}
	}
}

static char *
join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = hconf_xmalloc(la + lb + 2);

	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	if (la > 0 && a[la - 1] == '/') {
		memmove(p + la, p + la + 1, lb + 1);
	}
	return p;
}

/* Copy the MPM numbers out of eff. */
static void
take_eff(struct ref_conf *c, const struct rules_mpm_eff *e)
{
	c->eff = *e;
	c->mpm = e->mpm;
	c->server_limit = (int)e->v[RULES_K_ServerLimit];
	if (c->mpm == RULES_MPM_PREFORK) {
		c->thread_limit = 1;
		c->threads = 1;
		c->min_spare = (int)e->v[RULES_K_MinSpareServers];
		c->max_spare = (int)e->v[RULES_K_MaxSpareServers];
	} else {
		c->thread_limit = (int)e->v[RULES_K_ThreadLimit];
		c->threads = (int)e->v[RULES_K_ThreadsPerChild];
		c->min_spare = (int)e->v[RULES_K_MinSpareThreads];
		c->max_spare = (int)e->v[RULES_K_MaxSpareThreads];
	}
	c->capacity = (int)e->capacity;
	c->processes = (int)e->processes;
	c->start = (int)e->spawn;
	c->max_conns = e->v[RULES_K_MaxConnectionsPerChild];
	c->arwf = (int)(e->arwf_used > 0 ? e->arwf_used : 1);
}

/*
 * One limit of keep_limits(): when it changed, warn as httpd does and
 * put the running value (printed into buf) in place.  Returns 1 when it
 * changed, 0 when not.
 */
static int
keep_limit(struct rules_mpm_in *in, enum rules_mpm_key key, const char *name,
    int now, int was, char *buf, size_t len)
{
	if (now == was) {
		return 0;
	}
	ref_log(REF_WARN, "changing %s to %d from original value of %d not "
	    "allowed during restart", name, now, was);
	snprintf(buf, len, "%d", was);
	in->raw[key] = buf;
	in->set[key] = 1;
	return 1;
}

/*
 * httpd keeps the first ServerLimit and ThreadLimit across restarts
 * (spec 7.2): recompute the model with the running values in their place.
 */
static void
keep_limits(struct ref_conf *c, const struct rules_mpm_in *in0,
    const struct ref_conf *keep)
{
	struct rules_mpm_in in = *in0;
	struct rules_mpm_eff eff;
	char sl[32], tl[32];
	int changed;

	changed = keep_limit(&in, RULES_K_ServerLimit, "ServerLimit",
	    c->server_limit, keep->server_limit, sl, sizeof(sl));
	if (c->mpm != RULES_MPM_PREFORK) {
		changed |= keep_limit(&in, RULES_K_ThreadLimit, "ThreadLimit",
		    c->thread_limit, keep->thread_limit, tl, sizeof(tl));
	}
	if (changed) {
		rules_mpm_compute(&in, &eff, NULL, 0, NULL);
		take_eff(c, &eff);
	}
}

static void
report(const struct hconf_doc *doc, const struct rules_result *res,
    struct ref_conf *c)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		const struct rules_finding *f = &res->f[i];
		const struct hconf_file *hf = hconf_doc_file(doc, f->file_id);
		const char *path = hf != NULL ? hf->path : "?";

		if (f->sev >= HCONF_SEV_ERROR) {
			c->nerrors++;
			ref_log(REF_WARN, "%s:%u:%u: httpd would refuse this: "
			    "%s [%s]", path, (unsigned)f->line,
			    (unsigned)f->col, f->msg, f->info->id);
		} else if (f->httpd != NULL && f->sev >= HCONF_SEV_WARNING) {
			/* httpd prints these itself at start-up. */
			ref_log(REF_WARN, "%s:%u: %s: %s", path,
			    (unsigned)f->line, f->httpd, f->msg);
		}
	}
}

/* Why rules_lint() gave no MPM numbers, as httpd would say it. */
static void
no_mpm(const struct ref_opts *o, const struct rules_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		if (strcmp(res->f[i].info->id, "MPM002") == 0) {
			break;
		}
	}
	if (i < res->n) {
		/* httpd stops there too (AH00534): no MPM runs */
		ref_log(REF_ERR, "%s: more than one MPM loaded "
		    "(AH00534): keep one LoadModule of an MPM",
		    o->config);
	} else {
		ref_log(REF_ERR, "%s: no MPM loaded: LoadModule one of "
		    "mpm_prefork_module, mpm_worker_module, "
		    "mpm_event_module, or pass --mpm", o->config);
	}
}

/*
 * The MPM numbers of the lint result into c, with the limits of keep
 * (a reload) in place.  Returns 0, or -1 (logged) when mpmref cannot
 * run them.
 */
static int
take_mpm(const struct ref_opts *o, const struct rules_result *res,
    struct ref_conf *c, const struct ref_conf *keep)
{
	if (!res->have_eff) {
		no_mpm(o, res);
		return -1;
	}
	take_eff(c, &res->eff);
	if (keep != NULL) {
		keep_limits(c, &res->in, keep);
	}
	if ((long long)c->server_limit * c->thread_limit > REF_SLOTS_MAX) {
		ref_log(REF_ERR, "a scoreboard of ServerLimit %d x ThreadLimit "
		    "%d slots is more than mpmref supports (%d)",
		    c->server_limit, c->thread_limit, REF_SLOTS_MAX);
		return -1;
	}
	if (c->max_conns < 0) {
		/* httpd's children would exit at once, in a loop (spec 4.5). */
		ref_log(REF_WARN, "MaxConnectionsPerChild %lld is negative; "
		    "mpmref uses 0 (never recycle)", c->max_conns);
		c->max_conns = 0;
	}
	return 0;
}

/* The DocumentRoot the walk found, resolved and opened into c. */
static void
open_docroot(const struct ref_opts *o, const struct scan *s,
    struct ref_conf *c)
{
	const char *sr = s->server_root ? s->server_root :
	    o->server_root ? o->server_root : "/etc/apache2";
	char *abs = s->docroot[0] == '/' ? hconf_xstrdup(s->docroot) :
	    join(sr, s->docroot);
	char *real = hconf_path_resolve(o->root, abs, 0);

	/* under --root: inside the root, as the server would see it,
	 * and never through a symlink swapped in afterwards */
	c->docfd = real == NULL ? -1 : open(real, O_PATH | O_DIRECTORY |
	    O_CLOEXEC | (o->root != NULL ? O_NOFOLLOW : 0));
	if (c->docfd < 0) {
		ref_log(REF_WARN, "DocumentRoot [%s] does not exist or is "
		    "not a directory (%s): every file is 404",
		    real != NULL ? real : abs, strerror(errno));
	}
	if (real != NULL) {
		free(abs);
		abs = real;
	}
	c->docroot = abs;
}

/*
 * The server-level settings of doc and the --listen options into c.
 * Returns 0, or -1 (logged) when the server cannot run.
 */
static int
take_server(const struct ref_opts *o, const struct hconf_doc *doc,
    struct ref_conf *c)
{
	const struct hconf_file *f0 = hconf_doc_file(doc, 0);
	struct scan s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.doc = doc;
	s.o = o;
	s.c = c;
	if (f0 != NULL && f0->root != NULL) {
		walk_nodes(&s, f0->root->first, 0);
	}
	for (i = 0; i < o->nlisten; i++) {
		if (ref_listen_parse(o->listen[i], o->allow_any, "--listen",
		    &c->ls, &c->nls) != 0) {
			s.bad = 1;
		}
	}
	if (s.bad) {
		return -1;
	}
	if (c->nls == 0) {
		ref_log(REF_ERR, "no listening sockets available, shutting down: "
		    "%s has no Listen line (use --listen 127.0.0.1:PORT)",
		    o->config);
		return -1;
	}
	if (s.docroot != NULL) {
		open_docroot(o, &s, c);
	}
	return 0;
}

int
ref_conf_load(const struct ref_opts *o, struct ref_conf *c,
    const struct ref_conf *keep)
{
	struct cli_parse cp;
	struct hconf_doc *doc;
	struct rules_config rc;
	struct rules_result res;
	size_t i;
	int unreadable, rv;

	memset(c, 0, sizeof(*c));
	c->docfd = -1;
	c->keepalive = 1;
	c->ka_max = 100;
	c->ka_timeout_ms = 5000;
	c->timeout_ms = 60000;
	c->crash_endpoint = o->crash_endpoint;

	cli_parse_init(&cp);
	cp.opts.root = o->root;
	cp.opts.server_root = o->server_root;
	cp.opts.regex = rules_regex_match;
	for (i = 0; i < o->ndefines; i++) {
		cli_parse_define(&cp, o->defines[i]);
	}
	cli_parse_mpm(&cp, o->force_mpm != RULES_MPM_NONE ?
	    rules_mpm_name(o->force_mpm) : NULL);
	doc = cli_load(&cp, o->config, &unreadable);
	if (unreadable) {
		ref_log(REF_ERR, "cannot read %s", o->config ? o->config : "-");
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return -2;
	}
	memset(&rc, 0, sizeof(rc));
	rc.force_mpm = o->force_mpm;
	rules_lint(doc, &rc, &res);
	rules_sort(&res);
	report(doc, &res, c);
	rv = take_mpm(o, &res, c, keep);
	if (rv == 0) {
		rv = take_server(o, doc, c);
	}
	rules_result_free(&res);
	hconf_doc_free(doc);
	cli_parse_free(&cp);
	if (rv != 0) {
		ref_conf_free(c);
	}
	return rv;
}

void
ref_conf_free(struct ref_conf *c)
{
	size_t i;

	for (i = 0; i < c->nls; i++) {
		free(c->ls[i].name);
	}
	free(c->ls);
	c->ls = NULL;
	c->nls = 0;
	free(c->docroot);
	c->docroot = NULL;
	if (c->docfd >= 0) {
		close(c->docfd);
		c->docfd = -1;
	}
}

void
ref_conf_print(const struct ref_conf *c, FILE *fp)
{
	size_t i;

	fprintf(fp, "mpm: %s\n", rules_mpm_name(c->mpm));
	fprintf(fp, "ServerLimit: %d\nThreadLimit: %d\nThreadsPerChild: %d\n",
	    c->server_limit, c->thread_limit, c->threads);
	fprintf(fp, "MaxRequestWorkers: %d\nprocesses: %d\nStartServers: %d\n",
	    c->capacity, c->processes, c->start);
	fprintf(fp, "%s: %d\n%s: %d\n",
	    c->mpm == RULES_MPM_PREFORK ? "MinSpareServers" : "MinSpareThreads",
	    c->min_spare,
	    c->mpm == RULES_MPM_PREFORK ? "MaxSpareServers" : "MaxSpareThreads",
	    c->max_spare);
	fprintf(fp, "MaxConnectionsPerChild: %lld\n", c->max_conns);
	if (c->mpm == RULES_MPM_EVENT) {
		fprintf(fp, "AsyncRequestWorkerFactor: %d\n", c->arwf);
	}
	fprintf(fp, "threads per child: %d\n",
	    c->mpm == RULES_MPM_PREFORK ? 1 : c->threads + 2);
	for (i = 0; i < c->nls; i++) {
		fprintf(fp, "Listen: %s\n", c->ls[i].name);
	}
	fprintf(fp, "DocumentRoot: %s\n", c->docroot ? c->docroot : "(none)");
	fprintf(fp, "KeepAlive: %s\nMaxKeepAliveRequests: %d\n",
	    c->keepalive ? "On" : "Off", c->ka_max);
	fprintf(fp, "KeepAliveTimeout: %d ms\nTimeout: %d ms\n",
	    c->ka_timeout_ms, c->timeout_ms);
	fprintf(fp, "findings httpd would refuse: %d\n", c->nerrors);
}
