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
	atomic_int done;
	pthread_t main_thread;
	pthread_t listener;
	pthread_t *threads;
	int nthreads;
};

struct wk_thread {
	struct wk *wk;
	int index;
};

static void *
wk_worker(void *arg)
{
	struct wk_thread *t = arg;
	struct wk *k = t->wk;
	struct sb_worker *ws = ref_sb_worker(k->ch->sb, k->ch->slot, t->index);
	struct ref_wctx w;

	ref_wctx_init(&w, k->cf, k->ch->sb, ws, k->ch->quit_fd,
	    &k->ch->quitting);
	pthread_mutex_lock(&k->mu);
	for (;;) {
		int fd;

		atomic_store(&ws->status, atomic_load(&k->ch->quitting) ?
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

		atomic_store(&ws->status, SB_READ);
		atomic_fetch_add(&k->proc->conns, 1);
		ref_serve_blocking(&w, fd);
		atomic_fetch_sub(&k->proc->conns, 1);

		pthread_mutex_lock(&k->mu);
		k->idlers++;
		pthread_cond_signal(&k->idle_cv);
	}
	pthread_mutex_unlock(&k->mu);
	atomic_store(&ws->status, SB_DEAD);
	ref_wctx_free(&w);
	return NULL;
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
	/* Let the workers finish their connections, then leave. */
	pthread_mutex_lock(&k->mu);
	k->exiting = 1;
	pthread_cond_broadcast(&k->work_cv);
	pthread_mutex_unlock(&k->mu);
	for (i = 0; i < k->nthreads; i++) {
		pthread_join(k->threads[i], NULL);
	}
	atomic_store(&k->done, 1);
	pthread_kill(k->main_thread, SIGUSR2);
	return NULL;
}

int
ref_worker_main(struct ref_child *ch)
{
	const struct ref_conf *cf = ch->conf;
	struct wk k;
	struct wk_thread *ts;
	int i, rc = 0;

	memset(&k, 0, sizeof(k));
	k.ch = ch;
	k.cf = cf;
	k.proc = &ch->sb->p[ch->slot];
	k.nthreads = cf->threads;
	k.qcap = cf->threads;
	k.q = hconf_xcalloc((size_t)k.qcap, sizeof(int));
	k.idlers = cf->threads;
	k.threads = hconf_xcalloc((size_t)k.nthreads, sizeof(pthread_t));
	ts = hconf_xcalloc((size_t)k.nthreads, sizeof(*ts));
	k.main_thread = pthread_self();
	pthread_mutex_init(&k.mu, NULL);
	pthread_cond_init(&k.work_cv, NULL);
	pthread_cond_init(&k.idle_cv, NULL);

	ref_child_block_signals(ch);

	for (i = 0; i < k.nthreads; i++) {
		ts[i].wk = &k;
		ts[i].index = i;
		if (pthread_create(&k.threads[i], NULL, wk_worker, &ts[i]) != 0) {
			ref_log(REF_ERR, "cannot create worker thread %d", i);
			k.nthreads = i;
			rc = REF_EXIT_CHILDFATAL;
			ref_child_quit(ch);
			break;
		}
	}
	if (pthread_create(&k.listener, NULL, wk_listener, &k) != 0) {
		ref_log(REF_ERR, "cannot create the listener thread");
		pthread_mutex_lock(&k.mu);
		k.exiting = 1;
		pthread_cond_broadcast(&k.work_cv);
		pthread_mutex_unlock(&k.mu);
		for (i = 0; i < k.nthreads; i++) {
			pthread_join(k.threads[i], NULL);
		}
		rc = REF_EXIT_CHILDFATAL;
	} else {
		ref_child_wait(ch, &k.done);
		pthread_join(k.listener, NULL);
	}
	pthread_mutex_destroy(&k.mu);
	pthread_cond_destroy(&k.work_cv);
	pthread_cond_destroy(&k.idle_cv);
	free(k.q);
	free(k.threads);
	free(ts);
	return rc;
}
