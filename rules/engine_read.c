/*
 * engine_read.c - what core refuses while httpd reads the configuration,
 * in the walk of rules_lint(): Listen (its words, the same address
 * twice, a host name that does not resolve), an active Error directive,
 * <If>/<ElseIf>/<Else> and their ap_expr, SetEnvIfExpr.  readtime.c,
 * expr.c and resolve.c decide; this file records through engine.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "ieq.h"
#include "expr.h"
#include "readtime.h"
#include "resolve.h"

/* ---- Listen ----------------------------------------------------------- */

/*
 * ap_set_listener's view of "[host:]port": no host or "*" is the
 * wildcard, the host compares as written (case matters), the port as a
 * number, so 8080, *:8080 and 08080 are one listener.
 */
static void
split_listen(const char *a, char *host, size_t size, long *port)
{
	const char *colon;

	host[0] = '\0';
	if (a[0] == '[') {
		const char *rb = strchr(a, ']');

		colon = rb != NULL ? strchr(rb, ':') : NULL;
	} else {
		colon = strrchr(a, ':');
	}
	if (colon == NULL) {
		*port = strtol(a, NULL, 10);
		return;
	}
	*port = strtol(colon + 1, NULL, 10);
	if ((size_t)(colon - a) < size) {
		memcpy(host, a, (size_t)(colon - a));
		host[colon - a] = '\0';
	}
	if (strcmp(host, "*") == 0) {
		host[0] = '\0';
	}
}

static int
same_listener(const char *a, const char *b)
{
	char ha[256], hb[256];
	long pa, pb;

	split_listen(a, ha, sizeof(ha), &pa);
	split_listen(b, hb, sizeof(hb), &pb);
	return pa == pb && strcmp(ha, hb) == 0;
}

/* Listen: httpd refuses the same address and port twice. */
static void
listen_dup(struct rules_walk *c, const struct hconf_node *n)
{
	size_t i;

	for (i = 0; i < c->nlistens; i++) {
		const struct hconf_node *o = c->listens[i];

		if (same_listener(o->args[0].value, n->args[0].value)) {
			const struct hconf_file *f = hconf_doc_file(c->doc,
			    o->file_id);

			rules_at_arg(c, R_DUP_LISTEN, n, 0, "AH00526", "Cannot "
			    "define multiple Listeners on the same IP:port (%s "
			    "is already given at %s:%u)", n->args[0].value,
			    f->path, o->line_last);
			return;
		}
	}
	if (c->nlistens == c->caplistens) {
		c->caplistens = c->caplistens ? c->caplistens * 2 : 8;
		c->listens = hconf_xrealloc(c->listens,
		    c->caplistens * sizeof(*c->listens));
	}
	c->listens[c->nlistens++] = n;
}

/* Listen: ap_set_listener()'s checks of its arguments. */
static int
check_listen_args(struct rules_walk *c, const struct hconf_node *n)
{
	uint32_t i;
	const char *m = rules_listen_refusal(n, &i);

	if (m == NULL) {
		return 1;
	}
	if (i >= n->nargs) {
		rules_at_node(c, R_LISTEN_ARGS, n, "AH00526", "%s", m);
	} else {
		rules_at_arg(c, R_LISTEN_ARGS, n, i, "AH00526", "%s", m);
	}
	return 0;
}

/* how long one Listen name may take to resolve */
#define RESOLVE_MS 10000

/*
 * Listen's host name: alloc_listener() resolves it when it reads the
 * line, apache2 -t included, and a name that does not resolve stops
 * httpd (AH00077, then "Listen setup failed").  Looked up on this
 * machine only when the caller asks (cfg->resolve); for a --root tree
 * the server is elsewhere, so a failure there is a note.  After one
 * lookup timed out no other is tried.
 */
static void
check_listen_host(struct rules_walk *c, const struct hconf_node *n)
{
	char host[256], why[256];
	size_t before = c->res->n;
	int r;

	/* no MPM or two: httpd never walks to the Listen line */
	if (c->cfg->resolve == 0 || c->resolve_gave_up ||
	    c->mpm == RULES_MPM_NONE || c->mpm_refused ||
	    rules_listen_host(n, host, sizeof(host)) == NULL) {
		return;
	}
	r = rules_resolve(host, RESOLVE_MS, why, sizeof(why));
	if (r == 0) {
		return;
	}
	if (r < 0) {
		c->resolve_gave_up = 1;
		rules_at_arg(c, R_LISTEN_ARGS, n, 0, NULL, "Listen %s: the "
		    "host name was not resolved (%s); httpd waits for its "
		    "resolver here, and later Listen names are not looked up",
		    host, why);
	} else if (c->cfg->resolve == 2) {
		rules_at_arg(c, R_LISTEN_ARGS, n, 0, NULL, "Listen %s: the "
		    "host name does not resolve on this machine (%s); the "
		    "server (--root) may resolve it", host, why);
	} else {
		rules_at_arg(c, R_LISTEN_ARGS, n, 0, "AH00526", "Listen setup "
		    "failed (%s: AH00077: alloc_listener: failed to set up "
		    "sockaddr for %s)", why, host);
		return;
	}
	if (c->res->n > before) {
		c->res->f[c->res->n - 1].sev = HCONF_SEV_NOTE;
	}
}

/* Listen, once httpd accepted its context and argument count. */
void
rules_check_listen(struct rules_walk *c, const struct hconf_node *n)
{
	size_t before;

	if (!check_listen_args(c, n)) {
		return;
	}
	before = c->res->n;
	/* alloc_listener(): the same address first, then the name */
	listen_dup(c, n);
	if (c->res->n == before) {
		check_listen_host(c, n);
	}
}

/* ---- Error, <If>, SetEnvIfExpr ----------------------------------------- */

/* The last <If>/<ElseIf>/<Else> of one scope (httpd's sec_if list). */
struct if_scope {
	const struct hconf_node *scope; /* enclosing section, NULL: server */
	int last;                       /* 0, or IF_KIND_* of the last one */
};

/* Error: httpd stops reading with the directive's own message. */
void
rules_check_error_directive(struct rules_walk *c, const struct hconf_node *n)
{
	char msg[1024];

	rules_error_text(c->doc, n, msg, sizeof(msg));
	rules_at_node(c, R_ERROR_DIRECTIVE, n, "AH00526", "%s (an Error "
	    "directive in an active part of the configuration: httpd does not "
	    "start)", msg);
}

enum { IF_KIND_IF = 1, IF_KIND_ELSE = 2, IF_KIND_ELSEIF = 3 };

/*
 * The sec_if chain of the scope n sits in: the enclosing section that
 * is not a conditional (httpd's per-directory configuration), or the
 * server.  Chains of scopes that are closed are dropped on the way.
 */
static struct if_scope *
if_scope_of(struct rules_walk *c)
{
	const struct hconf_node *scope = rules_enclosing_section(c);
	size_t i;

	while (c->nifs > 0 && c->ifs[c->nifs - 1].scope != scope) {
		const struct hconf_node *t = c->ifs[c->nifs - 1].scope;
		int open = t == NULL;

		for (i = 0; i < c->nsecs && !open; i++) {
			open = c->secs[i] == t;
		}
		if (open) {
			break;
		}
		c->nifs--;
	}
	if (c->nifs > 0 && c->ifs[c->nifs - 1].scope == scope) {
		return &c->ifs[c->nifs - 1];
	}
	if (c->nifs == c->capifs) {
		c->capifs = c->capifs ? c->capifs * 2 : 16;
		c->ifs = hconf_xrealloc(c->ifs, c->capifs * sizeof(*c->ifs));
	}
	c->ifs[c->nifs].scope = scope;
	c->ifs[c->nifs].last = 0;
	return &c->ifs[c->nifs++];
}

/* Map an offset in an argument's value to the source, when it can. */
static uint32_t
arg_offset(const struct hconf_node *n, uint32_t i, size_t voff)
{
	const struct hconf_arg *a = &n->args[i];
	size_t vlen = strlen(a->value);
	uint32_t q = a->quote ? 1u : 0u;

	if (!(n->flags & HCONF_NODE_EXPANDED) && a->raw.len == vlen + 2 * q &&
	    voff <= vlen) {
		return a->raw.off + q + (uint32_t)voff;
	}
	return a->raw.off;
}

/*
 * An ap_expr in n's first argument that httpd cannot parse: <If>'s
 * words (expr NULL) or SetEnvIfExpr's, which quote the expression.
 */
static void
expr_refused(struct rules_walk *c, const struct hconf_node *n,
    const struct rules_expr_err *e, const char *expr)
{
	uint32_t off = arg_offset(n, 0, e->off);
	const char *open = e->detail[0] ? " (" : "";
	const char *close = e->detail[0] ? ")" : "";

	if (e->exits) {
		rules_add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
		    n->line_last, NULL, n, "%s (httpd's expression scanner "
		    "finds no rule for this byte, prints this and exits with "
		    "status 2)", e->msg);
	} else if (expr == NULL) {
		rules_add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
		    n->line_last, "AH00526", n, "Cannot parse condition "
		    "clause: %s%s%s%s", e->msg, open, e->detail, close);
	} else {
		rules_add_finding(c, RULE_INFO(R_IF_EXPR), n->file_id, off,
		    n->line_last, "AH00526", n, "Could not parse expression "
		    "\"%s\": %s%s%s%s", expr, e->msg, open, e->detail, close);
	}
}

/* <If>, <ElseIf>, <Else> as core's ifsection() reads them. */
void
rules_check_if_section(struct rules_walk *c, const struct hconf_node *n)
{
	int kind = hconf_ieq(n->word, "If") ? IF_KIND_IF :
	    hconf_ieq(n->word, "ElseIf") ? IF_KIND_ELSEIF : IF_KIND_ELSE;
	const char *reg = kind == IF_KIND_IF ? "If" : kind == IF_KIND_ELSEIF ?
	    "ElseIf" : "Else";
	struct if_scope *sc;
	struct rules_expr_err e;

	if (kind == IF_KIND_ELSE && n->nargs > 0) {
		rules_at_arg(c, R_IF_SECTION, n, 0, "AH00526", "<Else> does "
		    "not take an argument");
		return;
	}
	if (kind != IF_KIND_ELSE && n->nargs == 0) {
		rules_at_node(c, R_IF_SECTION, n, "AH00526", "<%s> directive "
		    "requires additional arguments", reg);
		return;
	}
	if (kind != IF_KIND_ELSE &&
	    rules_expr_check(n->args[0].value, c->expr_flags, &e) != 0) {
		expr_refused(c, n, &e, NULL);
		return;
	}
	/* after the children in httpd, at the section's line */
	sc = if_scope_of(c);
	if ((kind & IF_KIND_ELSE) && !(sc->last & IF_KIND_IF)) {
		rules_at_node(c, R_IF_SECTION, n, "AH00526", "<Else> or "
		    "<ElseIf> section without previous <If> or <ElseIf> "
		    "section in same scope");
	} else if (kind != IF_KIND_ELSE && n->nargs > 1) {
		rules_at_arg(c, R_IF_SECTION, n, 1, "AH00526", "Multiple <%s> "
		    "arguments not supported.", reg);
	}
	sc->last = kind;
}

/* SetEnvIfExpr: an ap_expr like <If>'s, then at least one variable. */
void
rules_check_setenvifexpr(struct rules_walk *c, const struct hconf_node *n)
{
	struct rules_expr_err e;

	if (n->nargs == 0 || n->args[0].value[0] == '\0') {
		rules_at_node(c, R_VALUE_REFUSED, n, "AH00526", "Missing "
		    "expression for SetEnvIfExpr");
		return;
	}
	if (rules_expr_check(n->args[0].value, c->expr_flags, &e) != 0) {
		expr_refused(c, n, &e, n->args[0].value);
		return;
	}
	if (n->nargs == 1) {
		rules_at_node(c, R_VALUE_REFUSED, n, "AH00526", "Missing "
		    "envariable expression for SetEnvIfExpr");
	}
}
