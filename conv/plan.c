/*
 * plan.c - the capacity arithmetic of mpmconv(1), per direction:
 * prefork to worker or event (plan_threaded), to prefork (plan_prefork),
 * between worker and event (plan_carry).  Each fills c->w[], what the
 * target wants for every key, with the formula the ledger shows; the
 * tree is not touched here.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"

static long long
ceil_div(long long a, long long b)
{
	return (a + b - 1) / b;
}

/* ---- the plan ------------------------------------------------------------ */

static int
target_key(enum rules_mpm to, enum rules_mpm_key k)
{
	if (rules_mpm_key_valid(to, k)) {
		return (int)k;
	}
	if (to == RULES_MPM_PREFORK) {
		return k == RULES_K_MinSpareThreads ? RULES_K_MinSpareServers
		    : k == RULES_K_MaxSpareThreads  ? RULES_K_MaxSpareServers
		                                    : NOKEY;
	}
	return k == RULES_K_MinSpareServers ? RULES_K_MinSpareThreads
	    : k == RULES_K_MaxSpareServers  ? RULES_K_MaxSpareThreads
	                                    : NOKEY;
}

/* The last setter httpd will read of target key tk, or NULL. */
struct ent *
conv_last_setter(struct conv *c, int tk)
{
	size_t i;

	for (i = c->ne; i-- > 0;) {
		struct ent *e = &c->e[i];

		if (e->post && !e->bad && !e->deleted && e->tk == tk) {
			return e;
		}
	}
	return NULL;
}

const char *
conv_ent_value(const struct ent *e)
{
	return e->val ? e->val : e->n->args[0].value;
}

void
conv_want(struct conv *c, enum rules_mpm_key k, long long v, int insert,
    const char *fmt, ...)
{
	struct want *w = &c->w[k];
	va_list ap;

	w->managed = 1;
	w->v = v;
	w->insert = insert;
	snprintf(w->val, sizeof(w->val), "%lld", v);
	va_start(ap, fmt);
	vsnprintf(w->formula, sizeof(w->formula), fmt, ap);
	va_end(ap);
}

void
conv_want_drop(struct conv *c, enum rules_mpm_key k, const char *fmt, ...)
{
	struct want *w = &c->w[k];
	va_list ap;

	w->managed = 1;
	w->drop = 1;
	va_start(ap, fmt);
	vsnprintf(w->formula, sizeof(w->formula), fmt, ap);
	va_end(ap);
}

/*
 * What event's httpd does with an AsyncRequestWorkerFactor text: 0 it
 * uses it as written, 1 it uses *used instead (a fraction, below 1, an
 * overflow; the model's sentence in why), -1 it refuses it.
 */
static int
arwf_check(const char *v, long long *used, char *why, size_t wn)
{
	struct rules_mpm_in in;
	struct rules_mpm_eff eff;
	struct rules_mpm_adj adj[4];
	size_t nadj = 0, i;
	int rc = 0;

	memset(&in, 0, sizeof(in));
	in.mpm = RULES_MPM_EVENT;
	in.buckets = 1;
	in.set[RULES_K_AsyncRequestWorkerFactor] = 1;
	in.raw[RULES_K_AsyncRequestWorkerFactor] = v;
	(void)rules_mpm_compute(&in, &eff, adj, 4, &nadj);
	*used = eff.arwf_used;
	why[0] = '\0';
	for (i = 0; i < nadj && i < 4; i++) {
		if (adj[i].key != RULES_K_AsyncRequestWorkerFactor) {
			continue;
		}
		snprintf(why, wn, "%s", adj[i].msg);
		if (why[0] != '\0' && why[strlen(why) - 1] == '.') {
			why[strlen(why) - 1] = '\0';
		}
		if (adj[i].error) {
			return -1;
		}
		rc = 1;
	}
	return rc;
}

/*
 * An AsyncRequestWorkerFactor already set for event is kept when httpd
 * uses it as written.  Otherwise mpmconv writes what httpd would use
 * (2.5 runs as 2: the gate divides by 16 in integers), or event's
 * default 2 for a value httpd refuses, and says so.
 */
static void
want_arwf(struct conv *c)
{
	struct ent *e = conv_last_setter(c, RULES_K_AsyncRequestWorkerFactor);
	long long used;
	char why[320];
	char *w;
	int rc;

	if (e == NULL) {
		conv_want(c, RULES_K_AsyncRequestWorkerFactor, 2, 1,
		    "event's default 2, written out so the event block says "
		    "it");
		return;
	}
	w = conv_where(e->doc, e->n);
	rc = arwf_check(conv_ent_value(e), &used, why, sizeof(why));
	if (rc == 0) {
		conv_want(c, RULES_K_AsyncRequestWorkerFactor, used, 1,
		    "kept: already set for event at %s", w);
		snprintf(c->w[RULES_K_AsyncRequestWorkerFactor].val,
		    sizeof(c->w[0].val), "%s", conv_ent_value(e));
	} else if (rc > 0) {
		conv_want(c, RULES_K_AsyncRequestWorkerFactor, used, 1,
		    "the value httpd runs with for %s at %s", conv_ent_value(e),
		    w);
		conv_msgf(c, CONV_WARNING, e->doc, e->n,
		    "%s; mpmconv writes %lld", why, used);
	} else {
		conv_want(c, RULES_K_AsyncRequestWorkerFactor, 2, 1,
		    "event's default 2: httpd refuses %s at %s",
		    conv_ent_value(e), w);
		conv_msgf(c, CONV_WARNING, e->doc, e->n,
		    "AsyncRequestWorkerFactor %s: httpd refuses it (%s); "
		    "mpmconv writes event's default 2",
		    conv_ent_value(e), why);
	}
	free(w);
}

/*
 * T: --threads-per-child, a usable ThreadsPerChild already set for the
 * target, or the default; where it comes from in tsrc.
 */
static long long
pick_threads(struct conv *c, long long maxtl, char *tsrc, size_t size)
{
	struct ent *e = conv_last_setter(c, RULES_K_ThreadsPerChild);
	long long T;

	if (c->o->threads > 0) {
		T = c->o->threads;
		snprintf(tsrc, size, "--threads-per-child %lld", T);
	} else if (e != NULL && conv_clean_int(conv_ent_value(e)) &&
	    hconf_atoi(conv_ent_value(e)) >= 1 &&
	    hconf_atoi(conv_ent_value(e)) <= maxtl) {
		char *w = conv_where(e->doc, e->n);

		T = hconf_atoi(conv_ent_value(e));
		snprintf(tsrc, size, "already set for %s at %s",
		    rules_mpm_name(c->to), w);
		free(w);
	} else {
		T = TPC_DEFAULT;
		snprintf(tsrc, size,
		    "the default (--threads-per-child changes it)");
	}
	return T;
}

/* ServerLimit and ThreadLimit for P processes of T threads. */
void
conv_want_limits(struct conv *c, long long P, long long mrw, long long maxtl)
{
	long long T = c->T, sl, tl;
	struct ent *e;

	if (c->to == RULES_MPM_EVENT) {
		sl = 2 * P > THREADED_SL_MAX ? THREADED_SL_MAX : 2 * P;
		conv_want(c, RULES_K_ServerLimit, sl, sl > THREADED_SL_DEFAULT,
		    "2 x MaxRequestWorkers / T = 2 x %lld%s: room for a whole "
		    "generation of %lld processes stopping gracefully%s",
		    P, sl < 2 * P ? " (capped at 20000)" : "", P,
		    sl > THREADED_SL_DEFAULT ? ""
		                             : " (the default 16 holds them)");
	} else {
		sl = P;
		conv_want(c, RULES_K_ServerLimit, sl, sl > THREADED_SL_DEFAULT,
		    "MaxRequestWorkers / T = %lld / %lld%s", mrw, T,
		    sl > THREADED_SL_DEFAULT ? ""
		                             : " (the default 16 holds them)");
	}
	e = conv_last_setter(c, RULES_K_ThreadLimit);
	if (e != NULL && conv_clean_int(conv_ent_value(e)) &&
	    hconf_atoi(conv_ent_value(e)) >= T &&
	    hconf_atoi(conv_ent_value(e)) <= maxtl) {
		tl = hconf_atoi(conv_ent_value(e));
		conv_want(c, RULES_K_ThreadLimit, tl, 0, "kept: %lld >= T", tl);
	} else if (e != NULL || T > THREADED_TL_DEFAULT) {
		conv_want(c, RULES_K_ThreadLimit, T, 1,
		    "T: ThreadLimit must be at least ThreadsPerChild");
	} else {
		conv_want(c, RULES_K_ThreadLimit, THREADED_TL_DEFAULT, 0,
		    "the default 64 is at least T = %lld", T);
	}
}

/*
 * StartServers, the spare threads and MaxConnectionsPerChild from
 * prefork's values, for mrw workers.  Spare pools count idle workers,
 * and a prefork process is one worker: MinSpareServers N becomes
 * MinSpareThreads N.  Event and worker stop a whole process of T threads
 * at a time, so their band is one process wider: MaxSpareThreads is
 * MaxSpareServers + T, which maps prefork's floor Min + 1 onto httpd's
 * floor Min + T + 1 and lets plan_prefork() give back the original.
 * It stays below mrw when MaxSpareServers was, and httpd's floor leaves
 * room: mrw - 1 then, where the way back gives mrw - 1 - T.
 */
static void
want_spares(struct conv *c, long long mrw)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long T = c->T, mins, maxs, mc, minf, maxf, fl;

	conv_want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 3,
	    "StartServers %lld: the same "
	    "number of processes, each now with T threads",
	    b->v[RULES_K_StartServers]);
	minf = b->v[RULES_K_MinSpareServers];
	maxf = b->v[RULES_K_MaxSpareServers];
	mins = minf < 1 ? 1 : minf;
	conv_want(c, RULES_K_MinSpareThreads, mins, mins != 75,
	    "MinSpareServers %lld: idle workers, and a prefork process is "
	    "one worker",
	    minf);
	fl = mins + T + 1;
	maxs = maxf + T < fl ? fl : maxf + T;
	if (maxs > INT_MAX) {
		maxs = INT_MAX;
	}
	if (maxs >= mrw && maxf < mrw && mrw - 1 >= fl) {
		conv_want(c, RULES_K_MaxSpareThreads, mrw - 1, mrw - 1 != 250,
		    "MaxRequestWorkers - 1 = %lld - 1: MaxSpareServers + T "
		    "= %lld + %lld would reach MaxRequestWorkers, and %lld is "
		    "below it",
		    mrw, maxf, T, maxf);
	} else {
		conv_want(c, RULES_K_MaxSpareThreads, maxs, maxs != 250,
		    "MaxSpareServers + T = %lld + %lld: the idle workers "
		    "prefork keeps, plus the T threads httpd stops with each "
		    "process; httpd's floor MinSpareThreads + T + 1 = %lld",
		    maxf, T, fl);
	}
	mc = b->v[RULES_K_MaxConnectionsPerChild];
	if (mc < 0) {
		conv_want(c, RULES_K_MaxConnectionsPerChild, 0, 0,
		    "0: prefork reads "
		    "%lld as unlimited, worker and event would respawn their "
		    "children without end",
		    mc);
	} else {
		conv_want(c, RULES_K_MaxConnectionsPerChild, mc, mc != 0,
		    "kept: a count of connections per child, not scaled by T");
	}
}

/* prefork -> worker or event */
static int
plan_threaded(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long maxtl =
	    c->to == RULES_MPM_EVENT ? EVENT_TL_MAX : WORKER_TL_MAX;
	long long T, P, mrw;
	char tsrc[200];

	T = pick_threads(c, maxtl, tsrc, sizeof(tsrc));
	if (T > maxtl) {
		conv_fail(c,
		    "--threads-per-child %lld is above %s's ThreadLimit "
		    "maximum of %lld",
		    T, rules_mpm_name(c->to), maxtl);
		return -1;
	}
	c->T = T;
	c->M0 = b->capacity;
	P = ceil_div(c->M0, T);
	mrw = P * T;
	if (P > THREADED_SL_MAX) {
		conv_fail(c,
		    "MaxRequestWorkers %lld needs %lld processes of %lld "
		    "threads, above the ServerLimit maximum of %d; use a "
		    "larger --threads-per-child",
		    c->M0, P, T, THREADED_SL_MAX);
		return -1;
	}
	conv_want(c, RULES_K_ThreadsPerChild, T, T != TPC_DEFAULT, "T, %s", tsrc);
	conv_want(c, RULES_K_MaxRequestWorkers, mrw, mrw != 400,
	    "ceil(M / T) x T "
	    "= ceil(%lld / %lld) x %lld: the smallest multiple of T that is "
	    "at least M, the effective prefork MaxRequestWorkers %lld",
	    c->M0, T, T, c->M0);
	conv_want_limits(c, P, mrw, maxtl);
	want_spares(c, mrw);
	if (c->to == RULES_MPM_EVENT) {
		want_arwf(c);
	}
	return 0;
}

/* worker or event -> prefork */
static int
plan_prefork(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long T = b->v[RULES_K_ThreadsPerChild], mins, maxs, minf, maxf;

	c->T = T;
	c->M0 = b->capacity;
	if (c->M0 > PREFORK_SL_MAX) {
		conv_fail(c,
		    "MaxRequestWorkers %lld is above prefork's ServerLimit "
		    "maximum of %d processes",
		    c->M0, PREFORK_SL_MAX);
		return -1;
	}
	conv_want(c, RULES_K_MaxRequestWorkers, c->M0, c->M0 != PREFORK_SL_DEFAULT,
	    "M = processes x ThreadsPerChild = %lld x %lld: one process for "
	    "every thread",
	    b->processes, T);
	if (c->M0 > PREFORK_SL_DEFAULT) {
		conv_want(c, RULES_K_ServerLimit, c->M0, 1,
		    "MaxRequestWorkers: above the default 256");
	} else {
		conv_want_drop(c, RULES_K_ServerLimit,
		    "MaxRequestWorkers %lld <= "
		    "256: the default ServerLimit 256 holds it",
		    c->M0);
	}
	conv_want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 5,
	    "StartServers %lld: the same number of processes",
	    b->v[RULES_K_StartServers]);
	/* the inverse of want_spares(): idle workers, band one process less */
	mins = b->v[RULES_K_MinSpareThreads];
	maxs = b->v[RULES_K_MaxSpareThreads];
	minf = mins < 1 ? 1 : mins;
	conv_want(c, RULES_K_MinSpareServers, minf, minf != 5,
	    "MinSpareThreads %lld: idle workers, and a prefork process is "
	    "one worker",
	    mins);
	maxf = maxs - T < minf + 1 ? minf + 1 : maxs - T;
	conv_want(c, RULES_K_MaxSpareServers, maxf, maxf != 10,
	    "max(MaxSpareThreads - T, MinSpareServers + 1) = max(%lld - "
	    "%lld, %lld + 1): prefork stops one worker at a time, not T",
	    maxs, T, minf);
	conv_want(c, RULES_K_MaxConnectionsPerChild,
	    b->v[RULES_K_MaxConnectionsPerChild],
	    b->v[RULES_K_MaxConnectionsPerChild] != 0,
	    "kept: a count of connections per child");
	return 0;
}

/* worker <-> event: the effective values carry over */
static int
plan_carry(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	long long tl = b->v[RULES_K_ThreadLimit];
	long long T = b->v[RULES_K_ThreadsPerChild];

	c->T = T;
	c->M0 = b->capacity;
	if (c->to == RULES_MPM_WORKER && T > WORKER_TL_MAX) {
		conv_fail(c,
		    "ThreadsPerChild %lld is above worker's ThreadLimit "
		    "maximum of %d",
		    T, WORKER_TL_MAX);
		return -1;
	}
	if (c->to == RULES_MPM_WORKER && tl > WORKER_TL_MAX) {
		tl = WORKER_TL_MAX;
	}
	conv_want(c, RULES_K_ServerLimit, b->v[RULES_K_ServerLimit],
	    b->v[RULES_K_ServerLimit] != THREADED_SL_DEFAULT, "carried over");
	conv_want(c, RULES_K_ThreadLimit, tl, tl != THREADED_TL_DEFAULT,
	    tl == b->v[RULES_K_ThreadLimit] ? "carried over"
	                                    : "worker's maximum 20000");
	conv_want(c, RULES_K_ThreadsPerChild, T, T != TPC_DEFAULT, "carried over");
	conv_want(c, RULES_K_MaxRequestWorkers, c->M0, c->M0 != 400,
	    "carried over: the effective %lld = %lld processes x %lld threads",
	    c->M0, b->processes, T);
	conv_want(c, RULES_K_StartServers, b->v[RULES_K_StartServers],
	    b->v[RULES_K_StartServers] != 3, "carried over");
	conv_want(c, RULES_K_MinSpareThreads, b->v[RULES_K_MinSpareThreads],
	    b->v[RULES_K_MinSpareThreads] != 75, "carried over");
	conv_want(c, RULES_K_MaxSpareThreads, b->v[RULES_K_MaxSpareThreads],
	    b->v[RULES_K_MaxSpareThreads] != 250,
	    "carried over (as httpd "
	    "runs it, at least MinSpareThreads + T + 1)");
	conv_want(c, RULES_K_MaxConnectionsPerChild,
	    b->v[RULES_K_MaxConnectionsPerChild],
	    b->v[RULES_K_MaxConnectionsPerChild] != 0, "carried over");
	if (c->to == RULES_MPM_EVENT) {
		want_arwf(c);
	}
	return 0;
}

int
conv_plan(struct conv *c)
{
	size_t i;
	int rc;

	for (i = 0; i < c->ne; i++) {
		c->e[i].tk = target_key(c->to, c->e[i].k);
	}
	if (c->from == c->to) {
		/* --tune alone: only the capacity keys change */
		c->T = c->res.eff.v[RULES_K_ThreadsPerChild];
		rc = 0;
	} else {
		rc = c->to == RULES_MPM_PREFORK    ? plan_prefork(c)
		    : c->from == RULES_MPM_PREFORK ? plan_threaded(c)
		                                   : plan_carry(c);
	}
	if (rc == 0 && c->o->tune) {
		rc = conv_tune(c);
	}
	if (rc == -1) {
		return -1;
	}
	c->r->threads = c->to == RULES_MPM_PREFORK ? 0 : c->T;
	return 0;
}
