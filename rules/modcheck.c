/*
 * modcheck.c - what the handlers of Debian's usual loadable modules
 * refuse while httpd reads the configuration: mod_headers' actions and
 * formats, mod_rewrite's argument line, flags, options, base and maps,
 * mod_alias' redirects, mod_remoteip's addresses, mod_reqtimeout's
 * parameters, mod_expires' codes, mod_autoindex's options, mod_filter's
 * providers, and mod_env's warning for an unset PassEnv variable.  Pure
 * checks over one node (and mod_filter's declared filters); it never
 * records and never reads a file (parser/files.c does that).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "expr.h"
#include "modcheck.h"

/* mod_filter: the filters declared in one configuration (section). */
struct filt {
	const struct hconf_node *section;
	char *name;
	char *providers; /* ";p1;p2;" */
};

/* mod_autoindex: IndexOptions' opts of one configuration so far. */
struct idxopts {
	const struct hconf_node *section;
	int none, other; /* NO_OPTIONS and any other bit set */
};

struct rules_modstate {
	const struct hconf_doc *doc;
	struct filt *f;
	size_t nf, capf;
	struct idxopts *io;
	size_t nio, capio;
	int filters_known; /* every loaded module is in out_filters[] */
	/* providers the configuration itself names: <AuthzProviderAlias
	 * BASE NAME ...> and mod_authnz_fcgi's AuthnzFcgiDefineProvider */
	const char **aliases;
	size_t naliases, capaliases;
	int aliases_read;
};

/*
 * The output filters each module registers (ap_get_output_filter_handle
 * looks them up, without case).  A module not listed here, or listed
 * with NULL (mod_ext_filter, mod_lua: names from the configuration),
 * makes every name possible.
 */
static const struct {
	const char *module;
	const char *names[8];
} out_filters[] = {
	{"core_module", {"CONTENT_LENGTH", "CORE", "OLD_WRITE", "SUBREQ_CORE"}},
	{"http_module", {"BYTERANGE", "CHUNK", "HTTP_HEADER", "HTTP_OUTERROR"}},
	{"logio_module", {"LOGIO_TTFB_OUT"}},
	{"so_module", {NULL}}, {"watchdog_module", {NULL}},
	{"log_config_module", {NULL}}, {"version_module", {NULL}},
	{"unixd_module", {NULL}},
	{"mpm_event_module", {NULL}}, {"mpm_worker_module", {NULL}},
	{"mpm_prefork_module", {NULL}},
	{"deflate_module", {"DEFLATE", "INFLATE"}},
	{"headers_module", {"FIXUP_HEADERS_OUT", "FIXUP_HEADERS_ERR"}},
	{"expires_module", {"MOD_EXPIRES"}},
	{"include_module", {"INCLUDES"}},
	{"substitute_module", {"SUBSTITUTE"}},
	{"sed_module", {"Sed"}},
	{"buffer_module", {"BUFFER"}},
	{"ratelimit_module", {"RATE_LIMIT"}},
	{"data_module", {"DATA"}},
	{"brotli_module", {"BROTLI_COMPRESS"}},
	{"dumpio_module", {"DUMPIO_OUT"}},
	/* no output filter of their own */
	{"alias_module", {NULL}}, {"auth_basic_module", {NULL}},
	{"authn_core_module", {NULL}}, {"authn_file_module", {NULL}},
	{"authz_core_module", {NULL}}, {"authz_host_module", {NULL}},
	{"authz_user_module", {NULL}}, {"autoindex_module", {NULL}},
	{"dir_module", {NULL}}, {"env_module", {NULL}},
	{"filter_module", {NULL}}, {"mime_module", {NULL}},
	{"negotiation_module", {NULL}}, {"setenvif_module", {NULL}},
	{"status_module", {NULL}}, {"access_compat_module", {NULL}},
	{"rewrite_module", {NULL}}, {"remoteip_module", {NULL}},
	{"reqtimeout_module", {"reqtimeout"}}, {"cgi_module", {NULL}},
	{"cgid_module", {NULL}}, {"userdir_module", {NULL}},
	{"macro_module", {NULL}}, {"actions_module", {NULL}},
	{"authz_groupfile_module", {NULL}},
};

static int
loaded(const struct hconf_doc *doc, const char *ident)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	for (i = 0; i < n; i++) {
		if (strcmp(m[i].ident, ident) == 0) {
			return 1;
		}
	}
	return 0;
}

struct rules_modstate *
rules_modstate_new(const struct hconf_doc *doc)
{
	struct rules_modstate *s = hconf_xcalloc(1, sizeof(*s));
	size_t n, i, k;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	s->doc = doc;
	s->filters_known = 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(out_filters) / sizeof(out_filters[0]); k++) {
			if (strcmp(m[i].ident, out_filters[k].module) == 0) {
				break;
			}
		}
		if (k == sizeof(out_filters) / sizeof(out_filters[0])) {
			s->filters_known = 0;
		}
	}
	return s;
}

void
rules_modstate_free(struct rules_modstate *s)
{
	size_t i;

	if (s == NULL) {
		return;
	}
	for (i = 0; i < s->nf; i++) {
		free(s->f[i].name);
		free(s->f[i].providers);
	}
	free(s->f);
	free(s->io);
	free(s->aliases);
	free(s);
}

/* The registered name of an output filter, or NULL when none has it
 * (only meaningful with filters_known). */
static const char *
out_filter(const struct rules_modstate *s, const char *name)
{
	size_t k, j;

	for (k = 0; k < sizeof(out_filters) / sizeof(out_filters[0]); k++) {
		if (!loaded(s->doc, out_filters[k].module) &&
		    strcmp(out_filters[k].module, "core_module") != 0 &&
		    strcmp(out_filters[k].module, "http_module") != 0) {
			continue;
		}
		for (j = 0; j < 8 && out_filters[k].names[j] != NULL; j++) {
			if (strcasecmp(out_filters[k].names[j], name) == 0) {
				return out_filters[k].names[j];
			}
		}
	}
	return NULL;
}

static struct filt *
filt_find(struct rules_modstate *s, const struct hconf_node *sec,
    const char *name)
{
	size_t i;

	for (i = 0; i < s->nf; i++) {
		if (s->f[i].section == sec && strcmp(s->f[i].name, name) == 0) {
			return &s->f[i];
		}
	}
	return NULL;
}

static void
filt_add(struct rules_modstate *s, const struct hconf_node *sec,
    const char *name, const char *provider)
{
	struct filt *f = filt_find(s, sec, name);

	if (f == NULL) {
		if (s->nf == s->capf) {
			s->capf = s->capf ? s->capf * 2 : 16;
			s->f = hconf_xrealloc(s->f, s->capf * sizeof(*s->f));
		}
		f = &s->f[s->nf++];
		f->section = sec;
		f->name = hconf_xstrdup(name);
		f->providers = hconf_xstrdup(";");
	}
	if (provider != NULL) {
		size_t l = strlen(f->providers) + strlen(provider) + 2;
		char *p = hconf_xmalloc(l);

		snprintf(p, l, "%s%s;", f->providers, provider);
		free(f->providers);
		f->providers = p;
	}
}

/* ---- helpers ------------------------------------------------------- */

static int
say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * The argument text a RAW_ARGS handler gets: from the first word to the
 * end of the last, as written (joined words for a line that ${VAR}
 * changed or that continues over several lines).
 */
static void
raw_args(const struct hconf_doc *doc, const struct hconf_node *n, char *buf,
    size_t size)
{
	const struct hconf_file *f = hconf_doc_file(doc, n->file_id);
	size_t len, l = 0;
	uint32_t i;

	buf[0] = '\0';
	if (n->nargs == 0) {
		return;
	}
	if (n->flags & (HCONF_NODE_EXPANDED | HCONF_NODE_CONTINUED)) {
		for (i = 0; i < n->nargs && l < size; i++) {
			l += (size_t)snprintf(buf + l, size - l, "%s%s",
			    i ? " " : "", n->args[i].value);
		}
		return;
	}
	len = n->args[n->nargs - 1].raw.off + n->args[n->nargs - 1].raw.len -
	    n->args[0].raw.off;
	snprintf(buf, size, "%.*s", (int)len, f->buf + n->args[0].raw.off);
}

/* A word of a list the handler compares without case. */
static int
word_in(const char *w, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcasecmp(w, list[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* An ap_expr that must parse (boolean).  0, or the verdict with
 * "<head><httpd's error>" in buf. */
static enum rules_mod_verdict
expr_refusal(const struct rules_modctx *mc, const char *expr, unsigned more,
    const char *head, char *buf, size_t size)
{
	struct rules_expr_err e;

	if (rules_expr_check(expr, mc->expr_flags | more, &e) == 0) {
		return RULES_MOD_OK;
	}
	if (e.exits) {
		snprintf(buf, size, "%s (httpd's expression scanner finds no "
		    "rule for this byte, prints this and exits with status 2)",
		    e.msg);
		return RULES_MOD_JAMMED;
	}
	snprintf(buf, size, "%s%s", head, e.msg);
	return RULES_MOD_REFUSED;
}

/* ---- mod_headers ----------------------------------------------------- */

/* ap_pregcomp() with httpd's default flags: does the regex compile? */
static int
regex_ok(const char *re)
{
	int err;
	PCRE2_SIZE eoff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_DUPNAMES | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY, &err, &eoff,
	    NULL);

	if (code == NULL) {
		return 0;
	}
	pcre2_code_free(code);
	return 1;
}

/* A format string's % tags (parse_format_tag). */
static int
header_format(const char *s, char *buf, size_t size)
{
	while ((s = strchr(s, '%')) != NULL) {
		s++;
		if (*s == '%' || *s == '\0') {
			if (*s != '\0') {
				s++;
			}
			continue;
		}
		if (*s == '{') {
			const char *e = strchr(s, '}');

			s = e != NULL ? e + 1 : s + strlen(s);
		}
		if (*s == '\0' || strchr("Dtesilb", *s) == NULL) {
			return say(buf, size, "Unrecognized header format %%%c",
			    *s);
		}
		s++;
	}
	return 0;
}

static enum rules_mod_verdict
header_check(const struct rules_modctx *mc, const struct hconf_node *n,
    uint32_t *argi, char *buf, size_t size)
{
	static const char *const actions[] = {"set", "setifempty", "add",
	    "append", "merge", "unset", "echo", "edit", "edit*", "note", NULL};
	int out = strcasecmp(n->word, "Header") == 0;
	const char *name = out ? "Header" : "RequestHeader";
	const char *action, *hdr, *val, *subs, *env;
	uint32_t i = 0, first;
	int edit, unset, echo;

	*argi = n->nargs;
	action = i < n->nargs ? n->args[i++].value : "";
	if (out && (strcasecmp(action, "always") == 0 ||
	    strcasecmp(action, "onsuccess") == 0)) {
		action = i < n->nargs ? n->args[i++].value : "";
	}
	first = i;
	hdr = i < n->nargs ? n->args[i++].value : "";
	val = i < n->nargs ? n->args[i++].value : NULL;
	subs = i < n->nargs ? n->args[i++].value : NULL;
	env = i < n->nargs ? n->args[i++].value : NULL;
	if (i < n->nargs) {
		*argi = i;
		return say(buf, size, "%s has too many arguments", name);
	}
	if (!word_in(action, actions)) {
		*argi = first > 0 ? first - 1 : n->nargs;
		return say(buf, size, "first argument must be 'add', 'set', "
		    "'setifempty', 'append', 'merge', 'unset', 'echo', 'note', "
		    "'edit', or 'edit*'.");
	}
	edit = strncasecmp(action, "edit", 4) == 0;
	unset = strcasecmp(action, "unset") == 0;
	echo = strcasecmp(action, "echo") == 0;
	if (edit) {
		if (subs == NULL) {
			return say(buf, size, "Header edit requires a match and "
			    "a substitution");
		}
		if (!regex_ok(val)) {
			*argi = first + 1;
			return say(buf, size, "Header edit regex could not be "
			    "compiled");
		}
	} else {
		if (env != NULL) {
			return say(buf, size, "Too many arguments to directive");
		}
		env = subs;
	}
	if (unset || echo) {
		if (val != NULL) {
			if (env != NULL) {
				return say(buf, size, unset ? "header unset "
				    "takes two arguments" : "Header echo takes "
				    "two arguments");
			}
			env = val;
			val = NULL;
		}
		if (echo && !out) {
			return say(buf, size, "Header echo only valid on Header "
			    "directives");
		}
		if (echo && !regex_ok(hdr)) {
			*argi = first;
			return say(buf, size, "Header echo regex could not be "
			    "compiled");
		}
	} else if (val == NULL) {
		return say(buf, size, "Header requires three arguments");
	}
	if (env != NULL) {
		if (strcasecmp(env, "early") == 0) {
			/* fine */
		} else if (strncasecmp(env, "env=", 4) == 0) {
			if (env[4] == '\0' || (env[4] == '!' && env[5] == '\0')) {
				return say(buf, size, "error: missing environment "
				    "variable name. envclause should be in the form "
				    "env=envar ");
			}
		} else if (strncasecmp(env, "expr=", 5) == 0) {
			enum rules_mod_verdict v = expr_refusal(mc, env + 5, 0,
			    "Can't parse envclause/expression: ", buf, size);

			if (v != RULES_MOD_OK) {
				return v;
			}
		} else {
			return say(buf, size, "Unknown parameter: %s", env);
		}
	}
	if (unset || echo) {
		return RULES_MOD_OK;
	}
	if (edit) {
		val = subs;
	}
	if (strncmp(val, "expr=", 5) == 0) {
		*argi = edit ? first + 2 : first + 1;
		return expr_refusal(mc, val + 5, RULES_EXPR_STRING, "Can't parse "
		    "value expression : ", buf, size);
	}
	return header_format(val, buf, size) ? RULES_MOD_REFUSED : RULES_MOD_OK;
}

/* ---- mod_rewrite ------------------------------------------------------ */

/* parseargline(): 0 with the words, or 1 when there is no second one. */
static int
parseargline(char *str, char **a1, char **a2, char **a3)
{
	char quote;
	int k;
	char **out[3] = {a1, a2, a3};

	*a3 = NULL;
	for (k = 0; k < 3; k++) {
		while (isspace((unsigned char)*str)) {
			++str;
		}
		if (k == 2 && *str == '\0') {
			return 0;
		}
		quote = (*str == '"' || *str == '\'') ? *str++ : '\0';
		*out[k] = str;
		for (; *str; ++str) {
			if ((isspace((unsigned char)*str) && !quote) ||
			    *str == quote) {
				break;
			}
			if (*str == '\\' && isspace((unsigned char)str[1])) {
				++str;
			}
		}
		if (*str == '\0') {
			if (k == 0) {
				return 1;
			}
			return 0;
		}
		*str++ = '\0';
	}
	return 0;
}

/* cmd_parseflagfield(): the flags one by one through check(). */
static int
flagfield(char *key, int (*check)(const char *, const char *, char *,
    size_t), char *buf, size_t size)
{
	char *endp = key + strlen(key) - 1, *nextp, *val;

	if (*key != '[' || *endp != ']') {
		return say(buf, size, "bad flag delimiters");
	}
	*endp = ',';
	++key;
	while (*key) {
		while (isspace((unsigned char)*key)) {
			++key;
		}
		if (!*key || (nextp = strchr(key, ',')) == NULL) {
			break;
		}
		endp = nextp - 1;
		while (endp >= key && isspace((unsigned char)*endp)) {
			--endp;
		}
		*++endp = '\0';
		val = strchr(key, '=');
		if (val != NULL) {
			*val++ = '\0';
		} else {
			val = endp;
		}
		if (check(key, val, buf, size)) {
			return 1;
		}
		key = nextp + 1;
	}
	return 0;
}

static int
cond_flag(const char *key, const char *val, char *buf, size_t size)
{
	static const char *const ok[] = {"nocase", "NC", "ornext", "OR",
	    "novary", "NV", NULL};

	(void)val;
	if (word_in(key, ok)) {
		return 0;
	}
	return say(buf, size, "unknown flag '%s'", key);
}

/* The status lines httpd knows (ap_index_of_response). */
static int
known_status(int s)
{
	static const int codes[] = {100, 101, 102, 103, 200, 201, 202, 203, 204,
	    205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
	    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
	    413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428, 429, 431,
	    451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (codes[i] == s) {
			return 1;
		}
	}
	return 0;
}

/* cmd_rewriterule_setflag(): the first letter, then the rest. */
static int
rule_flag(const char *key, const char *val, char *buf, size_t size)
{
	char c = (char)tolower((unsigned char)key[0]);
	const char *k = key + 1;
	int bad = 0;

	switch (key[0] == '\0' ? '\0' : c) {
	case 'b':
		if (!*k || !strcasecmp(k, "ackrefescaping") ||
		    !strcasecmp(k, "NP") || !strcasecmp(k, "ackrefernoplus") ||
		    !strcasecmp(k, "CTLS")) {
			break;
		}
		if (!strcasecmp(k, "NE")) {
			if (val == NULL || *val == '\0') {
				return say(buf, size, "flag 'BNE' wants a list of "
				    "characters (i.e. [BNE=...])");
			}
			break;
		}
		bad = 1;
		break;
	case 'c':
		bad = !(!*k || !strcasecmp(k, "hain") || !strcasecmp(k, "O") ||
		    !strcasecmp(k, "ookie"));
		break;
	case 'd':
		break; /* D... is always accepted */
	case 'e':
		bad = !(!*k || !strcasecmp(k, "nv") || !strcasecmp(k, "nd"));
		break;
	case 'f':
		bad = !(!*k || !strcasecmp(k, "orbidden"));
		break;
	case 'g':
		bad = !(!*k || !strcasecmp(k, "one"));
		break;
	case 'h':
		bad = !(!*k || !strcasecmp(k, "andler"));
		break;
	case 'l':
		bad = !(!*k || !strcasecmp(k, "ast"));
		break;
	case 'n':
		bad = !(!strcasecmp(k, "E") || !strcasecmp(k, "oescape") ||
		    !*k || !strcasecmp(k, "ext") || !strcasecmp(k, "S") ||
		    !strcasecmp(k, "osubreq") || !strcasecmp(k, "C") ||
		    !strcasecmp(k, "ocase"));
		break;
	case 'p':
		bad = !(!*k || !strcasecmp(k, "roxy") || !strcasecmp(k, "T") ||
		    !strcasecmp(k, "assthrough"));
		break;
	case 'q':
		bad = !(!strcasecmp(k, "SA") || !strcasecmp(k, "sappend") ||
		    !strcasecmp(k, "SD") || !strcasecmp(k, "sdiscard") ||
		    !strcasecmp(k, "SL") || !strcasecmp(k, "slast"));
		break;
	case 'r':
		if (!*k || !strcasecmp(k, "edirect")) {
			if (*val && isdigit((unsigned char)*val) &&
			    strcasecmp(val, "permanent") != 0) {
				int st = hconf_atoi(val);

				if (st != 500 && !known_status(st)) {
					return say(buf, size, "invalid HTTP response "
					    "code '%s' for flag 'R'", val);
				}
			}
			break;
		}
		bad = 1;
		break;
	case 's':
		bad = !(!*k || !strcasecmp(k, "kip"));
		break;
	case 't':
		bad = !(!*k || !strcasecmp(k, "ype"));
		break;
	case 'u':
		bad = !(!strcasecmp(k, "nsafePrefixStat") ||
		    !strcasecmp(k, "nsafeAllow3F") || !strcasecmp(k, "NC"));
		break;
	default:
		bad = 1;
		break;
	}
	if (bad) {
		return say(buf, size, "unknown flag '%s'", key);
	}
	return 0;
}

/* RewriteCond's pattern type: 1 regex, 2 string compare, 3 other test,
 * 4 ap_expr; *pat is moved past the operator as httpd does. */
static int
cond_type(const char *input, const char **pat)
{
	const char *a2 = *pat;

	if (*a2 == '!') {
		a2++;
	}
	*pat = a2;
	if (strcasecmp(input, "expr") == 0) {
		return 4;
	}
	if (!(*a2 && a2[1])) {
		return 1;
	}
	if (*a2 == '-') {
		if (!a2[2]) {
			if (strchr("fsdxhLlUF", a2[1]) != NULL) {
				return 3;
			}
			return 1;
		}
		if (a2[3] && ((a2[1] == 'l' && (a2[2] == 't' || a2[2] == 'e')) ||
		    (a2[1] == 'g' && (a2[2] == 't' || a2[2] == 'e')) ||
		    (a2[1] == 'e' && a2[2] == 'q') ||
		    (a2[1] == 'n' && a2[2] == 'e'))) {
			*pat = a2 + 3;
			return 3;
		}
		return 1;
	}
	if (*a2 == '>' || *a2 == '<') {
		*pat = a2[1] == '=' ? a2 + 2 : a2 + 1;
		return 2;
	}
	if (*a2 == '=') {
		*pat = a2 + 1;
		if (strcmp(a2 + 1, "\"\"") == 0) {
			*pat = a2 + 3;
		}
		return 2;
	}
	return 1;
}

int
rules_rewritecond_regex(const char *input, const char *pattern)
{
	return cond_type(input, &pattern) == 1;
}

static enum rules_mod_verdict
rewrite_check(const struct rules_modctx *mc, const struct hconf_node *n,
    int phase, uint32_t *next, uint32_t *argi, const char **ah, char *buf,
    size_t size)
{
	const char *w = n->word;
	int rule = strcasecmp(w, "RewriteRule") == 0;
	char raw[4096], copy[4096], *a1, *a2, *a3;
	char flagbuf[4096];

	*argi = n->nargs;
	if (strcasecmp(w, "RewriteBase") == 0) {
		if (phase != 1 || n->nargs != 1) {
			return RULES_MOD_OK;
		}
		if (!mc->perdir) {
			return say(buf, size, "RewriteBase: only valid in "
			    "per-directory config files");
		}
		*argi = 0;
		if (n->args[0].value[0] == '\0') {
			return say(buf, size, "RewriteBase: empty URL not allowed");
		}
		if (n->args[0].value[0] != '/') {
			return say(buf, size, "RewriteBase: argument is not a "
			    "valid URL");
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "RewriteOptions") == 0) {
		static const char *const opts[] = {"inherit", "inheritbefore",
		    "inheritdown", "inheritdownbefore", "ignoreinherit",
		    "allownoslash", "allowanyuri", "mergebase",
		    "ignorecontextinfo", "legacyprefixdocroot",
		    "UnsafePrefixStat", NULL};
		uint32_t i;

		if (phase != 1) {
			return RULES_MOD_OK;
		}
		for (i = 0; i < n->nargs; i++) {
			const char *o = n->args[i].value;

			*argi = i;
			if (word_in(o, opts)) {
				continue;
			}
			if (strncasecmp(o, "MaxRedirects=", 13) == 0) {
				continue; /* AH00664: see rules_module_check */
			}
			return say(buf, size, "RewriteOptions: unknown option "
			    "'%s'", o);
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "RewriteMap") == 0) {
		const char *a;

		if (phase != 1 || n->nargs < 2) {
			return RULES_MOD_OK;
		}
		a = n->args[1].value;
		*argi = 1;
		if (strncasecmp(a, "dbm", 3) == 0 && a[3] != ':' &&
		    (a[3] != '=' || strchr(a + 4, ':') == NULL)) {
			return say(buf, size, "RewriteMap: bad map:%s", a);
		}
		if ((strncasecmp(a, "dbd:", 4) == 0 ||
		    strncasecmp(a, "fastdbd:", 8) == 0) &&
		    !loaded(mc->doc, "dbd_module")) {
			return say(buf, size, "RewriteMap types dbd and fastdbd "
			    "require mod_dbd!");
		}
		if (strncasecmp(a, "int:", 4) == 0) {
			static const char *const maps[] = {"tolower", "toupper",
			    "escape", "unescape", NULL};
			size_t k;

			for (k = 0; maps[k] != NULL; k++) {
				if (strcmp(a + 4, maps[k]) == 0) {
					return RULES_MOD_OK;
				}
			}
			return say(buf, size, "RewriteMap: internal map not "
			    "found:%s", a + 4);
		}
		/* the map files are parser/files.c's */
		return RULES_MOD_OK;
	}
	if (!rule && strcasecmp(w, "RewriteCond") != 0) {
		return RULES_MOD_OK;
	}
	raw_args(mc->doc, n, raw, sizeof(raw));
	snprintf(copy, sizeof(copy), "%s", raw);
	if (parseargline(copy, &a1, &a2, &a3)) {
		if (phase != 0) {
			return RULES_MOD_OK;
		}
		return say(buf, size, "%s: bad argument line '%s'",
		    rule ? "RewriteRule" : "RewriteCond", raw);
	}
	if (phase == 0) {
		if (a3 != NULL) {
			char err[4200];

			snprintf(flagbuf, sizeof(flagbuf), "%s", a3);
			if (flagfield(flagbuf, rule ? rule_flag : cond_flag, err,
			    sizeof(err))) {
				*argi = n->nargs >= 3 ? 2 : n->nargs;
				return say(buf, size, "%s: %s", rule ?
				    "RewriteRule" : "RewriteCond", err);
			}
		}
		return RULES_MOD_OK;
	}
	if (!rule) {
		const char *pat = a2;
		int t = cond_type(a1, &pat);
		int nocase = 0;

		if (a3 != NULL) {
			char *p;

			snprintf(flagbuf, sizeof(flagbuf), "%s", a3);
			for (p = flagbuf; *p; p++) {
				*p = (char)tolower((unsigned char)*p);
			}
			/* the flag words, as cond_flag() accepted them */
			p = flagbuf + 1;
			while (*p) {
				size_t l = strcspn(p, ",]");
				char *s = p, *e = p + l;

				while (s < e && isspace((unsigned char)*s)) {
					s++;
				}
				while (e > s && isspace((unsigned char)e[-1])) {
					e--;
				}
				if ((e - s == 6 && strncmp(s, "nocase", 6) == 0) ||
				    (e - s == 2 && strncmp(s, "nc", 2) == 0)) {
					nocase = 1;
				}
				p += l;
				if (*p) {
					p++;
				}
			}
		}
		if (t != 1 && t != 2 && nocase && *next == 0) {
			const struct hconf_file *f = hconf_doc_file(mc->doc,
			    n->file_id);

			*ah = "AH00665";
			*next = 1;
			*argi = n->nargs >= 3 ? 2 : n->nargs;
			say(buf, size, "RewriteCond: NoCase option for non-regex "
			    "pattern '%s' is not supported and will be ignored. "
			    "(%s:%u)", pat, f->path, (unsigned)n->line_last);
			return RULES_MOD_WARNING;
		}
		if (t == 4) {
			char head[4200];

			/* Debian's 2.4.71 puts no colon after the expression */
			snprintf(head, sizeof(head), "RewriteCond: cannot compile "
			    "expression \"%s\" ", pat);
			*argi = n->nargs >= 2 ? 1 : n->nargs;
			return expr_refusal(mc, pat, 0, head, buf, size);
		}
	}
	return RULES_MOD_OK;
}

/* ---- mod_alias -------------------------------------------------------- */

/* ap_is_url(): a scheme, then ':'. */
static int
is_url(const char *u)
{
	int x;

	for (x = 0; u[x] != ':'; x++) {
		if (!u[x] || (!isalnum((unsigned char)u[x]) && u[x] != '+' &&
		    u[x] != '-' && u[x] != '.')) {
			return 0;
		}
	}
	return x ? 1 : 0;
}

static enum rules_mod_verdict
redirect_check(const struct rules_modctx *mc, const struct hconf_node *n,
    int phase, uint32_t *argi, char *buf, size_t size)
{
	const char *w = n->word, *arg1, *arg2, *arg3, *url;
	int status, grok = 1, regex = strcasecmp(w, "RedirectMatch") == 0;

	if (n->nargs < 1 || n->nargs > 3) {
		return RULES_MOD_OK;
	}
	status = strcasecmp(w, "RedirectPermanent") == 0 ? 301 : 302;
	arg1 = n->args[0].value;
	arg2 = n->nargs > 1 ? n->args[1].value : NULL;
	arg3 = n->nargs > 2 ? n->args[2].value : NULL;
	if (strcasecmp(arg1, "permanent") == 0) {
		status = 301;
	} else if (strcasecmp(arg1, "temp") == 0) {
		status = 302;
	} else if (strcasecmp(arg1, "seeother") == 0) {
		status = 303;
	} else if (strcasecmp(arg1, "gone") == 0) {
		status = 410;
		grok = -1;
	} else if (isdigit((unsigned char)*arg1)) {
		status = hconf_atoi(arg1);
		if (status < 300 || status >= 400) {
			grok = -1;
		}
	} else {
		grok = 0;
	}
	*argi = 0;
	if (arg3 != NULL && !grok) {
		return phase == 0 ? say(buf, size, "Redirect: invalid first "
		    "argument (of three)") : RULES_MOD_OK;
	}
	if (phase == 0) {
		return RULES_MOD_OK;
	}
	if (mc->perdir && ((grok > 0 && arg2 && !arg3) || (!grok && !arg2))) {
		char head[4200];

		url = grok ? arg2 : arg1;
		*argi = grok ? 1 : 0;
		snprintf(head, sizeof(head), "Cannot parse redirect expression "
		    "'%s': ", url);
		return expr_refusal(mc, url, RULES_EXPR_STRING, head, buf, size);
	}
	if (mc->perdir && grok < 0 && !arg2) {
		return RULES_MOD_OK;
	}
	url = arg3;
	if (!arg3 && !grok) {
		url = arg2;
	}
	*argi = n->nargs - 1;
	if (status >= 300 && status < 400) {
		if (url == NULL) {
			*argi = n->nargs;
			return say(buf, size, "URL to redirect to is missing");
		}
		if (!regex && !is_url(url) && url[0] != '/') {
			return say(buf, size, "Redirect to non-URL");
		}
	} else if (url != NULL) {
		return say(buf, size, "Redirect URL not valid for this status");
	}
	return RULES_MOD_OK;
}

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
	if (inet_pton(AF_INET6, ip, a) == 1) {
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

/*
 * "ip address 'X' appears to be invalid", as mod_authz_host's Require ip
 * (X the whole word: whole) and mod_remoteip's exceptions (X without its
 * mask) say it of an address or subnet apr_ipsubnet_create() refuses.
 * 1 with the message in buf, else 0.
 */
static int
ip_refusal(const char *word, int whole, char *buf, size_t size)
{
	char addr[256], *mask;
	int e;

	snprintf(addr, sizeof(addr), "%s", word);
	mask = strchr(addr, '/');
	if (mask != NULL) {
		*mask++ = '\0';
	}
	e = ipsubnet(addr, mask);
	if (e == SUB_OK) {
		return 0;
	}
	say(buf, size, "ip address '%s' appears to be invalid%s%s",
	    whole ? word : addr, e == SUB_EINVAL ? "" : ": ",
	    e == SUB_EINVAL ? "" : subnet_error(e));
	return 1;
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
authz_provider_known(const struct hconf_doc *doc, const char *name)
{
	size_t i, k;

	for (i = 0; i < sizeof(authz_providers) / sizeof(authz_providers[0]);
	    i++) {
		for (k = 0; authz_providers[i].providers[k] != NULL; k++) {
			if (strcmp(authz_providers[i].providers[k], name) == 0 &&
			    loaded(doc, authz_providers[i].module)) {
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
		if (strcasecmp(n->word, "RequireAll") == 0) {
			return "RequireAll";
		}
		if (strcasecmp(n->word, "RequireAny") == 0) {
			return "RequireAny";
		}
		if (strcasecmp(n->word, "RequireNone") == 0) {
			return "RequireNone";
		}
		if (!(n->flags & HCONF_NODE_COND) &&
		    strcasecmp(n->word, "Limit") != 0 &&
		    strcasecmp(n->word, "LimitExcept") != 0) {
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
		if (n->word != NULL && n->nargs >= 2 &&
		    ((n->kind == HCONF_SECTION &&
		    strcasecmp(n->word, "AuthzProviderAlias") == 0) ||
		    (n->kind == HCONF_DIRECTIVE &&
		    strcasecmp(n->word, "AuthnzFcgiDefineProvider") == 0))) {
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

static enum rules_mod_verdict
require_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, uint32_t *argi, char *buf, size_t size)
{
	const char *name = "", *sec;
	uint32_t k = 0, i;
	int negate = 0;

	if (n->nargs > 0 && strcasecmp(n->args[0].value, "not") == 0) {
		negate = 1;
		k = 1;
	}
	if (k < n->nargs) {
		name = n->args[k].value;
	}
	*argi = k < n->nargs ? k : n->nargs;
	if (authz_alias(s, name) || (mc->third_party &&
	    !authz_provider_known(mc->doc, name))) {
		/* an alias, or a module we do not know may have it */
		return RULES_MOD_OK;
	}
	if (!authz_provider_known(mc->doc, name)) {
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
				snprintf(rest, sizeof(rest), "%.*s",
				    (int)a->raw.len, f->buf + a->raw.off);
			} else {
				snprintf(rest, sizeof(rest), "%s", "?");
			}
		}
		if (strcasecmp(rest, "granted") != 0 &&
		    strcasecmp(rest, "denied") != 0) {
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
			if (ip_refusal(n->args[i].value, 1, buf, size)) {
				return RULES_MOD_REFUSED;
			}
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
		if (strcasecmp(c->word, "Require") == 0 ||
		    strcasecmp(c->word, "RequireAll") == 0 ||
		    strcasecmp(c->word, "RequireAny") == 0 ||
		    strcasecmp(c->word, "RequireNone") == 0) {
			return 1;
		}
		if (c->kind == HCONF_SECTION && ((c->flags & HCONF_NODE_COND) ||
		    strcasecmp(c->word, "Limit") == 0 ||
		    strcasecmp(c->word, "LimitExcept") == 0) &&
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
	if (strcasecmp(w, "RequireAll") == 0) {
		*and = 1, *negate = 0;
	} else if (strcasecmp(w, "RequireAny") == 0) {
		*and = 0, *negate = 0;
	} else if (strcasecmp(w, "RequireNone") == 0) {
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
		    strcasecmp(c->word, "Require") == 0) {
			k.negate = c->nargs > 0 &&
			    strcasecmp(c->args[0].value, "not") == 0;
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
		    strcasecmp(c->word, "Limit") == 0 ||
		    strcasecmp(c->word, "LimitExcept") == 0)) {
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
	return strcasecmp(sec->word, "LimitExcept") == 0 ? ~b : b;
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
	except = strcasecmp(sec->word, "LimitExcept") == 0;
	if (!except && strcasecmp(sec->word, "Limit") != 0) {
		return 0;
	}
	for (p = sec->parent; p != NULL && p->kind == HCONF_SECTION;
	    p = p->parent) {
		if (p->word == NULL) {
			break;
		}
		if (strcasecmp(p->word, "Limit") == 0 ||
		    strcasecmp(p->word, "LimitExcept") == 0) {
			old &= limit_bits(p);
		} else if (strcasecmp(p->word, "RequireAll") == 0 ||
		    strcasecmp(p->word, "RequireAny") == 0 ||
		    strcasecmp(p->word, "RequireNone") == 0) {
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
	name = strcasecmp(sec->word, "RequireAll") == 0 ? "RequireAll" :
	    strcasecmp(sec->word, "RequireAny") == 0 ? "RequireAny" :
	    strcasecmp(sec->word, "RequireNone") == 0 ? "RequireNone" : NULL;
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

/* mod_remoteip's looks_like_ip(): a colon, or digits and dots. */
static int
remoteip_looks_like_ip(const char *s)
{
	if (strchr(s, ':') != NULL) {
		return 1;
	}
	while (*s == '.' || isdigit((unsigned char)*s)) {
		s++;
	}
	return *s == '\0';
}

/* proxies_set(): one address, subnet or host name. */
static int
proxy_refusal(const char *name, const char *arg, char *buf, size_t size)
{
	char ip[256];
	char *s;

	snprintf(ip, sizeof(ip), "%s", arg);
	s = strchr(ip, '/');
	if (s != NULL) {
		*s++ = '\0';
	}
	if (remoteip_looks_like_ip(ip)) {
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

static enum rules_mod_verdict
remoteip_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	const char *w = n->word;
	uint32_t i;

	if (strcasecmp(w, "RemoteIPInternalProxy") == 0 ||
	    strcasecmp(w, "RemoteIPTrustedProxy") == 0) {
		const char *name = strcasecmp(w, "RemoteIPInternalProxy") == 0 ?
		    "RemoteIPInternalProxy" : "RemoteIPTrustedProxy";

		for (i = 0; i < n->nargs; i++) {
			*argi = i;
			if (proxy_refusal(name, n->args[i].value, buf, size)) {
				return RULES_MOD_REFUSED;
			}
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "RemoteIPProxyProtocolExceptions") == 0) {
		if (n->nargs == 0) {
			*argi = 0;
			return say(buf, size, "RemoteIPProxyProtocolExceptions "
			    "requires an argument");
		}
		for (i = 0; i < n->nargs; i++) {
			*argi = i;
			if (ip_refusal(n->args[i].value, 0, buf, size)) {
				return RULES_MOD_REFUSED;
			}
		}
	}
	return RULES_MOD_OK;
}

/* ---- mod_reqtimeout --------------------------------------------------- */

/* parse_int(): a whole non-negative number. */
static int
rt_int(const char *arg, long *v, char *buf, size_t size)
{
	char *end;

	*v = strtol(arg, &end, 10);
	if (end == arg) {
		return say(buf, size, "Value '%s' not numerical", end);
	}
	if (*end != '\0') {
		return say(buf, size, "Cannot parse '%s'", end);
	}
	if ((int)*v < 0) {
		return say(buf, size, "Value must be non-negative");
	}
	*v = (int)*v;
	return 0;
}

static int
rt_param(const char *key, const char *val, char *buf, size_t size)
{
	const char *rate;
	long timeout = 0, max = 0, minrate = 0;

	if (strcasecmp(key, "handshake") != 0 && strcasecmp(key, "header") != 0 &&
	    strcasecmp(key, "body") != 0) {
		return say(buf, size, "Unknown RequestReadTimeout parameter");
	}
	rate = strcasestr(val, ",minrate=");
	if (rate != NULL) {
		char init[1024], *dash;

		snprintf(init, sizeof(init), "%.*s", (int)(rate - val), val);
		if (rt_int(rate + 9, &minrate, buf, size)) {
			return 1;
		}
		if (minrate == 0) {
			return say(buf, size, "Minimum data rate must be larger "
			    "than 0");
		}
		dash = strchr(init, '-');
		if (dash != NULL) {
			*dash++ = '\0';
			if (rt_int(dash, &max, buf, size)) {
				return 1;
			}
		}
		if (rt_int(init, &timeout, buf, size)) {
			return 1;
		}
	} else {
		if (strchr(val, '-') != NULL) {
			return say(buf, size, "Must set MinRate option if using "
			    "timeout range");
		}
		if (rt_int(val, &timeout, buf, size)) {
			return 1;
		}
	}
	if (max && timeout >= max) {
		return say(buf, size, "Maximum timeout must be larger than "
		    "initial timeout");
	}
	return 0;
}

static enum rules_mod_verdict
reqtimeout_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		char word[1024], err[1200], *val;

		*argi = i;
		snprintf(word, sizeof(word), "%s", n->args[i].value);
		val = strchr(word, '=');
		if (val == NULL) {
			return say(buf, size, "Invalid RequestReadTimeout "
			    "parameter. Parameter must be in the form "
			    "'key=value'");
		}
		*val++ = '\0';
		if (rt_param(word, val, err, sizeof(err))) {
			return say(buf, size, "RequestReadTimeout: %s=%s: %s",
			    word, val, err);
		}
	}
	return RULES_MOD_OK;
}

/* ---- mod_expires ------------------------------------------------------ */

/* ap_getword_conf() over a string: the next word, unquoted. */
static const char *
next_word(const char **s, char *w, size_t size)
{
	const char *p = *s;
	size_t l = 0;
	char q;

	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p == '"' || *p == '\'') {
		q = *p++;
		while (*p && *p != q) {
			if (*p == '\\' && (p[1] == q || p[1] == '\\')) {
				p++;
			}
			if (l + 1 < size) {
				w[l++] = *p;
			}
			p++;
		}
		if (*p) {
			p++;
		}
	} else {
		while (*p && !isspace((unsigned char)*p)) {
			if (l + 1 < size) {
				w[l++] = *p;
			}
			p++;
		}
	}
	while (isspace((unsigned char)*p)) {
		p++;
	}
	w[l] = '\0';
	*s = p;
	return w;
}

/* check_code(): "<base> [plus] {<num> <type>}*" (or A/M seconds). */
static int
expires_code(const char *code, char *buf, size_t size)
{
	char w[512];

	if (code[0] == 'A' || code[0] == 'M') {
		return 0;
	}
	next_word(&code, w, sizeof(w));
	if (strncasecmp(w, "n", 1) != 0 && strncasecmp(w, "a", 1) != 0 &&
	    strncasecmp(w, "m", 1) != 0) {
		return say(buf, size, "bad expires code, unrecognised <base> "
		    "'%s'", w);
	}
	next_word(&code, w, sizeof(w));
	if (strncasecmp(w, "p", 1) == 0) {
		next_word(&code, w, sizeof(w));
	}
	while (w[0]) {
		if (!isdigit((unsigned char)w[0])) {
			return say(buf, size, "bad expires code, numeric value "
			    "expected <num> '%s'", w);
		}
		next_word(&code, w, sizeof(w));
		if (w[0] == '\0') {
			return say(buf, size, "bad expires code, missing <type>");
		}
		if (strncasecmp(w, "y", 1) != 0 && strncasecmp(w, "mo", 2) != 0 &&
		    strncasecmp(w, "w", 1) != 0 && strncasecmp(w, "d", 1) != 0 &&
		    strncasecmp(w, "h", 1) != 0 && strncasecmp(w, "mi", 2) != 0 &&
		    strncasecmp(w, "s", 1) != 0) {
			return say(buf, size, "bad expires code, unrecognised "
			    "<type>'%s'", w);
		}
		next_word(&code, w, sizeof(w));
	}
	return 0;
}

static enum rules_mod_verdict
expires_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	char err[1200];

	if (strcasecmp(n->word, "ExpiresDefault") == 0 && n->nargs == 1) {
		*argi = 0;
		if (expires_code(n->args[0].value, err, sizeof(err))) {
			return say(buf, size, "'ExpiresDefault %s': %s",
			    n->args[0].value, err);
		}
	} else if (strcasecmp(n->word, "ExpiresByType") == 0 && n->nargs == 2) {
		*argi = 0;
		if (strchr(n->args[0].value, '/') == NULL) {
			return say(buf, size, "Invalid mimetype: should contain "
			    "a slash");
		}
		*argi = 1;
		if (expires_code(n->args[1].value, err, sizeof(err))) {
			return say(buf, size, "'ExpiresByType %s %s': %s",
			    n->args[0].value, n->args[1].value, err);
		}
	}
	return RULES_MOD_OK;
}

/* ---- mod_autoindex ---------------------------------------------------- */

static struct idxopts *
idx_of(struct rules_modstate *s, const struct hconf_node *sec)
{
	size_t i;

	for (i = 0; i < s->nio; i++) {
		if (s->io[i].section == sec) {
			return &s->io[i];
		}
	}
	if (s->nio == s->capio) {
		s->capio = s->capio ? s->capio * 2 : 16;
		s->io = hconf_xrealloc(s->io, s->capio * sizeof(*s->io));
	}
	s->io[s->nio].section = sec;
	s->io[s->nio].none = s->io[s->nio].other = 0;
	return &s->io[s->nio++];
}

/* add_opts(): the words, and the opts the configuration has so far. */
static enum rules_mod_verdict
indexoptions_check(struct rules_modstate *st, const struct rules_modctx *mc,
    const struct hconf_node *n, uint32_t *argi, char *buf, size_t size)
{
	struct idxopts *io = idx_of(st, mc->section);
	static const char *const flags[] = {"FancyIndexing", "FoldersFirst",
	    "HTMLTable", "IconsAreLinks", "IgnoreCase", "IgnoreClient",
	    "ScanHTMLTitles", "SuppressColumnSorting", "SuppressDescription",
	    "SuppressHTMLPreamble", "SuppressIcon", "SuppressLastModified",
	    "SuppressSize", "SuppressRules", "TrackModified", "VersionSort",
	    "XHTML", "ShowForbidden", "AddAltClass", NULL};
	uint32_t i;
	int none = io->none, other = io->other;

	for (i = 0; i < n->nargs; i++) {
		const char *w = n->args[i].value;
		char action = 0;

		*argi = i;
		if (*w == '+' || *w == '-') {
			action = *w++;
		}
		if (word_in(w, flags)) {
			if (action == 0) {
				other = 1;
			}
		} else if (strcasecmp(w, "None") == 0) {
			if (action != 0) {
				return say(buf, size, "Cannot combine '+' or '-' "
				    "with 'None' keyword");
			}
			none = 1;
			other = 0;
		} else if (strcasecmp(w, "IconWidth") == 0 ||
		    strcasecmp(w, "IconHeight") == 0 ||
		    strncasecmp(w, "Type=", 5) == 0 ||
		    strncasecmp(w, "Charset=", 8) == 0 ||
		    strcasecmp(w, "UseOldDateFormat") == 0) {
			/* fine */
		} else if (strncasecmp(w, "IconWidth=", 10) == 0 ||
		    strncasecmp(w, "IconHeight=", 11) == 0) {
			if (action == '-') {
				return say(buf, size, "Cannot combine '-' with "
				    "%s=n", strncasecmp(w, "IconWidth=", 10) == 0 ?
				    "IconWidth" : "IconHeight");
			}
		} else if (strcasecmp(w, "NameWidth") == 0 ||
		    strcasecmp(w, "DescriptionWidth") == 0) {
			if (action != '-') {
				return say(buf, size, "%s with no value may only "
				    "appear as '-%s'", strcasecmp(w, "NameWidth") ==
				    0 ? "NameWidth" : "DescriptionWidth",
				    strcasecmp(w, "NameWidth") == 0 ? "NameWidth" :
				    "DescriptionWidth");
			}
		} else if (strncasecmp(w, "NameWidth=", 10) == 0 ||
		    strncasecmp(w, "DescriptionWidth=", 17) == 0) {
			int nw = strncasecmp(w, "NameWidth=", 10) == 0;
			const char *v = w + (nw ? 10 : 17);
			int width;

			if (action == '-') {
				return say(buf, size, "Cannot combine '-' with %s=n",
				    nw ? "NameWidth" : "DescriptionWidth");
			}
			width = *v == '*' ? 0 : hconf_atoi(v);
			if (width && width < (nw ? 5 : 12)) {
				return say(buf, size, nw ? "NameWidth value must be "
				    "greater than 5" : "DescriptionWidth value must "
				    "be greater than 12");
			}
		} else {
			return say(buf, size, "Invalid directory indexing option");
		}
	}
	if (none && other) {
		*argi = n->nargs;
		return say(buf, size, "Cannot combine other IndexOptions "
		    "keywords with 'None'");
	}
	io->none = none;
	io->other = other;
	return RULES_MOD_OK;
}

/* ---- mod_filter ------------------------------------------------------- */

static enum rules_mod_verdict
filter_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, uint32_t *argi, char *buf, size_t size)
{
	const char *w = n->word;

	if (strcasecmp(w, "FilterDeclare") == 0 && n->nargs >= 1) {
		filt_add(s, mc->section, n->args[0].value, NULL);
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "AddOutputFilterByType") == 0) {
		char names[1024], *tok, *save = NULL;

		if (n->nargs < 2) {
			*argi = n->nargs;
			return say(buf, size, "AddOutputFilterByType requires at "
			    "least two arguments");
		}
		*argi = 0;
		snprintf(names, sizeof(names), "%s", n->args[0].value);
		for (tok = strtok_r(names, ";", &save); tok != NULL;
		    tok = strtok_r(NULL, ";", &save)) {
			const char *reg = out_filter(s, tok);
			char fname[1100];

			if (reg == NULL && s->filters_known) {
				return say(buf, size, "Unknown filter provider %s",
				    tok);
			}
			snprintf(fname, sizeof(fname), "BYTYPE:%s", tok);
			filt_add(s, mc->section, fname, reg != NULL ? reg : tok);
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "FilterProvider") == 0 && n->nargs == 3) {
		const char *reg = out_filter(s, n->args[1].value);

		if (reg == NULL && s->filters_known) {
			*argi = 1;
			return say(buf, size, "Unknown filter provider %s",
			    n->args[1].value);
		}
		filt_add(s, mc->section, n->args[0].value, reg != NULL ? reg :
		    n->args[1].value);
		*argi = 2;
		return expr_refusal(mc, n->args[2].value, 0, "Error parsing "
		    "FilterProvider expression:", buf, size);
	}
	if (strcasecmp(w, "FilterTrace") == 0 && n->nargs == 2) {
		*argi = 0;
		if (filt_find(s, mc->section, n->args[0].value) == NULL) {
			return say(buf, size, "Undeclared smart filter %s",
			    n->args[0].value);
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "FilterProtocol") == 0 && n->nargs >= 2) {
		struct filt *f = filt_find(s, mc->section, n->args[0].value);

		*argi = 0;
		if (f == NULL) {
			return say(buf, size, "FilterProtocol: No such filter");
		}
		if (n->nargs == 3) {
			char want[1100];
			const char *p = f->providers;
			int found = 0;

			/* the providers' registered names, without case */
			while (*p && !found) {
				size_t l;

				p++;
				l = strcspn(p, ";");
				snprintf(want, sizeof(want), "%.*s", (int)l, p);
				found = l > 0 && strcasecmp(want,
				    n->args[1].value) == 0;
				p += l;
			}
			if (!found) {
				*argi = 1;
				return say(buf, size, "FilterProtocol: No such "
				    "provider for this filter");
			}
		}
	}
	return RULES_MOD_OK;
}

/* ---- Mutex types -------------------------------------------------------- */

/*
 * The mutex types each module registers in its pre_config hook (checked
 * against Debian's apache2 2.4.71: authdigest-opaque is gone there).
 * None of them allows the "none" mechanism.  Modules not listed here
 * and not in out_filters[] are unknown: any type may then exist.
 */
static const struct {
	const char *module, *types[4];
} mutex_types[] = {
	{"watchdog_module", {"watchdog-callback"}},
	{"mpm_prefork_module", {"mpm-accept"}},
	{"mpm_worker_module", {"mpm-accept"}},
	{"auth_digest_module", {"authdigest-client"}},
	{"authn_socache_module", {"authn-socache"}},
	{"cache_socache_module", {"cache-socache"}},
	{"ldap_module", {"ldap-cache"}},
	{"lua_module", {"lua-ivm-shm"}},
	{"rewrite_module", {"rewrite-map"}},
	{"proxy_module", {"proxy"}},
	{"proxy_balancer_module", {"proxy-balancer-shm"}},
	{"ssl_module", {"ssl-cache", "ssl-stapling", "ssl-stapling-refresh"}},
	/* checked to register none */
	{"md_module", {NULL}}, {"http2_module", {NULL}},
	{"dav_fs_module", {NULL}}, {"dav_module", {NULL}},
	{"heartmonitor_module", {NULL}}, {"proxy_hcheck_module", {NULL}},
	{"slotmem_shm_module", {NULL}}, {"socache_shmcb_module", {NULL}},
	{"dbd_module", {NULL}}, {"cache_module", {NULL}},
};

/* 1 registered, 0 not, -1 unknown (a module we have no table for). */
static int
mutex_type_known(const struct hconf_doc *doc, const char *type)
{
	size_t n, i, k, j;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);
	int unknown = 0;

	if (strcmp(type, "default") == 0) {
		return 1;
	}
	for (i = 0; i < n; i++) {
		int listed = 0;

		for (k = 0; k < sizeof(mutex_types) / sizeof(mutex_types[0]);
		    k++) {
			if (strcmp(m[i].ident, mutex_types[k].module) != 0) {
				continue;
			}
			listed = 1;
			for (j = 0; j < 4 && mutex_types[k].types[j] != NULL; j++) {
				if (strcmp(mutex_types[k].types[j], type) == 0) {
					return 1;
				}
			}
		}
		for (k = 0; !listed && k < sizeof(out_filters) /
		    sizeof(out_filters[0]); k++) {
			listed = strcmp(m[i].ident, out_filters[k].module) == 0;
		}
		if (!listed) {
			unknown = 1;
		}
	}
	/* watchdog is compiled into Debian's apache2 */
	if (strcmp(type, "watchdog-callback") == 0) {
		return 1;
	}
	return unknown ? -1 : 0;
}

int
rules_mutex_check(const struct hconf_doc *doc, const struct hconf_node *n,
    uint32_t *argi, char *buf, size_t size)
{
	/* "yes" is "default" as "no" is "none" (ap_parse_mutex) */
	static const char *const mech[] = {"none", "no", "default", "yes",
	    "pthread", "sysvsem", "posixsem", "sem", "flock", "fcntl", "file",
	    NULL};
	char word[64];
	uint32_t i;
	int none;

	if (n->nargs == 0) {
		return 0;
	}
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(n->args[0].value,
	    ":"), n->args[0].value);
	if (!word_in(word, mech)) {
		return 0; /* the mechanism is refused first (readtime.c) */
	}
	none = strcasecmp(n->args[0].value, "none") == 0 ||
	    strcasecmp(n->args[0].value, "no") == 0;
	/* ap_set_mutex() takes the types from the last one */
	for (i = n->nargs; i-- > 1;) {
		const char *t = n->args[i].value;
		int k;

		if (strcasecmp(t, "omitpid") == 0) {
			continue;
		}
		k = mutex_type_known(doc, t);
		*argi = i;
		if (k == 0) {
			return say(buf, size, "Mutex type %s is not valid", t);
		}
		if (k == 1 && none) {
			return say(buf, size, "None is not allowed for mutex type "
			    "%s", t);
		}
	}
	for (i = 1; i < n->nargs && strcasecmp(n->args[i].value, "omitpid") ==
	    0; i++) {
	}
	if (i == n->nargs && none) {
		*argi = 0;
		return say(buf, size, "None is not allowed for mutex type "
		    "default");
	}
	return 0;
}

/* ---- the entry point -------------------------------------------------- */

enum rules_mod_verdict
rules_module_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, int phase, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size)
{
	const char *w = n->word;
	enum rules_mod_verdict v = RULES_MOD_OK;

	*ah = NULL;
	*argi = n->nargs;
	if (w == NULL) {
		return RULES_MOD_OK;
	}
	if (strncasecmp(w, "Rewrite", 7) == 0) {
		v = rewrite_check(mc, n, phase, next, argi, ah, buf, size);
		if (v == RULES_MOD_OK && phase == 1 &&
		    strcasecmp(w, "RewriteOptions") == 0) {
			uint32_t i;

			for (i = *next; i < n->nargs; i++) {
				if (strncasecmp(n->args[i].value, "MaxRedirects=",
				    13) == 0) {
					*next = i + 1;
					*argi = i;
					*ah = "AH00664";
					say(buf, size, "RewriteOptions: MaxRedirects "
					    "option has been removed in favor of the "
					    "global LimitInternalRecursion directive "
					    "and will be ignored.");
					return RULES_MOD_WARNING;
				}
			}
		}
		return v;
	}
	if (phase == 0 && (strcasecmp(w, "Alias") == 0 ||
	    strcasecmp(w, "ScriptAlias") == 0 ||
	    strcasecmp(w, "AliasMatch") == 0 ||
	    strcasecmp(w, "ScriptAliasMatch") == 0)) {
		/* add_alias(): two words go to add_alias_internal(), which
		 * wants no directory context; one word (Alias only) may
		 * not be in <Directory> or <Files> */
		const char *reg = strcasecmp(w, "Alias") == 0 ? "Alias" :
		    strcasecmp(w, "ScriptAlias") == 0 ? "ScriptAlias" :
		    strcasecmp(w, "AliasMatch") == 0 ? "AliasMatch" :
		    "ScriptAliasMatch";
		const struct hconf_node *in = mc->in_directory != NULL ?
		    mc->in_directory : mc->in_files;

		*argi = n->nargs;
		if (n->nargs == 2 && mc->perdir) {
			return say(buf, size, "%s cannot occur within directory "
			    "context", reg);
		}
		if (n->nargs == 1 && strncasecmp(w, "Script", 6) != 0 &&
		    strstr(reg, "Match") == NULL && in != NULL) {
			return say(buf, size, "%s cannot occur within <%s> "
			    "section", reg, in->word);
		}
		if (n->nargs == 1 && strcmp(reg, "ScriptAlias") == 0 &&
		    in != NULL) {
			return say(buf, size, "%s cannot occur within <%s> "
			    "section", reg, in->word);
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "Redirect") == 0 ||
	    strcasecmp(w, "RedirectMatch") == 0 ||
	    strcasecmp(w, "RedirectPermanent") == 0 ||
	    strcasecmp(w, "RedirectTemp") == 0) {
		return redirect_check(mc, n, phase, argi, buf, size);
	}
	if (phase != 1) {
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "Header") == 0 || strcasecmp(w, "RequestHeader") == 0) {
		return header_check(mc, n, argi, buf, size);
	}
	if (strncasecmp(w, "RemoteIP", 8) == 0) {
		return remoteip_check(n, argi, buf, size);
	}
	if (strcasecmp(w, "RequestReadTimeout") == 0) {
		return reqtimeout_check(n, argi, buf, size);
	}
	if (strncasecmp(w, "Expires", 7) == 0) {
		return expires_check(n, argi, buf, size);
	}
	if (strcasecmp(w, "IndexOptions") == 0) {
		return indexoptions_check(s, mc, n, argi, buf, size);
	}
	if (strcasecmp(w, "Require") == 0) {
		return require_check(s, mc, n, argi, buf, size);
	}
	if (strcasecmp(w, "AuthMerging") == 0 && n->nargs == 1) {
		static const char *const how[] = {"Off", "And", "Or", NULL};

		*argi = 0;
		if (!word_in(n->args[0].value, how)) {
			return say(buf, size, "AuthMerging must be one of: Off | "
			    "And | Or");
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "DeflateFilterNote") == 0 && n->nargs == 2) {
		static const char *const types[] = {"Ratio", "Input", "Output",
		    NULL};

		*argi = 0;
		if (!word_in(n->args[0].value, types)) {
			return say(buf, size, "Unknown note type %s",
			    n->args[0].value);
		}
		return RULES_MOD_OK;
	}
	if (strcasecmp(w, "IndexOrderDefault") == 0 && n->nargs == 2) {
		static const char *const dir[] = {"Ascending", "Descending",
		    NULL};
		static const char *const key[] = {"Name", "Date", "Size",
		    "Description", NULL};

		*argi = 0;
		if (!word_in(n->args[0].value, dir)) {
			return say(buf, size, "First keyword must be 'Ascending' "
			    "or 'Descending'");
		}
		*argi = 1;
		if (!word_in(n->args[1].value, key)) {
			return say(buf, size, "Second keyword must be 'Name', "
			    "'Date', 'Size', or 'Description'");
		}
		return RULES_MOD_OK;
	}
	if (strncasecmp(w, "Filter", 6) == 0 ||
	    strcasecmp(w, "AddOutputFilterByType") == 0) {
		return filter_check(s, mc, n, argi, buf, size);
	}
	if (strcasecmp(w, "PassEnv") == 0) {
		uint32_t i;

		for (i = *next; i < n->nargs; i++) {
			if (getenv(n->args[i].value) == NULL) {
				*next = i + 1;
				*argi = i;
				*ah = "AH01506";
				say(buf, size, "PassEnv variable %s was undefined",
				    n->args[i].value);
				return RULES_MOD_WARNING;
			}
		}
	}
	return RULES_MOD_OK;
}
