/*
 * resource.h - does an MPM configuration fit the machine? (rules/; used
 * by cli/ and tests/unit).  Peak memory, the largest safe
 * MaxRequestWorkers, connection capacity, open-file needs and scoreboard
 * size from the effective values of rules_lint(), plus the probes that
 * read RAM (cgroup, /proc/meminfo) and a running server's children
 * (PSS from smaps_rollup).  Nothing here prints; probes return a message.
 */
#ifndef RULES_RESOURCE_H
#define RULES_RESOURCE_H

#include "rules.h"

/* Documented defaults (mpmlint(1), "Resource checks"): estimates only. */
#define RULES_RES_PROCESS_SIZE	(16ULL << 20)	/* one idle child */
#define RULES_RES_PHP_PROCESS_SIZE (48ULL << 20) /* prefork + mod_php */
#define RULES_RES_THREAD_SIZE	(1ULL << 20)	/* one busy worker */
#define RULES_RES_THRESHOLD	80		/* percent of RAM */
#define RULES_RES_FD_OVERHEAD	32	/* listeners, logs, pipes */
#define RULES_RES_SCOREBOARD_LARGE (64ULL << 20) /* MPM046 */
#define RULES_RES_SCOREBOARD_PCT 5	/* MPM046, of RAM when known */

/** Where a number came from. */
enum rules_res_src {
	RULES_SRC_NONE,		/* unknown */
	RULES_SRC_DEFAULT,	/* a documented estimate */
	RULES_SRC_OPTION,	/* a command-line option */
	RULES_SRC_PROFILE,	/* the memory profile */
	RULES_SRC_MEASURE,	/* read from the running server */
	RULES_SRC_CGROUP,	/* cgroup memory.max / memory.limit_in_bytes */
	RULES_SRC_MEMINFO	/* /proc/meminfo MemTotal */
};

/** What the running server looked like (rules_res_measure()). */
struct rules_res_measure {
	long pid;			/* the parent */
	size_t children;		/* children whose PSS was read */
	unsigned long long pss_total;	/* bytes, sum over children */
	unsigned long long pss_max;	/* bytes, the largest child */
	long pss_max_pid;		/* which child that was */
	unsigned long long nofile;	/* soft RLIMIT_NOFILE; 0 unlimited
					   or unknown */
	char comm[32];			/* "apache2" or "httpd" */
};

/** The inputs of the resource checks, already merged by the caller. */
struct rules_res_in {
	int memory;			/* compare with the RAM (MPM042-4) */
	unsigned long long ram;		/* bytes; 0: unknown */
	enum rules_res_src ram_src;	/* OPTION, CGROUP or MEMINFO */
	const char *ram_what;		/* for messages, e.g. "--ram" */
	unsigned long long process_size, thread_size, reserve;
	enum rules_res_src process_src, thread_src, reserve_src;
	unsigned threshold;		/* percent 1-100; 0: the default */
	unsigned long long nofile;	/* 0: unknown (MPM045 off) */
	enum rules_res_src nofile_src;
	const struct rules_res_measure *measured; /* or NULL */
};

/** The results, for the findings and for the "effective" output. */
struct rules_resource {
	int memory;			/* the memory members are set */
	unsigned long long ram, reserve, process_size, thread_size;
	enum rules_res_src ram_src, process_src, thread_src;
	unsigned long long processes, threads; /* the peak's factors */
	unsigned long long peak;	/* saturates at ULLONG_MAX */
	unsigned long long max_safe_mrw; /* peak <= ram */
	unsigned long long max_threshold_mrw; /* peak <= threshold */
	unsigned threshold;
	/* capacity: always set when an MPM is known */
	unsigned long long connections;	/* the whole server, spec 5.2 */
	unsigned long long conns_per_process;
	unsigned long long fds_per_process; /* + RULES_RES_FD_OVERHEAD */
	unsigned long long scoreboard_bytes;
	unsigned long long nofile;	/* 0: unknown */
	const struct rules_res_measure *measured;
};

/** a + b and a * b, saturating at ULLONG_MAX. */
unsigned long long rules_res_add(unsigned long long a, unsigned long long b);
unsigned long long rules_res_mul(unsigned long long a, unsigned long long b);

/**
 * Peak memory: processes * process_size + threads * thread_size +
 * reserve, saturating.
 */
unsigned long long rules_res_peak(unsigned long long processes,
    unsigned long long threads, unsigned long long process_size,
    unsigned long long thread_size, unsigned long long reserve);

/**
 * The largest MaxRequestWorkers, a multiple of tpc (1 for prefork),
 * whose peak fits in budget bytes: each process costs process_size +
 * tpc * thread_size.  Capped at the compiled-in process limit of mpm
 * (prefork 200000, worker and event 20000) times tpc.  0 when not even
 * one process fits.
 */
unsigned long long rules_res_max_mrw(enum rules_mpm mpm, unsigned long long tpc,
    unsigned long long process_size, unsigned long long thread_size,
    unsigned long long reserve, unsigned long long budget);

/** floor(v * pct / 100) without overflow; pct <= 100. */
unsigned long long rules_res_percent(unsigned long long v, unsigned pct);

/**
 * Fill out from the effective values and in (in may be NULL: capacity
 * only).  Pure: reads no file.
 */
void rules_resource_compute(const struct rules_mpm_eff *eff,
    const struct rules_res_in *in, struct rules_resource *out);

/**
 * rules_resource_compute() on res->eff, then append the findings
 * MPM042-MPM046 to res (which rules_lint() filled from doc).  Does
 * nothing but zero out when res has no effective values.  Call before
 * rules_sort().
 */
void rules_resource_check(const struct hconf_doc *doc,
    const struct rules_res_in *in, struct rules_result *res,
    struct rules_resource *out);

/**
 * The documented default size of one child: RULES_RES_PHP_PROCESS_SIZE
 * under prefork with a php module loaded (mod_php runs in every child),
 * else RULES_RES_PROCESS_SIZE.
 */
unsigned long long rules_res_default_process_size(const struct hconf_doc *doc,
    enum rules_mpm mpm);

/** "cgroup", "meminfo", "option", ...: the JSON words. */
const char *rules_res_src_name(enum rules_res_src);

/**
 * The machine's RAM as a process in pid's cgroup sees it (pid 0: this
 * process): the lowest cgroup v2 memory.max or v1 memory.limit_in_bytes
 * on the path from the cgroup to its root when below MemTotal, else
 * MemTotal.  proc_root and sys_root replace "/proc" and "/sys" (tests).
 * Returns 0 and sets *ram, *src (RULES_SRC_CGROUP or RULES_SRC_MEMINFO);
 * -1 with a message in err when MemTotal cannot be read.
 */
int rules_res_ram(const char *proc_root, const char *sys_root, long pid,
    unsigned long long *ram, enum rules_res_src *src, char *err,
    size_t errlen);

/**
 * Read a running server: pid is the parent, or 0 to find the one process
 * named httpd or apache2 whose parent is not one.  Its children with the
 * same name are measured, each by the Pss: line of
 * /proc/PID/smaps_rollup (or the sum over /proc/PID/smaps on kernels
 * before 4.14); the parent itself is not.  nofile is the soft "Max open
 * files" of a child (of the parent when it has none).
 * Returns 0; -1 with a message in err (no server, several servers,
 * permission denied, no children).
 */
int rules_res_measure(const char *proc_root, long pid,
    struct rules_res_measure *m, char *err, size_t errlen);

/**
 * Bytes for people: "512 B", "64.0 KiB", "1.5 MiB", "7.81 GiB".
 * Returns buf.
 */
const char *rules_res_human(unsigned long long bytes, char *buf,
    size_t len);

#endif /* RULES_RESOURCE_H */
