/*
 * verify.c - the checks around a conversion: mod_php (not thread-safe)
 * before, and after the edits a fresh lint of the result, which must
 * read as the target MPM with the planned values; then the ledger of
 * derived values.  Edits nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"

/* ---- checks ---------------------------------------------------------------
 */

void
conv_check_php(struct conv *c)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(c->doc, &n);

	for (i = 0; i < n; i++) {
		if (m[i].node != NULL && m[i].ident != NULL &&
		    (strncmp(m[i].ident, "php", 3) == 0 ||
		        (m[i].path != NULL &&
		            (strstr(m[i].path, "libphp") != NULL ||
		                strstr(m[i].path, "mod_php") != NULL)))) {
			c->php = m[i].node;
			c->php_ident = m[i].ident;
		}
	}
}

void
conv_report_php(struct conv *c)
{
	const struct hconf_file *f;
	const char *base, *dot;
	char *hint;

	if (c->php == NULL || !c->php_post || c->to == RULES_MPM_PREFORK) {
		if (c->php != NULL && !c->php_post) {
			conv_msgf(c, CONV_WARNING, c->doc, c->php,
			    "%s is no longer "
			    "loaded after the conversion (its LoadModule line "
			    "depends on the MPM)",
			    c->php_ident);
		}
		return;
	}
	f = hconf_doc_file(c->doc, c->php->file_id);
	base = strrchr(f->link, '/');
	base = base ? base + 1 : f->link;
	dot = strstr(base, ".load");
	if (strstr(f->link, "/mods-enabled/") != NULL && dot != NULL) {
		hint =
		    conv_asprintf(" (Debian: a2dismod %.*s; a2enmod proxy_fcgi "
		                  "setenvif; a2enconf %.*s-fpm)",
		        (int)(dot - base), base, (int)(dot - base), base);
	} else {
		hint = hconf_xstrdup("");
	}
	conv_refuse(c, c->doc, c->php,
	    "mod_php (%s) is loaded and is not "
	    "thread-safe: httpd refuses to start it under the threaded %s MPM "
	    "(AH00013 Pre-configuration failed); move PHP to php-fpm through "
	    "mod_proxy_fcgi first%s, or convert with --force",
	    c->php_ident, rules_mpm_name(c->to), hint);
	free(hint);
}

/*
 * The setter of k when its value is the input's own: mpmconv neither
 * derived nor wrote it (ListenCoresBucketsRatio, say).  NULL otherwise.
 */
static struct ent *
carried_setter(struct conv *c, enum rules_mpm_key k)
{
	struct ent *e;
	size_t i;

	if (c->w[k].managed) {
		return NULL;
	}
	for (i = 0; i < c->nins; i++) {
		if (c->ins[i].k == k) {
			return NULL;
		}
	}
	e = conv_last_setter(c, (int)k);
	return e != NULL && e->val == NULL ? e : NULL;
}

/* The settings httpd will read after the edits, through the model. */
int
conv_verify(struct conv *c)
{
	struct rules_mpm_in in;
	struct rules_mpm_adj adj[32];
	size_t nadj = 0, i;
	long long cap;
	int k, ok = 1, refused = 0;

	memset(&in, 0, sizeof(in));
	in.mpm = c->to;
	in.buckets = 1;
	for (k = 0; k < RULES_K__COUNT; k++) {
		struct ent *e;

		if (!rules_mpm_key_valid(c->to, (enum rules_mpm_key)k)) {
			continue;
		}
		e = conv_last_setter(c, k);
		if (e != NULL) {
			in.set[k] = 1;
			in.raw[k] = conv_ent_value(e);
		}
	}
	for (i = 0; i < c->nins; i++) {
		in.set[c->ins[i].k] = 1;
		in.raw[c->ins[i].k] = c->ins[i].val;
	}
	(void)rules_mpm_compute(&in, &c->r->after, adj, 32, &nadj);
	c->r->have_eff = 1;
	for (i = 0; i < nadj && i < 32; i++) {
		struct ent *e = carried_setter(c, adj[i].key);

		if (e != NULL && adj[i].error) {
			/* the input's own value, refused under any MPM */
			conv_msgf(c, c->o->force ? CONV_WARNING : CONV_ERROR,
			    e->doc, e->n,
			    "%s %s: httpd refuses it (%s), before and after "
			    "the conversion; fix it first%s",
			    e->n->word, conv_ent_value(e), adj[i].msg,
			    c->o->force ? "" : " (--force converts anyway)");
			if (!c->o->force) {
				refused = 1;
			}
			continue;
		}
		if (e != NULL) {
			conv_msgf(c, CONV_WARNING, e->doc, e->n,
			    "%s %s is kept as it is, and httpd adjusts it: "
			    "%s%s%s",
			    e->n->word, conv_ent_value(e),
			    adj[i].ahid ? adj[i].ahid : "",
			    adj[i].ahid ? ": " : "", adj[i].msg);
			continue;
		}
		if (adj[i].runtime && adj[i].key == RULES_K_StartServers &&
		    adj[i].from > adj[i].to) {
			conv_msgf(c, CONV_NOTE, NULL, NULL,
			    "StartServers %lld is above "
			    "the %lld processes MaxRequestWorkers allows: "
			    "httpd starts %lld (prefork, too, started at most "
			    "MaxRequestWorkers)",
			    adj[i].from, adj[i].to, adj[i].to);
			continue;
		}
		conv_msgf(c, CONV_ERROR, NULL, NULL,
		    "internal error: httpd would adjust the result: %s%s%s",
		    adj[i].ahid ? adj[i].ahid : "", adj[i].ahid ? ": " : "",
		    adj[i].msg);
		ok = 0;
	}
	cap = c->r->after.capacity;
	if (c->from == RULES_MPM_PREFORK ? cap < c->M0 || cap >= c->M0 + c->T
	                                 : cap != c->M0) {
		conv_msgf(c, CONV_ERROR, NULL, NULL,
		    "internal error: capacity %lld "
		    "does not match the original %lld",
		    cap, c->M0);
		ok = 0;
	}
	if (c->to != RULES_MPM_PREFORK &&
	    c->r->after.v[RULES_K_MinSpareThreads] >= cap) {
		conv_msgf(c, CONV_WARNING, NULL, NULL,
		    "MinSpareThreads %lld is not "
		    "below MaxRequestWorkers %lld: at idle httpd keeps every "
		    "process running (lower MinSpareServers before converting "
		    "to keep fewer)",
		    c->r->after.v[RULES_K_MinSpareThreads], cap);
	}
	if (refused && ok) {
		c->r->status = CONV_REFUSED;
		return -1;
	}
	if (!ok) {
		c->r->status = CONV_FAILED;
	}
	return ok ? 0 : -1;
}

/* ---- the ledger -----------------------------------------------------------
 */

static void
ledger(struct conv *c, enum rules_mpm_key k, int has, long long v,
    const char *formula, const char *action)
{
	struct conv_result *r = c->r;
	struct conv_ledger *l;

	r->led = hconf_xrealloc(r->led, (r->nled + 1) * sizeof(*l));
	l = &r->led[r->nled++];
	l->key = rules_mpm_key_name(k);
	l->has_value = has;
	l->value = v;
	l->formula = hconf_xstrdup(formula);
	l->action = hconf_xstrdup(action ? action : "");
}

void
conv_build_ledger(struct conv *c)
{
	static const enum rules_mpm_key order[] = {
	    RULES_K_StartServers,
	    RULES_K_ServerLimit,
	    RULES_K_ThreadLimit,
	    RULES_K_ThreadsPerChild,
	    RULES_K_MaxRequestWorkers,
	    RULES_K_MinSpareServers,
	    RULES_K_MaxSpareServers,
	    RULES_K_MinSpareThreads,
	    RULES_K_MaxSpareThreads,
	    RULES_K_MaxConnectionsPerChild,
	    RULES_K_AsyncRequestWorkerFactor,
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum rules_mpm_key k = order[i];
		struct want *w = &c->w[k];

		if (w->managed) {
			long long v = w->v;

			if (!w->drop && w->action != NULL &&
			    strncmp(w->action, "not written", 11) == 0) {
				v = c->r->after.v[k];
			}
			ledger(c, k, !w->drop, v, w->formula, w->action);
		} else if (c->removed[k] != NULL) {
			ledger(c, k, 0, 0,
			    rules_mpm_key_valid(c->to, k) ? ""
			        : c->to == RULES_MPM_PREFORK
			        ? "not a prefork directive"
			        : "not a directive of this MPM",
			    c->removed[k]);
		}
	}
}

