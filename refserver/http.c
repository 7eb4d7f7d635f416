/*
 * http.c - the HTTP/1.1 side of mpmref, shared by the three process
 * models: reading a request head within fixed limits, GET and HEAD of
 * static files under DocumentRoot (never outside it: ".." is resolved
 * before any lookup and every component is opened with O_NOFOLLOW), the
 * two endpoints, and keep-alive.  It never waits for input: a connection
 * that needs more bytes goes back to its model, which waits its own way.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

#define SMALL_FILE (64 * 1024)   /* read and sent with the header */
#define HDR_MAX 4096             /* response header space in obuf */

struct req {
	char *method;
	size_t mlen;
	char *target;
	size_t tlen;
	const char *host;
	size_t hostlen;
	int minor;                   /* HTTP/1.minor */
	int conn_close, conn_ka;
	int nhost;
	long long clen;              /* -1: no Content-Length */
	int te;                      /* Transfer-Encoding present */
	int head;                    /* HEAD */
};

struct resp {
	int status;
	const char *ctype;
	const char *body;            /* in-memory body, or NULL */
	long long blen;
	int fd;                      /* file body, or -1 */
	long long mtime;             /* Last-Modified, or -1 */
	const char *location;        /* 301 */
	const char *allow;           /* 405 */
	int keep;
	int head;
};

/* ---- small helpers -------------------------------------------------- */

void
ref_sock_setup(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void
ref_wctx_init(struct ref_wctx *w, const struct ref_conf *c, struct ref_sb *sb,
    struct sb_worker *ws, int quit_fd, const atomic_int *quitting)
{
	memset(w, 0, sizeof(*w));
	w->conf = c;
	w->sb = sb;
	w->ws = ws;
	w->quit_fd = quit_fd;
	w->quitting = quitting;
	w->inbuf = hconf_xmalloc(REF_HEAD_MAX + 1);
	w->obuf = hconf_xmalloc(REF_OBUF);
}

void
ref_wctx_free(struct ref_wctx *w)
{
	free(w->inbuf);
	free(w->obuf);
	w->inbuf = w->obuf = NULL;
}

static void
set_status(struct ref_wctx *w, int st)
{
	if (w->ws != NULL) {
		atomic_store_explicit(&w->ws->status, (unsigned char)st,
		    memory_order_relaxed);
	}
}

/* The Date header value, formatted at most once a second per thread. */
static const char *
http_date(void)
{
	static _Thread_local time_t last = -1;
	static _Thread_local char buf[40];
	time_t now = time(NULL);

	if (now != last) {
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		last = now;
	}
	return buf;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Request Entity Too Large";
	case 414: return "Request-URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

/* Errors after which the connection cannot go on. */
static int
closes(int status)
{
	return status == 400 || status == 408 || status == 413 ||
	    status == 414 || status == 431 || status == 500 || status == 501 ||
	    status == 503 || status == 505;
}

static const char *
mime_type(const char *path)
{
	static const char *const map[][2] = {
		{"html", "text/html"}, {"htm", "text/html"},
		{"txt", "text/plain"}, {"css", "text/css"},
		{"js", "text/javascript"}, {"json", "application/json"},
		{"xml", "application/xml"}, {"svg", "image/svg+xml"},
		{"png", "image/png"}, {"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"}, {"gif", "image/gif"},
		{"ico", "image/vnd.microsoft.icon"}, {"pdf", "application/pdf"},
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot != NULL && strchr(dot, '/') == NULL) {
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			if (strcasecmp(dot + 1, map[i][0]) == 0) {
				return map[i][1];
			}
		}
	}
	return "application/octet-stream";
}

/*
 * Wait until fd is ready for events, at most ms.  Returns 1 when ready,
 * 0 on timeout, -1 when quit_fd (if >= 0) became readable or poll failed.
 */
static int
wait_fd(int fd, short events, int quit_fd, int64_t ms)
{
	struct pollfd p[2];
	int64_t end = ref_now_ms() + ms;

	p[0].fd = fd;
	p[0].events = events;
	p[1].fd = quit_fd;
	p[1].events = POLLIN;
	for (;;) {
		int64_t left = end - ref_now_ms();
		int r;

		if (left < 0) {
			left = 0;
		}
		r = poll(p, quit_fd >= 0 ? 2 : 1, (int)(left > 1000000 ? 1000000 :
		    left));
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r < 0) {
			return -1;
		}
		if (quit_fd >= 0 && (p[1].revents & POLLIN)) {
			return -1;
		}
		if (r > 0) {
			return 1;
		}
		if (left == 0) {
			return 0;
		}
	}
}

/* Send everything in iov, waiting (Timeout) when the socket is full. */
static int
send_all(struct ref_wctx *w, int fd, struct iovec *iov, int n, int more)
{
	while (n > 0) {
		struct msghdr m;
		ssize_t r;

		memset(&m, 0, sizeof(m));
		m.msg_iov = iov;
		m.msg_iovlen = (size_t)n;
		r = sendmsg(fd, &m, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    wait_fd(fd, POLLOUT, -1, w->conf->timeout_ms) == 1) {
				continue;
			}
			return -1;
		}
		while (n > 0 && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

static int
send_file(struct ref_wctx *w, int sock, int fd, long long len)
{
	off_t off = 0;

	while ((long long)off < len) {
		ssize_t r = sendfile(sock, fd, &off, (size_t)(len - off >
		    (1 << 30) ? (1 << 30) : len - off));

		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    wait_fd(sock, POLLOUT, -1, w->conf->timeout_ms) == 1) {
				continue;
			}
			return -1;
		}
		if (r == 0) {
			return -1;   /* the file shrank */
		}
	}
	return 0;
}

/*
 * Lingering close.  Closing a socket that still holds unread input (a
 * pipelined request, a body, a request sent just as keep-alive ended)
 * makes the kernel send a reset, which can destroy the response in
 * flight and makes clients such as ab give up.  So, as httpd does: shut
 * the write side down (the client sees the end of the response), then
 * read and drop input until the client closes, within the bounds of
 * REF_LINGER_READ_MS and REF_LINGER_MAX_MS.
 */
int
ref_linger_start(int fd)
{
	return shutdown(fd, SHUT_WR) == 0 ? 0 : -1;
}

int
ref_linger_drain(int fd, char *scratch, size_t cap)
{
	int i;

	/* Bounded, so that one client cannot hold the event listener. */
	for (i = 0; i < 64; i++) {
		ssize_t r = recv(fd, scratch, cap, MSG_DONTWAIT);

		if (r > 0 || (r < 0 && errno == EINTR)) {
			continue;
		}
		return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
	return 1;
}

void
ref_linger_close(int fd, char *scratch, size_t cap, int short_linger)
{
	int64_t end = ref_now_ms() + (short_linger ? REF_LINGER_READ_MS :
	    REF_LINGER_MAX_MS);

	if (ref_linger_start(fd) == 0) {
		while (ref_linger_drain(fd, scratch, cap)) {
			int64_t left = end - ref_now_ms();

			if (left <= 0 || wait_fd(fd, POLLIN, -1,
			    left < REF_LINGER_READ_MS ? left :
			    REF_LINGER_READ_MS) != 1) {
				break;
			}
		}
	}
	close(fd);
}

/* ---- responses ------------------------------------------------------ */

static int
respond(struct ref_wctx *w, struct ref_conn *c, struct resp *rp)
{
	const struct ref_conf *cf = w->conf;
	char *h = w->obuf;
	size_t n = 0, cap = HDR_MAX;
	struct iovec iov[2];
	int niov = 1, r;

	n += (size_t)snprintf(h + n, cap - n, "HTTP/1.1 %d %s\r\nDate: %s\r\n"
	    "Server: %s\r\n", rp->status, reason(rp->status), http_date(),
	    REF_SERVER);
	if (rp->mtime >= 0) {
		time_t t = (time_t)rp->mtime;
		struct tm tm;

		gmtime_r(&t, &tm);
		n += strftime(h + n, cap - n,
		    "Last-Modified: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
	}
	if (rp->location != NULL) {
		/* Percent-encoded and at most REF_LOCATION_MAX bytes. */
		n += (size_t)snprintf(h + n, cap - n, "Location: %s\r\n",
		    rp->location);
	}
	if (rp->allow != NULL) {
		n += (size_t)snprintf(h + n, cap - n, "Allow: %s\r\n", rp->allow);
	}
	n += (size_t)snprintf(h + n, cap - n, "Content-Length: %lld\r\n",
	    rp->blen);
	if (rp->keep) {
		int left = cf->ka_max - (int)c->nreq;

		if (cf->ka_max > 0) {
			n += (size_t)snprintf(h + n, cap - n, "Keep-Alive: "
			    "timeout=%d, max=%d\r\nConnection: Keep-Alive\r\n",
			    cf->ka_timeout_ms / 1000, left);
		} else {
			n += (size_t)snprintf(h + n, cap - n, "Keep-Alive: "
			    "timeout=%d\r\nConnection: Keep-Alive\r\n",
			    cf->ka_timeout_ms / 1000);
		}
	} else {
		n += (size_t)snprintf(h + n, cap - n, "Connection: close\r\n");
	}
	n += (size_t)snprintf(h + n, cap - n, "Content-Type: %s\r\n\r\n",
	    rp->ctype);
	if (n >= cap) {
		return -1;
	}
	set_status(w, SB_WRITE);
	iov[0].iov_base = h;
	iov[0].iov_len = n;
	if (rp->head || rp->blen == 0) {
		r = send_all(w, c->fd, iov, 1, 0);
	} else if (rp->fd < 0) {
		iov[1].iov_base = (void *)rp->body;
		iov[1].iov_len = (size_t)rp->blen;
		niov = 2;
		r = send_all(w, c->fd, iov, niov, 0);
	} else if (rp->blen <= SMALL_FILE) {
		char *b = w->obuf + HDR_MAX;
		ssize_t got = 0;

		while (got < rp->blen) {
			ssize_t k = pread(rp->fd, b + got, (size_t)(rp->blen - got),
			    got);

			if (k < 0 && errno == EINTR) {
				continue;
			}
			if (k <= 0) {
				return -1;
			}
			got += k;
		}
		iov[1].iov_base = b;
		iov[1].iov_len = (size_t)rp->blen;
		r = send_all(w, c->fd, iov, 2, 0);
	} else {
		r = send_all(w, c->fd, iov, 1, 1);
		if (r == 0) {
			r = send_file(w, c->fd, rp->fd, rp->blen);
		}
	}
	if (w->ws != NULL) {
		atomic_fetch_add_explicit(&w->ws->accesses, 1,
		    memory_order_relaxed);
		if (!rp->head) {
			atomic_fetch_add_explicit(&w->ws->bytes,
			    (unsigned long long)rp->blen, memory_order_relaxed);
		}
	}
	return r;
}

static int
respond_error(struct ref_wctx *w, struct ref_conn *c, int status, int keep,
    int head, const char *allow, const char *location)
{
	char body[256];
	struct resp rp;
	int n;

	n = snprintf(body, sizeof(body), "<!DOCTYPE HTML PUBLIC \"-//IETF//"
	    "DTD HTML 2.0//EN\">\n<html><head>\n<title>%d %s</title>\n"
	    "</head><body>\n<h1>%s</h1>\n</body></html>\n", status,
	    reason(status), reason(status));
	memset(&rp, 0, sizeof(rp));
	rp.status = status;
	rp.ctype = "text/html; charset=iso-8859-1";
	rp.body = body;
	rp.blen = n;
	rp.fd = -1;
	rp.mtime = -1;
	rp.allow = allow;
	rp.location = location;
	rp.keep = keep && !closes(status);
	rp.head = head;
	return respond(w, c, &rp);
}

/* ---- request parsing ------------------------------------------------ */

static int
tchar(int ch)
{
	return isalnum(ch) || (ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/*
 * Scan new input for the end of the request head, checking each line
 * as it completes.  Returns the head's length from hstart, 0 when more
 * input is needed, or -status.
 */
static int
head_scan(struct ref_conn *c)
{
	while (c->scan < c->len) {
		char *nl = memchr(c->buf + c->scan, '\n', c->len - c->scan);
		uint32_t end, ll;

		if (nl == NULL) {
			c->scan = c->len;
			break;
		}
		end = (uint32_t)(nl - c->buf);
		ll = end - c->line;
		if (ll > 0 && c->buf[end - 1] == '\r') {
			ll--;
		}
		if (ll > REF_LINE_MAX) {
			return c->have_line ? -400 : -414;
		}
		c->scan = end + 1;
		if (ll == 0) {
			if (!c->have_line) {
				/* RFC 9112 2.2: empty lines before a request. */
				if (++c->nblank > 8) {
					return -400;
				}
				c->hstart = c->line = c->scan;
				continue;
			}
			return (int)(c->scan - c->hstart);
		}
		if (!c->have_line) {
			c->have_line = 1;
		} else if (++c->nfields > REF_FIELDS_MAX) {
			return -400;
		}
		c->line = c->scan;
	}
	if (c->len - c->line > REF_LINE_MAX + 1) {
		return c->have_line ? -400 : -414;
	}
	if (c->len - c->hstart >= REF_HEAD_MAX) {
		return -431;
	}
	return 0;
}

/* The line at *p, NUL-terminated in place without its CR LF. */
static char *
next_line(char **p, char *end, size_t *len)
{
	char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	char *e;

	if (nl == NULL) {
		return NULL;
	}
	e = nl;
	if (e > s && e[-1] == '\r') {
		e--;
	}
	*e = '\0';
	*len = (size_t)(e - s);
	*p = nl + 1;
	return s;
}

static int
field_value_ok(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			return 0;
		}
	}
	return 1;
}

static int
name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Parse a complete head in place.  Returns 0 or an HTTP status. */
static int
parse_head(char *h, size_t n, struct req *r)
{
	char *p = h, *end = h + n, *line, *sp1, *sp2, *v;
	size_t len, i;

	memset(r, 0, sizeof(*r));
	r->clen = -1;
	if ((line = next_line(&p, end, &len)) == NULL) {
		return 400;
	}
	sp1 = memchr(line, ' ', len);
	if (sp1 == NULL || sp1 == line) {
		return 400;
	}
	for (v = line; v < sp1; v++) {
		if (!tchar((unsigned char)*v)) {
			return 400;
		}
	}
	r->method = line;
	r->mlen = (size_t)(sp1 - line);
	r->target = sp1 + 1;
	sp2 = memchr(r->target, ' ', len - (size_t)(r->target - line));
	if (sp2 == NULL || sp2 == r->target) {
		return 400;         /* HTTP/0.9 or an empty target */
	}
	r->tlen = (size_t)(sp2 - r->target);
	for (i = 0; i < r->tlen; i++) {
		unsigned char ch = (unsigned char)r->target[i];

		if (ch <= 0x20 || ch == 0x7f) {
			return 400;
		}
	}
	v = sp2 + 1;
	if ((size_t)(line + len - v) != 8 || strncmp(v, "HTTP/", 5) != 0 ||
	    !isdigit((unsigned char)v[5]) || v[6] != '.' ||
	    !isdigit((unsigned char)v[7])) {
		return 400;
	}
	if (v[5] != '1') {
		return 505;
	}
	r->minor = v[7] - '0';
	*sp1 = '\0';
	*sp2 = '\0';

	while ((line = next_line(&p, end, &len)) != NULL && len > 0) {
		char *colon = memchr(line, ':', len), *val, *ve;

		if (colon == NULL || colon == line) {
			return 400;   /* also obs-fold and a space before ':' */
		}
		for (v = line; v < colon; v++) {
			if (!tchar((unsigned char)*v)) {
				return 400;
			}
		}
		val = colon + 1;
		ve = line + len;
		while (val < ve && (*val == ' ' || *val == '\t')) {
			val++;
		}
		while (ve > val && (ve[-1] == ' ' || ve[-1] == '\t')) {
			ve--;
		}
		if (!field_value_ok(val, (size_t)(ve - val))) {
			return 400;
		}
		len = (size_t)(colon - line);
		if (name_is(line, len, "host")) {
			r->host = val;
			r->hostlen = (size_t)(ve - val);
			r->nhost++;
		} else if (name_is(line, len, "connection")) {
			char *t = val;

			while (t < ve) {
				char *te = t;

				while (te < ve && *te != ',') {
					te++;
				}
				{
					char *a = t, *b = te;

					while (a < b && (*a == ' ' || *a == '\t')) {
						a++;
					}
					while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
						b--;
					}
					if (name_is(a, (size_t)(b - a), "close")) {
						r->conn_close = 1;
					} else if (name_is(a, (size_t)(b - a),
					    "keep-alive")) {
						r->conn_ka = 1;
					}
				}
				t = te + 1;
			}
		} else if (name_is(line, len, "content-length")) {
			long long cl = 0;

			if (val == ve || ve - val > 18) {
				return 400;
			}
			for (v = val; v < ve; v++) {
				if (!isdigit((unsigned char)*v)) {
					return 400;
				}
				cl = cl * 10 + (*v - '0');
			}
			if (r->clen >= 0 && r->clen != cl) {
				return 400;
			}
			r->clen = cl;
		} else if (name_is(line, len, "transfer-encoding")) {
			r->te = 1;
		}
	}
	if (r->nhost > 1 || (r->minor >= 1 && r->nhost == 0)) {
		return 400;
	}
	r->head = r->mlen == 4 && memcmp(r->method, "HEAD", 4) == 0;
	return 0;
}

/* ---- paths ---------------------------------------------------------- */

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/*
 * Decode %XX in the path p (len bytes) and resolve "." and ".." into
 * out, which then starts with '/' and has no empty, "." or ".."
 * segment.  Returns 0, 400 (bad escape, ".." above the root) or 404
 * (an encoded '/' or NUL, as httpd's AllowEncodedSlashes Off does).
 */
static int
clean_path(const char *p, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;
	char *seg;

	if (len == 0 || p[0] != '/' || len >= cap) {
		return 400;
	}
	for (i = 0; i < len; i++) {
		int ch = (unsigned char)p[i];

		if (ch == '%') {
			int hi, lo;

			if (i + 2 >= len) {
				return 400;
			}
			hi = hexval((unsigned char)p[i + 1]);
			lo = hexval((unsigned char)p[i + 2]);
			if (hi < 0 || lo < 0) {
				return 400;
			}
			ch = hi * 16 + lo;
			if (ch == 0 || ch == '/') {
				return 404;
			}
			i += 2;
		}
		out[o++] = (char)ch;
	}
	out[o] = '\0';

	/* Resolve segments in place: o is the output length. */
	{
		char *r = out, *wp = out;
		int trailing = 0;

		while (*r != '\0') {
			char *e;
			size_t sl;

			while (*r == '/') {
				r++;
			}
			if (*r == '\0') {
				trailing = 1;
				break;
			}
			e = strchr(r, '/');
			sl = e ? (size_t)(e - r) : strlen(r);
			trailing = 0;
			if (sl == 1 && r[0] == '.') {
				trailing = 1;
			} else if (sl == 2 && r[0] == '.' && r[1] == '.') {
				if (wp == out) {
					return 400;
				}
				while (wp > out && wp[-1] != '/') {
					wp--;
				}
				wp--;      /* the '/' before it */
				trailing = 1;
			} else {
				seg = r;
				*wp++ = '/';
				memmove(wp, seg, sl);
				wp += sl;
			}
			r += sl;
		}
		if (wp == out || trailing) {
			*wp++ = '/';
		}
		*wp = '\0';
	}
	return 0;
}

static int
open_errno_status(int e)
{
	return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG ? 404 : 403;
}

/*
 * Open the cleaned path under the document root, one component at a
 * time, refusing symbolic links.  Returns 200 with *fdp open (a regular
 * file), 301 (a directory named without '/'), or an error status.
 */
static int
open_path(const struct ref_conf *cf, char *path, int *fdp, struct stat *st)
{
	int dfd, fd, rc = 200;
	char *seg = path + 1, *slash;

	*fdp = -1;
	if (cf->docfd < 0) {
		return 404;
	}
	dfd = openat(cf->docfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		return 404;
	}
	while ((slash = strchr(seg, '/')) != NULL) {
		*slash = '\0';
		if (strncmp(seg, ".ht", 3) == 0) {
			*slash = '/';
			close(dfd);
			return 403;
		}
		fd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		*slash = '/';
		close(dfd);
		if (fd < 0) {
			return errno == ELOOP ? 403 : open_errno_status(errno);
		}
		dfd = fd;
		seg = slash + 1;
	}
	if (*seg == '\0') {
		/* A directory: its index.html. */
		fd = openat(dfd, "index.html", O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			rc = errno == ENOENT ? 403 : errno == ELOOP ? 403 :
			    open_errno_status(errno);
		}
	} else if (strncmp(seg, ".ht", 3) == 0) {
		fd = -1;
		rc = 403;
	} else {
		fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd < 0) {
			rc = errno == ELOOP ? 403 : open_errno_status(errno);
		}
	}
	close(dfd);
	if (fd < 0) {
		return rc;
	}
	if (fstat(fd, st) != 0) {
		close(fd);
		return 403;
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		return 301;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return 403;
	}
	*fdp = fd;
	return 200;
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
		r = wait_fd(c->fd, POLLIN, -1, left);
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
 * Percent-encode the decoded path p for a Location header: every byte
 * but RFC 3986's unreserved, sub-delims, ':', '@' and '/' becomes %XX,
 * so that no CR, LF, space, '%', '?' or '#' in a file name reaches the
 * header raw.  Returns the length, or 0 when it does not fit in cap.
 */
static size_t
uri_escape(const char *p, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (isalnum(ch) || (ch < 0x80 && strchr("-._~!$&'()*+,;=:@/",
		    ch) != NULL)) {
			if (o + 1 >= cap) {
				return 0;
			}
			out[o++] = (char)ch;
		} else {
			if (o + 3 >= cap) {
				return 0;
			}
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return o;
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
	const struct ref_conf *cf = w->conf;
	struct req r;
	struct resp rp;
	uint32_t used = c->hstart + hlen;
	char path[REF_LINE_MAX + 2];
	char *target, *query;
	size_t tlen;
	int st, keep, fd = -1;
	struct stat sbuf;
	char *dyn = NULL;
	char loc[REF_LOCATION_MAX + 1];

	set_status(w, SB_WRITE);
	st = parse_head(c->buf + c->hstart, hlen, &r);
	if (st != 0) {
		return respond_error(w, c, st, 0, 0, NULL, NULL) == 0 ? 0 : -1;
	}
	if (r.te) {
		return respond_error(w, c, 501, 0, r.head, NULL, NULL) == 0 ?
		    0 : -1;
	}
	if (r.clen > REF_BODY_MAX) {
		return respond_error(w, c, 413, 0, r.head, NULL, NULL) == 0 ?
		    0 : -1;
	}
	if (r.clen > 0) {
		long long avail = (long long)(c->len - used);
		long long take = avail < r.clen ? avail : r.clen;

		used += (uint32_t)take;
		if (take < r.clen) {
			st = discard_body(w, c, r.clen - take);
			if (st > 0) {
				/* Timeout ran out on the body. */
				c->short_linger = 1;
				return respond_error(w, c, 408, 0, r.head, NULL,
				    NULL) == 0 ? 0 : -1;
			}
			if (st < 0) {
				return -1;
			}
		}
	}
	keep = cf->keepalive && cf->ka_timeout_ms > 0 && !r.conn_close &&
	    (r.minor >= 1 || r.conn_ka) &&
	    (cf->ka_max == 0 || (int)c->nreq < cf->ka_max) &&
	    !(w->quitting != NULL && atomic_load(w->quitting));

	if (!(r.mlen == 3 && memcmp(r.method, "GET", 3) == 0) && !r.head) {
		static const char *const known[] = {"POST", "PUT", "DELETE",
		    "OPTIONS", "PATCH", "TRACE", "CONNECT", NULL};
		int i, is_known = 0;

		for (i = 0; known[i] != NULL; i++) {
			is_known |= strcmp(r.method, known[i]) == 0;
		}
		st = is_known ? 405 : 501;
		goto error;
	}

	/* The path: origin-form, or absolute-form with the authority cut. */
	target = r.target;
	tlen = r.tlen;
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
	query = memchr(target, '?', tlen);
	if (query != NULL) {
		tlen = (size_t)(query - target);
		*query++ = '\0';
	}
	if (memchr(target, '#', tlen) != NULL) {
		st = 400;
		goto error;
	}
	st = clean_path(target, tlen, path, sizeof(path));
	if (st != 0) {
		goto error;
	}

	memset(&rp, 0, sizeof(rp));
	rp.status = 200;
	rp.fd = -1;
	rp.mtime = -1;
	rp.keep = keep;
	rp.head = r.head;
	if (strcmp(path, "/server-status") == 0) {
		char host[256];
		size_t hl = r.host ? r.hostlen : 0;

		/* mod_status's first line is the server name. */
		if (hl > 0 && r.host[0] != '[') {
			const char *colon = memchr(r.host, ':', hl);

			if (colon != NULL) {
				hl = (size_t)(colon - r.host);
			}
		}
		snprintf(host, sizeof(host), "%.*s", (int)(hl > 200 ? 200 : hl),
		    hl > 0 ? r.host : "localhost");
		dyn = ref_sb_status(w->sb, host, &tlen);
		rp.body = dyn;
		rp.blen = (long long)tlen;
		rp.ctype = "text/plain; charset=ISO-8859-1";
	} else if (strcmp(path, "/__mpmref/sleep") == 0) {
		long ms = query_ms(query);
		char *msg;

		if (ms < 0 || ms > REF_SLEEP_MAX) {
			st = 400;
			goto error;
		}
		set_status(w, SB_WRITE);
		sleep_ms(ms);
		msg = hconf_xmalloc(64);
		snprintf(msg, 64, "slept %ld ms\n", ms);
		dyn = msg;
		rp.body = msg;
		rp.blen = (long long)strlen(msg);
		rp.ctype = "text/plain";
	} else {
		st = open_path(cf, path, &fd, &sbuf);
		if (st == 301) {
			/* The path is decoded: encode it again.  The query
			 * is the client's own, already free of controls. */
			size_t ll = uri_escape(path, loc, sizeof(loc));

			if (ll == 0 || (size_t)snprintf(loc + ll, sizeof(loc) - ll,
			    "/%s%s", query ? "?" : "", query ? query : "") >=
			    sizeof(loc) - ll) {
				st = 414;
			}
		}
		if (st != 200) {
			goto error;
		}
		rp.fd = fd;
		rp.blen = (long long)sbuf.st_size;
		rp.mtime = (long long)sbuf.st_mtime;
		/* A path ending in '/' was answered by its index.html. */
		rp.ctype = path[strlen(path) - 1] == '/' ? "text/html" :
		    mime_type(path);
	}
	st = respond(w, c, &rp);
	if (fd >= 0) {
		close(fd);
	}
	free(dyn);
	if (st != 0) {
		return -1;
	}
	goto done;

error:
	if (respond_error(w, c, st, keep, r.head, st == 405 ? "GET, HEAD" :
	    NULL, st == 301 ? loc : NULL) != 0) {
		return -1;
	}
	if (closes(st)) {
		return 0;
	}
done:
	c->nreq++;
	if (!keep) {
		/* Requests the client already sent are left to the
		 * lingering close. */
		return 0;
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->hstart = c->scan = c->line = 0;
	c->nfields = 0;
	c->have_line = 0;
	c->nblank = 0;
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
		int h = head_scan(c);
		ssize_t n;

		if (h < 0) {
			set_status(w, SB_WRITE);
			step = respond_error(w, c, -h, 0, 0, NULL, NULL) == 0 ?
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
			set_status(w, SB_READ);
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
				step = respond_error(w, c, 408, 0, 0, NULL, NULL) == 0 ?
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
ref_http_timeout(struct ref_conn *c)
{
	if (c->len > 0) {
		char buf[512];
		int n = snprintf(buf, sizeof(buf), "HTTP/1.1 408 Request Timeout"
		    "\r\nDate: %s\r\nServer: %s\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n", http_date(), REF_SERVER);

		/* Best effort: the client may be gone, and then the
		 * lingering close ends at once. */
		if (send(c->fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			c->len = 0;
		}
	}
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
	set_status(w, SB_READ);
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
			set_status(w, SB_KEEPALIVE);
			r = wait_fd(fd, POLLIN, w->quit_fd, cf->ka_timeout_ms);
			if (r != 1) {
				/* KeepAliveTimeout, or stopping: a request may be
				 * on its way, so linger. */
				break;
			}
			set_status(w, SB_READ);
			continue;
		}
		/* Part of a request, or none yet on a new connection: a stop
		 * does not cut it short; Timeout does. */
		r = wait_fd(fd, POLLIN, -1, c.req_deadline - ref_now_ms());
		if (r == 0) {
			ref_http_timeout(&c);   /* c.buf is w->inbuf here */
			c.short_linger = 1;
			break;
		}
		if (r < 0) {
			break;
		}
	}
	set_status(w, SB_CLOSING);
	ref_linger_close(fd, w->obuf, REF_OBUF, c.short_linger);
}
