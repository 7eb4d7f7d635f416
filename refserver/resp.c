/*
 * resp.c - mpmref's writing side of HTTP: waiting on a socket, sending
 * a response (header and body, a file with sendfile()), httpd's error
 * pages, the best-effort 408, and the lingering close.  It decides
 * nothing about a request; http.c does.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

/* ---- small helpers -------------------------------------------------- */

void
ref_sock_setup(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void
ref_set_status(struct ref_wctx *w, int st)
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

int
ref_status_closes(int status)
{
	return status == 400 || status == 408 || status == 413 ||
	    status == 414 || status == 431 || status == 500 || status == 501 ||
	    status == 503 || status == 505;
}

const char *
ref_mime_type(const char *path)
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

int
ref_wait_fd(int fd, short events, int quit_fd, int64_t ms)
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

/*
 * After a write to fd failed: 1 to try again (interrupted, or the socket
 * was full and drained within Timeout), 0 to give up.
 */
static int
write_again(struct ref_wctx *w, int fd)
{
	if (errno == EINTR) {
		return 1;
	}
	return (errno == EAGAIN || errno == EWOULDBLOCK) &&
	    ref_wait_fd(fd, POLLOUT, -1, w->conf->timeout_ms) == 1;
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
			if (write_again(w, fd)) {
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
			if (write_again(w, sock)) {
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

			if (left <= 0 || ref_wait_fd(fd, POLLIN, -1,
			    left < REF_LINGER_READ_MS ? left :
			    REF_LINGER_READ_MS) != 1) {
				break;
			}
		}
	}
	close(fd);
}

/* ---- responses ------------------------------------------------------ */

int
ref_respond(struct ref_wctx *w, struct ref_conn *c, struct resp *rp)
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
	ref_set_status(w, SB_WRITE);
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

int
ref_respond_error(struct ref_wctx *w, struct ref_conn *c, int status, int keep,
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
	rp.keep = keep && !ref_status_closes(status);
	rp.head = head;
	return ref_respond(w, c, &rp);
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

