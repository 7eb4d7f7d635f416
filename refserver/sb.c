/*
 * sb.c - the scoreboard: one anonymous shared mapping made before the
 * first fork, ServerLimit process slots of ThreadLimit worker slots, and
 * the /server-status?auto text built from it the way mod_status does.
 * Every field is a C11 atomic, so readers never lock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "ref.h"

#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

int
ref_sb_create(struct ref_sb *sb, int server_limit, int thread_limit)
{
	size_t gsz = ALIGN64(sizeof(struct sb_global));
	size_t psz = ALIGN64(sizeof(struct sb_proc) * (size_t)server_limit);
	size_t wsz = sizeof(struct sb_worker) * (size_t)server_limit *
	    (size_t)thread_limit;
	int i, j;

	memset(sb, 0, sizeof(*sb));
	sb->size = gsz + psz + wsz;
	sb->base = mmap(NULL, sb->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sb->base == MAP_FAILED) {
		sb->base = NULL;
		return -1;
	}
	sb->g = sb->base;
	sb->p = (struct sb_proc *)((char *)sb->base + gsz);
	sb->w = (struct sb_worker *)((char *)sb->base + gsz + psz);
	sb->g->server_limit = server_limit;
	sb->g->thread_limit = thread_limit;
	sb->g->start_time = (long long)time(NULL);
	atomic_store(&sb->g->restart_time, sb->g->start_time);
	for (i = 0; i < server_limit; i++) {
		for (j = 0; j < thread_limit; j++) {
			atomic_store(&ref_sb_worker(sb, i, j)->status, SB_DEAD);
		}
	}
	return 0;
}

void
ref_sb_destroy(struct ref_sb *sb)
{
	if (sb->base != NULL) {
		munmap(sb->base, sb->size);
	}
	memset(sb, 0, sizeof(*sb));
}

struct sb_worker *
ref_sb_worker(const struct ref_sb *sb, int proc, int th)
{
	return &sb->w[(size_t)proc * (size_t)sb->g->thread_limit + (size_t)th];
}

void
ref_sb_configure(struct ref_sb *sb, const struct ref_conf *c)
{
	atomic_store(&sb->g->mpm, (int)c->mpm);
	atomic_store(&sb->g->max_servers, c->processes);
	atomic_store(&sb->g->threads, c->threads);
}

void
ref_sb_slot_init(struct ref_sb *sb, int proc, int gen, int n)
{
	struct sb_proc *p = &sb->p[proc];
	int j;

	atomic_store(&p->pid, 0);
	atomic_store(&p->generation, gen);
	atomic_store(&p->quiescing, 0);
	atomic_store(&p->not_accepting, 0);
	atomic_store(&p->conns, 0);
	atomic_store(&p->ka_conns, 0);
	atomic_store(&p->rd_conns, 0);
	for (j = 0; j < sb->g->thread_limit; j++) {
		struct sb_worker *w = ref_sb_worker(sb, proc, j);

		atomic_store(&w->status, j < n ? SB_STARTING : SB_DEAD);
		atomic_store(&w->accesses, 0);
		atomic_store(&w->bytes, 0);
	}
}

void
ref_sb_slot_clear(struct ref_sb *sb, int proc)
{
	struct sb_proc *p = &sb->p[proc];
	int j;

	for (j = 0; j < sb->g->thread_limit; j++) {
		struct sb_worker *w = ref_sb_worker(sb, proc, j);

		atomic_fetch_add(&sb->g->accesses, atomic_exchange(&w->accesses,
		    0));
		atomic_fetch_add(&sb->g->bytes, atomic_exchange(&w->bytes, 0));
		atomic_store(&w->status, SB_DEAD);
	}
	atomic_store(&p->quiescing, 0);
	atomic_store(&p->conns, 0);
	atomic_store(&p->ka_conns, 0);
	atomic_store(&p->rd_conns, 0);
	atomic_store(&p->pid, 0);
}

int
ref_sb_idle(const struct ref_sb *sb, int proc, int gen, int nthreads)
{
	const struct sb_proc *p = &sb->p[proc];
	int j, idle = 0;

	/* As httpd, a child that stopped accepting (event: at its
	 * connection limit) offers no idle worker to new connections. */
	if (atomic_load(&p->pid) == 0 || atomic_load(&p->quiescing) ||
	    atomic_load(&p->not_accepting) ||
	    atomic_load(&p->generation) != gen) {
		return 0;
	}
	for (j = 0; j < nthreads && j < sb->g->thread_limit; j++) {
		int st = atomic_load(&ref_sb_worker(sb, proc, j)->status);

		if (st == SB_READY || st == SB_STARTING) {
			idle++;
		}
	}
	return idle;
}

struct strbuf {
	char *p;
	size_t len, cap;
};

static void
sb_printf(struct strbuf *b, const char *fmt, ...) REF_PRINTF(2, 3);

static void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)n;
		b->p = hconf_xrealloc(b->p, b->cap);
	}
}

static void
http_time(char *buf, size_t len, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%A, %d-%b-%Y %H:%M:%S UTC", &tm);
}

char *
ref_sb_status(const struct ref_sb *sb, const char *host, size_t *len)
{
	const struct sb_global *g = sb->g;
	int sl = g->server_limit, tl = g->thread_limit;
	int gen = atomic_load(&g->generation);
	int max_servers = atomic_load(&g->max_servers);
	int threads = atomic_load(&g->threads);
	int mpm = atomic_load(&g->mpm);
	int busy = 0, idle = 0, graceful = 0, procs = 0, stopping = 0;
	int conns = 0, ka = 0, rd = 0, i, j;
	unsigned long long acc = atomic_load(&g->accesses);
	unsigned long long bytes = atomic_load(&g->bytes);
	long long now = (long long)time(NULL);
	long long up = now - atomic_load(&g->restart_time);
	struct strbuf b;
	char *board = hconf_xmalloc((size_t)sl * (size_t)tl + 1);
	size_t nb = 0;
	char t1[64], t2[64];

	for (i = 0; i < sl; i++) {
		const struct sb_proc *p = &sb->p[i];
		int pid = atomic_load(&p->pid);
		int q = atomic_load(&p->quiescing);

		if (pid != 0) {
			procs++;
			stopping += q != 0;
			conns += atomic_load(&p->conns);
			ka += atomic_load(&p->ka_conns);
			rd += atomic_load(&p->rd_conns);
		}
		for (j = 0; j < tl; j++) {
			const struct sb_worker *w = ref_sb_worker(sb, i, j);
			int st = atomic_load(&w->status);

			acc += atomic_load(&w->accesses);
			bytes += atomic_load(&w->bytes);
			/* mod_status leaves out dead slots beyond the limits. */
			if (!((i >= max_servers || j >= threads) && st == SB_DEAD)) {
				board[nb++] = (char)st;
			}
			if (pid == 0 || q) {
				continue;
			}
			if (st == SB_READY) {
				idle += atomic_load(&p->generation) == gen;
			} else if (st != SB_DEAD && st != SB_STARTING) {
				busy++;
				graceful += st == SB_GRACEFUL;
			}
		}
	}
	board[nb] = '\0';
	if (up < 0) {
		up = 0;
	}
	b.cap = nb + 2048;
	b.len = 0;
	b.p = hconf_xmalloc(b.cap);
	http_time(t1, sizeof(t1), now);
	http_time(t2, sizeof(t2), atomic_load(&g->restart_time));
	sb_printf(&b, "%s\nServerVersion: %s\nServerMPM: %s\n", host,
	    REF_SERVER, rules_mpm_name((enum rules_mpm)mpm));
	sb_printf(&b, "CurrentTime: %s\nRestartTime: %s\n", t1, t2);
	sb_printf(&b, "ParentServerConfigGeneration: %d\n"
	    "ParentServerMPMGeneration: %d\n", gen + 1, gen);
	sb_printf(&b, "ServerUptimeSeconds: %lld\n", up);
	sb_printf(&b, "Total Accesses: %llu\nTotal kBytes: %llu\n", acc,
	    bytes / 1024);
	sb_printf(&b, "Uptime: %lld\n", up);
	sb_printf(&b, "BusyWorkers: %d\nGracefulWorkers: %d\nIdleWorkers: %d\n",
	    busy, graceful, idle);
	/* mod_status prints these two only for event; mpmref always does. */
	sb_printf(&b, "Processes: %d\nStopping: %d\n", procs, stopping);
	if (mpm == RULES_MPM_EVENT) {
		sb_printf(&b, "ConnsTotal: %d\nConnsAsyncWaitIO: %d\n"
		    "ConnsAsyncWriting: 0\nConnsAsyncKeepAlive: %d\n"
		    "ConnsAsyncClosing: 0\n", conns, rd, ka);
	}
	sb_printf(&b, "Scoreboard: %s\n", board);
	free(board);
	*len = b.len;
	return b.p;
}
