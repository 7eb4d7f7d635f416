/*
 * modauthz.c - who may connect, as httpd reads it: addresses and subnets
 * as APR parses them, mod_remoteip's proxies and exceptions,
 * mod_authz_core's Require lines, its sections and the check after
 * reading (AH01624), and core's <Limit>/<LimitExcept>.  For modcheck.c
 * and engine.c; it never records.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "modcheck_int.h"

/* ---- mod_remoteip ----------------------------------------------------- */

/* APR's looks_like_ip() for apr_ipsubnet_create(). */
static int
apr_looks_like_ip(const char *s)
{
	if (*s == '\0') {
		return 0;
	}
	if (strchr(s, ':') != NULL) {
		return 1;
	}
	while (*s == '.' || isdigit((unsigned char)*s)) {
		s++;
	}
	return *s == '\0';
}

/* APR's parse_network(): "a.b." forms. */
static int
parse_network(const char *net)
{
	char b[16];
	char *s, *t;
	int shift = 24;

	if (strlen(net) >= sizeof(b)) {
		return -1;
	}
	strcpy(b, net);
	s = b;
	while (*s) {
		t = s;
		if (!isdigit((unsigned char)*t)) {
			return -1;
		}
		while (isdigit((unsigned char)*t)) {
			++t;
		}
		if (*t == '.') {
			*t++ = '\0';
		} else if (*t) {
			return -1;
		}
		if (shift < 0 || atoi(s) > 255) {
			return -1;
		}
		s = t;
		shift -= 8;
	}
	return 0;
}

enum { SUB_OK, SUB_EINVAL, SUB_EBADIP, SUB_EBADMASK };

/* apr_ipsubnet_create(). */
static int
ipsubnet(const char *ip, const char *mask)
{
	unsigned char a[16];
	int v6 = 0;

	if (!apr_looks_like_ip(ip)) {
		return SUB_EINVAL;
	}
	/* an IPv6 address has a ':' (APR tries it first, in vain, else) */
	if (strchr(ip, ':') != NULL && inet_pton(AF_INET6, ip, a) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0xff, 0xff};

		if (memcmp(a, mapped, 12) == 0) {
			return SUB_EBADIP;
		}
		v6 = 1;
	} else if (inet_pton(AF_INET, ip, a) != 1) {
		if (mask != NULL || parse_network(ip) != 0) {
			return SUB_EBADIP;
		}
	}
	if (mask != NULL) {
		char *end;
		long bits = strtol(mask, &end, 10);

		if (*end == '\0' && bits > 0 && bits <= (v6 ? 128 : 32)) {
			return SUB_OK;
		}
		if (!v6 && inet_pton(AF_INET, mask, a) == 1) {
			return SUB_OK;
		}
		return SUB_EBADMASK;
	}
	return SUB_OK;
}

static const char *
subnet_error(int e)
{
	return e == SUB_EBADIP ? "The specified IP address is invalid." :
	    e == SUB_EBADMASK ? "The specified network mask is invalid." :
	    "Invalid argument";
}

/* word into addr without its "/mask" (cut to size, as snprintf would);
 * returns the mask or NULL */
static char *
split_mask(const char *word, char *addr, size_t size)
{
	size_t len = strlen(word);
	char *mask;

	if (len >= size) {
		len = size - 1;
	}
	memcpy(addr, word, len);
	addr[len] = '\0';
	mask = memchr(addr, '/', len);
	if (mask != NULL) {
		*mask++ = '\0';
	}
	return mask;
}

/*
 * "ip address 'X' appears to be invalid", as mod_authz_host's Require ip
 * (X the whole word: whole) and mod_remoteip's exceptions (X without its
 * mask) say it of an address or subnet apr_ipsubnet_create() refuses.
 * 1 with the message in buf, else 0.
 */
static int
ip_refusal(const char *word, int whole, char *buf, size_t size)
{
	char addr[256], *mask = split_mask(word, addr, sizeof(addr));
	int e = ipsubnet(addr, mask);

	if (e == SUB_OK) {
		return 0;
	}
	say(buf, size, "ip address '%s' appears to be invalid%s%s",
	    whole ? word : addr, e == SUB_EINVAL ? "" : ": ",
	    e == SUB_EINVAL ? "" : subnet_error(e));
	return 1;
}

/* proxies_set(): one address, subnet or host name. */
static int
proxy_refusal(const char *name, const char *arg, char *buf, size_t size)
{
	char ip[256];
	char *s = split_mask(arg, ip, sizeof(ip));

	/* mod_remoteip's looks_like_ip() is APR's, but takes "" */
	if (ip[0] == '\0' || apr_looks_like_ip(ip)) {
		int e = ipsubnet(ip, s);

		if (e != SUB_OK) {
			return say(buf, size, "RemoteIP: Error parsing IP %s (%s "
			    "error) for %s", arg, subnet_error(e), name);
		}
		return 0;
	}
	if (s != NULL) {
		return say(buf, size, "RemoteIP: Error parsing IP %s the subnet "
		    "/%s is invalid for %s", arg, s, name);
	}
	{
		/* a host name: httpd resolves it while reading */
		struct addrinfo hints, *res = NULL;
		int rc;

		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		rc = getaddrinfo(ip, NULL, &hints, &res);
		if (res != NULL) {
			freeaddrinfo(res);
		}
		if (rc != 0) {
			return say(buf, size, "RemoteIP: Error parsing IP %s (%s "
			    "error) for %s", arg, rc == EAI_SYSTEM ?
			    strerror(errno) : gai_strerror(rc), name);
		}
	}
	return 0;
}

/*
 * The words of a RemoteIP list, one by one: proxies (name: the
 * directive, which their message names) or, with name NULL, the
 * addresses of RemoteIPProxyProtocolExceptions.
 */
static enum rules_mod_verdict
remoteip_list(const struct hconf_node *n, const char *name, uint32_t *argi,
    char *buf, size_t size)
{
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		*argi = i;
		if (name != NULL ? proxy_refusal(name, n->args[i].value, buf,
		    size) : ip_refusal(n->args[i].value, 0, buf, size)) {
			return RULES_MOD_REFUSED;
		}
	}
	return RULES_MOD_OK;
}

enum rules_mod_verdict
rules_remoteip_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	const char *w = n->word;

	if (hconf_ieq(w, "RemoteIPInternalProxy")) {
		return remoteip_list(n, "RemoteIPInternalProxy", argi, buf,
		    size);
	}
	if (hconf_ieq(w, "RemoteIPTrustedProxy")) {
		return remoteip_list(n, "RemoteIPTrustedProxy", argi, buf,
		    size);
	}
	if (!hconf_ieq(w, "RemoteIPProxyProtocolExceptions")) {
		return RULES_MOD_OK;
	}
	if (n->nargs == 0) {
		*argi = 0;
		return say(buf, size, "RemoteIPProxyProtocolExceptions "
		    "requires an argument");
	}
	return remoteip_list(n, NULL, argi, buf, size);
}

/* ---- mod_authz_core: Require -------------------------------------------- */

/*
 * The authorization providers each module registers, as Debian's 2.4.71
 * has them (checked by loading each module alone with apache2 -t).
 * ap_lookup_provider() compares the name with case.
 */
static const struct {
	const char *module, *providers[7];
} authz_providers[] = {
	{"authz_core_module", {"all", "env", "method", "expr", NULL}},
	{"authz_host_module", {"ip", "host", "forward-dns", "local", NULL}},
	{"authz_user_module", {"user", "valid-user", NULL}},
	{"authz_groupfile_module", {"group", "file-group", NULL}},
	{"authz_dbm_module", {"dbm-group", "dbm-file-group", NULL}},
	{"authz_owner_module", {"file-owner", NULL}},
	{"authz_dbd_module", {"dbd-group", "dbd-login", "dbd-logout", NULL}},
	{"authnz_ldap_module", {"ldap-user", "ldap-group", "ldap-dn",
	    "ldap-attribute", "ldap-filter", "ldap-search", NULL}},
	{"ssl_module", {"ssl", "ssl-verify-client", NULL}},
};

/* 1: a loaded module registers it, 0: none does. */
static int
authz_provider_known(struct rules_modstate *s, const char *name)
{
	size_t i, k;
	const size_t nrows = sizeof(authz_providers) /
	    sizeof(authz_providers[0]);

	if (!s->providers_read) {
		/* the module list is final once parsed: look once */
		for (i = 0; i < nrows; i++) {
			if (rules_mod_loaded(s->doc, authz_providers[i].module)) {
				s->providers_loaded |= 1u << i;
			}
		}
		s->providers_read = 1;
	}
	for (i = 0; i < nrows; i++) {
		if (!(s->providers_loaded & (1u << i))) {
			continue;
		}
		for (k = 0; authz_providers[i].providers[k] != NULL; k++) {
			const char *p = authz_providers[i].providers[k];

			if (p[0] == name[0] && strcmp(p, name) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

/* httpd's built-in methods (ap_method_number_of), with case. */
static int
known_method(const char *m)
{
	static const char *const methods[] = {"GET", "HEAD", "PUT", "POST",
	    "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND",
	    "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
	    "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
	    "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL",
	    "MERGE", NULL};
	size_t i;

	for (i = 0; methods[i] != NULL; i++) {
		if (strcmp(methods[i], m) == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * The authorization section a Require line goes to: <RequireAll>,
 * <RequireAny> or <RequireNone> around it (through <Limit> and the
 * conditional sections), else the per-directory config's own, which
 * combines as <RequireAny>.
 */
static const char *
authz_section(const struct hconf_node *n)
{
	for (n = n->parent; n != NULL && n->kind == HCONF_SECTION;
	    n = n->parent) {
		if (n->word == NULL) {
			break;
		}
		if (hconf_ieq(n->word, "RequireAll")) {
			return "RequireAll";
		}
		if (hconf_ieq(n->word, "RequireAny")) {
			return "RequireAny";
		}
		if (hconf_ieq(n->word, "RequireNone")) {
			return "RequireNone";
		}
		if (!(n->flags & HCONF_NODE_COND) &&
		    !hconf_ieq(n->word, "Limit") &&
		    !hconf_ieq(n->word, "LimitExcept")) {
			break;
		}
	}
	return "RequireAny";
}

/*
 * mod_authz_core's add_authz_provider(): "not", the provider looked up
 * by name, the provider's own parse of the rest of the line (all, method
 * and ip, whose checks are known), then a negation in an OR section.
 */
/* Every node under root, in order, without recursion (any depth). */
static void
alias_scan(struct rules_modstate *s, const struct hconf_node *root)
{
	const struct hconf_node *n = root->first;

	while (n != NULL) {
		/* both names start with 'A': most lines go at that test */
		if (n->nargs >= 2 && n->word != NULL &&
		    (n->word[0] | 0x20) == 'a' &&
		    ((n->kind == HCONF_SECTION &&
		    hconf_ieq(n->word, "AuthzProviderAlias")) ||
		    (n->kind == HCONF_DIRECTIVE &&
		    hconf_ieq(n->word, "AuthnzFcgiDefineProvider")))) {
			if (s->naliases == s->capaliases) {
				s->capaliases = s->capaliases * 2 + 4;
				s->aliases = hconf_xrealloc(s->aliases,
				    s->capaliases * sizeof(*s->aliases));
			}
			s->aliases[s->naliases++] = n->args[1].value;
		}
		if (n->first != NULL) {
			n = n->first;
			continue;
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent == root ? NULL : n->parent;
		}
		if (n != NULL) {
			n = n->next;
		}
	}
}

/*
 * A provider the configuration registers by name, anywhere in it (httpd
 * wants it read before the Require line; mpmlint does not judge the
 * order).  The files are read once, at the first Require.
 */
static int
authz_alias(struct rules_modstate *s, const char *name)
{
	size_t i;

	if (!s->aliases_read) {
		uint32_t f, nf = hconf_doc_nfiles(s->doc);

		s->aliases_read = 1;
		for (f = 0; f < nf; f++) {
			const struct hconf_file *hf = hconf_doc_file(s->doc, f);

			if (hf != NULL && hf->root != NULL) {
				alias_scan(s, hf->root);
			}
		}
	}
	for (i = 0; i < s->naliases; i++) {
		if (strcmp(s->aliases[i], name) == 0) {
			return 1;
		}
	}
	return 0;
}

enum rules_mod_verdict
rules_require_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, uint32_t *argi, char *buf, size_t size)
{
	const char *name = "", *sec;
	uint32_t k = 0, i;
	int negate = 0;

	if (n->nargs > 0 && hconf_ieq(n->args[0].value, "not")) {
		negate = 1;
		k = 1;
	}
	if (k < n->nargs) {
		name = n->args[k].value;
	}
	*argi = k < n->nargs ? k : n->nargs;
	if (authz_alias(s, name) || (mc->third_party &&
	    !authz_provider_known(s, name))) {
		/* an alias, or a module we do not know may have it */
		return RULES_MOD_OK;
	}
	if (!authz_provider_known(s, name)) {
		return say(buf, size, "Unknown Authz provider: %s", name);
	}
	if (strcmp(name, "all") == 0) {
		char rest[64] = "";

		if (k + 1 < n->nargs) {
			/* the rest of the line as written: quotes count */
			const struct hconf_file *f = hconf_doc_file(mc->doc,
			    n->file_id);
			const struct hconf_arg *a = &n->args[k + 1];

			if (k + 2 == n->nargs && f != NULL &&
			    !(n->flags & HCONF_NODE_EXPANDED) &&
			    a->raw.len < sizeof(rest)) {
				/* "%.*s": up to the first NUL of the span */
				size_t len = strnlen(f->buf + a->raw.off,
				    a->raw.len);

				memcpy(rest, f->buf + a->raw.off, len);
				rest[len] = '\0';
			} else {
				rest[0] = '?';
				rest[1] = '\0';
			}
		}
		if (!hconf_ieq(rest, "granted") &&
		    !hconf_ieq(rest, "denied")) {
			return say(buf, size, "Argument for 'Require all' must "
			    "be 'granted' or 'denied'");
		}
	} else if (strcmp(name, "method") == 0) {
		for (i = k + 1; i < n->nargs; i++) {
			if (n->args[i].value[0] == '\0') {
				break; /* ap_getword_conf's loop ends there */
			}
			if (!known_method(n->args[i].value)) {
				*argi = i;
				return say(buf, size, "Invalid Method '%s'",
				    n->args[i].value);
			}
		}
	} else if (strcmp(name, "ip") == 0) {
		if (k + 1 >= n->nargs || n->args[k + 1].value[0] == '\0') {
			return say(buf, size, "'require ip' requires an argument");
		}
		for (i = k + 1; i < n->nargs && n->args[i].value[0] != '\0';
		    i++) {
			*argi = i;
			/* an address that passed passes again */
			if (strset_has(&s->ips_ok, n->args[i].value, 0)) {
				continue;
			}
			if (ip_refusal(n->args[i].value, 1, buf, size)) {
				return RULES_MOD_REFUSED;
			}
			strset_add(&s->ips_ok, n->args[i].value, 0);
		}
	}
	sec = authz_section(n);
	if (negate && strcmp(sec, "RequireAll") != 0) {
		*argi = 0;
		return say(buf, size, "negative Require directive has no effect "
		    "in <%s> directive", sec);
	}
	return RULES_MOD_OK;
}

/* Does an authz section hold a Require line or section httpd reads? */
static int
authz_children(const struct hconf_node *sec)
{
	const struct hconf_node *c;

	for (c = sec->first; c != NULL; c = c->next) {
		if (c->word == NULL || !(c->flags & HCONF_NODE_ACTIVE) ||
		    (c->kind != HCONF_DIRECTIVE && c->kind != HCONF_SECTION)) {
			continue;
		}
		if (hconf_ieq(c->word, "Require") ||
		    hconf_ieq(c->word, "RequireAll") ||
		    hconf_ieq(c->word, "RequireAny") ||
		    hconf_ieq(c->word, "RequireNone")) {
			return 1;
		}
		if (c->kind == HCONF_SECTION && ((c->flags & HCONF_NODE_COND) ||
		    hconf_ieq(c->word, "Limit") ||
		    hconf_ieq(c->word, "LimitExcept")) &&
		    authz_children(c)) {
			return 1;
		}
	}
	return 0;
}

/*
 * mod_authz_core's tree of one authorization section, as the handlers
 * build it: a child section that is not negated and combines as its
 * parent does is spliced into it ("be associative").
 */
struct az {
	const struct hconf_node *node;  /* the section, NULL for a Require */
	int negate, and;
	struct az *kids;
	size_t n, cap;
};

static void
az_free(struct az *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		az_free(&a->kids[i]);
	}
	free(a->kids);
}

static void
az_push(struct az *a, const struct az *k)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->kids = hconf_xrealloc(a->kids, a->cap * sizeof(*a->kids));
	}
	a->kids[a->n++] = *k;
}

static int
az_kind(const char *w, int *and, int *negate)
{
	if (hconf_ieq(w, "RequireAll")) {
		*and = 1, *negate = 0;
	} else if (hconf_ieq(w, "RequireAny")) {
		*and = 0, *negate = 0;
	} else if (hconf_ieq(w, "RequireNone")) {
		*and = 0, *negate = 1;
	} else {
		return 0;
	}
	return 1;
}

static void
az_build(struct az *a, const struct hconf_node *sec)
{
	const struct hconf_node *c;

	for (c = sec->first; c != NULL; c = c->next) {
		struct az k;

		if (c->word == NULL || !(c->flags & HCONF_NODE_ACTIVE)) {
			continue;
		}
		memset(&k, 0, sizeof(k));
		if (c->kind == HCONF_DIRECTIVE &&
		    hconf_ieq(c->word, "Require")) {
			k.negate = c->nargs > 0 &&
			    hconf_ieq(c->args[0].value, "not");
			az_push(a, &k);
		} else if (c->kind == HCONF_SECTION &&
		    az_kind(c->word, &k.and, &k.negate)) {
			k.node = c;
			az_build(&k, c);
			if (k.n == 0) {
				az_free(&k);
			} else if (!k.negate && k.and == a->and) {
				size_t i;

				for (i = 0; i < k.n; i++) {
					az_push(a, &k.kids[i]);
				}
				free(k.kids);
			} else {
				az_push(a, &k);
			}
		} else if (c->kind == HCONF_SECTION &&
		    ((c->flags & HCONF_NODE_COND) ||
		    hconf_ieq(c->word, "Limit") ||
		    hconf_ieq(c->word, "LimitExcept"))) {
			az_build(a, c);
		}
	}
}

/*
 * authz_core_check_section(): the children first, a negated child that
 * combines otherwise lifted with its children negated (De Morgan); then
 * a section whose children are all negated is AH01624.  Returns the
 * section at fault, or NULL.
 */
static const struct az *
az_check(struct az *a)
{
	size_t i, k;

	for (i = 0; i < a->n; i++) {
		struct az *c = &a->kids[i];
		const struct az *bad;

		if (c->node == NULL || c->n == 0) {
			continue;
		}
		if ((bad = az_check(c)) != NULL) {
			return bad;
		}
		if (c->negate && c->and != a->and) {
			struct az lift = *c;

			/* c's children take its place, negated */
			memmove(a->kids + i, a->kids + i + 1,
			    (a->n - i - 1) * sizeof(*a->kids));
			a->n--;
			for (k = 0; k < lift.n; k++) {
				lift.kids[k].negate = !lift.kids[k].negate;
				if (a->n == a->cap) {
					a->cap = a->cap * 2 + 4;
					a->kids = hconf_xrealloc(a->kids,
					    a->cap * sizeof(*a->kids));
				}
				memmove(a->kids + i + k + 1, a->kids + i + k,
				    (a->n - i - k) * sizeof(*a->kids));
				a->kids[i + k] = lift.kids[k];
				a->n++;
			}
			free(lift.kids);
			i += lift.n;
			i--;
		}
	}
	for (i = 0; i < a->n; i++) {
		if (!a->kids[i].negate) {
			return NULL;
		}
	}
	return a;
}

/*
 * The check httpd makes after reading (AH01624, "Configuration check
 * failed"), for an authorization section that is not inside another:
 * 1 with the message in buf and the section at fault in *at.
 */
int
rules_authz_negative_check(const struct hconf_node *sec,
    const struct hconf_node **at, char *buf, size_t size)
{
	struct az top;
	const struct az *bad;
	int r = 0;

	memset(&top, 0, sizeof(top));
	if (sec->word == NULL || !az_kind(sec->word, &top.and, &top.negate) ||
	    strcmp(authz_section(sec), "RequireAny") != 0 ||
	    (!top.and && !top.negate)) {
		/* nested, or a <RequireAny> spliced into the directory's own
		 * section (whose negations httpd refuses while reading) */
		return 0;
	}
	top.node = sec;
	az_build(&top, sec);
	if (top.n > 0 && (bad = az_check(&top)) != NULL) {
		int and, neg;

		(void)az_kind(bad->node->word, &and, &neg);
		*at = bad->node;
		r = say(buf, size, "<Require%s> directive contains only "
		    "negative authorization directives", and ? "All" :
		    neg ? "None" : "Any") != 0;
	}
	az_free(&top);
	return r;
}

/*
 * <Limit> and <LimitExcept> (core's ap_limit_section): the methods as
 * a bit set, httpd's built-in ones by their numbers (ap_method_number_of
 * compares with case), any other name registered as a method of its own.
 */
static uint64_t
method_bit(const char *m)
{
	static const char *const builtin[] = {"GET", "PUT", "POST", "DELETE",
	    "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "PROPPATCH",
	    "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL",
	    "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT",
	    "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE", NULL};
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; builtin[i] != NULL; i++) {
		if (strcmp(builtin[i], m) == 0) {
			return (uint64_t)1 << i;
		}
	}
	for (; *m != '\0'; m++) {
		h = (h ^ (unsigned char)*m) * 16777619u;
	}
	/* registered: numbers after the built-in ones, below the top bit */
	return (uint64_t)1 << (26 + h % 37);
}

/* The methods a <Limit> or <LimitExcept> section keeps. */
static uint64_t
limit_bits(const struct hconf_node *sec)
{
	uint64_t b = 0;
	uint32_t i;

	for (i = 0; i < sec->nargs; i++) {
		b |= method_bit(sec->args[i].value);
	}
	return hconf_ieq(sec->word, "LimitExcept") ? ~b : b;
}

int
rules_limit_check(const struct hconf_node *sec, char *buf, size_t size)
{
	const struct hconf_node *p;
	uint64_t old = ~(uint64_t)0, lim;
	int except;
	uint32_t i;

	if (sec->word == NULL || sec->nargs == 0) {
		return 0;
	}
	except = hconf_ieq(sec->word, "LimitExcept");
	if (!except && !hconf_ieq(sec->word, "Limit")) {
		return 0;
	}
	for (p = sec->parent; p != NULL && p->kind == HCONF_SECTION;
	    p = p->parent) {
		if (p->word == NULL) {
			break;
		}
		if (hconf_ieq(p->word, "Limit") ||
		    hconf_ieq(p->word, "LimitExcept")) {
			old &= limit_bits(p);
		} else if (hconf_ieq(p->word, "RequireAll") ||
		    hconf_ieq(p->word, "RequireAny") ||
		    hconf_ieq(p->word, "RequireNone")) {
			old &= ~((uint64_t)1 << 63);
		} else if (!(p->flags & HCONF_NODE_COND)) {
			break;
		}
	}
	for (i = 0; i < sec->nargs && !except; i++) {
		if (strcmp(sec->args[i].value, "TRACE") == 0) {
			return say(buf, size, "TRACE cannot be controlled by "
			    "<Limit>, see TraceEnable");
		}
	}
	lim = limit_bits(sec);
	if ((old & lim) == 0) {
		return say(buf, size, "<%s> directive excludes all methods",
		    except ? "LimitExcept" : "Limit");
	}
	if ((old & lim) == old) {
		return say(buf, size, "<%s> directive specifies methods already "
		    "excluded", except ? "LimitExcept" : "Limit");
	}
	return 0;
}

int
rules_authz_section_check(const struct hconf_node *sec, char *buf,
    size_t size)
{
	const char *name, *parent;

	if (sec->word == NULL) {
		return 0;
	}
	name = hconf_ieq(sec->word, "RequireAll") ? "RequireAll" :
	    hconf_ieq(sec->word, "RequireAny") ? "RequireAny" :
	    hconf_ieq(sec->word, "RequireNone") ? "RequireNone" : NULL;
	if (name == NULL) {
		return 0;
	}
	/* add_authz_section(): after its children, as httpd walks them */
	if (!authz_children(sec)) {
		return say(buf, size, "<%s> directive contains no "
		    "authorization directives", name);
	}
	parent = authz_section(sec);
	if (strcmp(name, "RequireNone") == 0 &&
	    strcmp(parent, "RequireAll") != 0) {
		return say(buf, size, "<RequireNone> directive has no effect "
		    "in <%s> directive", parent);
	}
	return 0;
}
