/*
 * ref.h - mpmref internals (refserver/ only; nothing else includes it):
 * the settings mpmref runs with, the shared-memory scoreboard, the HTTP
 * layer shared by the three process models, and the models themselves.
 * The MPM numbers come from rules_lint(); this header never recomputes
 * them.
 */
#ifndef REF_H
#define REF_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "rules.h"

#define REF_VERSION HCONF_VERSION
#define REF_SERVER "mpmref/" REF_VERSION

/* Request limits (httpd: LimitRequestLine, LimitRequestFieldSize, -Fields). */
#define REF_LINE_MAX 8190
#define REF_FIELDS_MAX 100
#define REF_HEAD_MAX 65536           /* a whole request head */
#define REF_BODY_MAX (1024 * 1024)   /* a body mpmref reads and discards */
#define REF_SLEEP_MAX 60000          /* /__mpmref/sleep?ms= bound */
#define REF_SLOTS_MAX (1 << 22)      /* ServerLimit x ThreadLimit bound */
#define REF_BACKLOG 511              /* httpd's ListenBacklog default */
#define REF_LOCATION_MAX 3072         /* a 301 Location, percent-encoded */
/*
 * Lingering close, as httpd's: the write side is shut down and input is
 * read and dropped until the client closes, no read waiting longer than
 * SECONDS_TO_LINGER (2 s) and the whole at most MAX_SECS_TO_LINGER (30 s),
 * or 2 s in all after a read timed out (mod_reqtimeout's short linger).
 */
#define REF_LINGER_READ_MS 2000
#define REF_LINGER_MAX_MS 30000

/* Exit status of a child that cannot initialise: the parent stops. */
#define REF_EXIT_CHILDFATAL 3

/* ---- options and configuration (main.c, conf.c, listen.c) ---------- */

/*
 * mpmref --compare (compare.c): run the comparison driver embedded in
 * the binary (refserver/compare*.py).  Returns the exit status when the
 * driver cannot be started; otherwise it does not return.
 */
int ref_compare_main(int argc, char *argv[]);
/* The driver's text, NUL-terminated (generated from compare*.py). */
extern const unsigned char ref_compare_py[];

struct ref_opts {
	const char *config;          /* the file named on the command line */
	const char *server_root;     /* -d */
	const char *root;            /* --root */
	const char **defines;        /* -D, NULL-terminated */
	size_t ndefines;
	const char **listen;         /* --listen: replaces the Listen lines */
	size_t nlisten;
	const char *pidfile;
	enum rules_mpm force_mpm;    /* --mpm */
	int allow_any;               /* --allow-any-address */
	int one_process;             /* -X */
	int crash_endpoint;          /* --crash-endpoint: /__mpmref/crash */
};

struct ref_listen {
	char *name;                  /* "127.0.0.1:8080", for messages */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int fd;                      /* -1 until opened */
};

struct ref_conf {
	enum rules_mpm mpm;
	struct rules_mpm_eff eff;    /* what httpd would run with */
	/* The numbers the process models use, from eff. */
	int server_limit;            /* scoreboard process slots */
	int thread_limit;            /* scoreboard threads per slot (prefork 1) */
	int threads;                 /* ThreadsPerChild (prefork 1) */
	int capacity;                /* real MaxRequestWorkers */
	int processes;               /* children active at most */
	int start;                   /* children forked at start */
	int min_spare, max_spare;    /* servers (prefork) or threads */
	long long max_conns;         /* MaxConnectionsPerChild, 0: never */
	int arwf;                    /* AsyncRequestWorkerFactor as the gate uses it */
	struct ref_listen *ls;
	size_t nls;
	char *docroot;               /* NULL: no DocumentRoot, every file 404 */
	int docfd;                   /* O_PATH descriptor of docroot, or -1 */
	int keepalive;
	int ka_max;                  /* MaxKeepAliveRequests, 0: unlimited */
	int ka_timeout_ms;
	int timeout_ms;
	int graceful_ms;             /* GracefulShutdownTimeout, 0: default */
	int nerrors;                 /* findings httpd would refuse to start on */
	int crash_endpoint;          /* from ref_opts; never set by the file */
};

/*
 * Read opts->config and fill *c.  Returns 0, -1 on an invalid
 * configuration (messages logged), -2 when the file cannot be read.
 * keep, when not NULL, is the running configuration of a reload: its
 * ServerLimit and ThreadLimit stay, as in httpd.
 */
int ref_conf_load(const struct ref_opts *o, struct ref_conf *c,
    const struct ref_conf *keep);
/* Release what ref_conf_load() allocated; does not close listeners. */
void ref_conf_free(struct ref_conf *c);
/* Print the effective settings (mpmref -t). */
void ref_conf_print(const struct ref_conf *c, FILE *fp);

/*
 * Resolve a Listen argument into one or more addresses appended to
 * *ls.  Returns 0, or -1 after logging why (not loopback, bad port...).
 */
int ref_listen_parse(const char *spec, int allow_any, const char *where,
    struct ref_listen **ls, size_t *n);
/* Open c's listeners, reusing the descriptors of old (may be NULL). */
int ref_listen_open(struct ref_conf *c, struct ref_conf *old);
/* accept4() a non-blocking connection; on a resource shortage log it and
 * back off 100 ms.  Returns the descriptor or -1. */
int ref_listen_accept(int lfd);
void ref_listen_close(struct ref_conf *c);

/* ---- logging (log.c) ------------------------------------------------ */

enum ref_level { REF_ERR, REF_WARN, REF_NOTICE, REF_INFO };

#if defined(__GNUC__)
#define REF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define REF_PRINTF(a, b)
#endif

void ref_log(enum ref_level lvl, const char *fmt, ...) REF_PRINTF(2, 3);
/* Monotonic milliseconds. */
int64_t ref_now_ms(void);

/* ---- scoreboard (sb.c) ---------------------------------------------- */

/* Worker states: the characters mod_status prints. */
#define SB_DEAD '.'
#define SB_STARTING 'S'
#define SB_READY '_'
#define SB_READ 'R'
#define SB_WRITE 'W'
#define SB_KEEPALIVE 'K'
#define SB_CLOSING 'C'
#define SB_GRACEFUL 'G'

struct sb_worker {
	_Atomic unsigned char status;
	_Atomic unsigned long long accesses;
	_Atomic unsigned long long bytes;
};

struct sb_proc {
	_Atomic int pid;
	_Atomic int generation;
	_Atomic int quiescing;
	_Atomic int not_accepting;   /* event: its listener is paused (at
	                              * its connection limit) */
	_Atomic int conns;           /* open connections */
	_Atomic int ka_conns;        /* event: parked keep-alive */
	_Atomic int rd_conns;        /* event: parked, reading a request */
};

struct sb_global {
	int server_limit, thread_limit;
	_Atomic int generation;
	_Atomic long long restart_time;  /* time(NULL) of the last (re)start */
	long long start_time;
	_Atomic unsigned long long accesses; /* of children already reaped */
	_Atomic unsigned long long bytes;
	/* What the status page needs of the running configuration. */
	_Atomic int mpm;
	_Atomic int max_servers;     /* slots shown even when dead */
	_Atomic int threads;
};

struct ref_sb {
	void *base;
	size_t size;
	struct sb_global *g;
	struct sb_proc *p;
	struct sb_worker *w;
};

int ref_sb_create(struct ref_sb *sb, int server_limit, int thread_limit);
void ref_sb_destroy(struct ref_sb *sb);
struct sb_worker *ref_sb_worker(const struct ref_sb *sb, int proc, int th);
/* Publish c's MPM numbers for the status page. */
void ref_sb_configure(struct ref_sb *sb, const struct ref_conf *c);
/* Reset slot proc for a new child of generation gen with n threads. */
void ref_sb_slot_init(struct ref_sb *sb, int proc, int gen, int n);
/* Clear slot proc after its child exited, keeping its counts. */
void ref_sb_slot_clear(struct ref_sb *sb, int proc);
/* Idle workers of live, non-quiescing children of generation gen. */
int ref_sb_idle(const struct ref_sb *sb, int proc, int gen, int nthreads);
/*
 * The /server-status?auto text, as mod_status writes it.  Returns a
 * malloc'd string (caller frees) and sets *len.
 */
char *ref_sb_status(const struct ref_sb *sb, const char *host, size_t *len);

/* ---- HTTP (http.c) -------------------------------------------------- */

/* One client connection. */
struct ref_conn {
	int fd;
	char *buf;                   /* input not yet consumed */
	uint32_t len, cap;
	uint32_t hstart;             /* where the request head starts */
	uint32_t scan;               /* bytes of the head already checked */
	uint32_t line;               /* start of the line being checked */
	uint16_t nfields;
	uint8_t have_line;           /* request line seen */
	uint8_t short_linger;        /* closing after a timeout: linger at
	                              * most REF_LINGER_READ_MS in all, as
	                              * httpd's "short-lingering-close" */
	uint8_t nblank;              /* empty lines before the request line */
	uint32_t nreq;               /* responses sent on this connection */
	int64_t deadline;            /* ms: the model's wait (keep-alive,
	                              * reading, lingering), 0: none */
	int64_t req_deadline;        /* ms: Timeout for the request being
	                              * read, from its first byte, 0: none */
	int64_t linger_end;          /* ms: end of a lingering close */
	/* event: the listener's timeout queues */
	struct ref_conn *prev, *next;
	uint8_t queue;
	uint8_t armed;               /* registered with epoll */
};

/* What a connection needs next. */
enum ref_step {
	REF_STEP_READ,               /* part of a request: wait for more */
	REF_STEP_KEEPALIVE,          /* between requests */
	REF_STEP_CLOSE,              /* the client is gone: close at once */
	REF_STEP_LINGER              /* done: lingering close */
};

/* What a request handler (one thread) owns. */
struct ref_wctx {
	const struct ref_conf *conf;
	struct ref_sb *sb;
	struct sb_worker *ws;
	int quit_fd;                 /* readable once the child stops */
	const atomic_int *quitting;
	char *inbuf;                 /* REF_HEAD_MAX + 1 bytes */
	char *obuf;                  /* response scratch, REF_OBUF bytes */
};
#define REF_OBUF (64 * 1024 + 4096)

void ref_wctx_init(struct ref_wctx *w, const struct ref_conf *c,
    struct ref_sb *sb, struct sb_worker *ws, int quit_fd,
    const atomic_int *quitting);
void ref_wctx_free(struct ref_wctx *w);

/*
 * Read and answer requests on c until it needs to wait.  The socket is
 * non-blocking; writes wait (Timeout) when the socket is full.  With
 * detach, leftover input is moved from the thread's buffer into memory
 * the connection owns, so another thread can go on with it.
 */
enum ref_step ref_http_run(struct ref_wctx *w, struct ref_conn *c,
    int detach);
/* Answer 408 when part of a request came (best effort); the caller
 * then closes, lingering. */
void ref_http_timeout(struct ref_conn *c);
/*
 * Lingering close.  ref_linger_start() shuts the write side down and
 * returns 0, or -1 when the socket is already unusable (close at once).
 * ref_linger_drain() reads and drops what is pending without waiting:
 * 1 when the client may send more, 0 when it closed (or failed).
 * ref_linger_close() does the whole thing with blocking waits, bounded
 * as REF_LINGER_*_MS say (REF_LINGER_READ_MS in all when short), and
 * closes fd.
 */
int ref_linger_start(int fd);
int ref_linger_drain(int fd, char *scratch, size_t cap);
void ref_linger_close(int fd, char *scratch, size_t cap, int short_linger);
/* Release c's own input buffer (not the socket). */
void ref_conn_release(struct ref_conn *c);
/*
 * Serve a connection to the end with blocking waits (prefork, worker):
 * keep-alive holds the thread.  Closes fd.
 */
void ref_serve_blocking(struct ref_wctx *w, int fd);
/* Socket set-up common to accepted connections. */
void ref_sock_setup(int fd);

/* ---- processes (parent.c, prefork.c, worker.c, event.c) ------------- */

/* What a child (or the -X process) runs with. */
struct ref_child {
	const struct ref_conf *conf;
	struct ref_sb *sb;
	int slot;
	int quit_fd;                 /* eventfd, written once on stop */
	atomic_int quitting;
	atomic_int reload;           /* -X: SIGHUP asked for a reload */
	pid_t parent;                /* 0 with -X */
	int one_process;
};

/* Fill *set with the signals listed, the list ending in 0. */
void ref_sigset(sigset_t *set, ...);
/* Run the child's MPM; returns its exit status. */
int ref_child_run(struct ref_child *ch);
/* Ask the child to stop gracefully (async-signal-safe). */
void ref_child_quit(struct ref_child *ch);
/* Block the child's signals before starting threads, which inherit the
 * mask; the main thread takes them.  Outside -X, SIGINT and SIGHUP are
 * the parent's business and are ignored. */
void ref_child_block_signals(const struct ref_child *ch);

int ref_prefork_main(struct ref_child *ch);
int ref_worker_main(struct ref_child *ch);
int ref_event_main(struct ref_child *ch);

/*
 * Threaded children: wait for signals in the main thread until done is
 * set (by the listener, which also sends SIGUSR2 to wake it).
 */
void ref_child_wait(struct ref_child *ch, atomic_int *done);

typedef void ref_worker_fn(void *, struct ref_wctx *);
typedef void *ref_thread_fn(void *);
typedef void ref_stop_fn(void *);

/*
 * What the threads of a worker or event child run, each given the
 * model's state.  A worker thread's scoreboard slot and request context
 * are set up (and taken down) around ops->worker.
 */
struct ref_pool_ops {
	ref_worker_fn *worker;       /* a worker thread's loop */
	ref_thread_fn *listener;     /* the listener thread */
	ref_stop_fn *stop;           /* the workers leave once idle */
	int client_waits;            /* workers wait on clients, and so
	                              * on quit_fd too */
};

/*
 * The threads of a worker or event child (child.c runs them): the model
 * calls ref_pool_run(); its listener calls ref_pool_end() as it leaves.
 */
struct ref_pool {
	struct ref_child *ch;
	const struct ref_pool_ops *ops;
	void *ctx;                   /* the model's state */
	int nthreads;                /* ThreadsPerChild; fewer when one
	                              * could not be created */
	pthread_t *threads;
	pthread_t main_thread;
	atomic_int done;
};

/*
 * Block the signals, start ThreadsPerChild workers and the listener,
 * each given ctx, then wait for signals until the listener is done.
 * When a thread cannot be created the child stops; returns 0 or
 * REF_EXIT_CHILDFATAL.
 */
int ref_pool_run(struct ref_child *ch, struct ref_pool *p,
    const struct ref_pool_ops *ops, void *ctx);
/*
 * A model's stop (ref_pool_ops): set *exiting under mu and wake every
 * worker waiting on cv.
 */
void ref_pool_exit(pthread_mutex_t *mu, pthread_cond_t *cv, int *exiting);
/* The listener's last step: join the workers and wake the main thread. */
void ref_pool_end(struct ref_pool *p);

/*
 * The parent: run the server until it stops; returns the exit status.
 * It takes over *c (listeners open): *c is left empty.
 */
int ref_server_run(const struct ref_opts *o, struct ref_conf *c);

#endif /* REF_H */
