/*
 * prefork.c - the prefork child: one thread, one connection at a time.
 * It waits for a connection on the listeners (EPOLLEXCLUSIVE, so one
 * idle child wakes per connection), serves it to the end, keep-alive
 * included, then waits again.  A bad request can only end its own
 * connection and, at worst, this process.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

#define QUIT_TAG UINT32_MAX

static struct ref_child *sig_child;

static void
on_quit(int sig)
{
	(void)sig;
	ref_child_quit(sig_child);
}

/* -X: SIGTERM and SIGINT stop, a second one at once; SIGHUP reloads. */
static void
on_stop_x(int sig)
{
	if (sig == SIGHUP) {
		atomic_store(&sig_child->reload, 1);
	} else if (atomic_load(&sig_child->quitting)) {
		_exit(0);
	}
	ref_child_quit(sig_child);
}

static void
set_signals(struct ref_child *ch)
{
	struct sigaction sa;
	sigset_t set;

	sig_child = ch;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ch->one_process ? on_stop_x : on_quit;
	sigaction(SIGUSR1, &sa, NULL);
	if (ch->one_process) {
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	} else {
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTERM, &sa, NULL);
		/* The parent handles these; a terminal sends them to us all. */
		sa.sa_handler = SIG_IGN;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	ref_sigset(&set, SIGUSR1, SIGTERM, SIGINT, SIGHUP, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void
restore_signals(void)
{
	sigset_t set;

	ref_sigset(&set, SIGUSR1, SIGTERM, SIGINT, SIGHUP, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int
ref_prefork_main(struct ref_child *ch)
{
	const struct ref_conf *cf = ch->conf;
	struct sb_proc *proc = &ch->sb->p[ch->slot];
	struct sb_worker *ws = ref_sb_worker(ch->sb, ch->slot, 0);
	struct epoll_event ev, evs[8];
	struct ref_wctx w;
	long long served = 0;
	int ep, rc = 0, stop = 0;
	size_t i;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		ref_log(REF_ERR, "epoll_create1: %s", strerror(errno));
		return REF_EXIT_CHILDFATAL;
	}
	for (i = 0; i < cf->nls; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLEXCLUSIVE;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, cf->ls[i].fd, &ev) != 0) {
			ref_log(REF_ERR, "epoll_ctl: %s", strerror(errno));
			close(ep);
			return REF_EXIT_CHILDFATAL;
		}
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = QUIT_TAG;
	epoll_ctl(ep, EPOLL_CTL_ADD, ch->quit_fd, &ev);
	set_signals(ch);
	ref_wctx_init(&w, cf, ch->sb, ws, ch->quit_fd, &ch->quitting);
	atomic_store(&ws->status, SB_READY);

	while (!stop && !atomic_load(&ch->quitting)) {
		int n = epoll_wait(ep, evs, 8, 1000), k;

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			ref_log(REF_ERR, "epoll_wait: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (n == 0 && !ch->one_process && getppid() != ch->parent) {
			break;
		}
		for (k = 0; k < n; k++) {
			uint32_t tag = evs[k].data.u32;
			int fd;

			if (tag == QUIT_TAG || tag >= cf->nls) {
				stop = 1;
				break;
			}
			fd = ref_listen_accept(cf->ls[tag].fd);
			if (fd < 0) {
				continue;
			}
			atomic_fetch_add(&proc->conns, 1);
			ref_serve_blocking(&w, fd);
			atomic_fetch_sub(&proc->conns, 1);
			atomic_store(&ws->status, SB_READY);
			served++;
			if (cf->max_conns > 0 && served >= cf->max_conns) {
				stop = 1;   /* MaxConnectionsPerChild: recycle */
			}
			/* One connection at a time: wait again. */
			break;
		}
	}
	atomic_store(&proc->quiescing, 1);
	atomic_store(&ws->status, SB_DEAD);
	ref_wctx_free(&w);
	close(ep);
	if (ch->one_process) {
		restore_signals();
	}
	return rc;
}
