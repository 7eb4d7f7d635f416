/*
 * tune.c - mpmconv --tune: the largest capacity whose peak memory stays
 * within the RAM threshold that mpmlint checks (MPM043), through the
 * resource model of rules/resource.h and the inputs of memory.c (one
 * implementation: the numbers are mpmlint's).  Runs after the plan of a
 * conversion (--to another MPM), or alone on the file's own MPM, and
 * fills c->w[] for MaxRequestWorkers, ServerLimit (ThreadLimit when
 * --threads-per-child needs it), StartServers and the spare pools; the
 * edits go through edit.c like any conversion's.  The arithmetic goes to
 * c->r->memory, line by line, for the ledger of --explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"
#include "resource.h"

/* A line of the memory arithmetic. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
mem_line(struct conv *c, const char *fmt, ...)
{
	struct conv_result *r = c->r;
	va_list ap;
	char buf[400];

	if (r->nmemory == sizeof(r->memory) / sizeof(r->memory[0])) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->memory[r->nmemory++] = hconf_xstrdup(buf);
}

static const char *
src_word(enum rules_res_src s)
{
	switch (s) {
	case RULES_SRC_OPTION:
		return "given";
	case RULES_SRC_PROFILE:
		return "profile";
	case RULES_SRC_MEASURE:
		return "measured";
	default:
		return "default estimate";
	}
}

/* The value the result would have for k: the plan's, else the input's. */
static long long
current(const struct conv *c, enum rules_mpm_key k)
{
	return c->w[k].managed && !c->w[k].drop ? c->w[k].v :
	    c->r->before.v[k];
}

/* Keep v for k, or write nv with the reason; defaults never inserted. */
static void
set_key(struct conv *c, enum rules_mpm_key k, long long nv, long long dflt,
    const char *why)
{
	if (c->w[k].managed && !c->w[k].drop && c->w[k].v == nv) {
		return; /* the plan's value stands, with its formula */
	}
	conv_want(c, k, nv, nv != dflt || c->w[k].managed, "%s", why);
}

/*
 * StartServers and the spare pools of P processes, mrw workers: kept
 * when they fit, else lowered so that httpd starts no more processes
 * than it may run and MaxSpare stays below MaxRequestWorkers (where
 * httpd's floor leaves room: not with one or two processes).
 */
static void
tune_spares(struct conv *c, long long P, long long mrw)
{
	int pre = c->to == RULES_MPM_PREFORK;
	enum rules_mpm_key kmin = pre ? RULES_K_MinSpareServers :
	    RULES_K_MinSpareThreads;
	enum rules_mpm_key kmax = pre ? RULES_K_MaxSpareServers :
	    RULES_K_MaxSpareThreads;
	long long T = pre ? 1 : c->T, step = pre ? 1 : T + 1;
	long long start = current(c, RULES_K_StartServers);
	long long mins = current(c, kmin), maxs = current(c, kmax);
	long long cap = mrw - 1, nmins, nmaxs, flo;
	char why[200];

	if (start > P) {
		snprintf(why, sizeof(why), "the %lld processes the RAM holds "
		    "(was %lld: httpd would start only %lld)", P, start, P);
		set_key(c, RULES_K_StartServers, P, pre ? 5 : 3, why);
	}
	if (mins < 1) {
		mins = 1;
	}
	nmins = mins;
	if (mins + step > cap) {
		nmins = cap - step >= 1 ? cap - step : 1;
	}
	if (nmins != mins) {
		snprintf(why, sizeof(why), "MaxRequestWorkers - 1 - %s = "
		    "%lld - 1 - %lld: room below MaxRequestWorkers for httpd's "
		    "MaxSpare floor%s", pre ? "1" : "(T + 1)", mrw, step,
		    nmins == 1 ? " (at least 1)" : "");
		set_key(c, kmin, nmins, pre ? 5 : 75, why);
	}
	flo = nmins + step; /* httpd's, with one listener bucket */
	nmaxs = maxs > cap ? cap : maxs;
	if (nmaxs < flo) {
		nmaxs = flo;
	}
	if (nmaxs == maxs) {
		return;
	}
	snprintf(why, sizeof(why), "%s: the spare pool stays below "
	    "MaxRequestWorkers %lld%s", nmaxs == cap ? "MaxRequestWorkers - 1" :
	    pre ? "MinSpareServers + 1" : "MinSpareThreads + T + 1, httpd's "
	    "floor", mrw, nmaxs > cap ? " where the floor allows (too few "
	    "processes)" : "");
	set_key(c, kmax, nmaxs, pre ? 10 : 250, why);
}

/* The lines of the arithmetic (sizes, budget, processes, peak). */
static void
tune_lines(struct conv *c, const struct rules_res_in *in, unsigned thr,
    long long T, long long P, unsigned long long budget)
{
	char ram[32], bud[32], ps[32], ts[32], per[32], rsv[32], pk[32];
	char nx[32];
	unsigned long long one = rules_res_add(in->process_size,
	    rules_res_mul((unsigned long long)T, in->thread_size));
	unsigned long long peak = rules_res_peak((unsigned long long)P,
	    (unsigned long long)(P * T), in->process_size, in->thread_size,
	    in->reserve);
	unsigned long long next = rules_res_add(peak, one);

	rules_res_human(in->ram, ram, sizeof(ram));
	rules_res_human(budget, bud, sizeof(bud));
	rules_res_human(in->process_size, ps, sizeof(ps));
	rules_res_human(in->thread_size, ts, sizeof(ts));
	rules_res_human(one, per, sizeof(per));
	rules_res_human(in->reserve, rsv, sizeof(rsv));
	rules_res_human(peak, pk, sizeof(pk));
	rules_res_human(next, nx, sizeof(nx));
	mem_line(c, "RAM %s (%llu bytes) x %u%% = %s (%llu bytes): the "
	    "threshold of mpmlint's MPM043", ram, in->ram, thr, bud, budget);
	mem_line(c, "one process = %s (process size, %s) + %lld x %s "
	    "(thread size, %s) = %s", ps, src_word(in->process_src), T, ts,
	    src_word(in->thread_src), per);
	mem_line(c, "processes = floor((%s - %s reserved) / %s) = %lld", bud,
	    rsv, per, P);
	mem_line(c, "peak = %lld x %s + %lld x %s + %s = %s (%llu bytes), "
	    "within %s", P, ps, P * T, ts, rsv, pk, peak, bud);
	mem_line(c, "one process more: %s (%llu bytes), above %s", nx, next,
	    bud);
}

/* --measure: which child the process size is from (say it always). */
static void
tune_measured(struct conv *c, const struct rules_res_in *in)
{
	const struct rules_res_measure *m = c->o->measured;
	char mx[32], mean[32];

	if (m == NULL || in->process_src != RULES_SRC_MEASURE ||
	    m->children == 0) {
		return;
	}
	rules_res_human(m->pss_max, mx, sizeof(mx));
	rules_res_human(m->pss_total / m->children, mean, sizeof(mean));
	conv_msgf(c, CONV_NOTE, NULL, NULL, "--measure: the process size is "
	    "the largest child of %s pid %ld: pid %ld, PSS %s (%zu children "
	    "measured, mean %s)", m->comm, m->pid, m->pss_max_pid, mx,
	    m->children, mean);
	mem_line(c, "process size: the largest child, pid %ld, PSS %s (of "
	    "%zu; mean %s)", m->pss_max_pid, mx, m->children, mean);
}

int
conv_tune(struct conv *c)
{
	const struct rules_mpm_eff *b = &c->r->before;
	struct rules_res_in in;
	unsigned long long budget, mrw;
	long long T, P, maxtl;
	unsigned thr;
	char ram[32], one[32];

	maxtl = c->to == RULES_MPM_EVENT ? EVENT_TL_MAX : WORKER_TL_MAX;
	T = c->to == RULES_MPM_PREFORK ? 1 : c->T;
	if (c->from == c->to && c->to != RULES_MPM_PREFORK &&
	    c->o->threads > 0) {
		T = c->o->threads;
	}
	if (c->from == c->to && c->to == RULES_MPM_PREFORK &&
	    c->o->threads > 0) {
		conv_msgf(c, CONV_WARNING, NULL, NULL, "--threads-per-child "
		    "is ignored: prefork runs one thread a process");
	}
	if (T < 1 || T > maxtl) {
		conv_fail(c, "ThreadsPerChild %lld is outside 1 to %lld", T,
		    maxtl);
		return -1;
	}
	conv_mem_inputs(c, c->to, &in);
	thr = in.threshold >= 1 && in.threshold <= 100 ? in.threshold :
	    RULES_RES_THRESHOLD;
	budget = rules_res_percent(in.ram, thr);
	mrw = rules_res_max_mrw(c->to, (unsigned long long)T,
	    in.process_size, in.thread_size, in.reserve, budget);
	tune_measured(c, &in);
	if (mrw == 0) {
		rules_res_human(in.ram, ram, sizeof(ram));
		rules_res_human(rules_res_add(rules_res_add(in.process_size,
		    rules_res_mul((unsigned long long)T, in.thread_size)),
		    in.reserve), one, sizeof(one));
		conv_fail(c, "--tune: not even one child fits: one process of "
		    "%lld thread%s takes about %s with the reserve, above %u%% "
		    "of the %s of RAM; nothing was changed", T, T == 1 ? "" :
		    "s", one, thr, ram);
		return -1;
	}
	P = (long long)(mrw / (unsigned long long)T);
	c->T = T;
	c->M0 = P * T;
	tune_lines(c, &in, thr, T, P, budget);
	conv_want(c, RULES_K_MaxRequestWorkers, P * T, 1, "processes x T = "
	    "%lld x %lld: the largest capacity whose peak stays within %u%% "
	    "of RAM (the memory lines); was %lld", P, T, thr, b->capacity);
	if (c->to == RULES_MPM_PREFORK) {
		if (P > PREFORK_SL_DEFAULT || !c->w[RULES_K_ServerLimit].drop) {
			c->w[RULES_K_ServerLimit].drop = 0;
			set_key(c, RULES_K_ServerLimit, P, PREFORK_SL_DEFAULT,
			    "MaxRequestWorkers: prefork runs at most "
			    "ServerLimit processes");
			c->w[RULES_K_ServerLimit].insert =
			    P > PREFORK_SL_DEFAULT;
		}
	} else {
		if (T != b->v[RULES_K_ThreadsPerChild] || c->w[
		    RULES_K_ThreadsPerChild].managed) {
			set_key(c, RULES_K_ThreadsPerChild, T, TPC_DEFAULT,
			    "T, --threads-per-child");
		}
		conv_want_limits(c, P, P * T, maxtl);
	}
	tune_spares(c, P, P * T);
	return 0;
}
