/*
 * child.c - what every child (and the -X process) shares: picking the
 * MPM's main function, the stop request that signal handlers may send,
 * the threads of a worker or event child and its main thread's signal
 * loop, and the signal sets the parent uses too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

void
ref_sigset(sigset_t *set, ...)
{
	va_list ap;
	int sig;

	sigemptyset(set);
	va_start(ap, set);
	while ((sig = va_arg(ap, int)) != 0) {
		sigaddset(set, sig);
	}
	va_end(ap);
}

int
ref_child_run(struct ref_child *ch)
{
	switch (ch->conf->mpm) {
	case RULES_MPM_PREFORK:
		return ref_prefork_main(ch);
	case RULES_MPM_WORKER:
		return ref_worker_main(ch);
	case RULES_MPM_EVENT:
		return ref_event_main(ch);
	default:
		return REF_EXIT_CHILDFATAL;
	}
}

void
ref_child_quit(struct ref_child *ch)
{
	uint64_t one = 1;

	atomic_store(&ch->quitting, 1);
	/* The eventfd stays readable: every poller sees the stop. */
	if (write(ch->quit_fd, &one, sizeof(one)) < 0) {
		return;
	}
}

void
ref_child_wait(struct ref_child *ch, atomic_int *done)
{
	sigset_t set;

	ref_sigset(&set, SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGHUP, 0);
	while (!atomic_load(done)) {
		struct timespec ts = {0, 200 * 1000 * 1000};
		int sig = sigtimedwait(&set, NULL, &ts);

		switch (sig) {
		case SIGUSR1:
			ref_child_quit(ch);
			break;
		case SIGTERM:
		case SIGINT:
			/* -X: the first one stops gracefully, a second at once. */
			if (!ch->one_process || atomic_load(&ch->quitting)) {
				_exit(0);
			}
			ref_child_quit(ch);
			break;
		case SIGHUP:
			if (ch->one_process) {
				atomic_store(&ch->reload, 1);
				ref_child_quit(ch);
			}
			break;
		default:
			break;
		}
		if (!ch->one_process && getppid() != ch->parent) {
			/* The parent is gone: nobody will reap or stop us. */
			_exit(0);
		}
	}
}

void
ref_child_block_signals(const struct ref_child *ch)
{
	sigset_t set;

	ref_sigset(&set, SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGHUP, 0);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (!ch->one_process) {
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
	}
}

/* What a worker thread is given. */
struct pool_thread {
	struct ref_pool *p;
	int index;                   /* its scoreboard slot in the child */
};

static void *
pool_worker(void *arg)
{
	struct pool_thread *t = arg;
	struct ref_pool *p = t->p;
	struct ref_child *ch = p->ch;
	struct sb_worker *ws = ref_sb_worker(ch->sb, ch->slot, t->index);
	struct ref_wctx w;

	ref_wctx_init(&w, ch->conf, ch->sb, ws, p->ops->client_waits ?
	    ch->quit_fd : -1, &ch->quitting);
	p->ops->worker(p->ctx, &w);
	atomic_store(&ws->status, SB_DEAD);
	ref_wctx_free(&w);
	return NULL;
}

static void
join_workers(const struct ref_pool *p)
{
	int i;

	for (i = 0; i < p->nthreads; i++) {
		pthread_join(p->threads[i], NULL);
	}
}

int
ref_pool_run(struct ref_child *ch, struct ref_pool *p,
    const struct ref_pool_ops *ops, void *ctx)
{
	struct pool_thread *ts;
	pthread_t listener;
	int i, rc = 0;

	p->ch = ch;
	p->ops = ops;
	p->ctx = ctx;
	p->nthreads = ch->conf->threads;
	p->threads = hconf_xcalloc((size_t)p->nthreads, sizeof(pthread_t));
	ts = hconf_xcalloc((size_t)p->nthreads, sizeof(*ts));
	p->main_thread = pthread_self();
	ref_child_block_signals(ch);

	for (i = 0; i < p->nthreads; i++) {
		ts[i].p = p;
		ts[i].index = i;
		if (pthread_create(&p->threads[i], NULL, pool_worker,
		    &ts[i]) != 0) {
			ref_log(REF_ERR, "cannot create worker thread %d", i);
			p->nthreads = i;
			rc = REF_EXIT_CHILDFATAL;
			ref_child_quit(ch);
			break;
		}
	}
	if (pthread_create(&listener, NULL, ops->listener, ctx) != 0) {
		ref_log(REF_ERR, "cannot create the listener thread");
		ops->stop(ctx);
		join_workers(p);
		rc = REF_EXIT_CHILDFATAL;
	} else {
		ref_child_wait(ch, &p->done);
		pthread_join(listener, NULL);
	}
	free(p->threads);
	free(ts);
	return rc;
}

void
ref_pool_exit(pthread_mutex_t *mu, pthread_cond_t *cv, int *exiting)
{
	pthread_mutex_lock(mu);
	*exiting = 1;
	pthread_cond_broadcast(cv);
	pthread_mutex_unlock(mu);
}

void
ref_pool_end(struct ref_pool *p)
{
	join_workers(p);
	atomic_store(&p->done, 1);
	pthread_kill(p->main_thread, SIGUSR2);
}
