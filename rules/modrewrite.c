/*
 * modrewrite.c - what mod_rewrite and mod_alias refuse while httpd reads
 * the configuration: mod_rewrite's argument line as parseargline()
 * splits it, its flags, options, base and internal maps; mod_alias'
 * context rules and redirects.  For modcheck.c; it never records.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "directives.h"
#include "expr.h"
#include "modcheck_int.h"

/* ---- mod_rewrite ------------------------------------------------------ */

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
	/* snprintf("%.*s") without its cost: up to a NUL, truncated */
	len = strnlen(f->buf + n->args[0].raw.off, len);
	if (len > size - 1) {
		len = size - 1;
	}
	memcpy(buf, f->buf + n->args[0].raw.off, len);
	buf[len] = '\0';
}

/* parseargline()'s bytes of note: spaces, quotes, '\\' and the end */
static const unsigned char arg_stop[256] = {
	[0] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
	[' '] = 1, ['"'] = 1, ['\''] = 1, ['\\'] = 1
};

/* parseargline(): 0 with the words, or 1 when there is no second one. */
static int
parseargline(char *str, char **a1, char **a2, char **a3)
{
	char quote;
	int k;
	char **out[3] = {a1, a2, a3};

	*a3 = NULL;
	for (k = 0; k < 3; k++) {
		while (rules_space(*str)) {
			++str;
		}
		if (k == 2 && *str == '\0') {
			return 0;
		}
		quote = (*str == '"' || *str == '\'') ? *str++ : '\0';
		*out[k] = str;
		for (; *str; ++str) {
			/* the bytes the tests below look at, or the end */
			while (!arg_stop[(unsigned char)*str]) {
				++str;
			}
			if (*str == '\0' || (rules_space(*str) && !quote) ||
			    *str == quote) {
				break;
			}
			if (*str == '\\' && rules_space(str[1])) {
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
		while (rules_space(*key)) {
			++key;
		}
		if (!*key || (nextp = strchr(key, ',')) == NULL) {
			break;
		}
		endp = nextp - 1;
		while (endp >= key && rules_space(*endp)) {
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
	size_t lo = 0, hi = sizeof(codes) / sizeof(codes[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (codes[mid] == s) {
			return 1;
		}
		if (codes[mid] < s) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return 0;
}

/*
 * cmd_rewriterule_setflag(): the first letter (without case), then the
 * rest of the name as one of these (without case; "" for the letter
 * alone).  Any flag that starts with D is taken.
 */
static const struct {
	char letter;
	const char *rest[9];
} rule_flags[] = {
	{'b', {"", "ackrefescaping", "NP", "ackrefernoplus", "CTLS", "NE",
	    NULL}},
	{'c', {"", "hain", "O", "ookie", NULL}},
	{'e', {"", "nv", "nd", NULL}},
	{'f', {"", "orbidden", NULL}},
	{'g', {"", "one", NULL}},
	{'h', {"", "andler", NULL}},
	{'l', {"", "ast", NULL}},
	{'n', {"E", "oescape", "", "ext", "S", "osubreq", "C", "ocase", NULL}},
	{'p', {"", "roxy", "T", "assthrough", NULL}},
	{'q', {"SA", "sappend", "SD", "sdiscard", "SL", "slast", NULL}},
	{'r', {"", "edirect", NULL}},
	{'s', {"", "kip", NULL}},
	{'t', {"", "ype", NULL}},
	{'u', {"nsafePrefixStat", "nsafeAllow3F", "NC", NULL}},
};

/* hconf_atoi() of a word that starts with a digit, without strtol()
 * for the three digits a status has. */
static int
status_atoi(const char *v)
{
	int st = 0, i;

	for (i = 0; i < 9 && v[i] >= '0' && v[i] <= '9'; i++) {
		st = st * 10 + (v[i] - '0');
	}
	return i < 9 ? st : hconf_atoi(v);
}

/* One RewriteRule flag: known, and the values BNE and R check. */
static int
rule_flag(const char *key, const char *val, char *buf, size_t size)
{
	char c = key[0] >= 'A' && key[0] <= 'Z' ? (char)(key[0] | 0x20) :
	    key[0];
	const char *k = key + 1;
	size_t i;

	if (c == 'd') {
		return 0;
	}
	for (i = 0; i < sizeof(rule_flags) / sizeof(rule_flags[0]); i++) {
		if (rule_flags[i].letter == c) {
			break;
		}
	}
	if (i == sizeof(rule_flags) / sizeof(rule_flags[0]) ||
	    !word_in(k, rule_flags[i].rest)) {
		return say(buf, size, "unknown flag '%s'", key);
	}
	if (c == 'b' && rules_ieq(k, "NE") &&
	    (val == NULL || *val == '\0')) {
		return say(buf, size, "flag 'BNE' wants a list of characters "
		    "(i.e. [BNE=...])");
	}
	/* (a value that starts with a digit is never "permanent") */
	if (c == 'r' && *val && isdigit((unsigned char)*val)) {
		int st = status_atoi(val);

		if (st != 500 && !known_status(st)) {
			return say(buf, size, "invalid HTTP response code '%s' "
			    "for flag 'R'", val);
		}
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

/* RewriteBase: only per directory, and a URL. */
static enum rules_mod_verdict
rewritebase_check(const struct rules_modctx *mc, const struct hconf_node *n,
    int phase, uint32_t *argi, char *buf, size_t size)
{
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

/*
 * RewriteOptions: each option known; then, as a warning httpd logs and
 * goes on (AH00664), each MaxRedirects= from *next on.
 */
static enum rules_mod_verdict
rewriteoptions_check(const struct hconf_node *n, int phase, uint32_t *next,
    uint32_t *argi, const char **ah, char *buf, size_t size)
{
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
			continue; /* AH00664: below */
		}
		return say(buf, size, "RewriteOptions: unknown option "
		    "'%s'", o);
	}
	for (i = *next; i < n->nargs; i++) {
		if (strncasecmp(n->args[i].value, "MaxRedirects=", 13) == 0) {
			*next = i + 1;
			*argi = i;
			*ah = "AH00664";
			say(buf, size, "RewriteOptions: MaxRedirects option "
			    "has been removed in favor of the global "
			    "LimitInternalRecursion directive and will be "
			    "ignored.");
			return RULES_MOD_WARNING;
		}
	}
	return RULES_MOD_OK;
}

/* RewriteMap: the map type, and an internal map's name. */
static enum rules_mod_verdict
rewritemap_check(const struct rules_modctx *mc, const struct hconf_node *n,
    int phase, uint32_t *argi, char *buf, size_t size)
{
	static const char *const maps[] = {"tolower", "toupper", "escape",
	    "unescape", NULL};
	const char *a;
	size_t k;

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
	    !rules_mod_loaded(mc->doc, "dbd_module")) {
		return say(buf, size, "RewriteMap types dbd and fastdbd "
		    "require mod_dbd!");
	}
	if (strncasecmp(a, "int:", 4) != 0) {
		/* the map files are parser/files.c's */
		return RULES_MOD_OK;
	}
	for (k = 0; maps[k] != NULL; k++) {
		if (strcmp(a + 4, maps[k]) == 0) {
			return RULES_MOD_OK;
		}
	}
	return say(buf, size, "RewriteMap: internal map not found:%s", a + 4);
}

/* RewriteCond's flags: is NoCase (nocase or NC) among them? */
static int
cond_nocase(const char *flags)
{
	char flagbuf[4096], *p;
	int nocase = 0;

	snprintf(flagbuf, sizeof(flagbuf), "%s", flags);
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
	return nocase;
}

/*
 * RewriteCond's pattern once its line parsed: NoCase on a pattern that
 * is no regex (a warning, AH00665), an ap_expr that does not compile.
 */
static enum rules_mod_verdict
cond_check(const struct rules_modctx *mc, const struct hconf_node *n,
    const char *a1, const char *a2, const char *a3, uint32_t *next,
    uint32_t *argi, const char **ah, char *buf, size_t size)
{
	const char *pat = a2;
	int t = cond_type(a1, &pat);
	int nocase = a3 != NULL && cond_nocase(a3);

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
		return rules_mod_expr_refusal(mc, pat, 0, head, buf, size);
	}
	return RULES_MOD_OK;
}

/*
 * RewriteRule and RewriteCond: the argument line (phase 0: its words
 * and flags, before the regex is compiled; phase 1: the condition).
 */
static enum rules_mod_verdict
ruleline_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, int rule, int phase, uint32_t *next,
    uint32_t *argi, const char **ah, char *buf, size_t size)
{
	char raw[4096], copy[4096], *a1, *a2, *a3;
	char flagbuf[4096], err[4200];
	const char *name = rule ? "RewriteRule" : "RewriteCond";

	if (rule && phase != 0) {
		return RULES_MOD_OK; /* a RewriteRule's checks are phase 0's */
	}
	raw_args(mc->doc, n, raw, sizeof(raw));
	/* phase 0 reads the line alone: a line that passed passes */
	if (phase == 0 && strset_has(&s->lines_ok, raw, (uint32_t)rule)) {
		return RULES_MOD_OK;
	}
	memcpy(copy, raw, strlen(raw) + 1); /* both of one size */
	if (parseargline(copy, &a1, &a2, &a3)) {
		if (phase != 0) {
			return RULES_MOD_OK;
		}
		return say(buf, size, "%s: bad argument line '%s'", name, raw);
	}
	if (phase != 0) {
		return rule ? RULES_MOD_OK : cond_check(mc, n, a1, a2, a3,
		    next, argi, ah, buf, size);
	}
	if (a3 != NULL) {
		memcpy(flagbuf, a3, strlen(a3) + 1); /* a3 lies in copy */
		if (flagfield(flagbuf, rule ? rule_flag : cond_flag, err,
		    sizeof(err))) {
			*argi = n->nargs >= 3 ? 2 : n->nargs;
			return say(buf, size, "%s: %s", name, err);
		}
	}
	strset_add(&s->lines_ok, raw, (uint32_t)rule);
	return RULES_MOD_OK;
}

/* mod_rewrite's directives, for modcheck.c. */
enum rules_mod_verdict
rules_rewrite_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, int phase, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size)
{
	unsigned dn = mc->dn->dn;

	*argi = n->nargs;
	if (dn == DN_REWRITEBASE) {
		return rewritebase_check(mc, n, phase, argi, buf, size);
	}
	if (dn == DN_REWRITEOPTIONS) {
		return rewriteoptions_check(n, phase, next, argi, ah, buf,
		    size);
	}
	if (dn == DN_REWRITEMAP) {
		return rewritemap_check(mc, n, phase, argi, buf, size);
	}
	if (dn == DN_REWRITERULE) {
		return ruleline_check(s, mc, n, 1, phase, next, argi, ah,
		    buf, size);
	}
	if (dn == DN_REWRITECOND) {
		return ruleline_check(s, mc, n, 0, phase, next, argi, ah,
		    buf, size);
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

/*
 * add_alias(): two words go to add_alias_internal(), which wants no
 * directory context; one word (Alias only) may not be in <Directory> or
 * <Files>.  Checked before the regex of AliasMatch is compiled.
 */
enum rules_mod_verdict
rules_alias_context(const struct rules_modctx *mc, const struct hconf_node *n,
    uint32_t *argi, char *buf, size_t size)
{
	const char *w = n->word;
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

enum rules_mod_verdict
rules_redirect_check(const struct rules_modctx *mc, const struct hconf_node *n,
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
		return rules_mod_expr_refusal(mc, url, RULES_EXPR_STRING, head,
		    buf, size);
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
