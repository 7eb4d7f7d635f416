/*
 * expr.c - httpd 2.4's ap_expr at read time: the scanner (the rules of
 * server/util_expr_scan.l, longest match first, then rule order), the
 * name lookups httpd's expr_lookup hooks do while parsing, and regex
 * compilation through PCRE2 with ap_regcomp()'s options.  The grammar
 * is expr_gram.y.  It decides only what httpd decides at -t: it never
 * evaluates an expression and never prints.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "hconf.h"
#include "expr.h"
#include "expr_gram.h"
#include "ieq.h"

/* httpd's MAX_STRING_LEN: the scanner's string and regex buffers */
#define SCAN_MAX 8192

enum sc_state { S_INITIAL, S_STR, S_VAR, S_VARARG };

struct rexpr_ctx {
	const char *in;
	size_t len, pos;
	int at_start;
	enum sc_state state;
	enum sc_state stack[64];
	size_t nstack;
	char str_del;
	char *buf;            /* SCAN_MAX bytes: the string being scanned */
	size_t blen;
	size_t boff;          /* where the buffered string started */
	unsigned flags;
	/* httpd's two messages: ctx->error (bison's, or the regex one)
	 * and ctx->error2 (the scanner's and the lookups'); the last
	 * lookup that fails wins, as in httpd */
	char error[700];
	size_t error_off;
	char error2[400];
	size_t error2_off;
	char detail[200];
	int jammed;
	char **strs;          /* strings handed to the parser */
	size_t nstrs, capstrs;
};

/* ---- messages --------------------------------------------------------- */

void
rexpr_set_error(struct rexpr_ctx *c, const char *msg)
{
	snprintf(c->error, sizeof(c->error), "%s", msg);
	c->error_off = c->pos;
}

static void
set_error2(struct rexpr_ctx *c, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error2, sizeof(c->error2), fmt, ap);
	va_end(ap);
	c->error2_off = off;
}

/* bison's verbose message: names[0] unexpected, the rest expected */
void
rexpr_syntax_error(struct rexpr_ctx *c, const char *const *names, int n)
{
	size_t l;
	int i;

	l = (size_t)snprintf(c->error, sizeof(c->error),
	    "syntax error, unexpected %s", names[0]);
	for (i = 1; i < n && l < sizeof(c->error); i++) {
		l += (size_t)snprintf(c->error + l, sizeof(c->error) - l, "%s%s",
		    i == 1 ? ", expecting " : " or ", names[i]);
	}
	/* c->error_off: the lookahead, the token scanned last */
}

/* ---- the scanner ------------------------------------------------------ */

static const char *
keep(struct rexpr_ctx *c, const char *s, size_t n)
{
	char *p = hconf_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	if (c->nstrs == c->capstrs) {
		c->capstrs = c->capstrs ? c->capstrs * 2 : 16;
		c->strs = hconf_xrealloc(c->strs, c->capstrs * sizeof(*c->strs));
	}
	c->strs[c->nstrs++] = p;
	return p;
}

static int
is_id_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_id_char(int ch)
{
	return is_id_start(ch) || (ch >= '0' && ch <= '9') || ch == '_';
}

static int
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
at(const struct rexpr_ctx *c, size_t i)
{
	return c->pos + i < c->len ? (unsigned char)c->in[c->pos + i] : -1;
}

/* The scanner's error token: httpd's PERROR(). */
static int
perror_tok(struct rexpr_ctx *c, size_t off, const char *msg)
{
	set_error2(c, off, "%s", msg);
	c->error_off = off;
	return T_ERROR;
}

static void
push_state(struct rexpr_ctx *c, enum sc_state s)
{
	if (c->nstack < sizeof(c->stack) / sizeof(c->stack[0])) {
		c->stack[c->nstack++] = c->state;
	}
	c->state = s;
}

static void
pop_state(struct rexpr_ctx *c)
{
	c->state = c->nstack > 0 ? c->stack[--c->nstack] : S_INITIAL;
}

/* STR_APPEND: 0, or -1 when the buffer is full ("String too long"). */
static int
str_append(struct rexpr_ctx *c, int ch, size_t start)
{
	if (c->blen == 0) {
		c->boff = start;
	}
	c->buf[c->blen++] = (char)ch;
	return c->blen >= SCAN_MAX ? -1 : 0;
}

static int
str_flush(struct rexpr_ctx *c, struct rexpr_val *v)
{
	/* httpd copies it as a C string: a \0 escape ends it */
	c->buf[c->blen] = '\0';
	v->s = keep(c, c->buf, strlen(c->buf));
	v->off = c->boff;
	c->blen = 0;
	return T_STRING;
}

/*
 * A backslash escape in a string or a function argument.  Returns 0
 * when handled, a token (T_ERROR) on error, or -2 when no rule of
 * httpd's scanner matches (it jams).
 */
static int
scan_escape(struct rexpr_ctx *c)
{
	size_t k = 0, m = 0, start = c->pos;
	int n1 = at(c, 1);

	if (n1 < 0) {
		return -2;
	}
	while (k < 3 && at(c, 1 + k) >= '0' && at(c, 1 + k) <= '7') {
		k++;
	}
	while (is_digit(at(c, 1 + m))) {
		m++;
	}
	if (k > 0 && k == m) {
		int v = 0;
		size_t i;

		for (i = 0; i < k; i++) {
			v = v * 8 + (at(c, 1 + i) - '0');
		}
		if (v > 0xff) {
			return perror_tok(c, start, "Escape sequence out of bound");
		}
		if (c->blen == 0) {
			c->boff = start;
		}
		c->pos += 1 + k;
		c->buf[c->blen++] = (char)v;
		return c->blen >= SCAN_MAX ?
		    perror_tok(c, start, "String too long") : 0;
	}
	if (m > 0) {
		return perror_tok(c, start, "Bad escape sequence");
	}
	if (c->blen == 0) {
		c->boff = start;
	}
	c->pos += 2;
	switch (n1) {
	case 'n':
		n1 = '\n';
		break;
	case 'r':
		n1 = '\r';
		break;
	case 't':
		n1 = '\t';
		break;
	case 'b':
		n1 = '\b';
		break;
	case 'f':
		n1 = '\f';
		break;
	default:
		break;
	}
	c->buf[c->blen++] = (char)n1;
	return c->blen >= SCAN_MAX ? perror_tok(c, start, "String too long") : 0;
}

/* Inside "..." (S_STR) or after %{name: (S_VARARG). */
static int
scan_string(struct rexpr_ctx *c, struct rexpr_val *v)
{
	for (;;) {
		int ch = at(c, 0), r;
		size_t start = c->pos;

		if (ch < 0 && c->state == S_STR && c->nstack == 0 &&
		    (c->flags & RULES_EXPR_STRING)) {
			/* a string expression ends at the end of the input */
			c->state = S_INITIAL;
			if (c->blen == 0) {
				c->boff = start;
			}
			return str_flush(c, v);
		}
		if (ch < 0 || ch == '\n') {
			return perror_tok(c, start,
			    "Unterminated string or variable");
		}
		if (ch == '"' || ch == '\'') {
			if (c->state == S_VARARG) {
				c->jammed = 1;
				return 0;
			}
			if (ch != c->str_del) {
				c->pos++;
				if (str_append(c, ch, start) != 0) {
					return perror_tok(c, start,
					    "String too long");
				}
				continue;
			}
			if (c->blen > 0) {
				return str_flush(c, v);
			}
			c->pos++;
			c->state = S_INITIAL;
			v->off = start;
			return T_STR_END;
		}
		if (ch == '\\') {
			r = scan_escape(c);
			if (r == -2) {
				c->jammed = 1;
				return 0;
			}
			if (r != 0) {
				return r;
			}
			continue;
		}
		if (ch == '$' && is_digit(at(c, 1))) {
			if (c->blen > 0) {
				return str_flush(c, v);
			}
			v->num = at(c, 1) - '0';
			v->off = start;
			c->pos += 2;
			return T_REGEX_BACKREF;
		}
		if (ch == '%' && at(c, 1) == '{') {
			if (c->blen > 0) {
				return str_flush(c, v);
			}
			c->pos += 2;
			push_state(c, S_VAR);
			v->off = start;
			return T_VAR_BEGIN;
		}
		if (ch == '}' && c->state == S_VARARG) {
			if (c->blen > 0) {
				return str_flush(c, v);
			}
			c->pos++;
			pop_state(c);
			v->off = start;
			return T_VAR_END;
		}
		/* a lone %, } or $, and the run of ordinary bytes */
		c->pos++;
		if (str_append(c, ch, start) != 0) {
			return perror_tok(c, start, "String too long");
		}
	}
}

/* How far the run of bytes is() takes goes on, from n bytes ahead. */
static size_t
run_of(const struct rexpr_ctx *c, size_t n, int (*is)(int))
{
	while (is(at(c, n))) {
		n++;
	}
	return n;
}

/* A token whose text is the n bytes at from; the input moves past n. */
static int
text_tok(struct rexpr_ctx *c, struct rexpr_val *v, size_t from, size_t n,
    int tok)
{
	v->s = keep(c, c->in + from, n);
	c->pos += n;
	return tok;
}

/* %{ ... : the variable or function name, '}' or ':'. */
static int
scan_var(struct rexpr_ctx *c, struct rexpr_val *v)
{
	int ch = at(c, 0);
	size_t start = c->pos;
	char msg[64];

	v->off = start;
	if (ch < 0 || ch == '\n') {
		return perror_tok(c, start, "Unterminated string or variable");
	}
	if (is_id_start(ch)) {
		return text_tok(c, v, start, run_of(c, 1, is_id_char), T_ID);
	}
	if (ch == '}') {
		c->pos++;
		pop_state(c);
		return T_VAR_END;
	}
	if (ch == ':') {
		c->pos++;
		c->state = S_VARARG;
		c->blen = 0;
		return ':';
	}
	snprintf(msg, sizeof(msg), "Invalid character in variable name '%c'",
	    ch);
	return perror_tok(c, start, msg);
}

/* m#...#i or /.../: the regex up to its delimiter, and the flag. */
static int
scan_regex(struct rexpr_ctx *c, struct rexpr_val *v, size_t start, int del)
{
	size_t n = 0;

	while (c->pos < c->len && c->in[c->pos] != del) {
		c->buf[n++] = c->in[c->pos++];
		if (n >= SCAN_MAX) {
			return perror_tok(c, start, "Regexp too long");
		}
	}
	if (c->pos >= c->len) {
		/* no rule for end of input inside a regex: flex ends */
		v->off = c->len;
		return 0;
	}
	c->pos++;
	v->s = keep(c, c->buf, n);
	v->off = start;
	if (at(c, 0) == 'i') {
		c->pos++;
		return T_REGEX_I;
	}
	return T_REGEX;
}

static const struct {
	const char *w;
	int tok;
} words[] = {
	{"and", T_OP_AND}, {"or", T_OP_OR}, {"not", T_OP_NOT},
	{"lt", T_OP_LT}, {"le", T_OP_LE}, {"gt", T_OP_GT}, {"ge", T_OP_GE},
	{"ne", T_OP_NE}, {"eq", T_OP_EQ}, {"in", T_OP_IN},
	{"true", T_TRUE}, {"false", T_FALSE},
}, dashed[] = {
	{"-in", T_OP_IN}, {"-eq", T_OP_EQ}, {"-ne", T_OP_NE}, {"-ge", T_OP_GE},
	{"-le", T_OP_LE}, {"-gt", T_OP_GT}, {"-lt", T_OP_LT},
};

/* scan_punct() and scan_dash(): not theirs, go on */
#define NOT_PUNCT (-1)

/* '-': -name (an operator, -eq ... as their own tokens), or -digits. */
static int
scan_dash(struct rexpr_ctx *c, struct rexpr_val *v, size_t start, int n1)
{
	size_t n, i;

	if (is_id_start(n1) || n1 == '_') {
		n = run_of(c, 2, is_id_char);
		for (i = 0; n == 3 && i < sizeof(dashed) / sizeof(dashed[0]);
		    i++) {
			if (strncmp(c->in + start, dashed[i].w, 3) == 0) {
				c->pos += 3;
				return dashed[i].tok;
			}
		}
		c->pos++;
		return text_tok(c, v, start + 1, n - 1, n == 2 ? T_OP_UNARY :
		    T_OP_BINARY);
	}
	if (is_digit(n1)) {
		return text_tok(c, v, start, run_of(c, 1, is_digit), T_DIGIT);
	}
	return NOT_PUNCT;
}

/* Quotes, %{, $N, /regex/, the operators of punctuation. */
static int
scan_punct(struct rexpr_ctx *c, struct rexpr_val *v, size_t start, int ch,
    int n1)
{
	switch (ch) {
	case '"':
	case '\'':
		c->pos++;
		c->blen = 0;
		c->str_del = (char)ch;
		c->state = S_STR;
		return T_STR_BEGIN;
	case '%':
		if (n1 == '{') {
			c->pos += 2;
			push_state(c, S_VAR);
			return T_VAR_BEGIN;
		}
		break;
	case '$':
		if (is_digit(n1)) {
			v->num = n1 - '0';
			c->pos += 2;
			return T_REGEX_BACKREF;
		}
		break;
	case '/':
		c->pos++;
		return scan_regex(c, v, start, '/');
	case '=':
		c->pos += n1 == '~' || n1 == '=' ? 2 : 1;
		return n1 == '~' ? T_OP_REG : T_OP_STR_EQ;
	case '!':
		c->pos += n1 == '=' || n1 == '~' ? 2 : 1;
		return n1 == '=' ? T_OP_STR_NE : n1 == '~' ? T_OP_NRE : T_OP_NOT;
	case '<':
		c->pos += n1 == '=' ? 2 : 1;
		return n1 == '=' ? T_OP_STR_LE : T_OP_STR_LT;
	case '>':
		c->pos += n1 == '=' ? 2 : 1;
		return n1 == '=' ? T_OP_STR_GE : T_OP_STR_GT;
	case '&':
	case '|':
		if (n1 == ch) {
			c->pos += 2;
			return ch == '&' ? T_OP_AND : T_OP_OR;
		}
		break;
	case '.':
		c->pos++;
		return T_OP_CONCAT;
	case '(':
	case ')':
	case '{':
	case '}':
	case ',':
	case ':':
		c->pos++;
		return ch;
	case '-':
		return scan_dash(c, v, start, n1);
	default:
		break;
	}
	return NOT_PUNCT;
}

/* A number, or a word: an operator, true/false, a name, m#regex#. */
static int
scan_word(struct rexpr_ctx *c, struct rexpr_val *v, size_t start, int ch,
    int n1)
{
	size_t n, i;

	if (is_digit(ch)) {
		return text_tok(c, v, start, run_of(c, 1, is_digit), T_DIGIT);
	}
	n = run_of(c, 1, is_id_char);
	/* m followed by a delimiter starts a regex, unless a longer
	 * identifier matches ("m_" is a regex, "m_x" a name) */
	if (ch == 'm' && n1 >= 0 && n1 != '\0' &&
	    strchr("/#$%^,;:_?|-!.'\"", n1) != NULL && n <= 2) {
		c->pos += 2;
		return scan_regex(c, v, start, n1);
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].w) == n &&
		    strncmp(c->in + start, words[i].w, n) == 0) {
			c->pos += n;
			return words[i].tok;
		}
	}
	return text_tok(c, v, start, n, T_ID);
}

static int
scan_initial(struct rexpr_ctx *c, struct rexpr_val *v)
{
	int ch, n1, tok;
	size_t start;
	char msg[40];

	while (c->pos < c->len && (c->in[c->pos] == ' ' ||
	    c->in[c->pos] == '\t' || c->in[c->pos] == '\n')) {
		c->pos++;
	}
	start = c->pos;
	v->off = start;
	ch = at(c, 0);
	n1 = at(c, 1);
	if (ch < 0) {
		return 0;
	}
	tok = scan_punct(c, v, start, ch, n1);
	if (tok != NOT_PUNCT) {
		return tok;
	}
	if (is_digit(ch) || is_id_start(ch)) {
		return scan_word(c, v, start, ch, n1);
	}
	snprintf(msg, sizeof(msg), "Parse error near '%c'", ch);
	return perror_tok(c, start, msg);
}

int
rexpr_scan(struct rexpr_ctx *c, struct rexpr_val *v)
{
	int t;

	memset(v, 0, sizeof(*v));
	if (c->jammed) {
		return 0;
	}
	if (c->at_start) {
		c->at_start = 0;
		if (c->flags & RULES_EXPR_STRING) {
			c->state = S_STR;
			c->str_del = '\0';
			c->blen = 0;
			c->boff = 0;
			return T_EXPR_STRING;
		}
		return T_EXPR_BOOL;
	}
	switch (c->state) {
	case S_STR:
	case S_VARARG:
		t = scan_string(c, v);
		break;
	case S_VAR:
		t = scan_var(c, v);
		break;
	default:
		t = scan_initial(c, v);
		break;
	}
	/* the position of the lookahead, for a syntax error's column */
	c->error_off = t == 0 ? (c->jammed ? c->pos : c->len) :
	    t == T_ERROR ? c->error2_off : v->off;
	return t;
}

/* ---- names ------------------------------------------------------------ */

static const char *const core_vars[] = {
	/* misc */
	"TIME_YEAR", "TIME_MON", "TIME_DAY", "TIME_HOUR", "TIME_MIN",
	"TIME_SEC", "TIME_WDAY", "TIME", "SERVER_SOFTWARE", "API_VERSION",
	/* request headers */
	"HTTP_USER_AGENT", "HTTP_PROXY_CONNECTION", "HTTP_REFERER",
	"HTTP_COOKIE", "HTTP_FORWARDED", "HTTP_HOST", "HTTP_ACCEPT",
	/* request */
	"REQUEST_METHOD", "REQUEST_SCHEME", "REQUEST_URI",
	"REQUEST_FILENAME", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER",
	"SERVER_ADMIN", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL",
	"SCRIPT_FILENAME", "PATH_INFO", "QUERY_STRING", "IS_SUBREQ",
	"DOCUMENT_ROOT", "AUTH_TYPE", "THE_REQUEST", "CONTENT_TYPE",
	"HANDLER", "REQUEST_LOG_ID", "SCRIPT_USER", "SCRIPT_GROUP",
	"DOCUMENT_URI", "LAST_MODIFIED", "CONTEXT_PREFIX",
	"CONTEXT_DOCUMENT_ROOT", "REQUEST_STATUS", "REMOTE_ADDR",
	"REMOTE_PORT",
	/* connection */
	"HTTPS", "IPV6", "CONN_LOG_ID", "CONN_REMOTE_ADDR", "HTTP2", NULL
};

static const char *const core_funcs[] = {
	"osenv", "env", "resp", "req", "http", "note", "reqenv", "req_novary",
	"tolower", "toupper", "escape", "unescape", "file", "filesize",
	"base64", "unbase64", "sha1", "md5", "ldap", NULL
};

/* unary operators compare with case; "R" takes a subnet */
static const char *const core_unary[] = {
	"n", "z", "R", "T", "d", "e", "f", "s", "L", "h", "x", "F", "U", "A",
	NULL
};

static const char *const core_binary[] = {
	"ipmatch", "fnmatch", "strmatch", "strcmatch", NULL
};

static int
in_list(const char *const *l, const char *name, int with_case)
{
	for (; *l != NULL; l++) {
		if (with_case ? strcmp(*l, name) == 0 :
		    hconf_ieq(*l, name)) {
			return 1;
		}
	}
	return 0;
}

/* APR's inet_pton for IPv4: four parts, each at most 255 (leading
 * zeros allowed, unlike glibc's). */
static int
apr_pton4(const char *s)
{
	int saw = 0, octets = 0;
	unsigned cur = 0;

	for (; *s != '\0'; s++) {
		if (is_digit((unsigned char)*s)) {
			cur = cur * 10 + (unsigned)(*s - '0');
			if (cur > 255) {
				return 0;
			}
			if (!saw) {
				if (++octets > 4) {
					return 0;
				}
				saw = 1;
			}
		} else if (*s == '.' && saw) {
			if (octets == 4) {
				return 0;
			}
			cur = 0;
			saw = 0;
		} else {
			return 0;
		}
	}
	return octets == 4;
}

/* APR's parse_network(): the legacy "10.1." prefix form. */
static int
apr_network(const char *s)
{
	int shift = 24;

	if (strlen(s) >= sizeof("255.255.255.255")) {
		return 0;
	}
	while (*s != '\0') {
		int octet = 0;

		if (!is_digit((unsigned char)*s)) {
			return 0;
		}
		while (is_digit((unsigned char)*s)) {
			octet = octet * 10 + (*s - '0');
			if (octet > 1000) {
				octet = 1000;
			}
			s++;
		}
		if (*s == '.') {
			s++;
		} else if (*s != '\0') {
			return 0;
		}
		if (shift < 0 || octet > 255) {
			return 0;
		}
		shift -= 8;
	}
	return 1;
}

/* apr_ipsubnet_create(addr, mask) succeeds. */
static int
subnet_ok(const char *arg)
{
	char addr[256];
	const char *slash = strchr(arg, '/'), *mask = NULL, *p;
	unsigned char v6[16];
	int family;

	if (slash != NULL) {
		size_t n = (size_t)(slash - arg);

		if (n >= sizeof(addr)) {
			return 0;
		}
		memcpy(addr, arg, n);
		addr[n] = '\0';
		mask = slash + 1;
	} else {
		snprintf(addr, sizeof(addr), "%s", arg);
	}
	/* looks_like_ip() */
	if (addr[0] == '\0') {
		return 0;
	}
	if (strchr(addr, ':') == NULL) {
		for (p = addr; *p == '.' || is_digit((unsigned char)*p); p++) {
		}
		if (*p != '\0') {
			return 0;
		}
	}
	if (inet_pton(AF_INET6, addr, v6) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0xff, 0xff};

		if (memcmp(v6, mapped, 12) == 0) {
			return 0;
		}
		family = 6;
	} else if (apr_pton4(addr)) {
		family = 4;
	} else if (mask == NULL && apr_network(addr)) {
		family = 4;
	} else {
		return 0;
	}
	if (mask != NULL) {
		char *end;
		long bits = strtol(mask, &end, 10);

		if (*end == '\0' && bits > 0 && bits <= (family == 6 ? 128 : 32)) {
			return 1;
		}
		return family == 4 && apr_pton4(mask);
	}
	return 1;
}

/*
 * httpd's expr_lookup hooks: the core's names, those of mod_ssl and
 * mod_proxy_hcheck when loaded, then "... does not exist".
 */
void
rexpr_lookup(struct rexpr_ctx *c, enum rexpr_kind kind,
    const struct rexpr_val *name, const struct rexpr_val *arg)
{
	const char *n = name->s;
	const char *carg = arg != NULL && arg->is_str ? arg->s : NULL;
	int ssl = (c->flags & RULES_EXPR_SSL) != 0;
	int hc = (c->flags & RULES_EXPR_HCHECK) != 0;
	const char *type = "Variable";

	switch (kind) {
	case REXPR_VAR:
		if (in_list(core_vars, n, 0) ||
		    (ssl && strncasecmp(n, "SSL_", 4) == 0) ||
		    (hc && strncasecmp(n, "HC_", 3) == 0)) {
			return;
		}
		break;
	case REXPR_STRFUNC:
		type = "Function";
		if (in_list(core_funcs, n, 0) ||
		    (ssl && hconf_ieq(n, "SSL")) ||
		    (hc && hconf_ieq(n, "HC"))) {
			return;
		}
		break;
	case REXPR_LISTFUNC:
		type = "List-returning function";
		if (ssl && hconf_ieq(n, "PeerExtList")) {
			return;
		}
		break;
	case REXPR_UNARY:
	case REXPR_BINARY:
		type = kind == REXPR_UNARY ? "Unary operator" : "Binary operator";
		if (kind == REXPR_UNARY ? in_list(core_unary, n, 1) :
		    in_list(core_binary, n, 0)) {
			if (strcmp(n, "R") != 0 && !hconf_ieq(n, "ipmatch")) {
				return;
			}
			if (carg == NULL) {
				set_error2(c, name->off, "-%s requires "
				    "subnet/netmask as constant argument", n);
			} else if (!subnet_ok(carg)) {
				set_error2(c, arg->off, "parsing of "
				    "subnet/netmask failed");
			}
			return;
		}
		break;
	}
	if (c->flags & RULES_EXPR_ANYNAME) {
		return;
	}
	set_error2(c, name->off, "%s '%s%s' does not exist", type,
	    kind == REXPR_UNARY || kind == REXPR_BINARY ? "-" : "", n);
}

/* ---- regexes ---------------------------------------------------------- */

/* ap_pregcomp() with httpd's default options (RegexDefaultOptions). */
int
rexpr_regex(struct rexpr_ctx *c, const struct rexpr_val *v, int icase)
{
	int err;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	uint32_t opts = PCRE2_DUPNAMES | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;

	if (icase) {
		opts |= PCRE2_CASELESS;
	}
	code = pcre2_compile((PCRE2_SPTR)v->s, PCRE2_ZERO_TERMINATED, opts,
	    &err, &eoff, NULL);
	if (code != NULL) {
		pcre2_code_free(code);
		return 0;
	}
	{
		PCRE2_UCHAR m[160];

		pcre2_get_error_message(err, m, sizeof(m));
		snprintf(c->detail, sizeof(c->detail), "PCRE2: %s at offset %zu "
		    "of the regex", (const char *)m, (size_t)eoff);
	}
	snprintf(c->error, sizeof(c->error), "Failed to compile regular "
	    "expression");
	/* v->off is the regex's first byte: "/" or "m" */
	c->error_off = v->off + (c->in[v->off] == 'm' ? 2 : 1) + (size_t)eoff;
	return -1;
}

/* ---- the entry point -------------------------------------------------- */

int
rules_expr_check(const char *expr, unsigned flags, struct rules_expr_err *e)
{
	struct rexpr_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(e, 0, sizeof(*e));
	c.in = expr;
	c.len = strlen(expr);
	c.at_start = 1;
	c.flags = flags;
	c.buf = hconf_xmalloc(SCAN_MAX + 1);
	rc = rexpr_parse_all(&c);
	for (i = 0; i < c.nstrs; i++) {
		free(c.strs[i]);
	}
	free(c.strs);
	free(c.buf);
	if (c.jammed) {
		snprintf(e->msg, sizeof(e->msg), "flex scanner jammed");
		e->off = c.pos;
		e->exits = 1;
		return -1;
	}
	if (c.error[0] != '\0') {
		if (c.error2[0] != '\0') {
			snprintf(e->msg, sizeof(e->msg), "%s: %s", c.error,
			    c.error2);
		} else {
			snprintf(e->msg, sizeof(e->msg), "%s", c.error);
		}
		e->off = c.error_off;
		snprintf(e->detail, sizeof(e->detail), "%s", c.detail);
		return -1;
	}
	if (c.error2[0] != '\0') {
		snprintf(e->msg, sizeof(e->msg), "%s", c.error2);
		e->off = c.error2_off;
		return -1;
	}
	if (rc != 0) {
		snprintf(e->msg, sizeof(e->msg), "syntax error");
		e->off = c.pos;
		return -1;
	}
	return 0;
}
