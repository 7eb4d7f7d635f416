/*
 * worker.c - the worker child: ThreadsPerChild worker threads and one
 * listener thread.  The listener accepts only while a worker is free
 * (and reserves it), so a child never holds more connections than it
 * has threads; a connection keeps its thread through keep-alive.  The
 * main thread only waits for signals.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

#define QUIT_TAG UINT32_MAX

struct wk {
	struct ref_child *ch;
	const struct ref_conf *cf;
	struct sb_proc *proc;
	pthread_mutex_t mu;
	pthread_cond_t work_cv;      /* a connection is queued */
	pthread_cond_t idle_cv;      /* a worker became free */
	int *q;                      /* ring of accepted sockets (mu) */
	int qhead, qlen, qcap;
	int idlers;                  /* free workers not yet reserved (mu) */
	int exiting;                 /* workers leave once q is empty (mu) */
	struct ref_pool pool;
};

/* Let the workers finish their connections, then leave. */
static void
wk_stop(void *arg)
{
	struct wk *k = arg;

	ref_pool_exit(&k->mu, &k->work_cv, &k->exiting);
}

static void
wk_worker(void *arg, struct ref_wctx *w)
{
	struct wk *k = arg;

	pthread_mutex_lock(&k->mu);
	for (;;) {
		int fd;

		atomic_store(&w->ws->status, atomic_load(&k->ch->quitting) ?
		    SB_GRACEFUL : SB_READY);
		while (k->qlen == 0 && !k->exiting) {
			pthread_cond_wait(&k->work_cv, &k->mu);
		}
		if (k->qlen == 0) {
			break;
		}
		fd = k->q[k->qhead];
		k->qhead = (k->qhead + 1) % k->qcap;
		k->qlen--;
		pthread_mutex_unlock(&k->mu);

		atomic_store(&w->ws->status, SB_READ);
		atomic_fetch_add(&k->proc->conns, 1);
		ref_serve_blocking(w, fd);
		atomic_fetch_sub(&k->proc->conns, 1);

		pthread_mutex_lock(&k->mu);
		k->idlers++;
		pthread_cond_signal(&k->idle_cv);
	}
	pthread_mutex_unlock(&k->mu);
}

static void *
wk_listener(void *arg)
{
	struct wk *k = arg;
	struct ref_child *ch = k->ch;
	const struct ref_conf *cf = k->cf;
	struct epoll_event ev, evs[8];
	long long accepted = 0;
	int ep, i;
	size_t l;

	ep = epoll_create1(EPOLL_CLOEXEC);
	for (l = 0; ep >= 0 && l < cf->nls; l++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLEXCLUSIVE;
		ev.data.u32 = (uint32_t)l;
		epoll_ctl(ep, EPOLL_CTL_ADD, cf->ls[l].fd, &ev);
	}
	if (ep >= 0) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = QUIT_TAG;
		epoll_ctl(ep, EPOLL_CTL_ADD, ch->quit_fd, &ev);
	} else {
		ref_log(REF_ERR, "epoll_create1: %s", strerror(errno));
	}

	while (ep >= 0 && !atomic_load(&ch->quitting)) {
		int n, got = 0;

		/* Accept only with a free worker in hand (httpd's listener). */
		pthread_mutex_lock(&k->mu);
		while (k->idlers <= 0 && !atomic_load(&ch->quitting)) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&k->idle_cv, &k->mu, &ts);
		}
		pthread_mutex_unlock(&k->mu);
		if (atomic_load(&ch->quitting)) {
			break;
		}
		n = epoll_wait(ep, evs, 8, 1000);
		if (n < 0 && errno != EINTR) {
			ref_log(REF_ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n && !got; i++) {
			uint32_t tag = evs[i].data.u32;
			int fd;

			if (tag == QUIT_TAG || tag >= cf->nls) {
				break;
			}
			fd = ref_listen_accept(cf->ls[tag].fd);
			if (fd < 0) {
				continue;
			}
			pthread_mutex_lock(&k->mu);
			k->q[(k->qhead + k->qlen) % k->qcap] = fd;
			k->qlen++;
			k->idlers--;
			pthread_cond_signal(&k->work_cv);
			pthread_mutex_unlock(&k->mu);
			got = 1;
			accepted++;
			if (cf->max_conns > 0 && accepted >= cf->max_conns) {
				ref_child_quit(ch);   /* MaxConnectionsPerChild */
			}
		}
	}
	atomic_store(&k->proc->quiescing, 1);
	if (ep >= 0) {
		close(ep);
	}
	wk_stop(k);
	ref_pool_end(&k->pool);
	return NULL;
}

/* A connection keeps its worker through keep-alive: quit_fd ends that. */
static const struct ref_pool_ops wk_ops = {
	wk_worker, wk_listener, wk_stop, 1
};

int
ref_worker_main(struct ref_child *ch)
{
	struct wk k;
	int rc;

	memset(&k, 0, sizeof(k));
	k.ch = ch;
	k.cf = ch->conf;
	k.proc = &ch->sb->p[ch->slot];
	k.qcap = k.cf->threads;
	k.q = hconf_xcalloc((size_t)k.qcap, sizeof(int));
	k.idlers = k.cf->threads;
	pthread_mutex_init(&k.mu, NULL);
	pthread_cond_init(&k.work_cv, NULL);
	pthread_cond_init(&k.idle_cv, NULL);

	rc = ref_pool_run(ch, &k.pool, &wk_ops, &k);
	pthread_mutex_destroy(&k.mu);
	pthread_cond_destroy(&k.work_cv);
	pthread_cond_destroy(&k.idle_cv);
	free(k.q);
	return rc;
}
