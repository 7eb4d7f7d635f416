/*
 * http.c - the HTTP/1.1 side of mpmref, shared by the three process
 * models: the connection loop, one request from its parsed head to its
 * answer (GET and HEAD of static files under DocumentRoot, the two
 * endpoints) and keep-alive.  req.c reads request heads, path.c resolves
 * paths, resp.c writes.  It never waits for input: a connection that
 * needs more bytes goes back to its model, which waits its own way.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

void
ref_wctx_init(struct ref_wctx *w, const struct ref_conf *c, struct ref_sb *sb,
    struct sb_worker *ws, int quit_fd, const atomic_int *quitting)
{
	*w = (struct ref_wctx){
		.conf = c, .sb = sb, .ws = ws, .quit_fd = quit_fd,
		.quitting = quitting,
		.inbuf = hconf_xmalloc(REF_HEAD_MAX + 1),
		.obuf = hconf_xmalloc(REF_OBUF),
	};
}

void
ref_wctx_free(struct ref_wctx *w)
{
	free(w->inbuf);
	free(w->obuf);
	w->inbuf = w->obuf = NULL;
}

/* ---- one request ---------------------------------------------------- */

/* ms=N in a query string; -1 when absent or invalid. */
static long
query_ms(const char *q)
{
	while (q != NULL && *q != '\0') {
		if (strncmp(q, "ms=", 3) == 0) {
			char *end;
			long v;

			if (!isdigit((unsigned char)q[3])) {
				return -1;
			}
			errno = 0;
			v = strtol(q + 3, &end, 10);
			if (errno != 0 || (*end != '\0' && *end != '&')) {
				return -1;
			}
			return v;
		}
		q = strchr(q, '&');
		if (q != NULL) {
			q++;
		}
	}
	return -1;
}

static void
sleep_ms(long ms)
{
	int64_t end = ref_now_ms() + ms;
	int64_t left;

	while ((left = end - ref_now_ms()) > 0) {
		struct timespec ts;

		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/*
 * Read and drop len body bytes from the socket.  Timeout bounds the
 * whole body, not each wait: a body dripped a byte at a time cannot hold
 * the worker longer.  Returns 0, 1 when Timeout ran out, -1 when the
 * client went away.
 */
static int
discard_body(struct ref_wctx *w, struct ref_conn *c, long long len)
{
	int64_t end = ref_now_ms() + w->conf->timeout_ms;

	while (len > 0) {
		int64_t left;

		ssize_t r = recv(c->fd, w->obuf, (size_t)(len < REF_OBUF ? len :
		    REF_OBUF), 0);

		if (r > 0) {
			len -= r;
			continue;
		}
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			return -1;
		}
		left = end - ref_now_ms();
		if (left <= 0) {
			return 1;
		}
		r = ref_wait_fd(c->fd, POLLIN, -1, left);
		if (r < 0) {
			return -1;
		}
		if (r == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * The body of r: the part that came with the head is dropped from the
 * buffer along with it (*used grows), the rest is read and dropped.
 * Returns 0, a status to answer before closing (501, 413, 408), or -1
 * when the client is gone.
 */
static int
take_body(struct ref_wctx *w, struct ref_conn *c, const struct req *r,
    uint32_t *used)
{
	long long avail, take;
	int st;

	if (r->te) {
		return 501;
	}
	if (r->clen > REF_BODY_MAX) {
		return 413;
	}
	if (r->clen <= 0) {
		return 0;
	}
	avail = (long long)(c->len - *used);
	take = avail < r->clen ? avail : r->clen;
	*used += (uint32_t)take;
	if (take < r->clen) {
		st = discard_body(w, c, r->clen - take);
		if (st > 0) {
			/* Timeout ran out on the body. */
			c->short_linger = 1;
			return 408;
		}
		if (st < 0) {
			return -1;
		}
	}
	return 0;
}

/* Whether the connection stays open after answering r. */
static int
keep_alive(const struct ref_wctx *w, const struct ref_conn *c,
    const struct req *r)
{
	const struct ref_conf *cf = w->conf;

	return cf->keepalive && cf->ka_timeout_ms > 0 && !r->conn_close &&
	    (r->minor >= 1 || r->conn_ka) &&
	    (cf->ka_max == 0 || (int)c->nreq < cf->ka_max) &&
	    !(w->quitting != NULL && atomic_load(w->quitting));
}

/* 0 for GET and HEAD, 405 for another method httpd knows, else 501. */
static int
method_status(const struct req *r)
{
	static const char *const known[] = {"POST", "PUT", "DELETE",
	    "OPTIONS", "PATCH", "TRACE", "CONNECT", NULL};
	int i, is_known = 0;

	if ((r->mlen == 3 && memcmp(r->method, "GET", 3) == 0) || r->head) {
		return 0;
	}
	for (i = 0; known[i] != NULL; i++) {
		is_known |= strcmp(r->method, known[i]) == 0;
	}
	return is_known ? 405 : 501;
}

/*
 * The path of r's target, decoded and resolved into path (cap bytes):
 * origin-form, or absolute-form with the authority cut.  *query is set
 * to what follows '?' (NUL-terminated in place), or NULL.  Returns 0 or
 * an HTTP status.
 */
static int
request_path(const struct req *r, char *path, size_t cap, char **query)
{
	char *target = r->target;
	size_t tlen = r->tlen;

	if (tlen > 7 && (strncasecmp(target, "http://", 7) == 0 ||
	    strncasecmp(target, "https://", 8) == 0)) {
		char *s = strchr(target + (target[4] == ':' ? 7 : 8), '/');

		if (s == NULL) {
			target = (char *)"/";
			tlen = 1;
		} else {
			tlen -= (size_t)(s - target);
			target = s;
		}
	}
	*query = memchr(target, '?', tlen);
	if (*query != NULL) {
		tlen = (size_t)(*query - target);
		*(*query)++ = '\0';
	}
	if (memchr(target, '#', tlen) != NULL) {
		return 400;
	}
	return ref_clean_path(target, tlen, path, cap);
}

/* /server-status: mod_status's text.  Returns the body (caller frees). */
static char *
serve_status(struct ref_wctx *w, const struct req *r, struct resp *rp)
{
	char host[256], *body;
	size_t hl = r->host ? r->hostlen : 0, len;

	/* mod_status's first line is the server name. */
	if (hl > 0 && r->host[0] != '[') {
		const char *colon = memchr(r->host, ':', hl);

		if (colon != NULL) {
			hl = (size_t)(colon - r->host);
		}
	}
	snprintf(host, sizeof(host), "%.*s", (int)(hl > 200 ? 200 : hl),
	    hl > 0 ? r->host : "localhost");
	body = ref_sb_status(w->sb, host, &len);
	rp->body = body;
	rp->blen = (long long)len;
	rp->ctype = "text/plain; charset=ISO-8859-1";
	return body;
}

/*
 * /__mpmref/sleep?ms=N: answer after N ms.  Returns 0 with *body set
 * (caller frees), or 400.
 */
static int
serve_sleep(struct ref_wctx *w, const char *query, struct resp *rp,
    char **body)
{
	long ms = query_ms(query);
	char *msg;

	if (ms < 0 || ms > REF_SLEEP_MAX) {
		return 400;
	}
	ref_set_status(w, SB_WRITE);
	sleep_ms(ms);
	msg = hconf_xmalloc(64);
	snprintf(msg, 64, "slept %ld ms\n", ms);
	*body = msg;
	rp->body = msg;
	rp->blen = (long long)strlen(msg);
	rp->ctype = "text/plain";
	return 0;
}

/*
 * /__mpmref/crash, only with --crash-endpoint (mpmref --compare's crash
 * isolation test): end this process as a segmentation fault in a
 * module would, without a core file.  In prefork only this request's
 * process goes; in worker and event every thread of the process does.
 */
static void
ref_crash(void)
{
	struct rlimit rl = { 0, 0 };
	sigset_t set;

	ref_log(REF_NOTICE, "/__mpmref/crash: ending this process "
	    "(--crash-endpoint)");
	setrlimit(RLIMIT_CORE, &rl);
	signal(SIGSEGV, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGSEGV);
	_exit(139);
}

/*
 * A file under DocumentRoot: returns 0 with rp->fd open, or an error
 * status; for a 301, loc (cap bytes) holds the Location.
 */
static int
serve_file(const struct ref_conf *cf, char *path, const char *query,
    struct resp *rp, char *loc, size_t cap)
{
	struct stat sbuf;
	int st, fd = -1;

	st = ref_open_path(cf, path, &fd, &sbuf);
	if (st == 301) {
		/* The path is decoded: encode it again.  The query
		 * is the client's own, already free of controls. */
		size_t ll = ref_uri_escape(path, loc, cap);

		if (ll == 0 || (size_t)snprintf(loc + ll, cap - ll,
		    "/%s%s", query ? "?" : "", query ? query : "") >=
		    cap - ll) {
			st = 414;
		}
	}
	if (st != 200) {
		return st;
	}
	rp->fd = fd;
	rp->blen = (long long)sbuf.st_size;
	rp->mtime = (long long)sbuf.st_mtime;
	/* A path ending in '/' was answered by its index.html. */
	rp->ctype = path[strlen(path) - 1] == '/' ? "text/html" :
	    ref_mime_type(path);
	return 0;
}

/*
 * Answer a GET or HEAD of path: one of the two endpoints, or a file.
 * Returns 0 when the response went out, -1 when the client is gone, or
 * an error status to answer instead (a 301's Location is in loc).
 */
static int
answer(struct ref_wctx *w, struct ref_conn *c, const struct req *r,
    int keep, char *path, const char *query, char *loc, size_t cap)
{
	struct resp rp;
	char *dyn = NULL;
	int st = 0;

	memset(&rp, 0, sizeof(rp));
	rp.status = 200;
	rp.fd = -1;
	rp.mtime = -1;
	rp.keep = keep;
	rp.head = r->head;
	if (strcmp(path, "/server-status") == 0) {
		dyn = serve_status(w, r, &rp);
	} else if (strcmp(path, "/__mpmref/sleep") == 0) {
		st = serve_sleep(w, query, &rp, &dyn);
	} else if (strcmp(path, "/__mpmref/crash") == 0 &&
	    w->conf->crash_endpoint) {
		ref_crash();
	} else {
		st = serve_file(w->conf, path, query, &rp, loc, cap);
	}
	if (st != 0) {
		return st;
	}
	st = ref_respond(w, c, &rp);
	if (rp.fd >= 0) {
		close(rp.fd);
	}
	free(dyn);
	return st != 0 ? -1 : 0;
}

/*
 * Drop the answered request (used bytes, body included) from the
 * buffer: a pipelined request that came after it now starts it.
 */
static void
next_request(struct ref_conn *c, uint32_t used)
{
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->hstart = c->scan = c->line = 0;
	c->nfields = 0;
	c->have_line = 0;
	c->nblank = 0;
}

/*
 * Answer the request whose head is the first hlen bytes at hstart, then
 * drop it (and its body) from the buffer.  Returns 1 to keep the
 * connection, 0 to close it lingering, -1 to close it at once (the
 * client is gone).
 */
static int
one_request(struct ref_wctx *w, struct ref_conn *c, uint32_t hlen)
{
	struct req r;
	uint32_t used = c->hstart + hlen;
	char path[REF_LINE_MAX + 2];
	char loc[REF_LOCATION_MAX + 1];
	char *query = NULL;
	int st, keep;

	ref_set_status(w, SB_WRITE);
	st = ref_parse_head(c->buf + c->hstart, hlen, &r);
	if (st != 0) {
		return ref_respond_error(w, c, st, 0, 0, NULL, NULL) == 0 ? 0 :
		    -1;
	}
	st = take_body(w, c, &r, &used);
	if (st < 0) {
		return -1;
	}
	if (st > 0) {
		return ref_respond_error(w, c, st, 0, r.head, NULL, NULL) == 0 ?
		    0 : -1;
	}
	keep = keep_alive(w, c, &r);
	st = method_status(&r);
	if (st == 0) {
		st = request_path(&r, path, sizeof(path), &query);
	}
	if (st == 0) {
		st = answer(w, c, &r, keep, path, query, loc, sizeof(loc));
		if (st < 0) {
			return -1;
		}
	}
	if (st != 0) {
		if (ref_respond_error(w, c, st, keep, r.head, st == 405 ?
		    "GET, HEAD" : NULL, st == 301 ? loc : NULL) != 0) {
			return -1;
		}
		if (ref_status_closes(st)) {
			return 0;
		}
	}
	c->nreq++;
	if (!keep) {
		/* Requests the client already sent are left to the
		 * lingering close. */
		return 0;
	}
	next_request(c, used);
	return 1;
}

/* ---- the connection loop -------------------------------------------- */

void
ref_conn_release(struct ref_conn *c)
{
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

/* Make room for input: drop consumed bytes, or grow a private buffer. */
static void
make_room(struct ref_conn *c)
{
	if (c->hstart > 0) {
		memmove(c->buf, c->buf + c->hstart, c->len - c->hstart);
		c->len -= c->hstart;
		c->scan -= c->hstart;
		c->line -= c->hstart;
		c->hstart = 0;
	} else if (c->cap < REF_HEAD_MAX + 1) {
		uint32_t ncap = c->cap * 2 > REF_HEAD_MAX + 1 ? REF_HEAD_MAX + 1 :
		    c->cap * 2;

		c->buf = hconf_xrealloc(c->buf, ncap);
		c->cap = ncap;
	}
}

enum ref_step
ref_http_run(struct ref_wctx *w, struct ref_conn *c, int detach)
{
	const struct ref_conf *cf = w->conf;
	enum ref_step step;

	if (c->buf == NULL) {
		c->buf = w->inbuf;
		c->cap = REF_HEAD_MAX + 1;
		c->len = 0;
	}
	for (;;) {
		int h = ref_head_scan(c);
		ssize_t n;

		if (h < 0) {
			ref_set_status(w, SB_WRITE);
			step = ref_respond_error(w, c, -h, 0, 0, NULL, NULL) == 0 ?
			    REF_STEP_LINGER : REF_STEP_CLOSE;
			break;
		}
		if (h > 0) {
			int k = one_request(w, c, (uint32_t)h);

			if (k <= 0) {
				step = k == 0 ? REF_STEP_LINGER : REF_STEP_CLOSE;
				break;
			}
			c->req_deadline = 0;
			if (c->len == 0) {
				step = REF_STEP_KEEPALIVE;
				break;
			}
			continue;    /* a pipelined request */
		}
		if (c->len == c->cap) {
			make_room(c);
		}
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (n > 0) {
			if (c->req_deadline == 0) {
				/* Timeout runs from the first byte of a request
				 * (of a new connection: from the accept). */
				c->req_deadline = ref_now_ms() + cf->timeout_ms;
			}
			c->len += (uint32_t)n;
			ref_set_status(w, SB_READ);
			continue;
		}
		if (n == 0) {
			step = REF_STEP_CLOSE;
			break;
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (c->len == 0 && c->nreq > 0) {
				step = REF_STEP_KEEPALIVE;
				break;
			}
			if (c->req_deadline == 0) {
				c->req_deadline = ref_now_ms() + cf->timeout_ms;
			} else if (c->len > 0 && ref_now_ms() >= c->req_deadline) {
				/* Dripping bytes does not extend Timeout: it covers
				 * the whole head. */
				c->short_linger = 1;
				step = ref_respond_error(w, c, 408, 0, 0, NULL, NULL) == 0 ?
				    REF_STEP_LINGER : REF_STEP_CLOSE;
				break;
			}
			step = REF_STEP_READ;
			break;
		}
		step = REF_STEP_CLOSE;
		break;
	}
	if (c->buf == w->inbuf) {
		if (step == REF_STEP_CLOSE || step == REF_STEP_LINGER ||
		    c->len == 0) {
			c->buf = NULL;
			c->len = c->cap = 0;
			c->hstart = c->scan = c->line = 0;
		} else if (detach) {
			uint32_t cap = c->len < 1024 ? 1024 : c->len;
			char *p = hconf_xmalloc(cap);

			memcpy(p, c->buf, c->len);
			c->buf = p;
			c->cap = cap;
		}
	} else if (step == REF_STEP_CLOSE || step == REF_STEP_LINGER ||
	    c->len == 0) {
		ref_conn_release(c);
		c->hstart = c->scan = c->line = 0;
	}
	return step;
}

void
ref_serve_blocking(struct ref_wctx *w, int fd)
{
	const struct ref_conf *cf = w->conf;
	struct ref_conn c;

	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.req_deadline = ref_now_ms() + cf->timeout_ms;
	ref_sock_setup(fd);
	ref_set_status(w, SB_READ);
	for (;;) {
		enum ref_step step = ref_http_run(w, &c, 0);
		int r;

		if (step == REF_STEP_CLOSE) {
			close(fd);
			return;
		}
		if (step == REF_STEP_LINGER) {
			break;
		}
		if (step == REF_STEP_KEEPALIVE) {
			ref_set_status(w, SB_KEEPALIVE);
			r = ref_wait_fd(fd, POLLIN, w->quit_fd, cf->ka_timeout_ms);
			if (r != 1) {
				/* KeepAliveTimeout, or stopping: a request may be
				 * on its way, so linger. */
				break;
			}
			ref_set_status(w, SB_READ);
			continue;
		}
		/* Part of a request, or none yet on a new connection: a stop
		 * does not cut it short; Timeout does. */
		r = ref_wait_fd(fd, POLLIN, -1, c.req_deadline - ref_now_ms());
		if (r == 0) {
			ref_http_timeout(&c);   /* c.buf is w->inbuf here */
			c.short_linger = 1;
			break;
		}
		if (r < 0) {
			break;
		}
	}
	ref_set_status(w, SB_CLOSING);
	ref_linger_close(fd, w->obuf, REF_OBUF, c.short_linger);
}
