/*
 * http.h - what the HTTP files of mpmref share (http.c, req.c, resp.c,
 * path.c include it; nothing else does): a parsed request, a response
 * to send, and the steps between them.  ref.h holds what the process
 * models call.
 */
#ifndef REF_HTTP_H
#define REF_HTTP_H

#include <stdint.h>
#include <sys/stat.h>

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

/* ---- request heads (req.c) ------------------------------------------ */

/*
 * Scan new input for the end of the request head, checking each line
 * as it completes.  Returns the head's length from hstart, 0 when more
 * input is needed, or -status.
 */
int ref_head_scan(struct ref_conn *c);
/* Parse a complete head in place.  Returns 0 or an HTTP status. */
int ref_parse_head(char *h, size_t n, struct req *r);

/* ---- paths under DocumentRoot (path.c) ------------------------------ */

/*
 * Decode %XX in the path p (len bytes) and resolve "." and ".." into
 * out.  Returns 0 or an HTTP status (400, 404).
 */
int ref_clean_path(const char *p, size_t len, char *out, size_t cap);
/*
 * Open the cleaned path under the document root.  Returns 200 with *fdp
 * open (a regular file), 301 (a directory named without '/'), or an
 * error status.
 */
int ref_open_path(const struct ref_conf *cf, char *path, int *fdp,
    struct stat *st);
/* Percent-encode p for a Location header; 0 when it does not fit. */
size_t ref_uri_escape(const char *p, char *out, size_t cap);

/* ---- writing to the client (resp.c) --------------------------------- */

/* Publish the worker's state on the scoreboard (when it has a slot). */
void ref_set_status(struct ref_wctx *w, int st);
/*
 * Wait until fd is ready for events, at most ms.  Returns 1 when ready,
 * 0 on timeout, -1 when quit_fd (if >= 0) became readable or poll failed.
 */
int ref_wait_fd(int fd, short events, int quit_fd, int64_t ms);
/* The Content-Type of a file, from its name's extension. */
const char *ref_mime_type(const char *path);
/* Errors after which the connection cannot go on. */
int ref_status_closes(int status);
/* Send the response; 0, or -1 when the client is gone. */
int ref_respond(struct ref_wctx *w, struct ref_conn *c, struct resp *rp);
/* Send httpd's error page for status; 0, or -1 when the client is gone. */
int ref_respond_error(struct ref_wctx *w, struct ref_conn *c, int status,
    int keep, int head, const char *allow, const char *location);

#endif /* REF_HTTP_H */
