/*
 * engine_regex.c - the regular expressions of the configuration as the
 * modules that read them compile them (ap_regcomp()'s options, through
 * PCRE2): which argument is one, mod_rewrite's own word splitting, and
 * the message each module stops httpd with.  A regex that compiled is
 * remembered, so a repeated one is compiled once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine_int.h"
#include "ieq.h"
#include "modcheck.h"
#include "strset.h"

void
rules_re_known_free(struct rules_walk *c)
{
	strset_free(&c->re_ok);
}

int
rules_regex_arg(const struct hconf_node *n, uint32_t *argi)
{
	static const char *const first[] = {"AliasMatch", "ScriptAliasMatch",
	    "RewriteRule", "BrowserMatch", "BrowserMatchNoCase",
	    "DirectoryMatch", "FilesMatch", "LocationMatch", "ProxyMatch",
	    NULL};
	size_t i;

	if (n->word == NULL) {
		return 0;
	}
	for (i = 0; first[i] != NULL; i++) {
		if (hconf_ieq(n->word, first[i])) {
			*argi = 0;
			return n->nargs > 0;
		}
	}
	if (hconf_ieq(n->word, "RedirectMatch")) {
		*argi = n->nargs >= 3 ? 1 : 0;
		return n->nargs > 0;
	}
	if (hconf_ieq(n->word, "SetEnvIf") ||
	    hconf_ieq(n->word, "SetEnvIfNoCase") ||
	    hconf_ieq(n->word, "SetEnvIfExpr")) {
		*argi = 1;
		return !hconf_ieq(n->word, "SetEnvIfExpr") && n->nargs > 1;
	}
	if (hconf_ieq(n->word, "RewriteCond")) {
		const char *p;

		*argi = 1;
		if (n->nargs < 2 || strcasecmp(n->args[0].value, "expr") == 0) {
			return 0; /* "expr" takes an ap_expr (modcheck.c) */
		}
		p = n->args[1].value;
		/* lexicographic, integer and file tests are not regexes */
		return rules_rewritecond_regex(n->args[0].value, p);
	}
	if (n->kind == HCONF_SECTION && (hconf_ieq(n->word, "Directory") ||
	    hconf_ieq(n->word, "Files") ||
	    hconf_ieq(n->word, "Location") ||
	    hconf_ieq(n->word, "Proxy")) && n->nargs >= 2 &&
	    strcmp(n->args[0].value, "~") == 0) {
		*argi = 1;
		return 1;
	}
	return 0;
}

int
rules_regex_match(void *ctx, const char *re, const char *subject,
    const char **error)
{
	int err, rc;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	pcre2_match_data *md;

	(void)ctx;
	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err,
	    &eoff, NULL);
	if (code == NULL) {
		*error = "Unable to compile regular expression";
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0,
	    md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc >= 0;
}

/* The bytes rewrite_arg() looks at: blanks, line ends, quotes, '\\' */
static const unsigned char rw_stop[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['"'] = 1, ['\''] = 1,
	['\\'] = 1
};

/*
 * Argument i of a mod_rewrite directive as its parseargline() splits
 * it: quotes, and a backslash before a blank keeps the blank in the
 * word (the backslash too).  Falls back to httpd's words for lines
 * changed by ${VAR} or joined from several physical lines.
 */
static const char *
rewrite_arg(struct rules_walk *c, const struct hconf_node *n, uint32_t i,
    char *buf, size_t size, uint32_t *srcoff)
{
	const struct hconf_file *f = hconf_doc_file(c->doc, n->file_id);
	const char *p, *end;
	uint32_t k;

	if (n->flags & (HCONF_NODE_EXPANDED | HCONF_NODE_CONTINUED) ||
	    n->nargs == 0) {
		return n->args[i].value;
	}
	p = f->buf + n->args[0].raw.off;
	end = f->buf + n->full.off + n->full.len;
	for (k = 0; k <= i; k++) {
		char quote;
		size_t len = 0;

		while (p < end && (*p == ' ' || *p == '\t')) {
			p++;
		}
		quote = p < end && (*p == '"' || *p == '\'') ? *p++ : 0;
		if (k == i) {
			*srcoff = (uint32_t)(p - f->buf);
		}
		while (p < end) {
			const char *q = p;

			/* a run of ordinary bytes, copied at once */
			while (q < end && !rw_stop[(unsigned char)*q]) {
				q++;
			}
			if (k == i && len + 1 < size) {
				size_t run = (size_t)(q - p);

				if (run > size - 1 - len) {
					run = size - 1 - len;
				}
				memcpy(buf + len, p, run);
				len += run;
			}
			p = q;
			if (p == end || *p == '\n' || *p == '\r' ||
			    (!quote && (*p == ' ' || *p == '\t')) ||
			    (quote && *p == quote)) {
				break;
			}
			if (*p == '\\' && p + 1 < end &&
			    (p[1] == ' ' || p[1] == '\t')) {
				if (k == i && len + 2 < size) {
					buf[len++] = *p;
					buf[len++] = p[1];
				}
				p += 2;
				continue;
			}
			if (k == i && len + 1 < size) {
				buf[len++] = *p;
			}
			p++;
		}
		if (p < end && quote && *p == quote) {
			p++;
		}
		if (k == i) {
			buf[len] = '\0';
			return buf;
		}
	}
	return n->args[i].value;
}

/* The words each module stops httpd with for a regex it cannot compile. */
static void
regex_refusal(const struct hconf_node *n, const char *re, char *buf,
    size_t size)
{
	static const char *const setenvif[] = {"BrowserMatch",
	    "BrowserMatchNoCase", "SetEnvIf", "SetEnvIfNoCase", NULL};
	static const char *const alias[] = {"AliasMatch", "ScriptAliasMatch",
	    "RedirectMatch", NULL};
	size_t i;

	if (hconf_ieq(n->word, "RewriteRule") ||
	    hconf_ieq(n->word, "RewriteCond")) {
		snprintf(buf, size, "%s: cannot compile regular expression '%s'",
		    hconf_ieq(n->word, "RewriteRule") ? "RewriteRule" :
		    "RewriteCond", re);
		return;
	}
	for (i = 0; setenvif[i] != NULL; i++) {
		if (hconf_ieq(n->word, setenvif[i])) {
			snprintf(buf, size, "%s regex could not be compiled.",
			    setenvif[i]);
			return;
		}
	}
	for (i = 0; alias[i] != NULL; i++) {
		if (hconf_ieq(n->word, alias[i])) {
			snprintf(buf, size, "Regular expression could not be "
			    "compiled.");
			return;
		}
	}
	/* the sections: <DirectoryMatch>, <Location ~ ...> ... */
	snprintf(buf, size, "Regex could not be compiled");
}

int
rules_regex_named(unsigned dn)
{
	switch (dn) {
	case DN_ALIASMATCH: case DN_SCRIPTALIASMATCH: case DN_REWRITERULE:
	case DN_BROWSERMATCH: case DN_BROWSERMATCHNOCASE: case DN_DIRECTORYMATCH:
	case DN_FILESMATCH: case DN_LOCATIONMATCH: case DN_PROXYMATCH:
	case DN_REDIRECTMATCH: case DN_SETENVIF: case DN_SETENVIFNOCASE:
	case DN_REWRITECOND: case DN_DIRECTORY: case DN_FILES: case DN_LOCATION:
	case DN_PROXY:
		return 1;
	default:
		return 0;
	}
}

/*
 * rules_regex_arg() of the visited node, from its name looked up once
 * (c->dn: the DN_* of n->word, in any case) instead of comparing the
 * word with each name.  The same answers, name by name.
 */
static int
regex_arg_dn(unsigned dn, const struct hconf_node *n, uint32_t *argi)
{
	switch (dn) {
	case DN_ALIASMATCH: case DN_SCRIPTALIASMATCH: case DN_REWRITERULE:
	case DN_BROWSERMATCH: case DN_BROWSERMATCHNOCASE: case DN_DIRECTORYMATCH:
	case DN_FILESMATCH: case DN_LOCATIONMATCH: case DN_PROXYMATCH:
		*argi = 0;
		return n->nargs > 0;
	case DN_REDIRECTMATCH:
		*argi = n->nargs >= 3 ? 1 : 0;
		return n->nargs > 0;
	case DN_SETENVIF: case DN_SETENVIFNOCASE:
		*argi = 1;
		return n->nargs > 1;
	case DN_REWRITECOND:
		*argi = 1;
		if (n->nargs < 2 || strcasecmp(n->args[0].value, "expr") == 0) {
			return 0; /* "expr" takes an ap_expr (modcheck.c) */
		}
		return rules_rewritecond_regex(n->args[0].value,
		    n->args[1].value);
	case DN_DIRECTORY: case DN_FILES: case DN_LOCATION: case DN_PROXY:
		if (n->kind == HCONF_SECTION && n->nargs >= 2 &&
		    strcmp(n->args[0].value, "~") == 0) {
			*argi = 1;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

void
rules_check_regex(struct rules_walk *c, const struct hconf_node *n)
{
	uint32_t i, srcoff;
	const char *re, *base;
	char rebuf[4096];
	int err;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	/* ap_regcomp(): duplicate names are allowed, and the default
	 * RegexDefaultOptions are DOTALL and DOLLAR_ENDONLY */
	uint32_t opts = PCRE2_DUPNAMES | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;

	if (n->word == NULL || !regex_arg_dn(c->dn.dn, n, &i)) {
		return;
	}
	re = base = n->args[i].value;
	srcoff = UINT32_MAX;
	if (!(n->flags & HCONF_NODE_EXPANDED) && n->args[i].raw.len ==
	    strlen(base) + (n->args[i].quote ? 2u : 0u)) {
		/* the raw text maps one to one onto the value */
		srcoff = n->args[i].raw.off + (n->args[i].quote ? 1u : 0u);
	}
	if (c->dn.dn == DN_REWRITERULE || c->dn.dn == DN_REWRITECOND) {
		/* mod_rewrite splits its own arguments: "\ " keeps a blank */
		srcoff = UINT32_MAX;
		re = base = rewrite_arg(c, n, i, rebuf, sizeof(rebuf), &srcoff);
		if (*re == '!') {
			re++;
		}
	}
	if (c->dn.dn == DN_BROWSERMATCHNOCASE || c->dn.dn == DN_SETENVIFNOCASE) {
		opts |= PCRE2_CASELESS;
	}
	/*
	 * A generated or templated configuration repeats the same
	 * RewriteRule in every <VirtualHost>: the verdict depends on the
	 * pattern and the options only, so one that compiled is not
	 * compiled again.
	 */
	if (strset_has(&c->re_ok, re, opts)) {
		return;
	}
	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opts, &err,
	    &eoff, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];
		uint32_t off = n->args[i].raw.off, line, col;

		pcre2_get_error_message(err, msg, sizeof(msg));
		/* point at the fault itself when we know where the word is */
		if (srcoff != UINT32_MAX) {
			off = srcoff + (uint32_t)(re - base) + (uint32_t)eoff;
		}
		hconf_linecol(c->doc, n->file_id, off, &line, &col);
		{
			char head[4200];

			regex_refusal(n, re, head, sizeof(head));
			rules_add_finding(c, RULE_INFO(R_REGEX), n->file_id,
			    off, line, "AH00526", n, "%s (PCRE2: %s at offset "
			    "%zu of '%s')", head, (const char *)msg,
			    (size_t)eoff, re);
		}
		return;
	}
	pcre2_code_free(code);
	strset_add(&c->re_ok, re, opts);
}
