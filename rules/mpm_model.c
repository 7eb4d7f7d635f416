/*
 * mpm_model.c: replay what httpd 2.4.71 does with the MPM directives:
 * argument parsing (atoi, strtod), *_check_config with the exact start-up
 * warnings, and the silent *_run adjustments, in httpd's order.
 * Pure computation: no parsing of configuration files, no printing, no
 * mutable globals.  Arithmetic is 64-bit; where httpd's own int arithmetic
 * wraps, the wrap is reproduced explicitly (wrap32).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpm.h"

/* Compiled-in defaults and limits (spec 3.2, server/mpm/<mpm>/...). */
#define PREFORK_SERVER_LIMIT		256
#define PREFORK_MAX_SERVER_LIMIT	200000
#define THREADED_SERVER_LIMIT		16
#define THREADED_MAX_SERVER_LIMIT	20000
#define THREADED_THREAD_LIMIT		64
#define WORKER_MAX_THREAD_LIMIT		20000
#define EVENT_MAX_THREAD_LIMIT		100000
#define THREADED_TPC			25
#define WORKER_FACTOR_SCALE		16

static const char *const key_names[RULES_K__COUNT] = {
	"StartServers", "ServerLimit", "MaxRequestWorkers",
	"MinSpareServers", "MaxSpareServers", "MinSpareThreads",
	"MaxSpareThreads", "ThreadsPerChild", "ThreadLimit",
	"AsyncRequestWorkerFactor", "MaxConnectionsPerChild",
	"ListenCoresBucketsRatio"
};

/*
 * The start-up message ids of one MPM, in check_config order.  Worker and
 * event share the logic and differ only in ids and the ThreadLimit cap.
 */
struct ids {
	const char *sl_high, *sl_low, *tl_high, *tl_low, *tpc_high, *tpc_low,
	    *mrw_low_tpc, *mrw_mult, *mrw_sl, *start, *minspare;
};

static const struct ids worker_ids = {
	"AH00300", "AH00302", "AH00305", "AH00307", "AH00310", "AH00312",
	"AH00314", "AH00316", "AH00318", "AH00320", "AH00322"
};

static const struct ids event_ids = {
	"AH00497", "AH00499", "AH00502", "AH00504", "AH00507", "AH00509",
	"AH00511", "AH00513", "AH00515", "AH00517", "AH00519"
};

/* Where adjustments are collected while computing. */
struct sink {
	struct rules_mpm_adj	*adj;
	size_t			 max;
	size_t			 n;
	int			 error;
};

const char *
rules_mpm_key_name(enum rules_mpm_key k)
{
	if ((int)k < 0 || k >= RULES_K__COUNT) {
		return NULL;
	}
	return key_names[k];
}

/* ASCII case-insensitive equality; httpd compares names with strcasecmp. */
static int
name_eq(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z') {
			ca = (unsigned char)(ca - 'A' + 'a');
		}
		if (cb >= 'A' && cb <= 'Z') {
			cb = (unsigned char)(cb - 'A' + 'a');
		}
	} while (ca == cb && ca != '\0');
	return ca == cb;
}

/*
 * Every name of a key, the 2.2 ones too, by length, with its first and
 * last letters folded (| 0x20): a name is compared in full only with
 * those that agree there, so most directives cost a byte test or two.
 */
static const struct {
	const char *s;
	unsigned char len, c0, cl;
	enum rules_mpm_key k;
} key_spell[] = {
	{"MaxClients", 10, 'm', 's', RULES_K_MaxRequestWorkers},
	{"ServerLimit", 11, 's', 't', RULES_K_ServerLimit},
	{"ThreadLimit", 11, 't', 't', RULES_K_ThreadLimit},
	{"StartServers", 12, 's', 's', RULES_K_StartServers},
	{"MinSpareServers", 15, 'm', 's', RULES_K_MinSpareServers},
	{"MaxSpareServers", 15, 'm', 's', RULES_K_MaxSpareServers},
	{"MinSpareThreads", 15, 'm', 's', RULES_K_MinSpareThreads},
	{"MaxSpareThreads", 15, 'm', 's', RULES_K_MaxSpareThreads},
	{"ThreadsPerChild", 15, 't', 'd', RULES_K_ThreadsPerChild},
	{"MaxRequestWorkers", 17, 'm', 's', RULES_K_MaxRequestWorkers},
	{"MaxRequestsPerChild", 19, 'm', 'd', RULES_K_MaxConnectionsPerChild},
	{"MaxConnectionsPerChild", 22, 'm', 'd',
	    RULES_K_MaxConnectionsPerChild},
	{"ListenCoresBucketsRatio", 23, 'l', 'o',
	    RULES_K_ListenCoresBucketsRatio},
	{"AsyncRequestWorkerFactor", 24, 'a', 'r',
	    RULES_K_AsyncRequestWorkerFactor},
};

int
rules_mpm_key_lookup(const char *directive, enum rules_mpm_key *k)
{
	unsigned char c0;
	size_t i, len;

	if (directive == NULL) {
		return 0;
	}
	c0 = (unsigned char)(directive[0] | 0x20);
	if (c0 != 'm' && c0 != 's' && c0 != 't' && c0 != 'a' && c0 != 'l') {
		return 0;
	}
	len = strlen(directive);
	for (i = 0; i < sizeof(key_spell) / sizeof(key_spell[0]) &&
	    key_spell[i].len <= len; i++) {
		if (key_spell[i].len == len && key_spell[i].c0 == c0 &&
		    key_spell[i].cl == (unsigned char)(directive[len - 1] |
		    0x20) && name_eq(directive, key_spell[i].s)) {
			if (k != NULL) {
				*k = key_spell[i].k;
			}
			return 1;
		}
	}
	return 0;
}

int
rules_mpm_key_valid(enum rules_mpm mpm, enum rules_mpm_key k)
{
	int any, threaded;

	any = mpm == RULES_MPM_PREFORK || mpm == RULES_MPM_WORKER ||
	    mpm == RULES_MPM_EVENT;
	threaded = mpm == RULES_MPM_WORKER || mpm == RULES_MPM_EVENT;
	switch (k) {
	case RULES_K_StartServers:
	case RULES_K_ServerLimit:
	case RULES_K_MaxRequestWorkers:
	case RULES_K_ListenCoresBucketsRatio:
		return any;
	case RULES_K_MinSpareServers:
	case RULES_K_MaxSpareServers:
		return mpm == RULES_MPM_PREFORK;
	case RULES_K_MinSpareThreads:
	case RULES_K_MaxSpareThreads:
	case RULES_K_ThreadsPerChild:
	case RULES_K_ThreadLimit:
		return threaded;
	case RULES_K_AsyncRequestWorkerFactor:
		return mpm == RULES_MPM_EVENT;
	case RULES_K_MaxConnectionsPerChild:
		/* core.c registers it, so it exists even without an MPM */
		return 1;
	default:
		return 0;
	}
}

int
rules_mpm_guard(const char *name, enum rules_mpm *m)
{
	static const struct {
		const char *ident, *source;
		enum rules_mpm m;
	} g[] = {
		{"mpm_prefork_module", "prefork.c", RULES_MPM_PREFORK},
		{"mpm_worker_module", "worker.c", RULES_MPM_WORKER},
		{"mpm_event_module", "event.c", RULES_MPM_EVENT},
	};
	size_t i;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		if (strcmp(name, g[i].ident) == 0 ||
		    strcmp(name, g[i].source) == 0) {
			*m = g[i].m;
			return 1;
		}
	}
	return 0;
}

const char *
rules_mpm_name(enum rules_mpm mpm)
{
	switch (mpm) {
	case RULES_MPM_PREFORK:
		return "prefork";
	case RULES_MPM_WORKER:
		return "worker";
	case RULES_MPM_EVENT:
		return "event";
	default:
		return "none";
	}
}

/*
 * Keep the low 32 bits as a two's complement int, as x86-64 does when a
 * long becomes an int (atoi) and when httpd's int sums in *_run pass
 * INT_MAX: the comparison there uses the wrapped value [obs].
 */
static long long
wrap32(long long v)
{
	unsigned long long u = (unsigned long long)v & 0xffffffffULL;

	return u >= 0x80000000ULL ? (long long)u - 0x100000000LL :
	    (long long)u;
}

int
rules_atoi(const char *s)
{
	unsigned long long acc, lim;
	long long val;
	int neg, over;

	if (s == NULL) {
		return 0;
	}
	/* isspace() in the C locale */
	while (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
		s++;
	}
	neg = 0;
	if (*s == '+' || *s == '-') {
		neg = *s == '-';
		s++;
	}
	/* strtol saturates at LONG_MAX or LONG_MIN (64-bit on glibc x86-64) */
	lim = neg ? 0x8000000000000000ULL : 0x7fffffffffffffffULL;
	acc = 0;
	over = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (over || acc > (lim - d) / 10) {
			over = 1;
			continue;
		}
		acc = acc * 10 + d;
	}
	if (over) {
		acc = lim;
	}
	if (!neg) {
		val = (long long)acc;
	} else if (acc == 0x8000000000000000ULL) {
		val = LLONG_MIN;
	} else {
		val = -(long long)acc;
	}
	/* atoi is (int)strtol: keep the low 32 bits */
	return (int)wrap32(val);
}

int
rules_mpm_buckets(int ratio, int online_cores)
{
	if (ratio < 1 || online_cores / ratio <= 1) {
		return 1;
	}
	return online_cores / ratio;
}

unsigned long long
rules_scoreboard_bytes(long long server_limit, long long thread_limit)
{
	unsigned long long sl, tl;

	sl = server_limit > 0 ? (unsigned long long)server_limit : 0;
	tl = thread_limit > 0 ? (unsigned long long)thread_limit : 0;
	return 56ULL + 40ULL * sl + 336ULL * sl * tl;
}

/* Append one adjustment; the message is formatted with vsnprintf. */
#if defined(__GNUC__)
__attribute__((format(printf, 8, 9)))
#endif
static void
add(struct sink *sk, enum rules_mpm_key key, const char *ahid, int runtime,
    int error, long long from, long long to, const char *fmt, ...)
{
	struct rules_mpm_adj *a;
	va_list ap;

	if (error) {
		sk->error = 1;
	}
	if (sk->n++ >= sk->max || sk->adj == NULL) {
		return;
	}
	a = &sk->adj[sk->n - 1];
	a->key = key;
	a->ahid = ahid;
	a->runtime = runtime;
	a->error = error;
	a->from = from;
	a->to = to;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
}

/* Value of an integer directive: atoi of the text if set, else def. */
static long long
ival(const struct rules_mpm_in *in, enum rules_mpm_key k, long long def)
{
	if (!in->set[k] || !rules_mpm_key_valid(in->mpm, k)) {
		return def;
	}
	return rules_atoi(in->raw[k] != NULL ? in->raw[k] : "");
}

/*
 * *_check_config: a value below 1 is raised to 1 with a warning (the
 * spare settings say why: tail).
 */
static long long
at_least_one(struct sink *sk, enum rules_mpm_key k, const char *ahid,
    long long v, const char *tail)
{
	if (v >= 1) {
		return v;
	}
	add(sk, k, ahid, 0, 0, v, 1, "WARNING: %s of %lld not allowed, "
	    "increasing to 1%s", key_names[k], v, tail);
	return 1;
}

/* A compile-time limit (of unit: servers, threads), then at least 1. */
static long long
clamp_limit(struct sink *sk, enum rules_mpm_key k, const char *ah_high,
    const char *ah_low, long long v, long long max, const char *unit)
{
	if (v > max) {
		add(sk, k, ah_high, 0, 0, v, max, "WARNING: %s of %lld exceeds "
		    "compile-time limit of %lld %s, decreasing to %lld.",
		    key_names[k], v, max, unit, max);
		return max;
	}
	return at_least_one(sk, k, ah_low, v, ".");
}

/*
 * *_run: a value below floor is raised to it, silently ("below
 * <before><floor><after>").
 */
static long long
raise_at_start(struct sink *sk, enum rules_mpm_key k, long long v,
    long long floor, const char *before, const char *after)
{
	if (v >= floor) {
		return v;
	}
	add(sk, k, NULL, 1, 0, v, floor, "%s of %lld is below %s%lld%s; httpd "
	    "raises it to %lld at start.", key_names[k], v, before, floor,
	    after, floor);
	return floor;
}

/* ... to the number of listener buckets */
static long long
at_least_buckets(struct sink *sk, enum rules_mpm_key k, long long v,
    long long nb)
{
	return raise_at_start(sk, k, v, nb, "the ", " listener buckets");
}

/* the tail of the MinSpare* warnings */
#define SPARE_WHY " to avoid almost certain server failure. Please read " \
	"the documentation."

/*
 * ListenCoresBucketsRatio (listen.c:ap_set_listencbratio): atoi, and a
 * value below 1 is refused.  Only the error matters here; the bucket
 * count itself comes from the caller.
 */
static void
check_listencbratio(const struct rules_mpm_in *in, struct rules_mpm_eff *eff,
    struct sink *sk)
{
	long long r = ival(in, RULES_K_ListenCoresBucketsRatio, 0);

	if (in->set[RULES_K_ListenCoresBucketsRatio] && r < 1) {
		add(sk, RULES_K_ListenCoresBucketsRatio, NULL, 0, 1, r, 0,
		    "ListenCoresBucketsRatio must be > 0");
		r = 0;
	}
	eff->v[RULES_K_ListenCoresBucketsRatio] = r;
}

/*
 * AsyncRequestWorkerFactor (event.c:set_worker_factor): strtod over the
 * whole argument; "error parsing value" if anything is left, refused when
 * not > 0 (NaN passes), else worker_factor = val * 16 as unsigned int,
 * raised to 16.  The gate uses worker_factor / 16.  The conversion is
 * undefined in C; Debian's binary does cvttsd2si into a 64-bit register
 * and keeps the low 32 bits, so NaN, inf and |val * 16| >= 2^63 give 0
 * (then 16), and large values wrap modulo 2^32.
 */
static void
compute_arwf(const struct rules_mpm_in *in, struct rules_mpm_eff *eff,
    struct sink *sk)
{
	const char *raw;
	char *end;
	double val, scaled;
	unsigned long long wf;

	eff->arwf_raw = 2.0;
	eff->arwf_used = 2;
	if (in->mpm != RULES_MPM_EVENT ||
	    !in->set[RULES_K_AsyncRequestWorkerFactor]) {
		eff->v[RULES_K_AsyncRequestWorkerFactor] =
		    in->mpm == RULES_MPM_EVENT ? 2 : 0;
		if (in->mpm != RULES_MPM_EVENT) {
			eff->arwf_raw = 0.0;
			eff->arwf_used = 0;
		}
		return;
	}
	raw = in->raw[RULES_K_AsyncRequestWorkerFactor];
	if (raw == NULL) {
		raw = "";
	}
	val = strtod(raw, &end);
	if (*end != '\0') {
		add(sk, RULES_K_AsyncRequestWorkerFactor, NULL, 0, 1, 0, 0,
		    "error parsing value");
	} else if (val <= 0) {
		add(sk, RULES_K_AsyncRequestWorkerFactor, NULL, 0, 1, 0, 0,
		    "AsyncRequestWorkerFactor argument must be a positive "
		    "number");
	} else {
		scaled = val * WORKER_FACTOR_SCALE;
		if (scaled != scaled || scaled >= 9223372036854775808.0 ||
		    scaled <= -9223372036854775808.0) {
			wf = 0;
		} else {
			wf = (unsigned long long)(long long)scaled &
			    0xffffffffULL;
		}
		if (wf < WORKER_FACTOR_SCALE) {
			wf = WORKER_FACTOR_SCALE;
		}
		eff->arwf_raw = val;
		eff->arwf_used = (long long)(wf / WORKER_FACTOR_SCALE);
		if (!(val >= 1.0)) {
			add(sk, RULES_K_AsyncRequestWorkerFactor, NULL, 1, 0,
			    0, eff->arwf_used,
			    "AsyncRequestWorkerFactor %.40s is below 1 or not "
			    "a number; httpd uses %lld.", raw,
			    eff->arwf_used);
		} else if (scaled >= 4294967296.0) {
			add(sk, RULES_K_AsyncRequestWorkerFactor, NULL, 1, 0,
			    0, eff->arwf_used,
			    "AsyncRequestWorkerFactor %.40s overflows httpd's "
			    "32-bit scaled factor; httpd uses %lld.", raw,
			    eff->arwf_used);
		} else if ((double)eff->arwf_used != val) {
			add(sk, RULES_K_AsyncRequestWorkerFactor, NULL, 1, 0,
			    0, eff->arwf_used,
			    "AsyncRequestWorkerFactor %.40s has a fraction, "
			    "which httpd ignores; it uses %lld.", raw,
			    eff->arwf_used);
		}
	}
	eff->v[RULES_K_AsyncRequestWorkerFactor] = eff->arwf_used;
}

/* prefork.c: prefork_check_config, then prefork_run. */
static void
compute_prefork(const struct rules_mpm_in *in, struct rules_mpm_eff *eff,
    struct sink *sk)
{
	long long sl, mrw, start, minf, maxf, nb, t;

	sl = ival(in, RULES_K_ServerLimit, PREFORK_SERVER_LIMIT);
	/* the implicit MRW is the compiled default, not ServerLimit */
	mrw = ival(in, RULES_K_MaxRequestWorkers, PREFORK_SERVER_LIMIT);
	start = ival(in, RULES_K_StartServers, 5);
	minf = ival(in, RULES_K_MinSpareServers, 5);
	maxf = ival(in, RULES_K_MaxSpareServers, 10);
	nb = in->buckets < 1 ? 1 : in->buckets;

	sl = clamp_limit(sk, RULES_K_ServerLimit, "AH00175", "AH00177", sl,
	    PREFORK_MAX_SERVER_LIMIT, "servers");
	if (mrw > sl) {
		add(sk, RULES_K_MaxRequestWorkers, "AH00180", 0, 0, mrw, sl,
		    "WARNING: MaxRequestWorkers of %lld exceeds ServerLimit "
		    "value of %lld servers, decreasing MaxRequestWorkers to "
		    "%lld. To increase, please see the ServerLimit directive.",
		    mrw, sl, sl);
		mrw = sl;
	}
	mrw = at_least_one(sk, RULES_K_MaxRequestWorkers, "AH00182", mrw, ".");
	start = at_least_one(sk, RULES_K_StartServers, "AH00184", start, ".");
	minf = at_least_one(sk, RULES_K_MinSpareServers, "AH00186", minf,
	    SPARE_WHY);

	/* prefork_run: "Don't thrash since num_buckets depends on ..." */
	mrw = at_least_buckets(sk, RULES_K_MaxRequestWorkers, mrw, nb);
	start = at_least_buckets(sk, RULES_K_StartServers, start, nb);
	minf = at_least_buckets(sk, RULES_K_MinSpareServers, minf, nb);
	t = wrap32(minf + nb);
	if (maxf < t) {
		add(sk, RULES_K_MaxSpareServers, NULL, 1, 0, maxf, t,
		    "MaxSpareServers of %lld is below MinSpareServers (%lld) "
		    "plus the %lld listener bucket(s); httpd raises it to %lld "
		    "at start.", maxf, minf, nb, t);
		maxf = t;
	}
	eff->spawn = start;
	if (start > mrw) {
		add(sk, RULES_K_StartServers, NULL, 1, 0, start, mrw,
		    "StartServers of %lld exceeds MaxRequestWorkers of %lld; "
		    "httpd starts only %lld children.", start, mrw, mrw);
		eff->spawn = mrw;
	}

	eff->v[RULES_K_ServerLimit] = sl;
	eff->v[RULES_K_MaxRequestWorkers] = mrw;
	eff->v[RULES_K_StartServers] = start;
	eff->v[RULES_K_MinSpareServers] = minf;
	eff->v[RULES_K_MaxSpareServers] = maxf;
	/* what prefork_query answers for the thread keys */
	eff->v[RULES_K_ThreadLimit] = 1;
	eff->v[RULES_K_ThreadsPerChild] = 1;
	eff->v[RULES_K_MinSpareThreads] = 0;
	eff->v[RULES_K_MaxSpareThreads] = 0;
	eff->processes = mrw;
	eff->capacity = mrw;
}

/*
 * worker_run / event_run, spec 4.3: the listener buckets raise the
 * process limit and the spare threads; StartServers is capped by the
 * process limit.  eff->v holds what *_check_config left.
 */
static void
threaded_run(struct rules_mpm_eff *eff, struct sink *sk, long long limit,
    long long nb)
{
	long long tpc = eff->v[RULES_K_ThreadsPerChild];
	long long start = eff->v[RULES_K_StartServers];
	long long mins = eff->v[RULES_K_MinSpareThreads];
	long long maxs = eff->v[RULES_K_MaxSpareThreads];

	if (limit < nb) {
		add(sk, RULES_K_MaxRequestWorkers, NULL, 1, 0, limit, nb,
		    "The process limit of %lld (MaxRequestWorkers / "
		    "ThreadsPerChild, at most ServerLimit) is below the %lld "
		    "listener buckets; httpd raises it to %lld at start.",
		    limit, nb, nb);
		limit = nb;
	}
	start = at_least_buckets(sk, RULES_K_StartServers, start, nb);
	mins = raise_at_start(sk, RULES_K_MinSpareThreads, mins,
	    wrap32(tpc * (nb - 1) + nb),
	    "ThreadsPerChild x (buckets - 1) + buckets = ", "");
	maxs = raise_at_start(sk, RULES_K_MaxSpareThreads, maxs,
	    wrap32(mins + wrap32((tpc + 1) * nb)),
	    "MinSpareThreads + (ThreadsPerChild + 1) x buckets = ", "");
	eff->spawn = start;
	if (start > limit) {
		add(sk, RULES_K_StartServers, NULL, 1, 0, start, limit,
		    "StartServers of %lld exceeds the process limit of %lld "
		    "(MaxRequestWorkers / ThreadsPerChild, at most "
		    "ServerLimit); httpd starts only %lld children.", start,
		    limit, limit);
		eff->spawn = limit;
	}
	eff->v[RULES_K_StartServers] = start;
	eff->v[RULES_K_MinSpareThreads] = mins;
	eff->v[RULES_K_MaxSpareThreads] = maxs;
	eff->processes = limit;
	eff->capacity = limit * tpc;
}

/* worker.c/event.c: *_check_config, then *_run. */
static void
compute_threaded(const struct rules_mpm_in *in, struct rules_mpm_eff *eff,
    struct sink *sk)
{
	const struct ids *id;
	long long sl, tl, tpc, mrw, start, mins, limit, maxtl;

	if (in->mpm == RULES_MPM_EVENT) {
		id = &event_ids;
		maxtl = EVENT_MAX_THREAD_LIMIT;
	} else {
		id = &worker_ids;
		maxtl = WORKER_MAX_THREAD_LIMIT;
	}
	sl = ival(in, RULES_K_ServerLimit, THREADED_SERVER_LIMIT);
	tl = ival(in, RULES_K_ThreadLimit, THREADED_THREAD_LIMIT);
	tpc = ival(in, RULES_K_ThreadsPerChild, THREADED_TPC);
	/* implicit MRW: compiled 16 x 25, whatever ServerLimit/TPC say */
	mrw = ival(in, RULES_K_MaxRequestWorkers,
	    THREADED_SERVER_LIMIT * THREADED_TPC);
	start = ival(in, RULES_K_StartServers, 3);
	mins = ival(in, RULES_K_MinSpareThreads, 3 * THREADED_TPC);

	/* rows 1, 1', 3, 3' */
	sl = clamp_limit(sk, RULES_K_ServerLimit, id->sl_high, id->sl_low, sl,
	    THREADED_MAX_SERVER_LIMIT, "servers");
	tl = clamp_limit(sk, RULES_K_ThreadLimit, id->tl_high, id->tl_low, tl,
	    maxtl, "threads");
	/* rows 5, 5' */
	if (tpc > tl) {
		add(sk, RULES_K_ThreadsPerChild, id->tpc_high, 0, 0, tpc, tl,
		    "WARNING: ThreadsPerChild of %lld exceeds ThreadLimit of "
		    "%lld threads, decreasing to %lld. To increase, please see "
		    "the ThreadLimit directive.", tpc, tl, tl);
		tpc = tl;
	}
	tpc = at_least_one(sk, RULES_K_ThreadsPerChild, id->tpc_low, tpc, ".");
	/* row 6 */
	if (mrw < tpc) {
		add(sk, RULES_K_MaxRequestWorkers, id->mrw_low_tpc, 0, 0, mrw,
		    tpc,
		    "WARNING: MaxRequestWorkers of %lld is less than "
		    "ThreadsPerChild of %lld, increasing to %lld. "
		    "MaxRequestWorkers must be at least as large as the number "
		    "of threads in a single server.", mrw, tpc, tpc);
		mrw = tpc;
	}
	/* rows 7, 8: here 1 <= tpc <= mrw, so no product exceeds mrw */
	limit = mrw / tpc;
	if (mrw % tpc != 0) {
		add(sk, RULES_K_MaxRequestWorkers, id->mrw_mult, 0, 0, mrw,
		    limit * tpc,
		    "WARNING: MaxRequestWorkers of %lld is not an integer "
		    "multiple of ThreadsPerChild of %lld, decreasing to nearest "
		    "multiple %lld, for a maximum of %lld servers.", mrw, tpc,
		    limit * tpc, limit);
		mrw = limit * tpc;
	}
	/* row 9: only the process limit drops; max_workers stays */
	if (limit > sl) {
		add(sk, RULES_K_MaxRequestWorkers, id->mrw_sl, 0, 0, mrw,
		    sl * tpc,
		    "WARNING: MaxRequestWorkers of %lld would require %lld "
		    "servers and would exceed ServerLimit of %lld, decreasing "
		    "to %lld. To increase, please see the ServerLimit "
		    "directive.", mrw, limit, sl, sl * tpc);
		limit = sl;
	}
	/* rows 10, 11 */
	start = at_least_one(sk, RULES_K_StartServers, id->start, start, ".");
	mins = at_least_one(sk, RULES_K_MinSpareThreads, id->minspare, mins,
	    SPARE_WHY);

	eff->v[RULES_K_ServerLimit] = sl;
	eff->v[RULES_K_ThreadLimit] = tl;
	eff->v[RULES_K_ThreadsPerChild] = tpc;
	eff->v[RULES_K_MaxRequestWorkers] = mrw;
	eff->v[RULES_K_StartServers] = start;
	eff->v[RULES_K_MinSpareThreads] = mins;
	eff->v[RULES_K_MaxSpareThreads] = ival(in, RULES_K_MaxSpareThreads,
	    10 * THREADED_TPC);
	eff->v[RULES_K_MinSpareServers] = 0;
	eff->v[RULES_K_MaxSpareServers] = 0;
	threaded_run(eff, sk, limit, in->buckets < 1 ? 1 : in->buckets);
}

int
rules_mpm_compute(const struct rules_mpm_in *in, struct rules_mpm_eff *eff,
    struct rules_mpm_adj *adj, size_t max, size_t *nadj)
{
	struct sink sk;

	memset(eff, 0, sizeof(*eff));
	sk.adj = adj;
	sk.max = adj != NULL ? max : 0;
	sk.n = 0;
	sk.error = 0;
	if (nadj != NULL) {
		*nadj = 0;
	}
	if (in->mpm != RULES_MPM_PREFORK && in->mpm != RULES_MPM_WORKER &&
	    in->mpm != RULES_MPM_EVENT) {
		return -1;
	}
	eff->mpm = in->mpm;
	eff->buckets = in->buckets < 1 ? 1 : in->buckets;

	/* parse time: the directives that can refuse a value, then core */
	check_listencbratio(in, eff, &sk);
	compute_arwf(in, eff, &sk);
	eff->v[RULES_K_MaxConnectionsPerChild] =
	    ival(in, RULES_K_MaxConnectionsPerChild, 0);

	if (in->mpm == RULES_MPM_PREFORK) {
		compute_prefork(in, eff, &sk);
	} else {
		compute_threaded(in, eff, &sk);
	}
	if (nadj != NULL) {
		*nadj = sk.n;
	}
	return sk.error ? -1 : 0;
}
