/*
 * test_mpm_model.c: unit tests of the MPM model (rules/mpm_model.c):
 * every check_config row and *_run adjustment, rules_atoi and the
 * helpers.  The replay of the cases verified against Debian's apache2
 * is test_mpm_oracle.c.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpm.h"

#define MAXADJ 32

/* One model run. */
struct run {
	struct rules_mpm_eff	eff;
	struct rules_mpm_adj	adj[MAXADJ];
	size_t			n;
	int			rc;
};

/*
 * Run the model on NULL-terminated (directive, argument) pairs; the last
 * occurrence of a directive wins, as in httpd.
 */
static void
run_model(struct run *r, enum rules_mpm mpm, int buckets, ...)
{
	struct rules_mpm_in in;
	enum rules_mpm_key k;
	const char *name, *arg;
	va_list ap;

	memset(&in, 0, sizeof(in));
	memset(r, 0, sizeof(*r));
	in.mpm = mpm;
	in.buckets = buckets;
	va_start(ap, buckets);
	while ((name = va_arg(ap, const char *)) != NULL) {
		arg = va_arg(ap, const char *);
		assert_true(rules_mpm_key_lookup(name, &k));
		in.set[k] = 1;
		in.raw[k] = arg;
	}
	va_end(ap);
	r->rc = rules_mpm_compute(&in, &r->eff, r->adj, MAXADJ, &r->n);
	assert_true(r->n <= MAXADJ);
}

/* The i-th printed (AH) adjustment, or NULL. */
static const struct rules_mpm_adj *
nth_ah(const struct run *r, size_t i)
{
	size_t j;

	for (j = 0; j < r->n; j++) {
		if (r->adj[j].ahid == NULL) {
			continue;
		}
		if (i == 0) {
			return &r->adj[j];
		}
		i--;
	}
	return NULL;
}

static size_t
count_ah(const struct run *r)
{
	size_t j, c = 0;

	for (j = 0; j < r->n; j++) {
		c += r->adj[j].ahid != NULL;
	}
	return c;
}

/* The first silent adjustment of key k, or NULL. */
static const struct rules_mpm_adj *
silent(const struct run *r, enum rules_mpm_key k)
{
	size_t j;

	for (j = 0; j < r->n; j++) {
		if (r->adj[j].runtime && r->adj[j].key == k) {
			return &r->adj[j];
		}
	}
	return NULL;
}

static void
assert_ah(const struct run *r, size_t i, const char *id, const char *msg)
{
	const struct rules_mpm_adj *a = nth_ah(r, i);

	assert_non_null(a);
	assert_string_equal(a->ahid, id);
	assert_false(a->runtime);
	assert_false(a->error);
	if (msg != NULL) {
		assert_string_equal(a->msg, msg);
	}
}

/*
 * Exactly n start-up (AH) messages, the first ones as listed: an id,
 * then the text or NULL (not checked); a NULL id ends the list.
 */
static void
expect_ah(const struct run *r, size_t n, ...)
{
	va_list ap;
	const char *id;
	size_t i = 0;

	assert_int_equal(count_ah(r), n);
	va_start(ap, n);
	while ((id = va_arg(ap, const char *)) != NULL) {
		assert_ah(r, i++, id, va_arg(ap, const char *));
	}
	va_end(ap);
}

/* An adjustment's value before and after. */
static void
assert_change(const struct rules_mpm_adj *a, long long from, long long to)
{
	assert_non_null(a);
	assert_int_equal(a->from, from);
	assert_int_equal(a->to, to);
}

/*
 * The values of every key (httpd's defaults below), then the processes,
 * the capacity and the children started.
 */
static void
assert_eff(const struct run *r, const long long *v, long long processes,
    long long capacity, long long spawn)
{
	int k;

	for (k = 0; k < RULES_K__COUNT; k++) {
		assert_int_equal(r->eff.v[k], v[k]);
	}
	assert_int_equal(r->eff.processes, processes);
	assert_int_equal(r->eff.capacity, capacity);
	assert_int_equal(r->eff.spawn, spawn);
}

static const long long prefork_defaults[RULES_K__COUNT] = {
	[RULES_K_StartServers] = 5, [RULES_K_MinSpareServers] = 5,
	[RULES_K_MaxSpareServers] = 10, [RULES_K_ServerLimit] = 256,
	[RULES_K_MaxRequestWorkers] = 256, [RULES_K_ThreadLimit] = 1,
	[RULES_K_ThreadsPerChild] = 1,
};
/* worker's; event's has AsyncRequestWorkerFactor 2 too */
#define THREADED_DEFAULTS \
	[RULES_K_StartServers] = 3, [RULES_K_ServerLimit] = 16, \
	[RULES_K_ThreadLimit] = 64, [RULES_K_ThreadsPerChild] = 25, \
	[RULES_K_MaxRequestWorkers] = 400, [RULES_K_MinSpareThreads] = 75, \
	[RULES_K_MaxSpareThreads] = 250
static const long long worker_defaults[RULES_K__COUNT] = {
	THREADED_DEFAULTS
};
static const long long event_defaults[RULES_K__COUNT] = {
	THREADED_DEFAULTS, [RULES_K_AsyncRequestWorkerFactor] = 2
};

/* ---- helpers ---- */

static void
test_key_names(void **state)
{
	enum rules_mpm_key k, got;

	(void)state;
	for (k = 0; k < RULES_K__COUNT; k++) {
		assert_non_null(rules_mpm_key_name(k));
		assert_true(rules_mpm_key_lookup(rules_mpm_key_name(k), &got));
		assert_int_equal(got, k);
	}
	assert_null(rules_mpm_key_name(RULES_K__COUNT));
	assert_string_equal(rules_mpm_key_name(RULES_K_ThreadsPerChild),
	    "ThreadsPerChild");
	assert_true(rules_mpm_key_lookup("MaxClients", &got));
	assert_int_equal(got, RULES_K_MaxRequestWorkers);
	assert_true(rules_mpm_key_lookup("maxclients", &got));
	assert_int_equal(got, RULES_K_MaxRequestWorkers);
	assert_true(rules_mpm_key_lookup("MAXREQUESTSPERCHILD", &got));
	assert_int_equal(got, RULES_K_MaxConnectionsPerChild);
	assert_true(rules_mpm_key_lookup("threadsperchild", &got));
	assert_int_equal(got, RULES_K_ThreadsPerChild);
	assert_true(rules_mpm_key_lookup("asyncrequestworkerfactor", NULL));
	got = RULES_K_ServerLimit;
	assert_false(rules_mpm_key_lookup("Listen", &got));
	assert_int_equal(got, RULES_K_ServerLimit);
	assert_false(rules_mpm_key_lookup("ThreadsPerChil", NULL));
	assert_false(rules_mpm_key_lookup("ThreadsPerChildX", NULL));
	assert_false(rules_mpm_key_lookup("", NULL));
	assert_false(rules_mpm_key_lookup(NULL, NULL));
	assert_string_equal(rules_mpm_name(RULES_MPM_PREFORK), "prefork");
	assert_string_equal(rules_mpm_name(RULES_MPM_WORKER), "worker");
	assert_string_equal(rules_mpm_name(RULES_MPM_EVENT), "event");
	assert_string_equal(rules_mpm_name(RULES_MPM_NONE), "none");
}

/* The keys each MPM registers, a bit each (MaxConnectionsPerChild is
 * core's, so known without an MPM too). */
#define KB(k) (1u << RULES_K_##k)
#define THREADED_KEYS (KB(StartServers) | KB(ServerLimit) | \
	KB(MaxRequestWorkers) | KB(MinSpareThreads) | KB(MaxSpareThreads) | \
	KB(ThreadsPerChild) | KB(ThreadLimit) | KB(MaxConnectionsPerChild) | \
	KB(ListenCoresBucketsRatio))

static void
test_key_valid(void **state)
{
	static const unsigned keys[] = {
		[RULES_MPM_NONE] = KB(MaxConnectionsPerChild),
		[RULES_MPM_PREFORK] = KB(StartServers) | KB(ServerLimit) |
		    KB(MaxRequestWorkers) | KB(MinSpareServers) |
		    KB(MaxSpareServers) | KB(MaxConnectionsPerChild) |
		    KB(ListenCoresBucketsRatio),
		[RULES_MPM_WORKER] = THREADED_KEYS,
		[RULES_MPM_EVENT] = THREADED_KEYS |
		    KB(AsyncRequestWorkerFactor),
	};
	size_t m;
	int k;

	(void)state;
	for (m = 0; m < sizeof(keys) / sizeof(keys[0]); m++) {
		for (k = 0; k < RULES_K__COUNT; k++) {
			assert_int_equal(rules_mpm_key_valid((enum rules_mpm)m,
			    (enum rules_mpm_key)k), (keys[m] >> k) & 1);
		}
	}
	assert_false(rules_mpm_key_valid(RULES_MPM_EVENT, RULES_K__COUNT));
}

static void
test_atoi(void **state)
{
	(void)state;
	/* the examples of spec 3.3, each checked against glibc atoi() */
	assert_int_equal(rules_atoi("25abc"), 25);
	assert_int_equal(rules_atoi("1e3"), 1);
	assert_int_equal(rules_atoi("0x400"), 0);
	assert_int_equal(rules_atoi("abc"), 0);
	assert_int_equal(rules_atoi("4294967296"), 0);
	assert_int_equal(rules_atoi("99999999999999999999"), -1);
	/* more, also checked against glibc */
	assert_int_equal(rules_atoi(""), 0);
	assert_int_equal(rules_atoi(NULL), 0);
	assert_int_equal(rules_atoi("  \t\n+17"), 17);
	assert_int_equal(rules_atoi("\v\f\r9"), 9);
	assert_int_equal(rules_atoi(" -42x"), -42);
	assert_int_equal(rules_atoi("-0"), 0);
	assert_int_equal(rules_atoi("+-5"), 0);
	assert_int_equal(rules_atoi("- 5"), 0);
	assert_int_equal(rules_atoi("12 34"), 12);
	assert_int_equal(rules_atoi("2147483647"), INT_MAX);
	assert_int_equal(rules_atoi("2147483648"), INT_MIN);
	assert_int_equal(rules_atoi("-2147483648"), INT_MIN);
	assert_int_equal(rules_atoi("-2147483649"), INT_MAX);
	assert_int_equal(rules_atoi("4294967297"), 1);
	assert_int_equal(rules_atoi("-4294967295"), 1);
	assert_int_equal(rules_atoi("8589934591"), -1);
	assert_int_equal(rules_atoi("9223372036854775807"), -1);
	assert_int_equal(rules_atoi("9223372036854775808"), -1);
	assert_int_equal(rules_atoi("18446744073709551616"), -1);
	assert_int_equal(rules_atoi("-9223372036854775808"), 0);
	assert_int_equal(rules_atoi("-99999999999999999999"), 0);
	assert_int_equal(
	    rules_atoi("000000000000000000000000000000000000012"), 12);
}

static void
test_scoreboard_and_buckets(void **state)
{
	(void)state;
	/* spec 7.1 examples */
	assert_true(rules_scoreboard_bytes(256, 1) == 96312ULL);
	assert_true(rules_scoreboard_bytes(200000, 1) == 75200056ULL);
	assert_true(rules_scoreboard_bytes(16, 64) == 344760ULL);
	assert_true(rules_scoreboard_bytes(20000, 100000) == 672000800056ULL);
	assert_true(rules_scoreboard_bytes(20000, 20000) ==
	    56ULL + 800000ULL + 336ULL * 400000000ULL);
	assert_true(rules_scoreboard_bytes(-1, 5) == 56ULL);
	assert_true(rules_scoreboard_bytes(LLONG_MIN, LLONG_MIN) == 56ULL);

	assert_int_equal(rules_mpm_buckets(0, 2), 1);
	assert_int_equal(rules_mpm_buckets(-3, 8), 1);
	assert_int_equal(rules_mpm_buckets(1, 2), 2);
	assert_int_equal(rules_mpm_buckets(3, 2), 1);
	assert_int_equal(rules_mpm_buckets(2, 8), 4);
	assert_int_equal(rules_mpm_buckets(8, 8), 1);
	assert_int_equal(rules_mpm_buckets(3, 8), 2);
}

/* ---- prefork ---- */

static void
test_prefork_defaults(void **state)
{
	struct run r;

	(void)state;
	run_model(&r, RULES_MPM_PREFORK, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.eff.mpm, RULES_MPM_PREFORK);
	assert_eff(&r, prefork_defaults, 256, 256, 5);
	assert_int_equal(r.eff.buckets, 1);
}

static void
test_prefork_serverlimit(void **state)
{
	struct run r;

	(void)state;
	/* row 1, then row 3 against the lowered limit */
	run_model(&r, RULES_MPM_PREFORK, 1, "ServerLimit", "300000",
	    "MaxRequestWorkers", "250000", NULL);
	assert_int_equal(r.rc, 0);
	expect_ah(&r, 2, "AH00175", "WARNING: ServerLimit of 300000 exceeds "
	    "compile-time limit of 200000 servers, decreasing to 200000.",
	    NULL);
	assert_int_equal(nth_ah(&r, 0)->key, RULES_K_ServerLimit);
	assert_int_equal(nth_ah(&r, 0)->from, 300000);
	assert_int_equal(nth_ah(&r, 0)->to, 200000);
	assert_ah(&r, 1, "AH00180", NULL);
	assert_int_equal(r.eff.v[RULES_K_ServerLimit], 200000);
	assert_int_equal(r.eff.v[RULES_K_MaxRequestWorkers], 200000);

	/* row 1 boundary: exactly the limit is fine */
	run_model(&r, RULES_MPM_PREFORK, 1, "ServerLimit", "200000", NULL);
	assert_int_equal(count_ah(&r), 0);

	/* row 1': below 1, then the implicit MRW 256 exceeds it */
	run_model(&r, RULES_MPM_PREFORK, 1, "ServerLimit", "-3", NULL);
	expect_ah(&r, 2, "AH00177", "WARNING: ServerLimit of -3 not allowed, "
	    "increasing to 1.", "AH00180", "WARNING: MaxRequestWorkers of 256 "
	    "exceeds ServerLimit value of 1 servers, decreasing "
	    "MaxRequestWorkers to 1. To increase, please see the ServerLimit "
	    "directive.", NULL);
	assert_int_equal(r.eff.v[RULES_K_ServerLimit], 1);
	assert_int_equal(r.eff.capacity, 1);
}

static void
test_prefork_mrw(void **state)
{
	struct run r;

	(void)state;
	/* row 3 with the implicit MRW (spec 3.2 trap) */
	run_model(&r, RULES_MPM_PREFORK, 1, "ServerLimit", "100", NULL);
	expect_ah(&r, 1, "AH00180", "WARNING: MaxRequestWorkers of 256 exceeds "
	    "ServerLimit value of 100 servers, decreasing MaxRequestWorkers to "
	    "100. To increase, please see the ServerLimit directive.", NULL);
	assert_int_equal(r.eff.v[RULES_K_MaxRequestWorkers], 100);

	/* row 3': 0 and negative, also under the old name */
	run_model(&r, RULES_MPM_PREFORK, 1, "MaxClients", "0", NULL);
	expect_ah(&r, 1, "AH00182", "WARNING: MaxRequestWorkers of 0 not "
	    "allowed, increasing to 1.", NULL);
	assert_int_equal(r.eff.v[RULES_K_MaxRequestWorkers], 1);
	assert_int_equal(r.eff.spawn, 1);
	run_model(&r, RULES_MPM_PREFORK, 1, "MaxRequestWorkers",
	    "99999999999999999999", NULL);
	assert_ah(&r, 0, "AH00182",
	    "WARNING: MaxRequestWorkers of -1 not allowed, increasing to 1.");
}

static void
test_prefork_start_minspare(void **state)
{
	struct run r;

	(void)state;
	/* the spec 4.6 transcript: rows 3, 4, 5 in this order */
	run_model(&r, RULES_MPM_PREFORK, 1, "MaxRequestWorkers", "300",
	    "StartServers", "0", "MinSpareServers", "0", "MaxSpareServers", "0",
	    NULL);
	assert_int_equal(r.rc, 0);
	expect_ah(&r, 3, "AH00180", NULL, "AH00184", "WARNING: StartServers of "
	    "0 not allowed, increasing to 1.", "AH00186", "WARNING: "
	    "MinSpareServers of 0 not allowed, increasing to 1 to avoid almost "
	    "certain server failure. Please read the documentation.", NULL);
	/* MaxSpareServers 0 is raised silently to MinSpare + 1 */
	assert_non_null(silent(&r, RULES_K_MaxSpareServers));
	assert_int_equal(silent(&r, RULES_K_MaxSpareServers)->to, 2);
	assert_null(silent(&r, RULES_K_MaxSpareServers)->ahid);
	assert_int_equal(r.eff.v[RULES_K_MinSpareServers], 1);
	assert_int_equal(r.eff.v[RULES_K_MaxSpareServers], 2);
	/* adjustments come in httpd's order: AH ones before silent ones */
	assert_int_equal(r.n, 4);
	assert_true(r.adj[3].runtime);
}

static void
test_prefork_run(void **state)
{
	struct run r;

	(void)state;
	/* MaxSpareServers <= MinSpareServers -> Min + 1 */
	run_model(&r, RULES_MPM_PREFORK, 1, "MinSpareServers", "8",
	    "MaxSpareServers", "8", NULL);
	assert_int_equal(count_ah(&r), 0);
	assert_int_equal(r.eff.v[RULES_K_MaxSpareServers], 9);
	assert_int_equal(silent(&r, RULES_K_MaxSpareServers)->from, 8);
	run_model(&r, RULES_MPM_PREFORK, 1, "MinSpareServers", "8",
	    "MaxSpareServers", "9", NULL);
	assert_int_equal(r.n, 0);

	/* StartServers above MRW: only MRW children are forked */
	run_model(&r, RULES_MPM_PREFORK, 1, "StartServers", "20",
	    "MaxRequestWorkers", "10", NULL);
	assert_int_equal(count_ah(&r), 0);
	assert_int_equal(r.eff.v[RULES_K_StartServers], 20);
	assert_int_equal(r.eff.spawn, 10);
	assert_int_equal(silent(&r, RULES_K_StartServers)->to, 10);

	/* two buckets: rows 1-4 of prefork_run */
	run_model(&r, RULES_MPM_PREFORK, 2, "StartServers", "1",
	    "MinSpareServers", "1", "MaxSpareServers", "1",
	    "MaxRequestWorkers", "1", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(count_ah(&r), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.adj[0].key, RULES_K_MaxRequestWorkers);
	assert_int_equal(r.adj[1].key, RULES_K_StartServers);
	assert_int_equal(r.adj[2].key, RULES_K_MinSpareServers);
	assert_int_equal(r.adj[3].key, RULES_K_MaxSpareServers);
	assert_int_equal(r.eff.v[RULES_K_MaxRequestWorkers], 2);
	assert_int_equal(r.eff.v[RULES_K_StartServers], 2);
	assert_int_equal(r.eff.v[RULES_K_MinSpareServers], 2);
	assert_int_equal(r.eff.v[RULES_K_MaxSpareServers], 4);
	assert_int_equal(r.eff.buckets, 2);

	/* MinSpare + buckets overflows int in httpd: no raise [obs] */
	run_model(&r, RULES_MPM_PREFORK, 1, "MinSpareServers", "2147483647",
	    "MaxSpareServers", "5", NULL);
	assert_int_equal(r.eff.v[RULES_K_MaxSpareServers], 5);
	assert_null(silent(&r, RULES_K_MaxSpareServers));
}

/* ---- worker and event ---- */

struct tids {
	enum rules_mpm mpm;
	const char *sl_high, *sl_low, *tl_high, *tl_low, *tpc_high, *tpc_low,
	    *mrw_low_tpc, *mrw_mult, *mrw_sl, *start, *minspare;
	const char *maxtl, *maxtl1;
};

static const struct tids threaded[] = {
	{ RULES_MPM_WORKER, "AH00300", "AH00302", "AH00305", "AH00307",
	    "AH00310", "AH00312", "AH00314", "AH00316", "AH00318", "AH00320",
	    "AH00322", "20000", "20001" },
	{ RULES_MPM_EVENT, "AH00497", "AH00499", "AH00502", "AH00504",
	    "AH00507", "AH00509", "AH00511", "AH00513", "AH00515", "AH00517",
	    "AH00519", "100000", "100001" },
};

static void
test_threaded_defaults(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		run_model(&r, threaded[i].mpm, 1, NULL);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.n, 0);
		assert_eff(&r, threaded[i].mpm == RULES_MPM_EVENT ?
		    event_defaults : worker_defaults, 16, 400, 3);
	}
	assert_int_equal(r.eff.arwf_used, 2);
	assert_int_equal(r.eff.v[RULES_K_AsyncRequestWorkerFactor], 2);
}

static void
threaded_limits(const struct tids *t, struct run *r)
{
	char buf[320];

	/* row 1 */
	run_model(r, t->mpm, 1, "ServerLimit", "20001",
	    "MaxRequestWorkers", "25", NULL);
	expect_ah(r, 1, t->sl_high, "WARNING: ServerLimit of 20001 exceeds "
	    "compile-time limit of 20000 servers, decreasing to 20000.", NULL);
	assert_int_equal(r->eff.v[RULES_K_ServerLimit], 20000);
	/* row 1' */
	run_model(r, t->mpm, 1, "ServerLimit", "0",
	    "MaxRequestWorkers", "25", NULL);
	expect_ah(r, 1, t->sl_low, "WARNING: ServerLimit of 0 not allowed, "
	    "increasing to 1.", NULL);
	/* row 3: the cap differs, worker 20000, event 100000 */
	run_model(r, t->mpm, 1, "ThreadLimit", t->maxtl1, NULL);
	assert_int_equal(count_ah(r), 1);
	snprintf(buf, sizeof(buf), "WARNING: ThreadLimit of %s exceeds "
	    "compile-time limit of %s threads, decreasing to %s.",
	    t->maxtl1, t->maxtl, t->maxtl);
	assert_ah(r, 0, t->tl_high, buf);
	assert_int_equal(r->eff.v[RULES_K_ThreadLimit],
	    atoi(t->maxtl));
	run_model(r, t->mpm, 1, "ThreadLimit", t->maxtl, NULL);
	assert_int_equal(r->n, 0);
	/* row 3' */
	run_model(r, t->mpm, 1, "ThreadLimit", "-7",
	    "ThreadsPerChild", "1", "MaxRequestWorkers", "16", NULL);
	expect_ah(r, 1, t->tl_low, "WARNING: ThreadLimit of -7 not allowed, "
	    "increasing to 1.", NULL);
}

static void
threaded_tpc(const struct tids *t, struct run *r)
{
	/* row 5 with the default ThreadLimit 64, then row 9 */
	run_model(r, t->mpm, 1, "ThreadLimit", "20", NULL);
	expect_ah(r, 2, t->tpc_high, "WARNING: ThreadsPerChild of 25 exceeds "
	    "ThreadLimit of 20 threads, decreasing to 20. To increase, please "
	    "see the ThreadLimit directive.", t->mrw_sl, "WARNING: "
	    "MaxRequestWorkers of 400 would require 20 servers and would "
	    "exceed ServerLimit of 16, decreasing to 320. To increase, please "
	    "see the ServerLimit directive.", NULL);
	assert_int_equal(r->eff.v[RULES_K_ThreadsPerChild], 20);
	/* row 9 leaves httpd's max_workers alone */
	assert_int_equal(r->eff.v[RULES_K_MaxRequestWorkers], 400);
	assert_int_equal(r->eff.processes, 16);
	assert_int_equal(r->eff.capacity, 320);
	/* row 5' */
	run_model(r, t->mpm, 1, "ThreadsPerChild", "-3",
	    "MaxRequestWorkers", "16", NULL);
	expect_ah(r, 1, t->tpc_low, "WARNING: ThreadsPerChild of -3 not "
	    "allowed, increasing to 1.", NULL);
	assert_int_equal(r->eff.capacity, 16);
}

static void
threaded_mrw(const struct tids *t, struct run *r)
{
	/* row 6, and not row 8 after it */
	run_model(r, t->mpm, 1, "MaxRequestWorkers", "10", NULL);
	expect_ah(r, 1, t->mrw_low_tpc, "WARNING: MaxRequestWorkers of 10 is "
	    "less than ThreadsPerChild of 25, increasing to 25. "
	    "MaxRequestWorkers must be at least as large as the number of "
	    "threads in a single server.", NULL);
	assert_int_equal(r->eff.processes, 1);
	assert_int_equal(r->eff.capacity, 25);
	/* row 8 */
	run_model(r, t->mpm, 1, "MaxRequestWorkers", "410", NULL);
	expect_ah(r, 1, t->mrw_mult, "WARNING: MaxRequestWorkers of 410 is "
	    "not an integer multiple of ThreadsPerChild of 25, decreasing to "
	    "nearest multiple 400, for a maximum of 16 servers.", NULL);
	assert_change(nth_ah(r, 0), 410, 400);
	assert_int_equal(r->eff.v[RULES_K_MaxRequestWorkers], 400);
	/* row 8 with the implicit 400 */
	run_model(r, t->mpm, 1, "ThreadsPerChild", "64", NULL);
	assert_ah(r, 0, t->mrw_mult, "WARNING: MaxRequestWorkers of "
	    "400 is not an integer multiple of ThreadsPerChild of 64, "
	    "decreasing to nearest multiple 384, for a maximum of 6 "
	    "servers.");
	assert_int_equal(r->eff.processes, 6);
	/* row 9 with the implicit 400 */
	run_model(r, t->mpm, 1, "ServerLimit", "8", NULL);
	expect_ah(r, 1, t->mrw_sl, "WARNING: MaxRequestWorkers of 400 would "
	    "require 16 servers and would exceed ServerLimit of 8, decreasing "
	    "to 200. To increase, please see the ServerLimit directive.", NULL);
	assert_int_equal(nth_ah(r, 0)->to, 200);
	assert_int_equal(r->eff.capacity, 200);
	/* rows 8 and 9 at INT_MAX, no overflow */
	run_model(r, t->mpm, 1, "MaxRequestWorkers", "2147483647",
	    NULL);
	expect_ah(r, 2, t->mrw_mult, "WARNING: MaxRequestWorkers of "
	    "2147483647 is not an integer multiple of ThreadsPerChild of 25, "
	    "decreasing to nearest multiple 2147483625, for a maximum of "
	    "85899345 servers.", t->mrw_sl, NULL, NULL);
	assert_int_equal(r->eff.capacity, 400);
}

static void
threaded_start_minspare(const struct tids *t, struct run *r)
{
	/* rows 10, 11; then MinSpare 1 needs MaxSpare >= 27 */
	run_model(r, t->mpm, 1, "StartServers", "0",
	    "MinSpareThreads", "-4", NULL);
	expect_ah(r, 2, t->start, "WARNING: StartServers of 0 not allowed, "
	    "increasing to 1.", t->minspare, "WARNING: MinSpareThreads of -4 "
	    "not allowed, increasing to 1 to avoid almost certain server "
	    "failure. Please read the documentation.", NULL);
	assert_int_equal(r->eff.v[RULES_K_StartServers], 1);
	assert_int_equal(r->eff.v[RULES_K_MinSpareThreads], 1);
	assert_int_equal(r->eff.v[RULES_K_MaxSpareThreads], 250);
	assert_int_equal(r->eff.spawn, 1);
}

static void
threaded_chain(const struct tids *t, struct run *r)
{
	/*
	 * ThreadLimit 0 -> 1, TPC 30 -> 1; MRW 10 needs 10 servers,
	 * within ServerLimit 16, so no row 9 [obs; the spec's
	 * example in 4.2 claims row 9 here]
	 */
	run_model(r, t->mpm, 1, "ThreadLimit", "0", "ThreadsPerChild",
	    "30", "MaxRequestWorkers", "10", NULL);
	expect_ah(r, 2, t->tl_low, NULL, t->tpc_high, "WARNING: "
	    "ThreadsPerChild of 30 exceeds ThreadLimit of 1 threads, "
	    "decreasing to 1. To increase, please see the ThreadLimit "
	    "directive.", NULL);
	assert_int_equal(r->eff.processes, 10);
	assert_int_equal(r->eff.capacity, 10);
	/* with ServerLimit 0 as well, row 9 follows */
	run_model(r, t->mpm, 1, "ServerLimit", "0", "ThreadLimit", "0",
	    "ThreadsPerChild", "30", "MaxRequestWorkers", "10", NULL);
	expect_ah(r, 4, t->sl_low, NULL, t->tl_low, NULL, t->tpc_high, NULL,
	    t->mrw_sl, "WARNING: MaxRequestWorkers of 10 would require 10 "
	    "servers and would exceed ServerLimit of 1, decreasing to 1. To "
	    "increase, please see the ServerLimit directive.", NULL);
	assert_int_equal(r->eff.capacity, 1);
}

static void
threaded_run(const struct tids *t, struct run *r)
{
	/* MaxSpare < MinSpare + TPC + 1 */
	run_model(r, t->mpm, 1, "MinSpareThreads", "100",
	    "MaxSpareThreads", "110", NULL);
	assert_int_equal(count_ah(r), 0);
	assert_int_equal(r->eff.v[RULES_K_MaxSpareThreads], 126);
	run_model(r, t->mpm, 1, "MinSpareThreads", "100",
	    "MaxSpareThreads", "126", NULL);
	assert_int_equal(r->n, 0);
	/* "abc" is 0 and is raised silently */
	run_model(r, t->mpm, 1, "MaxSpareThreads", "abc", NULL);
	assert_int_equal(r->eff.v[RULES_K_MaxSpareThreads], 101);
	assert_int_equal(silent(r, RULES_K_MaxSpareThreads)->from, 0);
	/* two buckets */
	run_model(r, t->mpm, 2, "StartServers", "1", "MinSpareThreads",
	    "1", "MaxSpareThreads", "1", "MaxRequestWorkers", "25",
	    NULL);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n, 4);
	assert_int_equal(r->adj[0].key, RULES_K_MaxRequestWorkers);
	assert_int_equal(r->adj[1].key, RULES_K_StartServers);
	assert_int_equal(r->adj[2].key, RULES_K_MinSpareThreads);
	assert_int_equal(r->adj[3].key, RULES_K_MaxSpareThreads);
	assert_int_equal(r->eff.processes, 2);
	assert_int_equal(r->eff.capacity, 50);
	assert_int_equal(r->eff.v[RULES_K_StartServers], 2);
	assert_int_equal(r->eff.v[RULES_K_MinSpareThreads], 27);
	assert_int_equal(r->eff.v[RULES_K_MaxSpareThreads], 79);
	/* httpd's int sum wraps: MaxSpareThreads 0 stays [obs] */
	run_model(r, t->mpm, 1, "MinSpareThreads", "2147483647",
	    "MaxSpareThreads", "0", NULL);
	assert_int_equal(r->eff.v[RULES_K_MaxSpareThreads], 0);
	/* initial spawn capped at the process limit */
	run_model(r, t->mpm, 1, "StartServers", "40", "ServerLimit",
	    "4", "MaxRequestWorkers", "100", NULL);
	assert_int_equal(count_ah(r), 0);
	assert_int_equal(r->eff.spawn, 4);
	assert_int_equal(r->eff.v[RULES_K_StartServers], 40);
	assert_int_equal(silent(r, RULES_K_StartServers)->to, 4);
}

/* The worker/event steps, in order, on one MPM's ids (the state). */
static void
test_threaded(void **state)
{
	static void (*const steps[])(const struct tids *, struct run *) = {
		threaded_limits, threaded_tpc, threaded_mrw,
		threaded_start_minspare, threaded_chain, threaded_run,
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		steps[i](*state, &r);
	}
}

static void
test_extremes(void **state)
{
	static const char *const vals[] = { "2147483647", "-2147483648",
		"99999999999999999999", "0" };
	enum rules_mpm m;
	enum rules_mpm_key k;
	struct rules_mpm_in in;
	struct rules_mpm_eff eff;
	struct rules_mpm_adj adj[MAXADJ];
	size_t i, n;
	int nb;

	(void)state;
	/* every key at once at the int extremes: no overflow (run under
	 * -fsanitize=undefined), values stay within httpd's limits */
	for (m = RULES_MPM_PREFORK; m <= RULES_MPM_EVENT; m++) {
		for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			for (nb = 1; nb <= 64; nb *= 8) {
				memset(&in, 0, sizeof(in));
				in.mpm = m;
				in.buckets = nb;
				for (k = 0; k < RULES_K__COUNT; k++) {
					in.set[k] = 1;
					in.raw[k] = vals[i];
				}
				in.raw[RULES_K_AsyncRequestWorkerFactor] = "3";
				in.raw[RULES_K_ListenCoresBucketsRatio] = "1";
				assert_int_equal(rules_mpm_compute(&in, &eff,
				    adj, MAXADJ, &n), 0);
				assert_true(n <= MAXADJ);
				assert_true(eff.v[RULES_K_ServerLimit] >= 1);
				assert_true(eff.v[RULES_K_ServerLimit] <=
				    200000);
				assert_true(eff.capacity >= 1);
				assert_true(eff.capacity <= 2000000000LL);
			}
		}
	}
}

/* ---- AsyncRequestWorkerFactor, ListenCoresBucketsRatio, misc ---- */

static void
test_arwf(void **state)
{
	static const struct {
		const char *raw;
		long long used;
		int silent;
	} ok[] = {
		{ "2", 2, 0 }, { "3", 3, 0 }, { " 4", 4, 0 }, { "1", 1, 0 },
		{ "1.5", 1, 1 }, { "2.9", 2, 1 }, { "0.5", 1, 1 },
		{ "0.0001", 1, 1 }, { "nan", 1, 1 }, { "inf", 1, 1 },
		/* 2^28 * 16 = 2^32: the low 32 bits are 0, then 16 */
		{ "268435456", 1, 1 },
		/* 1e9 * 16 = 16000000000 mod 2^32 = 3115098112, / 16 */
		{ "1e9", 194693632, 1 },
		{ "0x10", 16, 0 },
	};
	static const struct {
		const char *raw, *msg;
	} bad[] = {
		{ "abc", "error parsing value" },
		{ "2x", "error parsing value" },
		{ "2 ", "error parsing value" },
		{ "0", "AsyncRequestWorkerFactor argument must be a positive "
		    "number" },
		{ "-1", "AsyncRequestWorkerFactor argument must be a positive "
		    "number" },
		{ "", "AsyncRequestWorkerFactor argument must be a positive "
		    "number" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		run_model(&r, RULES_MPM_EVENT, 1, "AsyncRequestWorkerFactor",
		    ok[i].raw, NULL);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.eff.arwf_used, ok[i].used);
		assert_int_equal(r.eff.v[RULES_K_AsyncRequestWorkerFactor],
		    ok[i].used);
		assert_int_equal(r.n, ok[i].silent);
		if (ok[i].silent) {
			assert_true(r.adj[0].runtime);
			assert_null(r.adj[0].ahid);
			assert_int_equal(r.adj[0].to, ok[i].used);
		}
	}
	run_model(&r, RULES_MPM_EVENT, 1, "AsyncRequestWorkerFactor", "1.5",
	    NULL);
	assert_true(r.eff.arwf_raw == 1.5);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_model(&r, RULES_MPM_EVENT, 1, "AsyncRequestWorkerFactor",
		    bad[i].raw, NULL);
		assert_int_equal(r.rc, -1);
		assert_true(r.n >= 1);
		assert_true(r.adj[0].error);
		assert_null(r.adj[0].ahid);
		assert_int_equal(r.adj[0].key,
		    RULES_K_AsyncRequestWorkerFactor);
		assert_string_equal(r.adj[0].msg, bad[i].msg);
		/* the refused value falls back to the default */
		assert_int_equal(r.eff.arwf_used, 2);
	}
	/* not registered by worker: ignored by the model */
	run_model(&r, RULES_MPM_WORKER, 1, "AsyncRequestWorkerFactor", "abc",
	    NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.eff.arwf_used, 0);
}

static void
test_misc(void **state)
{
	struct rules_mpm_in in;
	struct rules_mpm_eff eff;
	struct rules_mpm_adj adj[2];
	struct run r;
	size_t n;

	(void)state;
	/* ListenCoresBucketsRatio below 1 is refused */
	run_model(&r, RULES_MPM_PREFORK, 1, "ListenCoresBucketsRatio", "0",
	    NULL);
	assert_int_equal(r.rc, -1);
	assert_true(r.adj[0].error);
	assert_string_equal(r.adj[0].msg, "ListenCoresBucketsRatio must be > "
	    "0");
	run_model(&r, RULES_MPM_EVENT, 1, "ListenCoresBucketsRatio", "2", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.eff.v[RULES_K_ListenCoresBucketsRatio], 2);

	/* MaxConnectionsPerChild: atoi, no clamping; old name */
	run_model(&r, RULES_MPM_WORKER, 1, "MaxRequestsPerChild", "-1", NULL);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.eff.v[RULES_K_MaxConnectionsPerChild], -1);

	/* keys of another MPM are ignored */
	run_model(&r, RULES_MPM_PREFORK, 1, "ThreadsPerChild", "0",
	    "MinSpareThreads", "0", NULL);
	assert_int_equal(r.n, 0);
	run_model(&r, RULES_MPM_EVENT, 1, "MinSpareServers", "0", NULL);
	assert_int_equal(r.n, 0);

	/* NONE: nothing to compute */
	memset(&in, 0, sizeof(in));
	in.mpm = RULES_MPM_NONE;
	n = 99;
	assert_int_equal(rules_mpm_compute(&in, &eff, adj, 2, &n), -1);
	assert_int_equal(n, 0);
	assert_int_equal(eff.mpm, RULES_MPM_NONE);

	/* a short array: the total is still counted; buckets 0 means 1 */
	memset(&in, 0, sizeof(in));
	in.mpm = RULES_MPM_PREFORK;
	in.set[RULES_K_StartServers] = in.set[RULES_K_MinSpareServers] = 1;
	in.raw[RULES_K_StartServers] = "0";
	in.raw[RULES_K_MinSpareServers] = "0";
	in.set[RULES_K_MaxRequestWorkers] = 1;
	in.raw[RULES_K_MaxRequestWorkers] = NULL; /* reads as "" */
	assert_int_equal(rules_mpm_compute(&in, &eff, adj, 2, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(adj[0].ahid, "AH00182");
	assert_string_equal(adj[1].ahid, "AH00184");
	assert_int_equal(eff.buckets, 1);
	assert_int_equal(rules_mpm_compute(&in, &eff, NULL, 0, NULL), 0);
	assert_int_equal(eff.v[RULES_K_MinSpareServers], 1);
}

/* A worker/event test runs twice, its state the MPM's ids. */
#define THREADED(f) \
	cmocka_unit_test_prestate(f, (void *)&threaded[0]), \
	cmocka_unit_test_prestate(f, (void *)&threaded[1])

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test(test_atoi),
		cmocka_unit_test(test_scoreboard_and_buckets),
		cmocka_unit_test(test_prefork_defaults),
		cmocka_unit_test(test_prefork_serverlimit),
		cmocka_unit_test(test_prefork_mrw),
		cmocka_unit_test(test_prefork_start_minspare),
		cmocka_unit_test(test_prefork_run),
		cmocka_unit_test(test_threaded_defaults),
		THREADED(test_threaded),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_arwf),
		cmocka_unit_test(test_misc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
