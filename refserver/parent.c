/*
 * parent.c - the parent process: forks the children into scoreboard
 * slots, reaps them, runs httpd's idle-server maintenance once a second
 * (spare servers for prefork, spare threads for worker and event, with
 * the spawn rate doubling up to 32), re-reads the configuration on
 * SIGHUP and stops gracefully on SIGTERM.  It never serves a request,
 * except with -X, where it runs one child's loop itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

#define MAX_SPAWN_RATE 32
#define STOP_GRACE_MS 30000   /* when GracefulShutdownTimeout is unset */

struct kid {
	pid_t pid;
	int gen;
	int quiescing;
};

struct server {
	const struct ref_opts *o;
	struct ref_conf *conf;
	struct ref_sb sb;
	struct kid *kids;            /* server_limit entries */
	int gen;
	int spawn_rate;
	int reached;                 /* "reached MaxRequestWorkers" logged */
	int remaining;               /* children still to start (httpd's
					remaining_children_to_start) */
	int stopping;
	int fatal;                   /* a child could not initialise */
	pid_t self;
};

static sigset_t parent_sigs;

static void
block_signals(void)
{
	ref_sigset(&parent_sigs, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1, 0);
	sigprocmask(SIG_BLOCK, &parent_sigs, NULL);
}

static int
make_child(struct server *s, int slot)
{
	struct ref_child ch;
	pid_t pid;

	ref_sb_slot_init(&s->sb, slot, s->gen, s->conf->threads);
	pid = fork();
	if (pid < 0) {
		ref_log(REF_ERR, "fork: %s", strerror(errno));
		ref_sb_slot_clear(&s->sb, slot);
		return -1;
	}
	if (pid == 0) {
		int rc;

		/* Die with the parent, even if it is killed outright. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != s->self) {
			_exit(0);
		}
		memset(&ch, 0, sizeof(ch));
		ch.conf = s->conf;
		ch.sb = &s->sb;
		ch.slot = slot;
		ch.parent = s->self;
		ch.quit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ch.quit_fd < 0) {
			_exit(REF_EXIT_CHILDFATAL);
		}
		atomic_store(&s->sb.p[slot].pid, (int)getpid());
		rc = ref_child_run(&ch);
		_exit(rc);
	}
	s->kids[slot].pid = pid;
	s->kids[slot].gen = s->gen;
	s->kids[slot].quiescing = 0;
	atomic_store(&s->sb.p[slot].pid, (int)pid);
	return 0;
}

static void
stop_child(struct server *s, int slot)
{
	if (s->kids[slot].pid > 0 && !s->kids[slot].quiescing) {
		s->kids[slot].quiescing = 1;
		atomic_store(&s->sb.p[slot].quiescing, 1);
		kill(s->kids[slot].pid, SIGUSR1);
	}
}

static int
nkids(const struct server *s)
{
	int i, n = 0;

	for (i = 0; i < s->conf->server_limit; i++) {
		n += s->kids[i].pid > 0;
	}
	return n;
}

/* Slots a child of this MPM may use (httpd's ap_daemons_limit). */
static int
slot_limit(const struct ref_conf *c)
{
	int n;

	switch (c->mpm) {
	case RULES_MPM_PREFORK:
		n = c->capacity;
		break;
	case RULES_MPM_WORKER:
		n = c->processes;
		break;
	default:
		/* event may use every slot for children that are stopping */
		n = c->server_limit;
		break;
	}
	return n < c->server_limit ? n : c->server_limit;
}

static void
reap(struct server *s)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int i;

		for (i = 0; i < s->conf->server_limit; i++) {
			if (s->kids[i].pid == pid) {
				break;
			}
		}
		if (i == s->conf->server_limit) {
			continue;
		}
		if (WIFSIGNALED(st)) {
			ref_log(REF_NOTICE, "child pid %ld exit signal %s (%d)",
			    (long)pid, strsignal(WTERMSIG(st)), WTERMSIG(st));
		} else if (WIFEXITED(st) && WEXITSTATUS(st) ==
		    REF_EXIT_CHILDFATAL) {
			ref_log(REF_ERR, "child pid %ld could not start; shutting "
			    "down", (long)pid);
			s->fatal = 1;
		} else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
			ref_log(REF_NOTICE, "child pid %ld exit status %d",
			    (long)pid, WEXITSTATUS(st));
		}
		ref_sb_slot_clear(&s->sb, i);
		memset(&s->kids[i], 0, sizeof(s->kids[i]));
		/* After a restart, the new generation takes the slots the old
		 * one frees until StartServers children run. */
		if (s->remaining > 0 && !s->stopping && !s->fatal &&
		    i < slot_limit(s->conf) && make_child(s, i) == 0) {
			s->remaining--;
		}
	}
}

static void
spawn_some(struct server *s, const int *free_slots, int n)
{
	int i;

	for (i = 0; i < n && !s->fatal; i++) {
		make_child(s, free_slots[i]);
	}
}

/* httpd's perform_idle_server_maintenance(), once a second. */
static void
maintenance(struct server *s)
{
	const struct ref_conf *c = s->conf;
	int limit = slot_limit(c), i, idle = 0, active = 0, nfree = 0;
	int any_dying = 0, victim = -1, victim_idle = -1;
	int free_slots[MAX_SPAWN_RATE];

	for (i = 0; i < limit; i++) {
		struct kid *k = &s->kids[i];

		if (k->pid == 0) {
			if (nfree < s->spawn_rate) {
				free_slots[nfree++] = i;
			}
			continue;
		}
		if (k->quiescing || k->gen != s->gen) {
			any_dying = 1;
			continue;
		}
		active++;
		{
			int n = ref_sb_idle(&s->sb, i, s->gen, c->threads);

			idle += n;
			/* Stop the child with the most idle workers (prefork:
			 * the last idle one). */
			if (n > 0 && n >= victim_idle) {
				victim = i;
				victim_idle = n;
			}
		}
	}
	if (idle > c->max_spare) {
		if (victim >= 0 && (c->mpm == RULES_MPM_PREFORK || !any_dying)) {
			stop_child(s, victim);
		}
		s->spawn_rate = 1;
	} else if (idle < c->min_spare) {
		int room = c->mpm == RULES_MPM_PREFORK ? nfree :
		    c->processes - active;

		if (room > nfree) {
			room = nfree;
		}
		if (room <= 0) {
			if (!s->reached) {
				ref_log(REF_NOTICE, "server reached MaxRequestWorkers "
				    "setting, consider raising the MaxRequestWorkers "
				    "setting");
				s->reached = 1;
			}
			s->spawn_rate = 1;
		} else {
			spawn_some(s, free_slots, room);
			if (s->spawn_rate < MAX_SPAWN_RATE) {
				s->spawn_rate *= 2;
			}
		}
	} else {
		s->spawn_rate = 1;
	}
}

static void
start_children(struct server *s)
{
	int limit = slot_limit(s->conf), i;

	s->remaining = s->conf->start;
	for (i = 0; i < limit && s->remaining > 0 && !s->fatal; i++) {
		if (s->kids[i].pid == 0 && make_child(s, i) == 0) {
			s->remaining--;
		}
	}
}

static void
reload(struct server *s)
{
	struct ref_conf *nc = hconf_xcalloc(1, sizeof(*nc));
	int i;

	ref_log(REF_NOTICE, "SIGHUP received: reading %s again", s->o->config);
	if (ref_conf_load(s->o, nc, s->conf) != 0) {
		ref_log(REF_ERR, "the new configuration is not usable; keeping "
		    "the running one");
		free(nc);
		return;
	}
	if (nc->mpm != s->conf->mpm) {
		ref_log(REF_ERR, "the MPM cannot be changed during restart "
		    "(httpd exits here, AH00534); keeping %s",
		    rules_mpm_name(s->conf->mpm));
		ref_conf_free(nc);
		free(nc);
		return;
	}
	if (ref_listen_open(nc, s->conf) != 0) {
		ref_log(REF_ERR, "keeping the running configuration");
		ref_conf_free(nc);
		free(nc);
		return;
	}
	/* ServerLimit is kept (ref_conf_load), so kids[] keeps its size. */
	ref_listen_close(s->conf);
	ref_conf_free(s->conf);
	free(s->conf);
	s->conf = nc;
	s->gen++;
	atomic_store(&s->sb.g->generation, s->gen);
	atomic_store(&s->sb.g->restart_time, (long long)time(NULL));
	ref_sb_configure(&s->sb, nc);
	s->spawn_rate = 1;
	s->reached = 0;
	if (!s->o->one_process) {
		for (i = 0; i < nc->server_limit; i++) {
			stop_child(s, i);
		}
		start_children(s);
	}
	ref_log(REF_NOTICE, "%s (%s) configured, generation %d -- resuming "
	    "normal operations", REF_SERVER, rules_mpm_name(nc->mpm), s->gen);
}

static void
stop(struct server *s)
{
	int64_t grace = s->conf->graceful_ms > 0 ? s->conf->graceful_ms :
	    STOP_GRACE_MS;
	int64_t deadline = ref_now_ms() + grace, killed_at = 0;
	int i, hard = 0;

	s->stopping = 1;
	ref_log(REF_NOTICE, "stopping gracefully (at most %lld s)",
	    (long long)(grace / 1000));
	ref_listen_close(s->conf);
	for (i = 0; i < s->conf->server_limit; i++) {
		stop_child(s, i);
	}
	while (nkids(s) > 0) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		int sig = sigtimedwait(&parent_sigs, NULL, &ts);
		int64_t now = ref_now_ms();

		reap(s);
		if ((sig == SIGTERM || sig == SIGINT) && !hard) {
			ref_log(REF_NOTICE, "second stop signal: stopping now");
			hard = 1;
		}
		if (!hard && now >= deadline) {
			ref_log(REF_NOTICE, "graceful stop timed out");
			hard = 1;
		}
		if (hard && killed_at == 0) {
			for (i = 0; i < s->conf->server_limit; i++) {
				if (s->kids[i].pid > 0) {
					kill(s->kids[i].pid, SIGTERM);
				}
			}
			killed_at = now;
		}
		if (killed_at != 0 && now - killed_at > 3000) {
			for (i = 0; i < s->conf->server_limit; i++) {
				if (s->kids[i].pid > 0) {
					kill(s->kids[i].pid, SIGKILL);
				}
			}
		}
	}
}

/* -X: this process is the only child; SIGHUP reloads in between. */
static int
run_one(struct server *s)
{
	int rc = 0;

	for (;;) {
		struct ref_child ch;

		memset(&ch, 0, sizeof(ch));
		ch.conf = s->conf;
		ch.sb = &s->sb;
		ch.slot = 0;
		ch.one_process = 1;
		ch.quit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ch.quit_fd < 0) {
			ref_log(REF_ERR, "eventfd: %s", strerror(errno));
			return 1;
		}
		ref_sb_slot_init(&s->sb, 0, s->gen, s->conf->threads);
		atomic_store(&s->sb.p[0].pid, (int)getpid());
		rc = ref_child_run(&ch);
		close(ch.quit_fd);
		ref_sb_slot_clear(&s->sb, 0);
		if (!atomic_load(&ch.reload) || rc != 0) {
			break;
		}
		reload(s);
	}
	return rc == REF_EXIT_CHILDFATAL ? 1 : rc;
}

int
ref_server_run(const struct ref_opts *o, struct ref_conf *c)
{
	struct server s;
	int64_t next_tick;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.o = o;
	/* The server owns the configuration from here: a reload replaces it. */
	s.conf = hconf_xmalloc(sizeof(*s.conf));
	*s.conf = *c;
	memset(c, 0, sizeof(*c));
	c->docfd = -1;
	c = s.conf;
	s.self = getpid();
	s.spawn_rate = 1;
	block_signals();
	if (ref_sb_create(&s.sb, c->server_limit, c->thread_limit) != 0) {
		ref_log(REF_ERR, "cannot map a scoreboard of %d x %d slots: %s",
		    c->server_limit, c->thread_limit, strerror(errno));
		ref_listen_close(s.conf);
		ref_conf_free(s.conf);
		free(s.conf);
		return 1;
	}
	ref_sb_configure(&s.sb, c);
	s.kids = hconf_xcalloc((size_t)c->server_limit, sizeof(*s.kids));
	ref_log(REF_NOTICE, "%s (%s) configured -- resuming normal operations",
	    REF_SERVER, rules_mpm_name(c->mpm));

	if (o->one_process) {
		rc = run_one(&s);
		ref_listen_close(s.conf);
		goto out;
	}
	start_children(&s);
	next_tick = ref_now_ms() + 1000;
	while (!s.fatal) {
		int64_t now = ref_now_ms(), left = next_tick - now;
		struct timespec ts;
		int sig;

		if (left < 0) {
			left = 0;
		}
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		sig = sigtimedwait(&parent_sigs, NULL, &ts);
		reap(&s);
		if (sig == SIGTERM || sig == SIGINT) {
			ref_log(REF_NOTICE, "caught %s, shutting down",
			    sig == SIGTERM ? "SIGTERM" : "SIGINT");
			break;
		}
		if (sig == SIGHUP || sig == SIGUSR1) {
			reload(&s);
		}
		if (ref_now_ms() >= next_tick) {
			maintenance(&s);
			next_tick = ref_now_ms() + 1000;
		}
	}
	if (s.fatal) {
		rc = 1;
	}
	stop(&s);
out:
	ref_sb_destroy(&s.sb);
	free(s.kids);
	ref_listen_close(s.conf);
	ref_conf_free(s.conf);
	free(s.conf);
	return rc;
}
