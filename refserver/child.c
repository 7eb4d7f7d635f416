/*
 * child.c - what every child (and the -X process) shares: picking the
 * MPM's main function, the stop request that signal handlers may send,
 * and the signal loop of a threaded child's main thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

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

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
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

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (!ch->one_process) {
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
	}
}
