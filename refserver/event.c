/*
 * event.c - the event child: ThreadsPerChild workers and a listener
 * thread around one epoll set.  A connection holds a worker while a
 * request is being read (from its first bytes), answered or written;
 * between requests it is parked in the epoll set, owned by no thread.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "ref.h"

/*
 * A parked connection waits with a deadline: KeepAliveTimeout between
 * requests, Timeout while a request is still arriving, and 2 s a read
 * (30 s in all) while it is closing.  A connection is closed lingering,
 * as httpd does: its write side is shut down and the listener reads and
 * drops what the client still sends until it closes, so that a request
 * sent as keep-alive ends gets the end of the stream, not a reset.
 * Lingering connections do not count against the accept gate.
 *
 * Accepting follows httpd's gate (spec 5.1): a new connection is taken
 * only with an idle worker reserved for it, and only while
 *   open connections < ThreadsPerChild + (idle workers - L) * ARWF,
 * L being 1 while the listeners are disabled.  A keep-alive connection
 * that turns readable when no worker is free is closed, and all parked
 * keep-alive connections are closed then too, so their clients go to
 * another process, as httpd does (spec 5.3).
 *
 * Locking: the work queue, the two timeout queues, the counters and
 * every epoll registration of a connection change under mu.  Workers
 * re-arm a connection themselves (EPOLLONESHOT), under mu, so the
 * listener cannot see it before it is queued.
 */

enum { Q_NONE, Q_WORK, Q_KA, Q_RD, Q_LG };

struct evq {
	struct ref_conn *head, *tail;
	int n;
};

struct ev {
	struct ref_child *ch;
	const struct ref_conf *cf;
	struct sb_proc *proc;
	int ep;
	int wake_fd;                 /* eventfd: workers wake the listener */
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* work queued, or exiting */
	struct evq work, ka, rd, lg; /* (mu) */
	char *lbuf;                  /* (mu) what lingering reads drop */
	int idlers;                  /* (mu) idle workers minus queued work */
	int conns;                   /* (mu) open connections */
	int quitting;                /* (mu) no more accepting or keep-alive */
	int exiting;                 /* (mu) workers leave once work is empty */
	int want_wake;               /* (mu) the listener waits for a worker */
	int listening;               /* listener only */
	int busy;                    /* listener only: a dispatch found none */
	long long accepted;          /* listener only */
	struct ref_pool pool;
	/* epoll tags that are not connections */
	char wake_tag, quit_tag;
	char *ltag;                  /* one per listener */
};

/* ---- queues (mu held) ------------------------------------------------ */

static void
q_push(struct evq *q, struct ref_conn *c, int which)
{
	c->queue = (uint8_t)which;
	c->next = NULL;
	c->prev = q->tail;
	if (q->tail != NULL) {
		q->tail->next = c;
	} else {
		q->head = c;
	}
	q->tail = c;
	q->n++;
}

static void
q_del(struct evq *q, struct ref_conn *c)
{
	if (c->prev != NULL) {
		c->prev->next = c->next;
	} else {
		q->head = c->next;
	}
	if (c->next != NULL) {
		c->next->prev = c->prev;
	} else {
		q->tail = c->prev;
	}
	c->next = c->prev = NULL;
	c->queue = Q_NONE;
	q->n--;
}

static void
wake(struct ev *e)
{
	uint64_t one = 1;

	if (write(e->wake_fd, &one, sizeof(one)) < 0) {
		return;   /* already readable (counter saturated) */
	}
}

static void
conn_close(struct ev *e, struct ref_conn *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	ref_conn_release(c);
	free(c);
	e->conns--;
	atomic_fetch_sub(&e->proc->conns, 1);
}

/* Unlink c from the timeout queue it is parked in. */
static void
unpark(struct ev *e, struct ref_conn *c)
{
	if (c->queue == Q_KA) {
		q_del(&e->ka, c);
		atomic_fetch_sub(&e->proc->ka_conns, 1);
	} else if (c->queue == Q_RD) {
		q_del(&e->rd, c);
		atomic_fetch_sub(&e->proc->rd_conns, 1);
	} else if (c->queue == Q_LG) {
		q_del(&e->lg, c);
	}
}

static void
push_work(struct ev *e, struct ref_conn *c)
{
	q_push(&e->work, c, Q_WORK);
	e->idlers--;
	pthread_cond_signal(&e->cv);
}

/* Park c until it is readable or its deadline passes. */
static void
park(struct ev *e, struct ref_conn *c, int which)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = c;
	if (epoll_ctl(e->ep, c->armed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd,
	    &ev) != 0) {
		conn_close(e, c);
		return;
	}
	c->armed = 1;
	if (which == Q_KA) {
		q_push(&e->ka, c, Q_KA);
		atomic_fetch_add(&e->proc->ka_conns, 1);
	} else if (which == Q_LG) {
		q_push(&e->lg, c, Q_LG);
	} else {
		q_push(&e->rd, c, Q_RD);
		atomic_fetch_add(&e->proc->rd_conns, 1);
	}
}

/* Begin c's lingering close (c is in no queue). */
static void
linger_start(struct ev *e, struct ref_conn *c)
{
	int64_t now = ref_now_ms();

	ref_conn_release(c);
	if (ref_linger_start(c->fd) != 0) {
		conn_close(e, c);
		return;
	}
	c->linger_end = now + (c->short_linger ? REF_LINGER_READ_MS :
	    REF_LINGER_MAX_MS);
	c->deadline = now + REF_LINGER_READ_MS;
	park(e, c, Q_LG);
}

/* A lingering connection turned readable: drop its input (c is in no
 * queue). */
static void
linger_read(struct ev *e, struct ref_conn *c)
{
	int64_t now = ref_now_ms();

	if (!ref_linger_drain(c->fd, e->lbuf, REF_OBUF) ||
	    now >= c->linger_end) {
		conn_close(e, c);
		return;
	}
	c->deadline = now + REF_LINGER_READ_MS < c->linger_end ?
	    now + REF_LINGER_READ_MS : c->linger_end;
	park(e, c, Q_LG);
}

/*
 * Close every parked keep-alive connection, lingering.  Connections
 * still reading a request stay: they were accepted, and Timeout bounds
 * them.
 */
static void
close_parked(struct ev *e)
{
	struct ref_conn *c;

	while ((c = e->ka.head) != NULL) {
		unpark(e, c);
		linger_start(e, c);
	}
}

/* ---- workers --------------------------------------------------------- */

/*
 * Serve c's requests in this worker.  Once part of a request has come,
 * the rest is read here, blocking, until Timeout: httpd 2.4's event MPM
 * reads a request in its worker (ap_read_request), so a slow client
 * holds a worker as it does in worker and prefork.  Only a connection
 * with no byte of a request yet goes back to the listener; httpd's
 * AcceptFilter (TCP_DEFER_ACCEPT, Debian's default) keeps such a one in
 * the kernel until its first bytes come.
 */
static enum ref_step
read_in_worker(struct ref_wctx *w, struct ref_conn *c)
{
	enum ref_step step = ref_http_run(w, c, 0);

	while (step == REF_STEP_READ && c->len > 0) {
		if (ref_wait_fd(c->fd, POLLIN, -1,
		    c->req_deadline - ref_now_ms()) < 0) {
			c->req_deadline = ref_now_ms(); /* ends in a 408 */
		}
		step = ref_http_run(w, c, 0);
	}
	return step;
}

static void
ev_worker(void *arg, struct ref_wctx *w)
{
	struct ev *e = arg;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		struct ref_conn *c;
		enum ref_step step;

		atomic_store_explicit(&w->ws->status, e->quitting ? SB_GRACEFUL :
		    SB_READY, memory_order_relaxed);
		while (e->work.head == NULL && !e->exiting) {
			pthread_cond_wait(&e->cv, &e->mu);
		}
		if ((c = e->work.head) == NULL) {
			break;
		}
		q_del(&e->work, c);
		pthread_mutex_unlock(&e->mu);

		atomic_store_explicit(&w->ws->status, SB_READ, memory_order_relaxed);
		step = read_in_worker(w, c);

		pthread_mutex_lock(&e->mu);
		/* Stopping ends keep-alive, not a connection that was taken
		 * and has not sent its request yet. */
		if (step == REF_STEP_CLOSE) {
			conn_close(e, c);
		} else if (step == REF_STEP_LINGER || (e->quitting &&
		    step == REF_STEP_KEEPALIVE)) {
			linger_start(e, c);
		} else if (step == REF_STEP_KEEPALIVE) {
			c->deadline = ref_now_ms() + e->cf->ka_timeout_ms;
			park(e, c, Q_KA);
		} else {
			c->deadline = c->req_deadline;
			park(e, c, Q_RD);
		}
		e->idlers++;
		if (e->want_wake || e->quitting) {
			e->want_wake = 0;
			wake(e);
		}
	}
	pthread_mutex_unlock(&e->mu);
}

/* ---- listener -------------------------------------------------------- */

/* httpd's connections_above_limit(), inverted (mu held); as there,
 * lingering connections do not count. */
static int
gate_open(const struct ev *e)
{
	int l = e->listening ? 0 : 1;

	return e->idlers > 0 && e->conns - e->lg.n < e->cf->threads +
	    (e->idlers - l) * e->cf->arwf;
}

static void
set_listening(struct ev *e, int on)
{
	size_t i;

	if (on == e->listening) {
		return;
	}
	for (i = 0; i < e->cf->nls; i++) {
		struct epoll_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLEXCLUSIVE;
		ev.data.ptr = &e->ltag[i];
		epoll_ctl(e->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
		    e->cf->ls[i].fd, &ev);
	}
	e->listening = on;
	/* httpd's disable_listensocks(): the parent's maintenance no
	 * longer counts this child's idle workers, so it does not stop
	 * a child that holds a full set of keep-alive connections. */
	atomic_store(&e->proc->not_accepting, !on);
}

static void
begin_stop(struct ev *e)
{
	set_listening(e, 0);
	atomic_store(&e->ch->quitting, 1);
	atomic_store(&e->proc->quiescing, 1);
	pthread_mutex_lock(&e->mu);
	if (!e->quitting) {
		e->quitting = 1;
		close_parked(e);
		pthread_cond_broadcast(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
}

static void
accept_one(struct ev *e, int lfd)
{
	struct ref_conn *c;
	int fd, ok;

	pthread_mutex_lock(&e->mu);
	ok = !e->quitting && gate_open(e);
	if (!ok) {
		e->busy |= e->idlers <= 0;
		e->want_wake = 1;
	}
	pthread_mutex_unlock(&e->mu);
	if (!ok) {
		set_listening(e, 0);
		return;
	}
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			ref_log(REF_ERR, "accept: %s", strerror(errno));
			/* Pause accepting; the loop re-enables within a second. */
			set_listening(e, 0);
		}
		return;
	}
	ref_sock_setup(fd);
	c = hconf_xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->req_deadline = ref_now_ms() + e->cf->timeout_ms;
	pthread_mutex_lock(&e->mu);
	e->conns++;
	atomic_fetch_add(&e->proc->conns, 1);
	push_work(e, c);
	pthread_mutex_unlock(&e->mu);
	/* MaxConnectionsPerChild: the loop stops the child after the batch. */
	e->accepted++;
	if (e->cf->max_conns > 0 && e->accepted >= e->cf->max_conns) {
		set_listening(e, 0);
	}
}

/* A parked connection turned readable. */
static void
readable(struct ev *e, struct ref_conn *c)
{
	pthread_mutex_lock(&e->mu);
	if (c->queue == Q_KA) {
		unpark(e, c);
		if (e->idlers <= 0) {
			/* No worker now: let the client try another process. */
			e->busy = 1;
			linger_start(e, c);
		} else {
			push_work(e, c);
		}
	} else if (c->queue == Q_RD) {
		unpark(e, c);
		push_work(e, c);
	} else if (c->queue == Q_LG) {
		unpark(e, c);
		linger_read(e, c);
	}
	pthread_mutex_unlock(&e->mu);
}

/* Expire deadlines; returns ms until the next one (at most max). */
static int
expire(struct ev *e, int64_t now, int max)
{
	struct ref_conn *c, *nx;
	int64_t next = now + max;

	if (e->busy || e->quitting) {
		close_parked(e);
		e->busy = 0;
	}
	while ((c = e->ka.head) != NULL && c->deadline <= now) {
		unpark(e, c);
		linger_start(e, c);
	}
	if (e->ka.head != NULL && e->ka.head->deadline < next) {
		next = e->ka.head->deadline;
	}
	for (c = e->rd.head; c != NULL; c = nx) {
		nx = c->next;
		if (c->deadline <= now) {
			unpark(e, c);
			ref_http_timeout(c);   /* 408 if part of a request came */
			c->short_linger = 1;
			linger_start(e, c);
		} else if (c->deadline < next) {
			next = c->deadline;
		}
	}
	for (c = e->lg.head; c != NULL; c = nx) {
		nx = c->next;
		if (c->deadline <= now) {
			unpark(e, c);
			conn_close(e, c);
		} else if (c->deadline < next) {
			next = c->deadline;
		}
	}
	return next > now ? (int)(next - now) : 0;
}

static void *
ev_listener(void *arg)
{
	struct ev *e = arg;
	struct ref_child *ch = e->ch;
	struct epoll_event ev, evs[64];
	int timeout = 0, i;
	int64_t last_check = ref_now_ms();

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = &e->wake_tag;
	epoll_ctl(e->ep, EPOLL_CTL_ADD, e->wake_fd, &ev);
	ev.data.ptr = &e->quit_tag;
	epoll_ctl(e->ep, EPOLL_CTL_ADD, ch->quit_fd, &ev);
	set_listening(e, 1);

	for (;;) {
		int n = epoll_wait(e->ep, evs, 64, timeout);
		int64_t now;
		int want, stop, stop_req = 0;

		if (n < 0 && errno != EINTR) {
			ref_log(REF_ERR, "epoll_wait: %s", strerror(errno));
			begin_stop(e);
		}
		for (i = 0; i < n; i++) {
			void *tag = evs[i].data.ptr;
			size_t l;

			if (tag == &e->wake_tag) {
				uint64_t v;

				if (read(e->wake_fd, &v, sizeof(v)) < 0) {
					continue;
				}
				continue;
			}
			if (tag == &e->quit_tag) {
				/* Not yet: later events of this batch may be
				 * connections that begin_stop() frees. */
				epoll_ctl(e->ep, EPOLL_CTL_DEL, ch->quit_fd, NULL);
				stop_req = 1;
				continue;
			}
			for (l = 0; l < e->cf->nls; l++) {
				if (tag == &e->ltag[l]) {
					break;
				}
			}
			if (l < e->cf->nls) {
				if (e->listening) {
					accept_one(e, e->cf->ls[l].fd);
				}
				continue;
			}
			readable(e, tag);
		}
		if (stop_req || (e->cf->max_conns > 0 &&
		    e->accepted >= e->cf->max_conns)) {
			begin_stop(e);
		}

		now = ref_now_ms();
		pthread_mutex_lock(&e->mu);
		timeout = expire(e, now, e->quitting ? 100 : 1000);
		want = !e->quitting && gate_open(e);
		if (!want) {
			e->want_wake = 1;
		}
		stop = e->quitting && e->conns == 0;
		if (stop) {
			e->exiting = 1;
			pthread_cond_broadcast(&e->cv);
		}
		pthread_mutex_unlock(&e->mu);
		if (stop) {
			break;
		}
		if (!e->quitting) {
			set_listening(e, want);
		}
		if (now - last_check >= 1000) {
			last_check = now;
			if (!ch->one_process && getppid() != ch->parent) {
				begin_stop(e);
			}
		}
	}
	ref_pool_end(&e->pool);
	return NULL;
}

/* Workers leave once the work queue is empty. */
static void
ev_stop(void *arg)
{
	struct ev *e = arg;

	ref_pool_exit(&e->mu, &e->cv, &e->exiting);
}

/* No quit_fd: event workers never wait on a client. */
static const struct ref_pool_ops ev_ops = {
	ev_worker, ev_listener, ev_stop, 0
};

/* The child's state before its threads start; -1 when it cannot be. */
static int
ev_init(struct ev *e, struct ref_child *ch)
{
	memset(e, 0, sizeof(*e));
	e->ch = ch;
	e->cf = ch->conf;
	e->proc = &ch->sb->p[ch->slot];
	e->ep = epoll_create1(EPOLL_CLOEXEC);
	e->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (e->ep < 0 || e->wake_fd < 0) {
		ref_log(REF_ERR, "epoll/eventfd: %s", strerror(errno));
		return -1;
	}
	e->idlers = e->cf->threads;
	e->ltag = hconf_xcalloc(e->cf->nls, 1);
	e->lbuf = hconf_xmalloc(REF_OBUF);
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	return 0;
}

static void
ev_free(struct ev *e)
{
	pthread_mutex_destroy(&e->mu);
	pthread_cond_destroy(&e->cv);
	close(e->ep);
	close(e->wake_fd);
	free(e->ltag);
	free(e->lbuf);
}

int
ref_event_main(struct ref_child *ch)
{
	struct ev e;
	int rc;

	if (ev_init(&e, ch) != 0) {
		return REF_EXIT_CHILDFATAL;
	}
	rc = ref_pool_run(ch, &e.pool, &ev_ops, &e);
	ev_free(&e);
	return rc;
}
