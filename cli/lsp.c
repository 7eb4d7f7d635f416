/*
 * lsp.c - mpmlint --lsp: a Language Server Protocol 3.17 server on
 * standard input and output.  This file holds the loop (poll() on
 * standard input with the debounce deadline as its timeout, so input is
 * read while a relint waits), the framing of messages (Content-Length
 * headers), the JSON-RPC rules (errors -32700, -32600, -32601, -32602,
 * -32002, -32800) and the dispatch to lsp_doc.c, lsp_lint.c and
 * lsp_feat.c.  Standard output carries protocol messages only; logs go
 * to the client as window/logMessage.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lsp.h"
#include "output.h"

#define E_PARSE (-32700)
#define E_REQUEST (-32600)
#define E_METHOD (-32601)
#define E_PARAMS (-32602)
#define E_NOTINIT (-32002)
#define E_CANCELLED (-32800)
#define HEADER_MAX 8192

long long
lsp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write all of buf; a closed pipe ends the server at the next read. */
static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return;
		}
		buf += w;
		len -= (size_t)w;
	}
}

void
lsp_send(struct lsp *s, struct jb *body)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n",
	    body->n);

	write_all(s->out_fd, head, (size_t)n);
	write_all(s->out_fd, body->p, body->n);
}

void
lsp_log(struct lsp *s, int type, const char *fmt, ...)
{
	struct jb b = {NULL, 0, 0};
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jb_fmt(&b, "{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\","
	    "\"params\":{\"type\":%d,\"message\":", type);
	jb_cstr(&b, msg);
	jb_raw(&b, "}}");
	lsp_send(s, &b);
	jb_free(&b);
}

static void
reply_head(struct jb *b, const struct lj *id)
{
	jb_raw(b, "{\"jsonrpc\":\"2.0\",\"id\":");
	if (id != NULL) {
		jb_value(b, id);
	} else {
		jb_raw(b, "null");
	}
}

static void
reply_error(struct lsp *s, const struct lj *id, int code, const char *msg)
{
	struct jb b = {NULL, 0, 0};

	reply_head(&b, id);
	jb_fmt(&b, ",\"error\":{\"code\":%d,\"message\":", code);
	jb_cstr(&b, msg);
	jb_raw(&b, "}}");
	lsp_send(s, &b);
	jb_free(&b);
}

static void
reply_result(struct lsp *s, const struct lj *id, const struct jb *result)
{
	struct jb b = {NULL, 0, 0};

	reply_head(&b, id);
	jb_raw(&b, ",\"result\":");
	jb_mem(&b, result->p, result->n);
	jb_raw(&b, "}");
	lsp_send(s, &b);
	jb_free(&b);
}

/* ---- lifecycle -------------------------------------------------------- */

static int
m_initialize(struct lsp *s, const struct lj *params, struct jb *r)
{
	const struct lj *io = lj_get(params, "initializationOptions");
	const struct lj *db = lj_get(io, "debounceMs");
	const char *v;

	if (params == NULL || params->t != LJ_OBJ) {
		return E_PARAMS;
	}
	/* relative: to the server's working directory */
	if ((v = lj_str(lj_get(io, "main"))) != NULL && *v != '\0') {
		s->init_main = out_abs_path(v);
	}
	if ((v = lj_str(lj_get(io, "root"))) != NULL && *v != '\0') {
		s->init_root = out_abs_path(v);
	}
	if ((v = lj_str(lj_get(io, "mpm"))) != NULL &&
	    config_parse_mpm(v, &s->init_mpm) != 0) {
		return E_PARAMS;
	}
	if (db != NULL && (lj_long(db, &s->debounce) != 0 ||
	    s->debounce < 0 || s->debounce > 10000)) {
		return E_PARAMS;
	}
	s->initialized = 1;
	jb_raw(r, "{\"capabilities\":{\"positionEncoding\":\"utf-16\","
	    "\"textDocumentSync\":{\"openClose\":true,\"change\":2,"
	    "\"save\":{\"includeText\":false}},\"hoverProvider\":true,"
	    "\"codeActionProvider\":{\"codeActionKinds\":[\"quickfix\"]},"
	    "\"documentSymbolProvider\":true,\"foldingRangeProvider\":true,"
	    "\"completionProvider\":{\"triggerCharacters\":[\"<\"]}},"
	    "\"serverInfo\":{\"name\":\"mpmlint\",\"version\":\""
	    HCONF_VERSION "\"}}");
	return 0;
}

static int
m_shutdown(struct lsp *s, const struct lj *params, struct jb *r)
{
	(void)params;
	s->shutdown = 1;
	jb_raw(r, "null");
	return 0;
}

/* ---- notifications ------------------------------------------------------ */

static void
mark_projects(struct lsp *s)
{
	struct lsp_proj *p;

	for (p = s->projs; p != NULL; p = p->next) {
		p->dirty = 1;
	}
}

static int
n_open(struct lsp *s, const struct lj *params)
{
	if (lsp_did_open(s, params) != 0) {
		return E_PARAMS;
	}
	s->due = lsp_now();
	return 0;
}

static int
n_change(struct lsp *s, const struct lj *params)
{
	long long now = lsp_now();

	if (lsp_did_change(s, params) != 0) {
		return E_PARAMS;
	}
	/* a change alone is linted at once; one of a burst (typing) waits
	 * until the burst has paused for the debounce time */
	s->due = s->due == 0 && now - s->last_change >= s->debounce ? now :
	    now + s->debounce;
	s->last_change = now;
	return 0;
}

static int
n_save(struct lsp *s, const struct lj *params)
{
	struct lsp_doc *d = lsp_param_doc(s, params);

	if (d != NULL) {
		d->dirty = 1;
		s->due = lsp_now();
	}
	return 0;
}

static int
n_close(struct lsp *s, const struct lj *params)
{
	if (lsp_did_close(s, params) != 0) {
		return E_PARAMS;
	}
	/* the file on disk counts again wherever it is read */
	mark_projects(s);
	s->due = lsp_now();
	return 0;
}

static int
n_ignore(struct lsp *s, const struct lj *params)
{
	(void)s;
	(void)params;
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

typedef int req_fn(struct lsp *, const struct lj *, struct jb *);
typedef int note_fn(struct lsp *, const struct lj *);

static const struct {
	const char *method;
	req_fn *req;
	note_fn *note;
} methods[] = {
	{"initialize", m_initialize, NULL},
	{"shutdown", m_shutdown, NULL},
	{"textDocument/hover", lsp_hover, NULL},
	{"textDocument/documentSymbol", lsp_symbols, NULL},
	{"textDocument/foldingRange", lsp_folding, NULL},
	{"textDocument/completion", lsp_completion, NULL},
	{"textDocument/codeAction", lsp_code_action, NULL},
	{"initialized", NULL, n_ignore},
	{"textDocument/didOpen", NULL, n_open},
	{"textDocument/didChange", NULL, n_change},
	{"textDocument/didSave", NULL, n_save},
	{"textDocument/didClose", NULL, n_close},
	{"workspace/didChangeConfiguration", NULL, n_ignore},
	{"workspace/didChangeWatchedFiles", NULL, n_ignore},
	{"$/setTrace", NULL, n_ignore},
	{NULL, NULL, NULL}
};

static int
same_id(const struct lj *a, const struct lj *b)
{
	return a != NULL && b != NULL && a->t == b->t &&
	    ((a->t == LJ_NUM && a->num == b->num) ||
	    (a->t == LJ_STR && a->len == b->len &&
	    memcmp(a->s, b->s, a->len) == 0));
}

/* A request the client cancelled before it was answered. */
static int
cancelled(struct lj **batch, size_t n, const struct lj *id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *m = lj_str(lj_get(batch[i], "method"));

		if (m != NULL && strcmp(m, "$/cancelRequest") == 0 &&
		    same_id(lj_get(lj_get(batch[i], "params"), "id"), id)) {
			return 1;
		}
	}
	return 0;
}

static void
request(struct lsp *s, size_t k, const struct lj *id, const struct lj *params)
{
	struct jb r = {NULL, 0, 0};
	int rc;

	if (!s->initialized && methods[k].req != m_initialize) {
		reply_error(s, id, E_NOTINIT, "initialize first");
		return;
	}
	if (s->shutdown) {
		reply_error(s, id, E_REQUEST, "the server is shut down");
		return;
	}
	if (s->initialized && methods[k].req == m_initialize) {
		reply_error(s, id, E_REQUEST, "initialize was already called");
		return;
	}
	rc = methods[k].req(s, params, &r);
	if (rc == 0) {
		reply_result(s, id, &r);
	} else {
		reply_error(s, id, rc, rc == E_PARAMS ? "invalid params" :
		    "request failed");
	}
	jb_free(&r);
}

/* One message; 1 when it was exit. */
static int
handle(struct lsp *s, struct lj **batch, size_t n, const struct lj *msg)
{
	const struct lj *id = lj_get(msg, "id"), *params;
	const char *m = lj_str(lj_get(msg, "method"));
	size_t k;

	if (id != NULL && id->t != LJ_NUM && id->t != LJ_STR &&
	    id->t != LJ_NULL) {
		id = NULL;
	}
	if (msg->t != LJ_OBJ || lj_str(lj_get(msg, "jsonrpc")) == NULL ||
	    strcmp(lj_str(lj_get(msg, "jsonrpc")), "2.0") != 0 ||
	    (m == NULL && lj_get(msg, "method") != NULL)) {
		reply_error(s, id, E_REQUEST, "not a JSON-RPC 2.0 message");
		return 0;
	}
	if (m == NULL) {
		return 0;                /* a response: we send no requests */
	}
	if (strcmp(m, "exit") == 0) {
		return 1;
	}
	params = lj_get(msg, "params");
	for (k = 0; methods[k].method != NULL &&
	    strcmp(methods[k].method, m) != 0; k++) {
		continue;
	}
	if (id == NULL) {
		if (methods[k].note != NULL && s->initialized && !s->shutdown &&
		    methods[k].note(s, params) != 0) {
			lsp_log(s, 1, "%s: invalid params", m);
		}
		return 0;
	}
	if (methods[k].req == NULL) {
		reply_error(s, id, E_METHOD, "method not found");
	} else if (cancelled(batch, n, id)) {
		reply_error(s, id, E_CANCELLED, "request cancelled");
	} else {
		request(s, k, id, params);
	}
	return 0;
}

/* ---- framing ------------------------------------------------------------ */

/* Content-Length of the header block at h (len bytes); -1 when none. */
static long long
content_length(const char *h, size_t len)
{
	const char *p = h, *end = h + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);

		if (n > 15 && strncasecmp(p, "Content-Length:", 15) == 0) {
			long long v = 0;
			const char *q = p + 15;

			while (q < p + n && *q == ' ') {
				q++;
			}
			if (q == p + n || *q < '0' || *q > '9') {
				return -1;
			}
			while (q < p + n && *q >= '0' && *q <= '9' &&
			    v < (1LL << 40)) {
				v = v * 10 + (*q++ - '0');
			}
			return v;
		}
		p += n + 1;
	}
	return -1;
}

/* Drop n bytes from the front of the input. */
static void
consume(struct lsp *s, size_t n)
{
	memmove(s->in, s->in + n, s->inlen - n);
	s->inlen -= n;
}

/*
 * The next message body in the input: 1 with it in *body (caller
 * frees), 0 when more input is needed, -1 after a framing error was
 * answered.
 */
static int
next_body(struct lsp *s, struct lj **body, int *bad)
{
	const char *e = NULL;
	long long len;
	size_t hl, i;

	*bad = 0;
	if (s->skip > 0) {
		size_t n = s->skip < s->inlen ? (size_t)s->skip : s->inlen;

		consume(s, n);
		s->skip -= n;
		if (s->skip > 0) {
			return 0;
		}
	}
	for (i = 0; i + 3 < s->inlen && e == NULL; i++) {
		if (memcmp(s->in + i, "\r\n\r\n", 4) == 0) {
			e = s->in + i;
		}
	}
	if (e == NULL) {
		if (s->inlen > HEADER_MAX) {
			s->inlen = 0;
			reply_error(s, NULL, E_PARSE, "header too long");
			return -1;
		}
		return 0;
	}
	hl = (size_t)(e - s->in) + 4;
	len = content_length(s->in, hl);
	if (len < 0) {
		/* no way to find the next message: drop what we have */
		s->inlen = 0;
		reply_error(s, NULL, E_PARSE, "no Content-Length");
		return -1;
	}
	if (len > (long long)LSP_MAX_MESSAGE) {
		/* its body is skipped as it comes, never stored */
		consume(s, hl);
		s->skip = (unsigned long long)len;
		reply_error(s, NULL, E_REQUEST, "message too large");
		return -1;
	}
	if (s->inlen - hl < (size_t)len) {
		return 0;
	}
	*body = lj_parse(s->in + hl, (size_t)len);
	*bad = *body == NULL;
	consume(s, hl + (size_t)len);
	return 1;
}

/* Handle every whole message read so far; 1 after exit. */
static int
drain(struct lsp *s)
{
	struct lj **batch = NULL, *m;
	size_t n = 0, i;
	int r, bad, done = 0;

	while ((r = next_body(s, &m, &bad)) != 0) {
		if (r < 0) {
			continue;
		}
		if (bad) {
			reply_error(s, NULL, E_PARSE, "parse error");
			continue;
		}
		batch = hconf_xrealloc(batch, (n + 1) * sizeof(*batch));
		batch[n++] = m;
	}
	for (i = 0; i < n && !done; i++) {
		done = handle(s, batch, n, batch[i]);
	}
	for (i = 0; i < n; i++) {
		lj_free(batch[i]);
	}
	free(batch);
	return done;
}

/* Read what standard input has; 0 at end of input. */
static int
fill(struct lsp *s)
{
	ssize_t r;

	if (s->incap - s->inlen < 65536) {
		s->incap = s->incap * 2 + 65536;
		s->in = hconf_xrealloc(s->in, s->incap);
	}
	do {
		r = read(STDIN_FILENO, s->in + s->inlen, s->incap - s->inlen);
	} while (r < 0 && errno == EINTR);
	if (r <= 0) {
		return 0;
	}
	s->inlen += (size_t)r;
	return 1;
}

static int
serve(struct lsp *s)
{
	for (;;) {
		struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
		long long now = lsp_now();
		int timeout = s->due == 0 ? -1 : s->due <= now ? 0 :
		    (int)(s->due - now);
		int r = poll(&pfd, 1, timeout);

		if (r < 0 && errno != EINTR) {
			return 1;
		}
		if (r > 0) {
			if (!fill(s)) {
				return s->shutdown ? 0 : 1;
			}
			if (drain(s)) {
				return s->shutdown ? 0 : 1;
			}
		}
		if (s->due != 0 && lsp_now() >= s->due) {
			s->due = 0;
			lsp_relint(s);
		}
	}
}

static void
lsp_free(struct lsp *s)
{
	lsp_projs_free(s);
	lsp_docs_free(s);
	free(s->in);
	free(s->init_main);
	free(s->init_root);
}

int
lsp_run_buffer(struct cli_parse *cp, const char *buf, size_t len, int out_fd)
{
	struct lsp s;
	int done;

	memset(&s, 0, sizeof(s));
	s.cp = cp;
	s.o.mpm = RULES_MPM_NONE;
	s.out_fd = out_fd;
	s.debounce = 0;
	s.in = hconf_xmalloc(len + 1);
	s.incap = len + 1;
	memcpy(s.in, buf, len);
	s.inlen = len;
	done = drain(&s);
	if (s.due != 0) {
		lsp_relint(&s);
	}
	lsp_free(&s);
	return done;
}

int
lsp_main(struct cli_parse *cp, const struct lsp_opts *o)
{
	struct lsp s;
	int rc;

	memset(&s, 0, sizeof(s));
	signal(SIGPIPE, SIG_IGN);
	s.cp = cp;
	s.o = *o;
	s.out_fd = STDOUT_FILENO;
	s.debounce = LSP_DEBOUNCE_MS;
	rc = serve(&s);
	lsp_free(&s);
	return rc;
}
