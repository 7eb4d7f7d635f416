/*
 * modvalues.c - the values some modules' handlers refuse while httpd
 * reads the configuration: mod_headers' actions, conditions and
 * formats, mod_reqtimeout's parameters, mod_expires' codes and
 * mod_autoindex's IndexOptions.  For modcheck.c; it never records.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "directives.h"
#include "expr.h"
#include "modcheck_int.h"

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

enum rules_mod_verdict
rules_header_check(const struct rules_modctx *mc, const struct hconf_node *n,
    uint32_t *argi, char *buf, size_t size)
{
	static const char *const actions[] = {"set", "setifempty", "add",
	    "append", "merge", "unset", "echo", "edit", "edit*", "note", NULL};
	int out = mc->dn->dn == DN_HEADER; /* else RequestHeader */
	const char *name = out ? "Header" : "RequestHeader";
	const char *action, *hdr, *val, *subs, *env;
	uint32_t i = 0, first;
	int edit, unset, echo;

	*argi = n->nargs;
	action = i < n->nargs ? n->args[i++].value : "";
	if (out && (rules_ieq(action, "always") ||
	    rules_ieq(action, "onsuccess"))) {
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
	edit = (action[0] | 0x20) == 'e' && strncasecmp(action, "edit", 4) == 0;
	unset = hconf_ieq(action, "unset");
	echo = hconf_ieq(action, "echo");
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
		if (hconf_ieq(env, "early")) {
			/* fine */
		} else if (strncasecmp(env, "env=", 4) == 0) {
			if (env[4] == '\0' || (env[4] == '!' && env[5] == '\0')) {
				return say(buf, size, "error: missing environment "
				    "variable name. envclause should be in the form "
				    "env=envar ");
			}
		} else if (strncasecmp(env, "expr=", 5) == 0) {
			enum rules_mod_verdict v = rules_mod_expr_refusal(mc,
			    env + 5, 0, "Can't parse envclause/expression: ",
			    buf, size);

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
		return rules_mod_expr_refusal(mc, val + 5, RULES_EXPR_STRING,
		    "Can't parse value expression : ", buf, size);
	}
	return header_format(val, buf, size) ? RULES_MOD_REFUSED : RULES_MOD_OK;
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

	if (!hconf_ieq(key, "handshake") && !hconf_ieq(key, "header") &&
	    !hconf_ieq(key, "body")) {
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

enum rules_mod_verdict
rules_reqtimeout_check(const struct hconf_node *n, uint32_t *argi, char *buf,
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

enum rules_mod_verdict
rules_expires_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	char err[1200];

	if (hconf_ieq(n->word, "ExpiresDefault") && n->nargs == 1) {
		*argi = 0;
		if (expires_code(n->args[0].value, err, sizeof(err))) {
			return say(buf, size, "'ExpiresDefault %s': %s",
			    n->args[0].value, err);
		}
	} else if (hconf_ieq(n->word, "ExpiresByType") && n->nargs == 2) {
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

/* mod_autoindex: IndexOptions' opts of one configuration so far. */
struct idxopts {
	const struct hconf_node *section;
	int none, other; /* NO_OPTIONS and any other bit set */
};

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
enum rules_mod_verdict
rules_indexoptions_check(struct rules_modstate *st,
    const struct rules_modctx *mc, const struct hconf_node *n, uint32_t *argi,
    char *buf, size_t size)
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
		} else if (hconf_ieq(w, "None")) {
			if (action != 0) {
				return say(buf, size, "Cannot combine '+' or '-' "
				    "with 'None' keyword");
			}
			none = 1;
			other = 0;
		} else if (hconf_ieq(w, "IconWidth") ||
		    hconf_ieq(w, "IconHeight") ||
		    strncasecmp(w, "Type=", 5) == 0 ||
		    strncasecmp(w, "Charset=", 8) == 0 ||
		    hconf_ieq(w, "UseOldDateFormat")) {
			/* fine */
		} else if (strncasecmp(w, "IconWidth=", 10) == 0 ||
		    strncasecmp(w, "IconHeight=", 11) == 0) {
			if (action == '-') {
				return say(buf, size, "Cannot combine '-' with "
				    "%s=n", strncasecmp(w, "IconWidth=", 10) == 0 ?
				    "IconWidth" : "IconHeight");
			}
		} else if (hconf_ieq(w, "NameWidth") ||
		    hconf_ieq(w, "DescriptionWidth")) {
			if (action != '-') {
				return say(buf, size, "%s with no value may only "
				    "appear as '-%s'", strcasecmp(w, "NameWidth") ==
				    0 ? "NameWidth" : "DescriptionWidth",
				    hconf_ieq(w, "NameWidth") ? "NameWidth" :
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
