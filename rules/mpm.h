/*
 * mpm.h: the pure MPM model of rules/ (no parsing, no printing).
 * Included by rules/ sources, refserver/ and the unit tests; cli/ should go
 * through rules.h instead.  Needs only libc.
 *
 * Given the raw argument text of the MPM directives of one configuration,
 * rules_mpm_compute() replays what Apache httpd 2.4 (Debian's 2.4.71) does
 * with them: the argument parsers (atoi, strtod), the *_check_config chain
 * with its exact start-up warnings, and the silent *_run adjustments, in
 * httpd's order.  See spec/mpm-semantics.md sections 3, 4, 5 and 7.
 */
#ifndef RULES_MPM_H
#define RULES_MPM_H

#include <stddef.h>

/** The MPM loaded by the configuration. */
enum rules_mpm {
	RULES_MPM_NONE,
	RULES_MPM_PREFORK,
	RULES_MPM_WORKER,
	RULES_MPM_EVENT
};

/** The directives the model knows, under their 2.4 names. */
enum rules_mpm_key {
	RULES_K_StartServers,
	RULES_K_ServerLimit,
	RULES_K_MaxRequestWorkers,
	RULES_K_MinSpareServers,
	RULES_K_MaxSpareServers,
	RULES_K_MinSpareThreads,
	RULES_K_MaxSpareThreads,
	RULES_K_ThreadsPerChild,
	RULES_K_ThreadLimit,
	RULES_K_AsyncRequestWorkerFactor,
	RULES_K_MaxConnectionsPerChild,
	RULES_K_ListenCoresBucketsRatio,
	RULES_K__COUNT
};

/** Input: what the configuration says, after "last one wins". */
struct rules_mpm_in {
	enum rules_mpm	 mpm;
	int		 set[RULES_K__COUNT];  /* 1 if the directive appears */
	const char	*raw[RULES_K__COUNT];  /* its argument as httpd gets it
						  (unquoted); NULL reads as "" */
	int		 buckets;  /* listener buckets (spec 4.3); values
				      below 1 are taken as 1 */
};

/** One change httpd makes to a value, or one value it refuses. */
struct rules_mpm_adj {
	enum rules_mpm_key key;	/* directive changed, or that caused it */
	const char	*ahid;	/* start-up AH id printed by -t, e.g.
				   "AH00513"; NULL for silent ones and errors */
	int		 runtime; /* 1: silent, never printed (the *_run
				     adjustments of spec 4.3, and the silent
				     AsyncRequestWorkerFactor rounding) */
	int		 error;	/* 1: httpd refuses the value and stops
				   (shape B, AH00526); msg is httpd's text */
	long long	 from, to;
	char		 msg[320]; /* AH: httpd's exact text after "AHnnnnn: ";
				      error: httpd's exact message; silent: a
				      sentence naming the value httpd uses */
};

/** Output: the values httpd really runs with. */
struct rules_mpm_eff {
	enum rules_mpm	 mpm;
	/*
	 * httpd's variable for each key after check_config and *_run.
	 * MaxRequestWorkers is httpd's max_workers, which check_config row 9
	 * (AH00318/AH00515) does not lower: use capacity for the real limit.
	 * AsyncRequestWorkerFactor holds arwf_used.  A key the MPM does not
	 * register holds what ap_mpm_query() answers for it (prefork:
	 * ThreadLimit 1, ThreadsPerChild 1, spare threads 0; worker/event:
	 * spare servers 0) or 0.
	 */
	long long	 v[RULES_K__COUNT];
	double		 arwf_raw;  /* strtod value (event), default 2 */
	long long	 arwf_used; /* what the accept gate uses: floor, >= 1 */
	long long	 processes; /* most children active at once: prefork
				       MRW; worker/event min(MRW/TPC,
				       ServerLimit), raised to buckets */
	long long	 capacity;  /* real MaxRequestWorkers: prefork MRW,
				       else processes * ThreadsPerChild */
	long long	 spawn;	    /* children forked at start:
				       min(StartServers, processes) */
	int		 buckets;   /* listener buckets used */
};

/**
 * The 2.4 name of a key ("StartServers", ...).  Returns a static string,
 * or NULL for a value outside the enum.
 */
const char	*rules_mpm_key_name(enum rules_mpm_key k);

/**
 * Map a directive name to a key, case-insensitively as httpd does.  The
 * 2.2 names MaxClients and MaxRequestsPerChild map to MaxRequestWorkers
 * and MaxConnectionsPerChild.  Returns 1 and sets *k when the name is one
 * of these, else 0 (*k untouched).  k may be NULL.
 */
int		 rules_mpm_key_lookup(const char *directive,
		    enum rules_mpm_key *k);

/**
 * Does this MPM register the directive (spec 3.1)?  MaxConnectionsPerChild
 * is core and valid everywhere, even with no MPM; ListenCoresBucketsRatio
 * comes with every MPM.  Returns 1 or 0.
 */
int		 rules_mpm_key_valid(enum rules_mpm mpm, enum rules_mpm_key k);

/**
 * The MPM's module name without "mpm_": "prefork", "worker", "event", or
 * "none".  Returns a static string.
 */
const char	*rules_mpm_name(enum rules_mpm mpm);

/**
 * The MPM an <IfModule> argument names, in either form httpd matches
 * ("mpm_event_module" or "event.c"; case-sensitive, no "!").  Returns 1
 * and sets *m, or 0.
 */
int		 rules_mpm_guard(const char *name, enum rules_mpm *m);

/**
 * Compute the effective values of in into *eff and list every adjustment
 * httpd makes, in httpd's order: argument errors (parse time), silent
 * AsyncRequestWorkerFactor rounding (parse time), the *_check_config chain
 * (startup variants, as printed by -t), then the silent *_run adjustments
 * and the cap on the initial spawn.  At most max entries are written to
 * adj (adj may be NULL when max is 0); *nadj (may be NULL) receives the
 * total number, which may exceed max.  Keys not valid for in->mpm are
 * ignored (the lint layer reports them).  A refused value is replaced by
 * its default so that eff stays usable.  httpd stops at the first refused
 * directive in file order and then prints none of the AH warnings; the
 * model does not know file order, so it lists every refusal (ListenCores-
 * BucketsRatio first, then AsyncRequestWorkerFactor) and still computes
 * the rest.
 * Returns 0, or -1 when httpd would refuse the configuration: in->mpm is
 * RULES_MPM_NONE (or out of range; eff is zeroed) or an adjustment has
 * error set.
 */
int		 rules_mpm_compute(const struct rules_mpm_in *in,
		    struct rules_mpm_eff *eff, struct rules_mpm_adj *adj,
		    size_t max, size_t *nadj);

/**
 * glibc's atoi() on x86-64, exactly: (int)strtol(s, NULL, 10) in the C
 * locale.  Leading white space, an optional sign, then digits; anything
 * else ends the number.  Overflow saturates at LONG_MIN/LONG_MAX (64-bit)
 * and is then truncated to 32 bits: "4294967296" -> 0,
 * "99999999999999999999" -> -1.  s == NULL gives 0.
 */
int		 rules_atoi(const char *s);

/**
 * Listener buckets httpd creates (listen.c:ap_duplicate_listeners) for
 * ListenCoresBucketsRatio ratio on a Linux host with SO_REUSEPORT and
 * online_cores CPUs: online_cores / ratio when that is above 1, else 1.
 * ratio < 1 (unset) gives 1.
 */
int		 rules_mpm_buckets(int ratio, int online_cores);

/**
 * Bytes of the scoreboard shared memory segment on x86-64 Linux (spec
 * 7.1): 56 + 40 * server_limit + 336 * server_limit * thread_limit.  Pass
 * the clamped values (eff.v[]); negative inputs count as 0.  Exact for
 * every value httpd accepts.
 */
unsigned long long rules_scoreboard_bytes(long long server_limit,
		    long long thread_limit);

#endif /* RULES_MPM_H */
