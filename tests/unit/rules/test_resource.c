/*
 * test_resource.c: unit tests of the resource checks (rules/resource.c):
 * saturating arithmetic up to ServerLimit 20000 x ThreadLimit 100000, the
 * peak and the largest safe MaxRequestWorkers, capacity, the findings
 * MPM042-MPM046 on parsed configurations, the RAM probe and the
 * measurement on fake /proc and /sys trees, and the profile reader.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "resource.h"
#include "rules.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* ---- helpers ------------------------------------------------------------- */

static void
model(struct rules_mpm_eff *eff, enum rules_mpm mpm, ...)
{
	struct rules_mpm_in in;
	enum rules_mpm_key k;
	const char *name;
	va_list ap;

	memset(&in, 0, sizeof(in));
	in.mpm = mpm;
	in.buckets = 1;
	va_start(ap, mpm);
	while ((name = va_arg(ap, const char *)) != NULL) {
		assert_true(rules_mpm_key_lookup(name, &k));
		in.set[k] = 1;
		in.raw[k] = va_arg(ap, const char *);
	}
	va_end(ap);
	assert_int_equal(rules_mpm_compute(&in, eff, NULL, 0, NULL), 0);
}

/* Parse and lint text, then run the resource checks with in. */
struct linted {
	struct hconf_doc *doc;
	struct rules_result res;
	struct rules_resource rs;
};

static void
lint(struct linted *l, const char *text, const struct rules_res_in *in)
{
	struct hconf_options o;

	memset(&o, 0, sizeof(o));
	o.no_env = 1;
	o.no_envvars = 1;
	l->doc = hconf_parse_buffer("test.conf", text, strlen(text), &o);
	rules_lint(l->doc, NULL, &l->res);
	rules_resource_check(l->doc, in, &l->res, &l->rs);
	rules_sort(&l->res);
}

static void
unlint(struct linted *l)
{
	rules_result_free(&l->res);
	hconf_doc_free(l->doc);
}

/* The findings of rule id: how many, and the first in *f. */
static size_t
count(const struct linted *l, const char *id,
    const struct rules_finding **f)
{
	size_t i, n = 0;

	for (i = 0; i < l->res.n; i++) {
		if (strcmp(l->res.f[i].info->id, id) == 0) {
			if (n++ == 0 && f != NULL) {
				*f = &l->res.f[i];
			}
		}
	}
	return n;
}

static struct rules_res_in
mem_in(unsigned long long ram, unsigned long long ps, unsigned long long ts,
    unsigned long long reserve)
{
	struct rules_res_in in;

	memset(&in, 0, sizeof(in));
	in.memory = 1;
	in.ram = ram;
	in.ram_src = RULES_SRC_OPTION;
	in.process_size = ps;
	in.process_src = RULES_SRC_OPTION;
	in.thread_size = ts;
	in.thread_src = RULES_SRC_OPTION;
	in.reserve = reserve;
	return in;
}

/* Write text to root/rel, creating the directories on the way. */
static void
put(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX], *p;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			fail_msg("mkdir %s: %s", path, strerror(errno));
		}
		*p = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/mpmlint-res.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void
rmtree(const char *d)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

/* ---- arithmetic -------------------------------------------------------- */

static void
test_saturation(void **state)
{
	(void)state;
	assert_true(rules_res_add(1, 2) == 3);
	assert_true(rules_res_add(ULLONG_MAX - 1, 1) == ULLONG_MAX);
	assert_true(rules_res_add(ULLONG_MAX, ULLONG_MAX) == ULLONG_MAX);
	assert_true(rules_res_mul(0, ULLONG_MAX) == 0);
	assert_true(rules_res_mul(ULLONG_MAX, 0) == 0);
	assert_true(rules_res_mul(1ULL << 32, 1ULL << 31) == 1ULL << 63);
	assert_true(rules_res_mul(1ULL << 32, 1ULL << 32) == ULLONG_MAX);
	assert_true(rules_res_mul(3, ULLONG_MAX / 3) == ULLONG_MAX - 0);
	assert_true(rules_res_mul(2, ULLONG_MAX / 2 + 1) == ULLONG_MAX);
	/* floor(v * p / 100) without the product */
	assert_true(rules_res_percent(1000, 80) == 800);
	assert_true(rules_res_percent(999, 80) == 799);
	assert_true(rules_res_percent(ULLONG_MAX, 100) == ULLONG_MAX);
	assert_true(rules_res_percent(ULLONG_MAX, 80) ==
	    14757395258967641292ULL);
	assert_true(rules_res_percent(8 * GiB, 80) == 6871947673ULL);
}

static void
test_peak(void **state)
{
	(void)state;
	/* 16 x 16 MiB + 400 x 1 MiB + 1 GiB */
	assert_true(rules_res_peak(16, 400, 16 * MiB, MiB, GiB) ==
	    16 * 16 * MiB + 400 * MiB + GiB);
	assert_true(rules_res_peak(0, 0, 16 * MiB, MiB, 5) == 5);
	assert_true(rules_res_peak(ULLONG_MAX, 1, 2, 0, 0) == ULLONG_MAX);
	assert_true(rules_res_peak(1, 1, ULLONG_MAX, 1, 1) == ULLONG_MAX);
}

/* The largest MaxRequestWorkers whose peak fits. */
static void
test_max_mrw(void **state)
{
	unsigned long long m;

	(void)state;
	/* prefork: (2 GiB - 0) / (40 + 1) MiB = 49 */
	assert_true(rules_res_max_mrw(RULES_MPM_PREFORK, 1, 40 * MiB, MiB, 0,
	    2 * GiB) == 49);
	/* prefork ignores tpc */
	assert_true(rules_res_max_mrw(RULES_MPM_PREFORK, 25, 40 * MiB, MiB, 0,
	    2 * GiB) == 49);
	/* event: 600 MiB / (16 + 25 x 1) MiB = 14 processes = 350 */
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 25, 16 * MiB, MiB, 0,
	    600 * MiB) == 350);
	/* the reserve comes first */
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 25, 16 * MiB, MiB,
	    100 * MiB, 600 * MiB) == 12 * 25);
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 25, 16 * MiB, MiB,
	    600 * MiB, 600 * MiB) == 0);
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 25, 16 * MiB, MiB,
	    700 * MiB, 600 * MiB) == 0);
	/* not even one process */
	assert_true(rules_res_max_mrw(RULES_MPM_WORKER, 25, GiB, MiB, 0,
	    GiB) == 0);
	/* nothing costs anything: the compiled-in limit */
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 25, 0, 0, 0, GiB) ==
	    20000ULL * 25);
	assert_true(rules_res_max_mrw(RULES_MPM_PREFORK, 1, 0, 0, 0, GiB) ==
	    200000ULL);
	/* a huge machine is capped by the limit too */
	m = rules_res_max_mrw(RULES_MPM_EVENT, 100000, 1, 1, 0, ULLONG_MAX);
	assert_true(m == 20000ULL * 100000);
	/* a saturated per-process cost fits nowhere */
	assert_true(rules_res_max_mrw(RULES_MPM_EVENT, 100000, ULLONG_MAX,
	    ULLONG_MAX, 0, ULLONG_MAX - 1) == 0);
}

/* The largest configuration httpd accepts: ServerLimit 20000 x
 * ThreadLimit 100000, 2e9 workers. */
static void
test_overflow_at_limits(void **state)
{
	struct rules_mpm_eff eff;
	struct rules_resource rs;
	struct rules_res_in in = mem_in(GiB, 64 * MiB, MiB, 0);

	(void)state;
	model(&eff, RULES_MPM_EVENT, "ServerLimit", "20000", "ThreadLimit",
	    "100000", "ThreadsPerChild", "100000", "MaxRequestWorkers",
	    "2000000000", "AsyncRequestWorkerFactor", "2", NULL);
	assert_int_equal(eff.v[RULES_K_ServerLimit], 20000);
	assert_int_equal(eff.v[RULES_K_ThreadLimit], 100000);
	assert_true(eff.processes == 20000);
	assert_true(eff.capacity == 2000000000LL);

	rules_resource_compute(&eff, &in, &rs);
	assert_true(rs.memory);
	assert_true(rs.processes == 20000 && rs.threads == 2000000000ULL);
	/* 20000 x 64 MiB + 2e9 x 1 MiB, exactly */
	assert_true(rs.peak == 1342177280000ULL + 2097152000000000ULL);
	assert_true(rs.scoreboard_bytes == 56ULL + 40ULL * 20000 +
	    336ULL * 20000 * 100000);
	assert_true(rs.scoreboard_bytes == 672000800056ULL);
	assert_true(rs.connections == 6000000000ULL);
	assert_true(rs.conns_per_process == 300000ULL);
	/* 1 GiB / (64 MiB + 100000 MiB): no process fits */
	assert_true(rs.max_safe_mrw == 0);

	/* a thread of 1 TiB: 2e9 x 2^40 > 2^64, so the peak saturates */
	in.thread_size = 1ULL << 40;
	in.ram = ULLONG_MAX - 1;
	rules_resource_compute(&eff, &in, &rs);
	assert_true(rs.peak == ULLONG_MAX);
	assert_true(rs.peak > rs.ram);
	/* one process: 64 MiB + 1e5 TiB fits in 2^64 - 2 bytes 167 times */
	assert_true(rs.max_safe_mrw == 167ULL * 100000);

	/* the same with the largest sizes: nothing wraps */
	in.process_size = ULLONG_MAX;
	in.thread_size = ULLONG_MAX;
	in.reserve = ULLONG_MAX;
	rules_resource_compute(&eff, &in, &rs);
	assert_true(rs.peak == ULLONG_MAX);
	assert_true(rs.max_safe_mrw == 0 && rs.max_threshold_mrw == 0);
}

/* Connections and the peak's factors for each MPM. */
static void
test_capacity(void **state)
{
	struct rules_mpm_eff eff;
	struct rules_resource rs;

	(void)state;
	model(&eff, RULES_MPM_EVENT, NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_false(rs.memory);
	assert_true(rs.connections == 3 * 400);	/* (2 + 1) x 16 x 25 */
	assert_true(rs.conns_per_process == 75);
	assert_true(rs.fds_per_process == 75 + RULES_RES_FD_OVERHEAD);
	assert_true(rs.scoreboard_bytes == 344760);

	/* ARWF 2.9 is used as 2 (spec 5.1); 0.5 as 1 */
	model(&eff, RULES_MPM_EVENT, "AsyncRequestWorkerFactor", "2.9", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.connections == 3 * 400);
	model(&eff, RULES_MPM_EVENT, "AsyncRequestWorkerFactor", "0.5", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.connections == 2 * 400);
	model(&eff, RULES_MPM_EVENT, "AsyncRequestWorkerFactor", "4",
	    "MaxRequestWorkers", "150", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.connections == 5 * 150);

	model(&eff, RULES_MPM_WORKER, "MaxRequestWorkers", "150", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.connections == 150 && rs.conns_per_process == 25);

	model(&eff, RULES_MPM_PREFORK, "MaxRequestWorkers", "150", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.connections == 150 && rs.conns_per_process == 1);
	assert_true(rs.scoreboard_bytes == 96312);	/* spec 7.1 */
	{
		struct rules_res_in in = mem_in(8 * GiB, 20 * MiB, 2 * MiB,
		    GiB);

		rules_resource_compute(&eff, &in, &rs);
		assert_true(rs.processes == 150 && rs.threads == 150);
		assert_true(rs.peak == 150 * 22 * MiB + GiB);
		assert_true(rs.threshold == RULES_RES_THRESHOLD);
		/* (8 - 1) GiB / 22 MiB = 325 */
		assert_true(rs.max_safe_mrw == 325);
		/* 80% of 8 GiB = 6871947673; minus 1 GiB; / 22 MiB = 251 */
		assert_true(rs.max_threshold_mrw == 251);
	}
	/* prefork's ServerLimit at most: 75,200,056 bytes (spec 7.1) */
	model(&eff, RULES_MPM_PREFORK, "ServerLimit", "200000",
	    "MaxRequestWorkers", "200000", NULL);
	rules_resource_compute(&eff, NULL, &rs);
	assert_true(rs.scoreboard_bytes == 75200056ULL);
}

static void
test_human(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(rules_res_human(0, b, sizeof(b)), "0 B");
	assert_string_equal(rules_res_human(1023, b, sizeof(b)), "1023 B");
	assert_string_equal(rules_res_human(1536, b, sizeof(b)), "1.5 KiB");
	assert_string_equal(rules_res_human(16 * MiB, b, sizeof(b)),
	    "16.0 MiB");
	assert_string_equal(rules_res_human(8 * GiB, b, sizeof(b)),
	    "8.00 GiB");
	assert_string_equal(rules_res_human(ULLONG_MAX, b, sizeof(b)),
	    "over 16 EiB");
}

/* ---- findings ------------------------------------------------------------ */

#define EVENT "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
#define PREFORK "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n"

static void
test_memory_findings(void **state)
{
	struct linted l;
	struct rules_res_in in;
	const struct rules_finding *f = NULL;
	static const char conf[] = EVENT "ServerLimit 20\n"
	    "ThreadsPerChild 25\nMaxRequestWorkers 500\n";

	(void)state;
	/* 20 x 64 MiB + 500 x 4 MiB = 3.25 GiB */
	in = mem_in(3 * GiB, 64 * MiB, 4 * MiB, 0);
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM042", &f), 1);
	assert_int_equal(count(&l, "MPM043", NULL), 0);
	assert_int_equal(count(&l, "MPM044", NULL), 0);
	assert_int_equal(f->sev, HCONF_SEV_ERROR);
	/* at the argument of MaxRequestWorkers */
	assert_int_equal(f->line, 4);
	assert_int_equal(f->col, 19);
	assert_non_null(strstr(f->msg, "peak memory 3.20 GiB exceeds the "
	    "3.00 GiB of RAM (--ram)"));
	assert_non_null(strstr(f->msg, "20 processes x 64.0 MiB (option) + "
	    "500 threads x 4.0 MiB (option) + 0 B reserved"));
	/* 3 GiB / (64 + 100) MiB = 18 processes */
	assert_non_null(strstr(f->msg, "the largest safe MaxRequestWorkers "
	    "is 450"));
	assert_null(strstr(f->msg, "estimate"));
	assert_true(l.rs.peak == 20 * 64 * MiB + 500 * 4 * MiB);
	assert_true(l.rs.max_safe_mrw == 450);
	unlint(&l);

	/* 80.1% of 4 GiB: warning with the threshold's limit */
	in = mem_in(4 * GiB, 64 * MiB, 4 * MiB, 0);
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM042", NULL), 0);
	assert_int_equal(count(&l, "MPM043", &f), 1);
	assert_int_equal(f->sev, HCONF_SEV_WARNING);
	assert_non_null(strstr(f->msg, "is 80.1% of the 4.00 GiB of RAM "
	    "(--ram), above the 80% threshold"));
	assert_non_null(strstr(f->msg, "MaxRequestWorkers 475 or less"));
	unlint(&l);

	/* a threshold of 90 lets it pass, with the headroom */
	in.threshold = 90;
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM043", NULL), 0);
	assert_int_equal(count(&l, "MPM044", &f), 1);
	assert_int_equal(f->sev, HCONF_SEV_NOTE);
	assert_non_null(strstr(f->msg, "816.0 MiB of headroom"));
	assert_non_null(strstr(f->msg, "within the 90% threshold"));
	unlint(&l);

	/* default sizes say so */
	in = mem_in(64 * GiB, RULES_RES_PROCESS_SIZE, RULES_RES_THREAD_SIZE,
	    0);
	in.process_src = in.thread_src = RULES_SRC_DEFAULT;
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM044", &f), 1);
	assert_non_null(strstr(f->msg, "16.0 MiB (default estimate)"));
	assert_non_null(strstr(f->msg, "are estimates"));
	unlint(&l);

	/* the reserve alone is more than the RAM */
	in = mem_in(GiB, MiB, MiB, 2 * GiB);
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM042", &f), 1);
	assert_non_null(strstr(f->msg, "not even one process fits"));
	unlint(&l);

	/* not asked for: no memory finding, no memory data */
	in = mem_in(GiB, GiB, GiB, 0);
	in.memory = 0;
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM042", NULL) + count(&l, "MPM043",
	    NULL) + count(&l, "MPM044", NULL), 0);
	assert_false(l.rs.memory);
	assert_true(l.rs.connections == 1500);
	unlint(&l);
	lint(&l, conf, NULL);
	assert_false(l.rs.memory);
	unlint(&l);

	/* no MaxRequestWorkers line: at the LoadModule line */
	in = mem_in(GiB, GiB, GiB, 0);
	lint(&l, EVENT, &in);
	assert_int_equal(count(&l, "MPM042", &f), 1);
	assert_int_equal(f->line, 1);
	assert_int_equal(f->col, 1);
	unlint(&l);

	/* no MPM: nothing at all */
	lint(&l, "ServerName x\n", &in);
	assert_int_equal(count(&l, "MPM042", NULL), 0);
	assert_false(l.rs.memory);
	unlint(&l);
}

static void
test_nofile(void **state)
{
	struct rules_res_in in = {.nofile = 1024,
	    .nofile_src = RULES_SRC_OPTION};
	struct linted l;
	const struct rules_finding *f = NULL;
	static const char conf[] = EVENT "ThreadsPerChild 400\n"
	    "ThreadLimit 400\nServerLimit 4\nMaxRequestWorkers 1600\n";

	(void)state;
	/* 400 x (1 + 2) + 32 = 1232 > 1024 */
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM045", &f), 1);
	assert_int_equal(f->sev, HCONF_SEV_WARNING);
	assert_int_equal(f->line, 2);	/* ThreadsPerChild */
	assert_non_null(strstr(f->msg, "each child may hold 1200 connections "
	    "(ThreadsPerChild 400 x (1 + AsyncRequestWorkerFactor 2))"));
	assert_non_null(strstr(f->msg, "1232 in all, above the open-file "
	    "limit of 1024 (--nofile)"));
	assert_non_null(strstr(f->msg, "up to 4800 connections"));
	assert_true(l.rs.nofile == 1024);
	unlint(&l);

	in.nofile = 1232;	/* exactly enough */
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM045", NULL), 0);
	unlint(&l);

	in.nofile = 0;		/* unknown: no check */
	lint(&l, conf, &in);
	assert_int_equal(count(&l, "MPM045", NULL), 0);
	unlint(&l);

	/* prefork: one connection per child */
	in.nofile = 32;
	lint(&l, PREFORK "MaxRequestWorkers 10\n", &in);
	assert_int_equal(count(&l, "MPM045", &f), 1);
	assert_non_null(strstr(f->msg, "(one per process)"));
	unlint(&l);
	in.nofile = 33;
	lint(&l, PREFORK "MaxRequestWorkers 10\n", &in);
	assert_int_equal(count(&l, "MPM045", NULL), 0);
	unlint(&l);
}

static void
test_scoreboard(void **state)
{
	struct linted l;
	struct rules_res_in in;
	const struct rules_finding *f = NULL;

	(void)state;
	/* 200 x 1000 slots, all needed: 67.2 MB, MPM026 has nothing to say */
	lint(&l, EVENT "ServerLimit 200\nThreadLimit 1000\n"
	    "ThreadsPerChild 1000\nMaxRequestWorkers 200000\n", NULL);
	assert_int_equal(count(&l, "MPM026", NULL), 0);
	assert_int_equal(count(&l, "MPM046", &f), 1);
	assert_int_equal(f->line, 3);	/* ThreadLimit */
	assert_non_null(strstr(f->msg, "ServerLimit 200 x ThreadLimit 1000 "
	    "takes 67208056 bytes (64.1 MiB)"));
	assert_true(l.rs.scoreboard_bytes == 67208056ULL);
	unlint(&l);

	/* below 64 MiB: quiet */
	lint(&l, EVENT "ServerLimit 190\nThreadLimit 1000\n"
	    "ThreadsPerChild 1000\nMaxRequestWorkers 190000\n", NULL);
	assert_int_equal(count(&l, "MPM046", NULL), 0);
	unlint(&l);

	/* ...unless it is more than 5% of a known RAM */
	in = mem_in(GiB, 0, 0, 0);
	lint(&l, EVENT "ServerLimit 190\nThreadLimit 1000\n"
	    "ThreadsPerChild 1000\nMaxRequestWorkers 190000\n", &in);
	assert_int_equal(count(&l, "MPM046", NULL), 1);
	unlint(&l);

	/* limits far above need: MPM026 reports it, MPM046 does not */
	lint(&l, EVENT "ThreadLimit 20000\nThreadsPerChild 25\n", NULL);
	assert_int_equal(count(&l, "MPM026", NULL), 1);
	assert_int_equal(count(&l, "MPM046", NULL), 0);
	unlint(&l);

	/* prefork at its most, at ServerLimit */
	lint(&l, PREFORK "ServerLimit 200000\nMaxRequestWorkers 200000\n",
	    NULL);
	assert_int_equal(count(&l, "MPM046", &f), 1);
	assert_int_equal(f->line, 2);
	unlint(&l);
}

static void
test_default_size(void **state)
{
	struct linted l;

	(void)state;
	lint(&l, PREFORK "LoadModule php_module modules/libphp8.2.so\n", NULL);
	assert_true(rules_res_default_process_size(l.doc, RULES_MPM_PREFORK)
	    == RULES_RES_PHP_PROCESS_SIZE);
	unlint(&l);
	lint(&l, PREFORK, NULL);
	assert_true(rules_res_default_process_size(l.doc, RULES_MPM_PREFORK)
	    == RULES_RES_PROCESS_SIZE);
	unlint(&l);
	assert_true(rules_res_default_process_size(NULL, RULES_MPM_EVENT) ==
	    RULES_RES_PROCESS_SIZE);
}

/* ---- probes on fake trees ----------------------------------------------- */

static void
test_ram(void **state)
{
	char *d = tmpdir(), proc[PATH_MAX], sys[PATH_MAX], err[256];
	unsigned long long ram = 0;
	enum rules_res_src src = RULES_SRC_NONE;

	(void)state;
	snprintf(proc, sizeof(proc), "%s/proc", d);
	snprintf(sys, sizeof(sys), "%s/sys", d);

	/* no meminfo */
	put(d, "proc/self/cgroup", "0::/\n");
	assert_int_equal(rules_res_ram(proc, sys, 0, &ram, &src, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "MemTotal"));

	/* MemTotal alone */
	put(d, "proc/meminfo", "MemTotal:        8000000 kB\n"
	    "MemFree:         1000 kB\n");
	assert_int_equal(rules_res_ram(proc, sys, 0, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == 8000000ULL * 1024);
	assert_int_equal(src, RULES_SRC_MEMINFO);

	/* v2: the lowest memory.max on the way up; "max" is none */
	put(d, "proc/self/cgroup", "0::/system.slice/apache2.service\n");
	put(d, "sys/fs/cgroup/system.slice/apache2.service/memory.max",
	    "max\n");
	put(d, "sys/fs/cgroup/system.slice/memory.max", "2147483648\n");
	assert_int_equal(rules_res_ram(proc, sys, 0, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == 2 * GiB);
	assert_int_equal(src, RULES_SRC_CGROUP);
	put(d, "sys/fs/cgroup/system.slice/apache2.service/memory.max",
	    "1073741824\n");
	assert_int_equal(rules_res_ram(proc, sys, 0, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == GiB);

	/* a limit above MemTotal does not count */
	put(d, "sys/fs/cgroup/system.slice/apache2.service/memory.max",
	    "max\n");
	put(d, "sys/fs/cgroup/system.slice/memory.max", "99999999999999\n");
	assert_int_equal(rules_res_ram(proc, sys, 0, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == 8000000ULL * 1024);
	assert_int_equal(src, RULES_SRC_MEMINFO);

	/* v1, of another process; v1's "no limit" is a huge number */
	put(d, "proc/4242/cgroup", "12:cpu,cpuacct:/x\n"
	    "4:memory:/docker/abc\n0::/\n");
	put(d, "sys/fs/cgroup/memory/memory.limit_in_bytes",
	    "9223372036854771712\n");
	put(d, "sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes",
	    "536870912\n");
	assert_int_equal(rules_res_ram(proc, sys, 4242, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == 512 * MiB);
	assert_int_equal(src, RULES_SRC_CGROUP);
	/* a container sees only its own root: the walk reaches it */
	put(d, "sys/fs/cgroup/memory/memory.limit_in_bytes", "268435456\n");
	assert_int_equal(rules_res_ram(proc, sys, 4242, &ram, &src, err,
	    sizeof(err)), 0);
	assert_true(ram == 256 * MiB);
	rmtree(d);
	free(d);
}

static void
stat_line(const char *d, long pid, const char *comm, long ppid)
{
	char rel[64], text[256];

	snprintf(rel, sizeof(rel), "proc/%ld/stat", pid);
	snprintf(text, sizeof(text), "%ld (%s) S %ld %ld %ld 0 -1 4194560 "
	    "100 0 0 0 1 2 0 0 20 0 1 0 100 1000000 200\n", pid, comm, ppid,
	    pid, pid);
	put(d, rel, text);
}

static void
rollup(const char *d, long pid, unsigned kb)
{
	char rel[64], text[512];

	snprintf(rel, sizeof(rel), "proc/%ld/smaps_rollup", pid);
	snprintf(text, sizeof(text), "55d0a0000000-7ffd00000000 ---p 00000000 "
	    "00:00 0    [rollup]\nRss:     %u kB\nPss:     %u kB\n"
	    "Pss_Anon:   7 kB\nPss_File:   9 kB\nPss_Shmem:  0 kB\n"
	    "Shared_Clean: 100 kB\n", kb * 4, kb);
	put(d, rel, text);
}

static void
test_measure(void **state)
{
	char *d = tmpdir(), proc[PATH_MAX], err[256];
	struct rules_res_measure m;

	(void)state;
	snprintf(proc, sizeof(proc), "%s/proc", d);
	put(d, "proc/meminfo", "MemTotal: 1000 kB\n");
	stat_line(d, 1, "init", 0);
	stat_line(d, 50, "sshd", 1);

	assert_int_equal(rules_res_measure(proc, 0, &m, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no running httpd or apache2"));

	/* apache2 100 with children 101, 102 (old kernel: smaps), 103 a
	 * piped logger, 104 a zombie */
	stat_line(d, 100, "apache2", 1);
	rollup(d, 100, 99999);		/* the parent: left out */
	stat_line(d, 101, "apache2", 100);
	rollup(d, 101, 1000);
	put(d, "proc/101/limits", "Limit                     Soft Limit     "
	    "      Hard Limit           Units     \n"
	    "Max cpu time              unlimited            unlimited      "
	    "      seconds   \n"
	    "Max open files            1024                 524288         "
	    "      files     \n");
	stat_line(d, 102, "apache2", 100);
	put(d, "proc/102/smaps", "00400000-00452000 r-xp 0 08:02 1 /x\n"
	    "Rss: 8 kB\nPss:  300 kB\n7f00-7f01 rw-p 0 0:0 0\n"
	    "Pss:   201 kB\nPss_Dirty: 5 kB\n");
	stat_line(d, 103, "rotatelogs", 100);
	rollup(d, 103, 50000);
	stat_line(d, 104, "apache2", 100);
	put(d, "proc/104/smaps_rollup", "");

	assert_int_equal(rules_res_measure(proc, 0, &m, err, sizeof(err)), 0);
	assert_int_equal(m.pid, 100);
	assert_string_equal(m.comm, "apache2");
	assert_int_equal(m.children, 2);
	assert_true(m.pss_total == (1000ULL + 501) * 1024);
	assert_true(m.pss_max == 1000ULL * 1024);
	assert_true(m.nofile == 1024);

	/* --pid: the same server */
	assert_int_equal(rules_res_measure(proc, 100, &m, err, sizeof(err)),
	    0);
	assert_int_equal(m.children, 2);
	/* a pid with no children of its name */
	assert_int_equal(rules_res_measure(proc, 101, &m, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "has no children"));
	assert_int_equal(rules_res_measure(proc, 77777, &m, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no process 77777"));

	/* a name with spaces and parentheses does not confuse stat */
	stat_line(d, 60, "a) S 100 (b", 100);
	rollup(d, 60, 70000);
	assert_int_equal(rules_res_measure(proc, 0, &m, err, sizeof(err)), 0);
	assert_int_equal(m.children, 2);

	/* a second server */
	stat_line(d, 300, "httpd", 1);
	stat_line(d, 301, "httpd", 300);
	rollup(d, 301, 2000);
	assert_int_equal(rules_res_measure(proc, 0, &m, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "2 httpd servers are running (parents "));
	assert_non_null(strstr(err, "choose one with --pid"));
	assert_int_equal(rules_res_measure(proc, 300, &m, err, sizeof(err)),
	    0);
	assert_int_equal(m.children, 1);
	assert_true(m.pss_total == 2000ULL * 1024);
	assert_true(m.nofile == 0);	/* no limits file: unknown */
	rmtree(d);
	free(d);
}

/* ---- the profile ------------------------------------------------------- */

static int
load_profile(const char *text, struct config_profile *pr, char *msg,
    size_t len)
{
	char *d = tmpdir(), path[PATH_MAX];
	FILE *err = fmemopen(msg, len, "w");
	int rc;

	assert_non_null(err);
	put(d, "p.yaml", text);
	snprintf(path, sizeof(path), "%s/p.yaml", d);
	rc = config_load_profile(path, pr, err);
	fclose(err);
	rmtree(d);
	free(d);
	return rc;
}

static void
test_profile(void **state)
{
	struct config_profile pr;
	char msg[512];
	unsigned pct;

	(void)state;
	memset(msg, 0, sizeof(msg));
	assert_int_equal(load_profile("ram: 8G\nprocess-size: 40M\n"
	    "thread-size: 512K\nthreshold: 85%\nreserve:\n"
	    "  - name: mariadb\n    size: 2G\n"
	    "  - {name: php-fpm, max-children: 20, size: 64M}\n"
	    "  - 100M\n", &pr, msg, sizeof(msg)), 0);
	assert_true(pr.set);
	assert_true(pr.given == (CONFIG_PROF_PROCESS | CONFIG_PROF_THREAD |
	    CONFIG_PROF_RESERVE | CONFIG_PROF_RAM | CONFIG_PROF_THRESHOLD));
	assert_true(pr.ram == 8 * GiB);
	assert_true(pr.process_size == 40 * MiB);
	assert_true(pr.thread_size == 512ULL << 10);
	assert_int_equal(pr.threshold, 85);
	assert_int_equal(pr.nservices, 3);
	assert_string_equal(pr.services[1].name, "php-fpm");
	assert_true(pr.services[1].count == 20);
	assert_true(pr.reserve == 2 * GiB + 20 * 64 * MiB + 100 * MiB);
	config_profile_free(&pr);

	assert_int_equal(load_profile("reserve: 1G\n", &pr, msg, sizeof(msg)),
	    0);
	assert_true(pr.reserve == GiB && pr.given == CONFIG_PROF_RESERVE);
	config_profile_free(&pr);

	/* an empty file is a profile of defaults */
	assert_int_equal(load_profile("", &pr, msg, sizeof(msg)), 0);
	assert_true(pr.set && pr.given == 0);
	config_profile_free(&pr);

	assert_int_equal(load_profile("reserve:\n  - name: db\n", &pr, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, ":2:5: error: a reserve entry needs a "
	    "size"));
	assert_int_equal(load_profile("reserve:\n  - size: 1G\n"
	    "    max-children: 0\n", &pr, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, ":3:19: error: max-children must be a "
	    "whole number"));
	assert_int_equal(load_profile("threshold: 101\n", &pr, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, ":1:12: error: threshold must be"));
	assert_int_equal(load_profile("ram: 0\n", &pr, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "ram must be more than 0"));
	assert_int_equal(load_profile("rams: 8G\n", &pr, msg, sizeof(msg)),
	    -1);
	assert_non_null(strstr(msg, ":1:1: error: unknown profile key "
	    "'rams'"));
	assert_int_equal(load_profile("reserve:\n  - size: 1G\n    port: 3\n",
	    &pr, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "unknown reserve key 'port'"));

	assert_int_equal(config_parse_percent("80", &pct), 0);
	assert_int_equal(pct, 80);
	assert_int_equal(config_parse_percent("100%", &pct), 0);
	assert_int_equal(pct, 100);
	assert_int_equal(config_parse_percent("0", &pct), -1);
	assert_int_equal(config_parse_percent("80.5", &pct), -1);
	assert_int_equal(config_parse_percent("", &pct), -1);
	assert_int_equal(config_parse_percent("99999999999", &pct), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_peak),
		cmocka_unit_test(test_max_mrw),
		cmocka_unit_test(test_overflow_at_limits),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_memory_findings),
		cmocka_unit_test(test_nofile),
		cmocka_unit_test(test_scoreboard),
		cmocka_unit_test(test_default_size),
		cmocka_unit_test(test_ram),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
