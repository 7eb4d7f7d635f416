/*
 * resource.c - resource math on the effective MPM values (peak memory,
 * the largest safe MaxRequestWorkers, connections, open files, the
 * scoreboard) and the findings MPM042-MPM046, plus the probes that read
 * RAM and a running server from /proc and /sys.  Arithmetic saturates
 * instead of wrapping.  It never prints and never exits.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* Compiled-in process limits (spec 3.2): prefork and worker/event. */
#define PREFORK_MAX_PROCS	200000ULL
#define THREADED_MAX_PROCS	20000ULL

/* ---- arithmetic -------------------------------------------------------- */

unsigned long long
rules_res_add(unsigned long long a, unsigned long long b)
{
	return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

unsigned long long
rules_res_mul(unsigned long long a, unsigned long long b)
{
	if (a == 0 || b == 0) {
		return 0;
	}
	return a > ULLONG_MAX / b ? ULLONG_MAX : a * b;
}

unsigned long long
rules_res_peak(unsigned long long processes, unsigned long long threads,
    unsigned long long process_size, unsigned long long thread_size,
    unsigned long long reserve)
{
	return rules_res_add(rules_res_add(rules_res_mul(processes,
	    process_size), rules_res_mul(threads, thread_size)), reserve);
}

unsigned long long
rules_res_percent(unsigned long long v, unsigned pct)
{
	if (pct > 100) {
		pct = 100;
	}
	/* v = 100q + r: v * pct / 100 = q * pct + r * pct / 100, exactly */
	return (v / 100) * pct + (v % 100) * pct / 100;
}

unsigned long long
rules_res_max_mrw(enum rules_mpm mpm, unsigned long long tpc,
    unsigned long long process_size, unsigned long long thread_size,
    unsigned long long reserve, unsigned long long budget)
{
	unsigned long long limit = mpm == RULES_MPM_PREFORK ?
	    PREFORK_MAX_PROCS : THREADED_MAX_PROCS;
	unsigned long long per, procs;

	if (mpm == RULES_MPM_PREFORK || tpc == 0) {
		tpc = 1;
	}
	if (reserve >= budget) {
		return reserve == budget && process_size == 0 &&
		    thread_size == 0 ? limit * tpc : 0;
	}
	per = rules_res_add(process_size, rules_res_mul(tpc, thread_size));
	procs = per == 0 ? limit : (budget - reserve) / per;
	if (procs > limit) {
		procs = limit;
	}
	/* limit * tpc fits: tpc <= 100000 in httpd, and is checked anyway */
	return rules_res_mul(procs, tpc);
}

static unsigned long long
nonneg(long long v)
{
	return v > 0 ? (unsigned long long)v : 0;
}

void
rules_resource_compute(const struct rules_mpm_eff *eff,
    const struct rules_res_in *in, struct rules_resource *out)
{
	unsigned long long tpc, arwf;

	memset(out, 0, sizeof(*out));
	tpc = eff->mpm == RULES_MPM_PREFORK ? 1 :
	    nonneg(eff->v[RULES_K_ThreadsPerChild]);
	arwf = eff->mpm == RULES_MPM_EVENT ? nonneg(eff->arwf_used) : 0;
	out->processes = nonneg(eff->processes);
	/* every child runs ThreadsPerChild workers; prefork one each */
	out->threads = nonneg(eff->capacity);

	/* spec 5.1/5.2: event accepts up to TPC * (1 + floor(ARWF)) per
	 * process; prefork and worker hold one connection per worker */
	out->conns_per_process = rules_res_mul(tpc, rules_res_add(arwf, 1));
	out->connections = rules_res_mul(out->threads,
	    rules_res_add(arwf, 1));
	out->fds_per_process = rules_res_add(out->conns_per_process,
	    RULES_RES_FD_OVERHEAD);
	out->scoreboard_bytes = rules_scoreboard_bytes(
	    eff->v[RULES_K_ServerLimit], eff->mpm == RULES_MPM_PREFORK ? 1 :
	    eff->v[RULES_K_ThreadLimit]);
	if (in == NULL) {
		return;
	}
	out->nofile = in->nofile;
	out->measured = in->measured;
	if (!in->memory || in->ram == 0) {
		return;
	}
	out->memory = 1;
	out->ram = in->ram;
	out->ram_src = in->ram_src;
	out->reserve = in->reserve;
	out->process_size = in->process_size;
	out->thread_size = in->thread_size;
	out->process_src = in->process_src;
	out->thread_src = in->thread_src;
	out->threshold = in->threshold >= 1 && in->threshold <= 100 ?
	    in->threshold : RULES_RES_THRESHOLD;
	out->peak = rules_res_peak(out->processes, out->threads,
	    out->process_size, out->thread_size, out->reserve);
	out->max_safe_mrw = rules_res_max_mrw(eff->mpm, tpc,
	    out->process_size, out->thread_size, out->reserve, out->ram);
	out->max_threshold_mrw = rules_res_max_mrw(eff->mpm, tpc,
	    out->process_size, out->thread_size, out->reserve,
	    rules_res_percent(out->ram, out->threshold));
}

unsigned long long
rules_res_default_process_size(const struct hconf_doc *doc,
    enum rules_mpm mpm)
{
	size_t n, i;
	const struct hconf_module *m;

	if (doc == NULL || mpm != RULES_MPM_PREFORK) {
		return RULES_RES_PROCESS_SIZE;
	}
	m = hconf_doc_modules(doc, &n);
	for (i = 0; i < n; i++) {
		/* php_module (PHP 8), php7_module, php5_module */
		if (strncmp(m[i].ident, "php", 3) == 0) {
			return RULES_RES_PHP_PROCESS_SIZE;
		}
	}
	return RULES_RES_PROCESS_SIZE;
}

const char *
rules_res_src_name(enum rules_res_src s)
{
	switch (s) {
	case RULES_SRC_DEFAULT:
		return "default";
	case RULES_SRC_OPTION:
		return "option";
	case RULES_SRC_PROFILE:
		return "profile";
	case RULES_SRC_MEASURE:
		return "measure";
	case RULES_SRC_CGROUP:
		return "cgroup";
	case RULES_SRC_MEMINFO:
		return "meminfo";
	default:
		return "none";
	}
}

const char *
rules_res_human(unsigned long long b, char *buf, size_t len)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB",
	    "EiB"};
	double v = (double)b;
	int u = -1;

	if (b == ULLONG_MAX) {
		snprintf(buf, len, "over 16 EiB");
		return buf;
	}
	if (b < 1024) {
		snprintf(buf, len, "%llu B", b);
		return buf;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, u >= 2 ? "%.2f %s" : "%.1f %s", v, unit[u]);
	return buf;
}

/* ---- findings ---------------------------------------------------------- */

/* The first directive of keys that the configuration sets, else the
 * MPM's LoadModule line, else NULL (the top of the main file). */
static const struct hconf_node *
where(const struct rules_result *res, const enum rules_mpm_key *keys,
    size_t n, int *at_arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (res->set_at[keys[i]] != NULL) {
			*at_arg = 1;
			return res->set_at[keys[i]];
		}
	}
	*at_arg = 0;
	return res->mpm_node;
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void
add(const struct hconf_doc *doc, struct rules_result *res, const char *id,
    const struct hconf_node *n, int at_arg, const char *fmt, ...)
{
	const struct rules_info *info = rules_find(id);
	struct rules_finding *f;
	uint32_t fid = 0, off = 0;
	va_list ap;
	int len;

	if (info == NULL) {
		return; /* the catalogue lost the rule: nothing to attach */
	}
	if (n != NULL) {
		fid = n->file_id;
		off = at_arg && n->nargs > 0 ? n->args[0].raw.off : n->name.off;
	}
	if (res->n == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 8;
		res->f = hconf_xrealloc(res->f, res->cap * sizeof(*res->f));
	}
	f = &res->f[res->n];
	memset(f, 0, sizeof(*f));
	f->info = info;
	f->sev = info->sev;
	f->file_id = fid;
	f->off = off;
	hconf_linecol(doc, fid, off, &f->line, &f->col);
	if (n != NULL) {
		/* httpd numbers a continued line by its last physical line */
		f->line = n->line_last;
	}
	if (f->line == 0) {
		f->line = 1;
	}
	if (f->col == 0) {
		f->col = 1;
	}
	f->node = n;
	f->seq = res->n;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	f->msg = hconf_xmalloc(len > 0 ? (size_t)len + 1 : 1);
	f->msg[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(f->msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	va_end(ap);
	res->n++;
}

static int
has_rule(const struct rules_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		if (strcmp(res->f[i].info->id, id) == 0) {
			return 1;
		}
	}
	return 0;
}

/* "(--process-size)", "(default estimate)", "(measured PSS)"... */
static const char *
src_words(enum rules_res_src s)
{
	switch (s) {
	case RULES_SRC_DEFAULT:
		return "default estimate";
	case RULES_SRC_OPTION:
		return "option";
	case RULES_SRC_PROFILE:
		return "profile";
	case RULES_SRC_MEASURE:
		return "measured PSS";
	default:
		return "?";
	}
}

static const char *
ram_words(const struct rules_res_in *in)
{
	if (in->ram_what != NULL) {
		return in->ram_what;
	}
	switch (in->ram_src) {
	case RULES_SRC_OPTION:
		return "--ram";
	case RULES_SRC_CGROUP:
		return "cgroup limit";
	case RULES_SRC_MEMINFO:
		return "MemTotal";
	default:
		return "?";
	}
}

static double
pct_of(unsigned long long part, unsigned long long whole)
{
	return whole == 0 ? 0.0 : (double)part * 100.0 / (double)whole;
}

/*
 * When the memory allows more workers than ServerLimit lets httpd run,
 * "; ServerLimit N holds only M: raise ServerLimit to K as well", else "".
 */
static void
server_limit_words(const struct rules_result *res,
    const struct rules_resource *r, char *buf, size_t len)
{
	const struct rules_mpm_eff *e = &res->eff;
	unsigned long long tpc = e->mpm == RULES_MPM_PREFORK ? 1 :
	    nonneg(e->v[RULES_K_ThreadsPerChild]);
	unsigned long long sl = nonneg(e->v[RULES_K_ServerLimit]);
	unsigned long long most = rules_res_mul(sl, tpc);

	buf[0] = '\0';
	if (tpc == 0 || r->max_threshold_mrw <= most) {
		return;
	}
	snprintf(buf, len, "; ServerLimit %llu holds only %llu workers: raise "
	    "ServerLimit to %llu as well", sl, most,
	    (r->max_threshold_mrw + tpc - 1) / tpc);
}

/* "largest measured child, pid 123" when the size was measured. */
static const char *
measured_words(const struct rules_resource *r, char *buf, size_t len)
{
	if (r->process_src != RULES_SRC_MEASURE || r->measured == NULL) {
		return src_words(r->process_src);
	}
	snprintf(buf, len, "PSS of the largest of %zu children, pid %ld",
	    r->measured->children, r->measured->pss_max_pid);
	return buf;
}

static void
memory_findings(const struct hconf_doc *doc, const struct rules_res_in *in,
    struct rules_result *res, const struct rules_resource *r)
{
	static const enum rules_mpm_key keys[] = {RULES_K_MaxRequestWorkers,
	    RULES_K_ServerLimit, RULES_K_ThreadsPerChild};
	char peak[32], ram[32], ps[32], ts[32], rsv[32], room[32];
	char formula[320], mw[80];
	const char *note;
	int at_arg;
	const struct hconf_node *n = where(res, keys, 3, &at_arg);
	unsigned long long budget = rules_res_percent(r->ram, r->threshold);

	rules_res_human(r->peak, peak, sizeof(peak));
	rules_res_human(r->ram, ram, sizeof(ram));
	rules_res_human(r->process_size, ps, sizeof(ps));
	rules_res_human(r->thread_size, ts, sizeof(ts));
	rules_res_human(r->reserve, rsv, sizeof(rsv));
	snprintf(formula, sizeof(formula), "%llu processes x %s (%s) + %llu "
	    "threads x %s (%s) + %s reserved", r->processes, ps,
	    measured_words(r, mw, sizeof(mw)), r->threads, ts,
	    src_words(r->thread_src), rsv);
	note = r->process_src == RULES_SRC_DEFAULT ||
	    r->thread_src == RULES_SRC_DEFAULT ? "; sizes marked default are "
	    "estimates: measure them with --measure or set --process-size, "
	    "--thread-size or a profile" : "";
	if (r->peak > r->ram) {
		char safe[96];

		if (r->max_safe_mrw == 0) {
			snprintf(safe, sizeof(safe),
			    "not even one process fits");
		} else {
			snprintf(safe, sizeof(safe), "the largest safe "
			    "MaxRequestWorkers is %llu", r->max_safe_mrw);
		}
		add(doc, res, "MPM042", n, at_arg, "peak memory %s exceeds the "
		    "%s of RAM (%s): %s; %s%s", peak, ram, ram_words(in),
		    formula, safe, note);
	} else if (r->peak > budget) {
		add(doc, res, "MPM043", n, at_arg, "peak memory %s is %.1f%% "
		    "of the %s of RAM (%s), above the %u%% threshold: %s; "
		    "MaxRequestWorkers %llu or less stays within it%s", peak,
		    pct_of(r->peak, r->ram), ram, ram_words(in), r->threshold,
		    formula, r->max_threshold_mrw, note);
	} else {
		char sl[200];

		server_limit_words(res, r, sl, sizeof(sl));
		rules_res_human(r->ram - r->peak, room, sizeof(room));
		add(doc, res, "MPM044", n, at_arg, "peak memory %s is %.1f%% "
		    "of the %s of RAM (%s), %s of headroom: %s; MaxRequestWorkers "
		    "could reach %llu within the %u%% threshold%s%s", peak,
		    pct_of(r->peak, r->ram), ram, ram_words(in), room, formula,
		    r->max_threshold_mrw, r->threshold, sl, note);
	}
}

void
rules_resource_check(const struct hconf_doc *doc,
    const struct rules_res_in *in, struct rules_result *res,
    struct rules_resource *out)
{
	const struct rules_mpm_eff *e = &res->eff;

	memset(out, 0, sizeof(*out));
	if (!res->have_eff || e->mpm == RULES_MPM_NONE) {
		return;
	}
	rules_resource_compute(e, in, out);
	if (out->memory) {
		memory_findings(doc, in, res, out);
	}
	if (out->nofile != 0 && out->fds_per_process > out->nofile) {
		static const enum rules_mpm_key keys[] = {
		    RULES_K_ThreadsPerChild, RULES_K_AsyncRequestWorkerFactor,
		    RULES_K_MaxRequestWorkers};
		int at_arg;
		const struct hconf_node *n = where(res,
		    e->mpm == RULES_MPM_PREFORK ? keys + 2 : keys,
		    e->mpm == RULES_MPM_PREFORK ? 1 : 3, &at_arg);
		char how[160];

		if (e->mpm == RULES_MPM_EVENT) {
			snprintf(how, sizeof(how), "ThreadsPerChild %lld x "
			    "(1 + AsyncRequestWorkerFactor %lld)",
			    e->v[RULES_K_ThreadsPerChild], e->arwf_used);
		} else if (e->mpm == RULES_MPM_WORKER) {
			snprintf(how, sizeof(how), "ThreadsPerChild %lld",
			    e->v[RULES_K_ThreadsPerChild]);
		} else {
			snprintf(how, sizeof(how), "one per process");
		}
		add(doc, res, "MPM045", n, at_arg, "each child may hold %llu "
		    "connections (%s) plus about %d other descriptors, %llu in "
		    "all, above the open-file limit of %llu (%s): accept() "
		    "fails with EMFILE 'Too many open files' under load; the "
		    "server holds up to %llu connections",
		    out->conns_per_process, how, RULES_RES_FD_OVERHEAD, out->fds_per_process,
		    out->nofile, in != NULL && in->nofile_src ==
		    RULES_SRC_MEASURE ? "of the running server" : "--nofile",
		    out->connections);
	}
	{
		/* MPM026 already names the bytes when the limits are far
		 * above need: do not report the same segment twice */
		int large = out->scoreboard_bytes >=
		    RULES_RES_SCOREBOARD_LARGE || (out->memory && out->scoreboard_bytes >
		    rules_res_percent(out->ram, RULES_RES_SCOREBOARD_PCT));

		if (large && !has_rule(res, "MPM026")) {
			static const enum rules_mpm_key keys[] = {
			    RULES_K_ThreadLimit, RULES_K_ServerLimit};
			int at_arg;
			const struct hconf_node *n = where(res,
			    e->mpm == RULES_MPM_PREFORK ? keys + 1 : keys,
			    e->mpm == RULES_MPM_PREFORK ? 1 : 2, &at_arg);
			char sb[32];

			rules_res_human(out->scoreboard_bytes, sb, sizeof(sb));
			add(doc, res, "MPM046", n, at_arg, "the scoreboard for "
			    "ServerLimit %lld x ThreadLimit %lld takes %llu "
			    "bytes (%s) of shared memory, zeroed and resident "
			    "from the start and at every restart",
			    e->v[RULES_K_ServerLimit],
			    e->mpm == RULES_MPM_PREFORK ? 1LL :
			    e->v[RULES_K_ThreadLimit], out->scoreboard_bytes,
			    sb);
		}
	}
}

/* ---- probes ------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Close a file read from: 0, or -1 with the read error's errno. */
static int
close_read(FILE *fp)
{
	int e = errno;

	if (ferror(fp)) {
		fclose(fp);
		errno = e;
		return -1;
	}
	fclose(fp);
	return 0;
}

/* Read a small file whole into buf (NUL-terminated); bytes or -1. */
static long
slurp(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL) {
		return -1;
	}
	n = fread(buf, 1, len - 1, fp);
	if (close_read(fp) != 0) {
		return -1;
	}
	buf[n] = '\0';
	return (long)n;
}

/* A decimal number at s; 0 and *ok = 0 when there is none. */
static unsigned long long
number(const char *s, int *ok)
{
	unsigned long long v = 0;

	*ok = 0;
	while (*s == ' ' || *s == '\t') {
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		*ok = 1;
		v = rules_res_add(rules_res_mul(v, 10),
		    (unsigned long long)(*s - '0'));
	}
	return v;
}

/* MemTotal of PROC/meminfo in bytes; 0 when unreadable. */
static unsigned long long
memtotal(const char *proc)
{
	char path[PATH_MAX], buf[8192];
	const char *p;
	int ok;
	unsigned long long kb;

	snprintf(path, sizeof(path), "%s/meminfo", proc);
	if (slurp(path, buf, sizeof(buf)) < 0) {
		return 0;
	}
	for (p = buf; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p ? p + 1 : NULL) {
		if (strncmp(p, "MemTotal:", 9) == 0) {
			kb = number(p + 9, &ok);
			return ok ? rules_res_mul(kb, 1024) : 0;
		}
	}
	return 0;
}

/*
 * The lowest limit in file name along base/path, base/dirname(path), ...,
 * base (cgroup limits nest: a parent's limit binds its children).
 * "max" is no limit.  Returns 0 when none is set.
 */
static unsigned long long
cgroup_walk(const char *base, const char *cgpath, const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[64];
	unsigned long long best = 0;
	size_t blen = strlen(base);
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s%s", base, cgpath) >=
	    (int)sizeof(dir)) {
		return 0;
	}
	for (;;) {
		size_t dl = strlen(dir);
		int ok;

		while (dl > blen && dir[dl - 1] == '/') {
			dir[--dl] = '\0';
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, name) <
		    (int)sizeof(path) && slurp(path, buf, sizeof(buf)) > 0 &&
		    strncmp(buf, "max", 3) != 0) {
			unsigned long long v = number(buf, &ok);

			if (ok && v > 0 && (best == 0 || v < best)) {
				best = v;
			}
		}
		if (dl <= blen) {
			break;
		}
		slash = strrchr(dir + blen, '/');
		if (slash == NULL) {
			dir[blen] = '\0';
		} else {
			*slash = '\0';
		}
	}
	return best;
}

/* The lowest cgroup memory limit of pid (0: self); 0 when none. */
static unsigned long long
cgroup_limit(const char *proc, const char *sys, long pid)
{
	char path[PATH_MAX], base[PATH_MAX], buf[16384];
	unsigned long long best = 0, v;
	char *line, *save = NULL;

	if (pid > 0) {
		snprintf(path, sizeof(path), "%s/%ld/cgroup", proc, pid);
	} else {
		snprintf(path, sizeof(path), "%s/self/cgroup", proc);
	}
	if (slurp(path, buf, sizeof(buf)) < 0) {
		return 0;
	}
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		/* hierarchy-ID:controller-list:cgroup-path */
		char *c1 = strchr(line, ':'), *c2;

		if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL) {
			continue;
		}
		*c1 = *c2 = '\0';
		v = 0;
		if (strcmp(line, "0") == 0 && c1 + 1 == c2) {
			/* v2: the unified hierarchy, alone or beside v1 */
			snprintf(base, sizeof(base), "%s/fs/cgroup", sys);
			v = cgroup_walk(base, c2 + 1, "memory.max");
			if (v == 0) {
				snprintf(base, sizeof(base),
				    "%s/fs/cgroup/unified", sys);
				v = cgroup_walk(base, c2 + 1, "memory.max");
			}
		} else {
			char *ctl, *s2 = NULL;

			for (ctl = strtok_r(c1 + 1, ",", &s2); ctl != NULL;
			    ctl = strtok_r(NULL, ",", &s2)) {
				if (strcmp(ctl, "memory") == 0) {
					snprintf(base, sizeof(base),
					    "%s/fs/cgroup/memory", sys);
					v = cgroup_walk(base, c2 + 1,
					    "memory.limit_in_bytes");
				}
			}
		}
		if (v != 0 && (best == 0 || v < best)) {
			best = v;
		}
	}
	return best;
}

int
rules_res_ram(const char *proc, const char *sys, long pid,
    unsigned long long *ram, enum rules_res_src *src, char *err,
    size_t errlen)
{
	unsigned long long total, cg;

	proc = proc != NULL ? proc : "/proc";
	sys = sys != NULL ? sys : "/sys";
	total = memtotal(proc);
	if (total == 0) {
		return fail(err, errlen, "cannot read MemTotal from %s/meminfo",
		    proc);
	}
	cg = cgroup_limit(proc, sys, pid);
	if (cg != 0 && cg < total) {
		*ram = cg;
		*src = RULES_SRC_CGROUP;
	} else {
		*ram = total;
		*src = RULES_SRC_MEMINFO;
	}
	return 0;
}

/* ---- measuring a running server ----------------------------------------- */

struct proc_ent {
	long pid, ppid;
	char comm[32];
};

/* pid, comm and ppid from PROC/PID/stat; 0 or -1. */
static int
read_stat(const char *proc, long pid, struct proc_ent *pe)
{
	char path[PATH_MAX], buf[1024];
	char *open, *close;
	size_t n;

	snprintf(path, sizeof(path), "%s/%ld/stat", proc, pid);
	if (slurp(path, buf, sizeof(buf)) <= 0) {
		return -1;
	}
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (open == NULL || close == NULL || close < open) {
		return -1;
	}
	n = (size_t)(close - open - 1);
	if (n >= sizeof(pe->comm)) {
		n = sizeof(pe->comm) - 1;
	}
	memcpy(pe->comm, open + 1, n);
	pe->comm[n] = '\0';
	pe->pid = pid;
	if (sscanf(close + 1, " %*c %ld", &pe->ppid) != 1) {
		return -1;
	}
	return 0;
}

static int
is_httpd(const char *comm)
{
	return strncmp(comm, "httpd", 5) == 0 ||
	    strncmp(comm, "apache2", 7) == 0;
}

/* Every process under PROC; caller frees.  NULL: PROC unreadable. */
static struct proc_ent *
list_procs(const char *proc, size_t *n)
{
	DIR *d = opendir(proc);
	struct dirent *de;
	struct proc_ent *v;
	size_t cap = 16;

	*n = 0;
	if (d == NULL) {
		return NULL;
	}
	v = hconf_xmalloc(cap * sizeof(*v));
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (!isdigit((unsigned char)de->d_name[0])) {
			continue;
		}
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0) {
			continue;
		}
		if (*n == cap) {
			cap *= 2;
			v = hconf_xrealloc(v, cap * sizeof(*v));
		}
		if (read_stat(proc, pid, &v[*n]) == 0) {
			(*n)++;
		}
	}
	closedir(d);
	return v;
}

/* PSS of one process in bytes: 1 found, 0 no Pss line, -1 errno set. */
static int
read_pss(const char *proc, long pid, unsigned long long *pss)
{
	char path[PATH_MAX], line[512];
	FILE *fp;
	int found = 0, ok;

	*pss = 0;
	snprintf(path, sizeof(path), "%s/%ld/smaps_rollup", proc, pid);
	fp = fopen(path, "r");
	if (fp == NULL && errno == ENOENT) {
		/* kernels before 4.14: add up every mapping */
		snprintf(path, sizeof(path), "%s/%ld/smaps", proc, pid);
		fp = fopen(path, "r");
	}
	if (fp == NULL) {
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		/* "Pss:", not Pss_Anon/Pss_File/Pss_Shmem */
		if (strncmp(line, "Pss:", 4) == 0) {
			unsigned long long kb = number(line + 4, &ok);

			if (ok) {
				*pss = rules_res_add(*pss,
				    rules_res_mul(kb, 1024));
				found = 1;
			}
		}
	}
	if (close_read(fp) != 0) {
		return -1;
	}
	return found;
}

/* The soft "Max open files" of pid; 0 unlimited or unknown. */
static unsigned long long
read_nofile(const char *proc, long pid)
{
	char path[PATH_MAX], buf[8192];
	const char *p;
	int ok;

	snprintf(path, sizeof(path), "%s/%ld/limits", proc, pid);
	if (slurp(path, buf, sizeof(buf)) < 0) {
		return 0;
	}
	p = strstr(buf, "Max open files");
	if (p == NULL) {
		return 0;
	}
	p += strlen("Max open files");
	while (*p == ' ') {
		p++;
	}
	if (strncmp(p, "unlimited", 9) == 0) {
		return 0;
	}
	{
		unsigned long long v = number(p, &ok);

		return ok ? v : 0;
	}
}

int
rules_res_measure(const char *proc, long pid, struct rules_res_measure *m,
    char *err, size_t errlen)
{
	struct proc_ent *ps, parent;
	size_t n, i, k, nroots = 0, nkids = 0;
	long roots[8];
	int rc = 0, denied = 0;

	proc = proc != NULL ? proc : "/proc";
	memset(m, 0, sizeof(*m));
	ps = list_procs(proc, &n);
	if (ps == NULL) {
		return fail(err, errlen, "cannot list processes in %s", proc);
	}
	if (pid > 0) {
		if (read_stat(proc, pid, &parent) != 0) {
			rc = fail(err, errlen, "no process %ld", pid);
			goto out;
		}
	} else {
		/* the root of each httpd/apache2 tree that has children */
		for (i = 0; i < n; i++) {
			int parent_is_httpd = 0, has_kids = 0;

			if (!is_httpd(ps[i].comm)) {
				continue;
			}
			for (k = 0; k < n; k++) {
				if (ps[k].pid == ps[i].ppid &&
				    is_httpd(ps[k].comm)) {
					parent_is_httpd = 1;
				}
				if (ps[k].ppid == ps[i].pid &&
				    strcmp(ps[k].comm, ps[i].comm) == 0) {
					has_kids = 1;
				}
			}
			if (!parent_is_httpd && has_kids) {
				if (nroots < sizeof(roots) / sizeof(roots[0])) {
					roots[nroots] = ps[i].pid;
				}
				nroots++;
				parent = ps[i];
			}
		}
		if (nroots == 0) {
			rc = fail(err, errlen, "no running httpd or apache2 "
			    "server with children found in %s", proc);
			goto out;
		}
		if (nroots > 1) {
			char list[128] = "";
			size_t used = 0;

			for (i = 0; i < nroots && i < 8; i++) {
				used += (size_t)snprintf(list + used,
				    used < sizeof(list) ? sizeof(list) - used :
				    0, "%s%ld", i ? ", " : "", roots[i]);
				if (used >= sizeof(list)) {
					break;
				}
			}
			rc = fail(err, errlen, "%zu httpd servers are running "
			    "(parents %s%s): choose one with --pid", nroots,
			    list, nroots > 8 ? ", ..." : "");
			goto out;
		}
	}
	m->pid = parent.pid;
	snprintf(m->comm, sizeof(m->comm), "%s", parent.comm);
	for (i = 0; i < n; i++) {
		unsigned long long pss;
		int r;

		if (ps[i].ppid != parent.pid ||
		    strcmp(ps[i].comm, parent.comm) != 0) {
			continue;
		}
		nkids++;
		r = read_pss(proc, ps[i].pid, &pss);
		if (r < 0) {
			if (errno == EACCES || errno == EPERM) {
				denied++;
			}
			/* ENOENT: the child exited meanwhile */
			continue;
		}
		if (r == 0) {
			continue; /* a zombie has no mappings */
		}
		if (m->nofile == 0) {
			m->nofile = read_nofile(proc, ps[i].pid);
		}
		m->children++;
		m->pss_total = rules_res_add(m->pss_total, pss);
		if (pss > m->pss_max) {
			m->pss_max = pss;
			m->pss_max_pid = ps[i].pid;
		}
	}
	if (m->children == 0) {
		if (denied > 0) {
			rc = fail(err, errlen, "%s/%ld/smaps_rollup: "
			    "permission denied: measure as root or as the server's user",
			    proc, parent.pid);
		} else if (nkids == 0) {
			rc = fail(err, errlen, "process %ld (%s) has no "
			    "children of the same name: give the pid of the "
			    "httpd parent", parent.pid, parent.comm);
		} else {
			rc = fail(err, errlen, "the children of process %ld "
			    "exited before they could be measured", parent.pid);
		}
		goto out;
	}
	if (m->nofile == 0) {
		m->nofile = read_nofile(proc, parent.pid);
	}
out:
	free(ps);
	return rc;
}
