/*
 * readtime.c - argument checks httpd makes at read time: the Error
 * directive's message (core.c generate_error) and Listen's address and
 * port (listen.c ap_set_listener, APR's apr_parse_addr_port).  Pure
 * functions over one node; engine.c records the findings.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>
#include <stdio.h>
#include <string.h>

#include "readtime.h"
#include "ieq.h"

void
rules_error_text(const struct hconf_doc *doc, const struct hconf_node *n,
    char *buf, size_t size)
{
	const struct hconf_file *f = hconf_doc_file(doc, n->file_id);
	const char *s;
	size_t len;

	if (n->nargs == 0) {
		snprintf(buf, size, "%s",
		    "The Error directive was used with no message.");
		return;
	}
	if (n->flags & (HCONF_NODE_EXPANDED | HCONF_NODE_CONTINUED)) {
		/* expanded or joined: the words, one blank apart (a single
		 * word has lost its quotes, as httpd's stripping would) */
		size_t l = 0;
		uint32_t i;

		buf[0] = '\0';
		for (i = 0; i < n->nargs && l < size; i++) {
			l += (size_t)snprintf(buf + l, size - l, "%s%s",
			    i ? " " : "", n->args[i].value);
		}
		return;
	}
	/* the raw argument text, from the first word to the end of the last */
	s = f->buf + n->args[0].raw.off;
	len = n->args[n->nargs - 1].raw.off + n->args[n->nargs - 1].raw.len -
	    n->args[0].raw.off;
	if ((s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		s++;
		len = len >= 2 ? len - 2 : 0;
	}
	snprintf(buf, size, "%.*s", (int)len, s);
}

/* glibc's atoi: strtol, then the low 32 bits (what APR's port gets). */
static int
c_atoi(const char *s)
{
	return hconf_atoi(s);
}

/*
 * apr_parse_addr_port(): 0 and host (or "" for none) and port, or -1
 * for APR_EINVAL.
 */
static int
parse_addr_port(const char *str, char *host, size_t hsize, int *port)
{
	size_t len = strlen(str);
	const char *ch, *last;
	size_t hlen;

	host[0] = '\0';
	*port = 0;
	if (len == 0) {
		return -1; /* the whole (empty) string is the port: 0 */
	}
	last = str + len - 1;
	ch = last;
	while (ch >= str && isdigit((unsigned char)*ch)) {
		ch--;
	}
	if (ch < str) {
		int p = c_atoi(str);

		if (p < 1 || p > 65535) {
			return -1;
		}
		*port = p;
		return 0;
	}
	if (*ch == ':' && ch < last) {
		int p;

		if (ch == str) {
			return -1;
		}
		p = c_atoi(ch + 1);
		if (p < 1 || p > 65535) {
			return -1;
		}
		*port = p;
		last = ch - 1;
	}
	hlen = (size_t)(last - str + 1);
	if (*str == '[') {
		const char *rb = memchr(str, ']', hlen);
		const char *pct;
		unsigned char a6[16];
		char addr[128];
		size_t alen;

		if (rb == NULL || rb != last) {
			*port = 0;
			return -1;
		}
		pct = memchr(str, '%', hlen);
		if (pct != NULL) {
			if (pct == rb - 1) {
				*port = 0;
				return -1;
			}
			alen = (size_t)(pct - str - 1);
		} else {
			alen = hlen - 2;
		}
		if (alen >= sizeof(addr)) {
			return -1;
		}
		memcpy(addr, str + 1, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET6, addr, a6) != 1) {
			*port = 0;
			return -1;
		}
		snprintf(host, hsize, "%s", addr);
		return 0;
	}
	snprintf(host, hsize, "%.*s", (int)hlen, str);
	return 0;
}

const char *
rules_listen_refusal(const struct hconf_node *n, uint32_t *argi)
{
	char host[256];
	int port;

	uint32_t argc = 0;

	/* TAKE_ARGV: httpd's argv ends at the first empty word */
	while (argc < n->nargs && n->args[argc].value[0] != '\0') {
		argc++;
	}
	*argi = n->nargs;
	if (argc < 1 || argc > 2) {
		if (argc > 2) {
			*argi = 2;
		}
		return "Listen requires 1 or 2 arguments.";
	}
	*argi = 0;
	if (parse_addr_port(n->args[0].value, host, sizeof(host), &port) != 0) {
		return "Invalid address or port";
	}
	if (port == 0) {
		return "Port must be specified";
	}
	/*
	 * A host name is resolved on the machine, so only a name no
	 * resolver accepts is certain: a ':' outside brackets that does
	 * not make an IPv6 address ("127.0.0.1:80:81").
	 */
	if (n->args[0].value[0] != '[' && strchr(host, ':') != NULL) {
		unsigned char a6[16];

		if (inet_pton(AF_INET6, host, a6) != 1) {
			return "Listen setup failed";
		}
	}
	return NULL;
}

const char *
rules_listen_host(const struct hconf_node *n, char *buf, size_t size)
{
	int port;

	if (n->nargs < 1 || parse_addr_port(n->args[0].value, buf, size,
	    &port) != 0 || buf[0] == '\0' || strcmp(buf, "*") == 0) {
		return NULL;
	}
	return buf;
}

/* ---- core handlers that refuse values ---------------------------------- */

static const struct {
	const char *name;
	const char *words[9];   /* accepted, compared without case */
	const char *msg;
} keywords[] = {
	{"AcceptPathInfo", {"on", "off", "default"},
	    "AcceptPathInfo must be set to on, off or default"},
	{"EnableMMAP", {"on", "off"}, "parameter must be 'on' or 'off'"},
	{"EnableSendfile", {"on", "off"}, "parameter must be 'on' or 'off'"},
	{"HostnameLookups", {"on", "off", "double"},
	    "parameter must be 'on', 'off', or 'double'"},
	{"UseCanonicalName", {"on", "off", "dns"},
	    "parameter must be 'on', 'off', or 'dns'"},
	{"ServerSignature", {"on", "off", "email"},
	    "ServerSignature: use one of: off | on | email"},
	{"TraceEnable", {"on", "off", "extended"},
	    "TraceEnable must be one of 'on', 'off', or 'extended'"},
	{"AllowEncodedSlashes", {"on", "off", "nodecode"},
	    "AllowEncodedSlashes must be On, Off, or NoDecode"},
	{"ProtocolsHonorOrder", {"on", "off"},
	    "ProtocolsHonorOrder must be 'on' or 'off'"},
	{"UseCanonicalPhysicalPort", {"on", "off"},
	    "parameter must be 'on' or 'off'"},
	{"DeflateAlterEtag", {"NoChange", "AddSuffix", "Remove"},
	    "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and "
	    "'Remove'"},
	{"ServerTokens", {"OS", "Min", "Minimal", "Major", "Minor", "Prod",
	    "ProductOnly", "Full"}, "ServerTokens takes 1 argument: "
	    "'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'"},
};

/*
 * ap_timeout_parameter_parse() with unit "s": digits, then s, h, ms or
 * mi(n).  Returns the time in milliseconds, or -1 when httpd refuses.
 */
static long long
timeout_ms(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0 || v > 1000000000LL) {
		return errno != 0 || v < 0 ? -1 : 1000000000LL;
	}
	if (*end == '\0' || *end == 's') {
		return v * 1000;
	}
	if (*end == 'h') {
		return v * 3600000;
	}
	if (end[0] == 'm' && end[1] == 's') {
		return v;
	}
	if (end[0] == 'm' && end[1] == 'i') {
		return v * 60000;
	}
	return -1;
}

/* apr_strtoff() of the whole word: 0 and *v, or -1. */
static int
whole_off(const char *a, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(a, &end, 10);
	return errno != 0 || *end != '\0' || end == a ? -1 : 0;
}

/* Options as set_options() reads its words. */
static const char *
options_refusal(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	static const char *const opt[] = {"Indexes", "Includes",
	    "IncludesNOEXEC", "FollowSymLinks", "SymLinksIfOwnerMatch",
	    "ExecCGI", "MultiViews", "RunScripts", NULL};
	int first = 1, merge = 0, all_none = 0;
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		const char *w = n->args[i].value;
		size_t k;

		*argi = i;
		if (*w == '+' || *w == '-') {
			w++;
			if (!merge && !first && !all_none) {
				return "Either all Options must start with + "
				    "or -, or no Option may.";
			}
			merge = 1;
		} else if (!first && merge) {
			return "Either all Options must start with + or -, "
			    "or no Option may.";
		}
		for (k = 0; opt[k] != NULL && !hconf_ieq(w, opt[k]); k++) {
		}
		if (opt[k] == NULL) {
			if (hconf_ieq(w, "None") ||
			    hconf_ieq(w, "All")) {
				int none = hconf_ieq(w, "None");

				if (!first) {
					return none ? "'Options None' must be "
					    "the first Option given." : "'Options "
					    "All' must be the first option given.";
				}
				if (merge) {
					return none ? "You may not use 'Options "
					    "+None' or 'Options -None'." : "You "
					    "may not use 'Options +All' or "
					    "'Options -All'.";
				}
				all_none = 1;
			} else {
				snprintf(buf, size, "Illegal option %s", w);
				return buf;
			}
		}
		first = 0;
	}
	return NULL;
}

static const char *const fileetag_words[] = {"None", "All", "Size",
    "LMTime", "MTime", "LastModified", "INode", "Digest", NULL};
static const char *const regex_words[] = {"ICASE", "DOTALL",
    "DOLLAR_ENDONLY", "EXTENDED", NULL};
static const char *const flp_words[] = {"None", "Prefer", "Fallback",
    NULL};
static const char *const mvm_words[] = {"Any", "NegotiatedOnly", "Filters",
    "Handlers", NULL};
static const char *const protocol_words[] = {"Allow0.9", "Require1.0",
    "Strict", "Unsafe", "RegisteredMethods", "LenientMethods", NULL};

/* Each word one of words (a + or - before it when signs is set; for
 * RegexDefaultOptions "none" too).  fmt gets the word without sign. */
static const char *
words_refusal(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size, const char *const *words, const char *fmt, int signs)
{
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		const char *t = n->args[i].value;
		size_t k;

		if (words == regex_words && hconf_ieq(t, "none")) {
			continue;
		}
		if (signs && (*t == '+' || *t == '-')) {
			t++;
		}
		for (k = 0; words[k] != NULL && !hconf_ieq(t, words[k]);
		    k++) {
		}
		if (words[k] == NULL) {
			*argi = i;
			snprintf(buf, size, fmt, t);
			return buf;
		}
	}
	return NULL;
}

/* LogLevel: each word a level, or module:level. */
static const char *
loglevel_refusal(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	static const char *const lv[] = {"emerg", "alert", "crit", "error",
	    "warn", "notice", "info", "debug", "trace1", "trace2", "trace3",
	    "trace4", "trace5", "trace6", "trace7", "trace8", NULL};
	uint32_t i;

	for (i = 0; i < n->nargs; i++) {
		const char *a = n->args[i].value, *colon = strchr(a, ':');
		const char *l = colon != NULL ? colon + 1 : a;
		size_t k;

		for (k = 0; lv[k] != NULL && !hconf_ieq(l, lv[k]); k++) {
		}
		if (lv[k] == NULL) {
			*argi = i;
			snprintf(buf, size, "%s%sLog level keyword must be one "
			    "of emerg/alert/crit/error/warn/notice/info/debug/"
			    "trace1/.../trace8", colon != NULL ? a : "",
			    colon != NULL ? ": " : "");
			return buf;
		}
	}
	return NULL;
}

/* Mutex: the mechanism (first word) as ap_parse_mutex() knows them. */
static const char *
mutex_refusal(const char *a, char *buf, size_t size)
{
	static const char *const mech[] = {"none", "no", "default", "yes",
	    "pthread", "sysvsem", "posixsem", "sem", "flock", "fcntl", "file",
	    NULL};
	char word[64];
	size_t k;

	snprintf(word, sizeof(word), "%.*s", (int)strcspn(a, ":"), a);
	for (k = 0; mech[k] != NULL && !hconf_ieq(word, mech[k]); k++) {
	}
	/* a directory after ':' is checked on the machine: not here */
	if (mech[k] != NULL) {
		return NULL;
	}
	snprintf(buf, size, "Invalid Mutex argument %s (Mutex mechanisms are: "
	    "'none', 'default', 'flock:/path/to/file', "
	    "'fcntl:/path/to/file', 'file:/path/to/file', 'pthread', "
	    "'sysvsem', 'posixsem', 'sem')", a);
	return buf;
}

/*
 * mod_setenvif's argument checks (after its regex compiled): the header
 * name, the regex, at least one variable.
 */
static const char *
setenvif_refusal(const struct hconf_node *n, char *buf, size_t size)
{
	static const char *const names[] = {"BrowserMatch",
	    "BrowserMatchNoCase", "SetEnvIf", "SetEnvIfNoCase", NULL};
	size_t i;
	uint32_t need;
	const char *what;

	for (i = 0; names[i] != NULL; i++) {
		if (hconf_ieq(n->word, names[i])) {
			break;
		}
	}
	if (names[i] == NULL) {
		return NULL;
	}
	/* BrowserMatch: regex, vars; SetEnvIf: header, regex, vars */
	need = i < 2 ? 0 : 1;
	if (need == 1 && n->nargs == 0) {
		what = "header-field name";
	} else if (n->nargs == need) {
		what = "regular expression";
	} else if (n->nargs == need + 1) {
		what = "envariable expression";
	} else {
		return NULL;
	}
	snprintf(buf, size, "Missing %s for %s", what, names[i]);
	return buf;
}

/* The directives whose every word is one of a list. */
static const struct {
	const char *name;
	const char *const *words;
	const char *fmt;        /* httpd's message; gets the word */
	int signs;              /* a + or - may come before a word */
} word_lists[] = {
	{"FileETag", fileetag_words,
	    "Unknown keyword '%s' for FileETag directive", 1},
	{"RegexDefaultOptions", regex_words,
	    "RegexDefaultOptions: option '%s' unknown", 1},
	{"HttpProtocolOptions", protocol_words,
	    "HttpProtocolOptions accepts 'Unsafe' or 'Strict' (default), "
	    "'RegisteredMethods' or 'LenientMethods' (default), and "
	    "'Require1.0' or 'Allow0.9' (default)", 0},
	{"ForceLanguagePriority", flp_words,
	    "Invalid ForceLanguagePriority option %s", 0},
	{"MultiviewsMatch", mvm_words, "Unrecognized option '%s'", 0},
};

/* The handlers that read every word, whatever their number. */
static const char *
words_value_refusal(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	const char *w = n->word;
	uint32_t k;
	size_t i;

	if (hconf_ieq(w, "Options")) {
		return options_refusal(n, argi, buf, size);
	}
	if (hconf_ieq(w, "LogLevel")) {
		return loglevel_refusal(n, argi, buf, size);
	}
	if (hconf_ieq(w, "Mutex")) {
		return mutex_refusal(n->args[0].value, buf, size);
	}
	for (i = 0; i < sizeof(word_lists) / sizeof(word_lists[0]); i++) {
		if (hconf_ieq(w, word_lists[i].name)) {
			return words_refusal(n, argi, buf, size,
			    word_lists[i].words, word_lists[i].fmt,
			    word_lists[i].signs);
		}
	}
	if (!hconf_ieq(w, "LimitInternalRecursion")) {
		return NULL;
	}
	for (k = 0; k < n->nargs && k < 2; k++) {
		if (hconf_atoi(n->args[k].value) <= 0) {
			*argi = k;
			return "The recursion limit must be greater than zero.";
		}
	}
	return NULL;
}

/* core's handlers of one number (or size, or time) w refuses a in. */
static const char *
number_refusal(const char *w, const char *a, char *buf, size_t size)
{
	long long v;
	char *end;

	if (hconf_ieq(w, "ListenBacklog")) {
		return hconf_atoi(a) < 1 ? "ListenBacklog must be > 0" : NULL;
	}
	if (hconf_ieq(w, "KeepAliveTimeout")) {
		return timeout_ms(a) < 0 ? "KeepAliveTimeout has wrong format" :
		    NULL;
	}
	if (hconf_ieq(w, "WatchdogInterval")) {
		v = timeout_ms(a);
		return v < 0 ? "Unparse-able WatchdogInterval setting" :
		    v < 100 ? "Invalid WatchdogInterval: minimal value 100ms" :
		    NULL;
	}
	if (hconf_ieq(w, "ListenTCPDeferAccept")) {
		return hconf_atoi(a) < 1 ? "ListenTCPDeferAccept must be > 0" :
		    NULL;
	}
	if (hconf_ieq(w, "ReceiveBufferSize") ||
	    hconf_ieq(w, "SendBufferSize")) {
		v = hconf_atoi(a);
		if (v < 512 && v != 0) {
			snprintf(buf, size, "%s must be >= 512 bytes, or 0 for "
			    "system default.", strcasecmp(w, "SendBufferSize") ==
			    0 ? "SendBufferSize" : "ReceiveBufferSize");
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "MaxMemFree") || hconf_ieq(w, "ThreadStackSize")) {
		long l;

		errno = 0;
		l = strtol(a, NULL, 10);
		if (l < 0 || errno == ERANGE) {
			snprintf(buf, size, "Invalid %s value: %s",
			    hconf_ieq(w, "MaxMemFree") ? "MaxMemFree" :
			    "ThreadStackSize", a);
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "LimitXMLRequestBody")) {
		return strtol(a, NULL, 10) < 0 ? "LimitXMLRequestBody requires "
		    "a non-negative integer." : NULL;
	}
	if (hconf_ieq(w, "ReadBufferSize") ||
	    hconf_ieq(w, "FlushMaxThreshold")) {
		if (whole_off(a, &v) != 0 || v < 0 || v > 4294967295LL) {
			snprintf(buf, size, "parameter must be a number between "
			    "0 and (4294967295U)): %s", a);
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "FlushMaxPipelined")) {
		if (whole_off(a, &v) != 0 || v < -1 || v > 2147483647LL) {
			snprintf(buf, size, "parameter must be a number between "
			    "-1 and (2147483647): %s", a);
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "LimitRequestBody")) {
		errno = 0;
		v = strtoll(a, &end, 10);
		return errno != 0 || *end != '\0' || end == a || v < 0 ?
		    "LimitRequestBody requires a non-negative integer." : NULL;
	}
	return NULL;
}

/* core's other handlers of one word. */
static const char *
core_value_refusal(const char *w, const char *a, char *buf, size_t size)
{
	if (hconf_ieq(w, "ErrorLogFormat")) {
		return strstr(a, "%M") == NULL ? "main ErrorLogFormat must "
		    "contain message format string '%M'" : NULL;
	}
	if (hconf_ieq(w, "Port")) {
		return "Port was replaced with Listen in Apache 2.0";
	}
	if (hconf_ieq(w, "LimitRequestFields") ||
	    hconf_ieq(w, "LimitRequestLine") ||
	    hconf_ieq(w, "LimitRequestFieldSize")) {
		if (hconf_atoi(a) < 0) {
			snprintf(buf, size, "%s \"%s\" must be a non-negative "
			    "integer%s", strcasecmp(w, "LimitRequestFields") ==
			    0 ? "LimitRequestFields" : strcasecmp(w,
			    "LimitRequestLine") == 0 ? "LimitRequestLine" :
			    "LimitRequestFieldsize", a, strcasecmp(w,
			    "LimitRequestFields") == 0 ? " (0 = no limit)" : "");
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "MaxRanges") || hconf_ieq(w, "MaxRangeOverlaps") ||
	    hconf_ieq(w, "MaxRangeReversals")) {
		if (!hconf_ieq(a, "none") && !hconf_ieq(a, "default") &&
		    !hconf_ieq(a, "unlimited") && hconf_atoi(a) <= 0) {
			snprintf(buf, size, "%s requires 'none', 'default', "
			    "'unlimited' or a positive integer",
			    hconf_ieq(w, "MaxRanges") ? "MaxRanges" :
			    hconf_ieq(w, "MaxRangeOverlaps") ?
			    "MaxRangeOverlaps" : "MaxRangeReversals");
			return buf;
		}
		return NULL;
	}
	return number_refusal(w, a, buf, size);
}

/* mod_deflate's and mod_dir's handlers of one word. */
static const char *
module_value_refusal(const char *w, const char *a, char *buf, size_t size)
{
	static const struct {
		const char *name;
		int lo, hi;
		const char *msg;
	} ranges[] = {
		{"DeflateWindowSize", 1, 15,
		    "DeflateWindowSize must be between 1 and 15"},
		{"DeflateMemLevel", 1, 9,
		    "DeflateMemLevel must be between 1 and 9"},
		{"DeflateCompressionLevel", 1, 9,
		    "Compression Level must be between 1 and 9"},
		{"DeflateBufferSize", 1, INT_MAX,
		    "DeflateBufferSize should be positive"},
	};
	size_t i;
	char *end;
	long long v;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (hconf_ieq(w, ranges[i].name)) {
			v = hconf_atoi(a);
			return v < ranges[i].lo || v > ranges[i].hi ?
			    ranges[i].msg : NULL;
		}
	}
	if (hconf_ieq(w, "DeflateInflateRatioLimit") ||
	    hconf_ieq(w, "DeflateInflateRatioBurst")) {
		if (hconf_atoi(a) <= 0) {
			snprintf(buf, size, "%s must be positive",
			    hconf_ieq(w, "DeflateInflateRatioLimit") ?
			    "DeflateInflateRatioLimit" : "DeflateInflateRatioBurst");
			return buf;
		}
		return NULL;
	}
	if (hconf_ieq(w, "DeflateInflateLimitRequestBody")) {
		errno = 0;
		v = strtoll(a, &end, 10);
		return errno != 0 ? "DeflateInflateLimitRequestBody is not "
		    "parsable." : *end != '\0' || v < 0 ?
		    "DeflateInflateLimitRequestBody requires a non-negative "
		    "integer." : NULL;
	}
	if (!hconf_ieq(w, "DirectoryIndexRedirect") || hconf_ieq(a, "on") ||
	    hconf_ieq(a, "off") || hconf_ieq(a, "permanent") ||
	    hconf_ieq(a, "temp") || hconf_ieq(a, "seeother")) {
		return NULL;
	}
	if (!isdigit((unsigned char)a[0])) {
		return "DirectoryIndexRedirect ON|OFF|permanent|temp|"
		    "seeother|3xx";
	}
	return hconf_atoi(a) < 300 || hconf_atoi(a) > 399 ?
	    "DirectoryIndexRedirect only accepts values between 300 and 399" :
	    NULL;
}

/* The handlers of one keyword (keywords[]). */
static const char *
keyword_refusal(const char *w, const char *a)
{
	size_t i, j;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (!hconf_ieq(w, keywords[i].name)) {
			continue;
		}
		for (j = 0; j < 9 && keywords[i].words[j] != NULL &&
		    !hconf_ieq(a, keywords[i].words[j]); j++) {
		}
		return j == 9 || keywords[i].words[j] == NULL ?
		    keywords[i].msg : NULL;
	}
	return NULL;
}

/*
 * Every directive name rules_value_refusal() and the functions it calls
 * compare n->word with (the tables keywords[], word_lists[], ranges[],
 * setenvif_refusal()'s names and the single comparisons).  The walk
 * calls rules_value_refusal() only for these: add the name of each new
 * check here.
 */
static const char *const value_names[] = {
	"AcceptPathInfo", "AllowEncodedSlashes", "BrowserMatch",
	"BrowserMatchNoCase", "DeflateAlterEtag", "DeflateBufferSize",
	"DeflateCompressionLevel", "DeflateInflateLimitRequestBody",
	"DeflateInflateRatioBurst", "DeflateInflateRatioLimit",
	"DeflateMemLevel", "DeflateWindowSize", "DirectoryIndexRedirect",
	"EnableMMAP", "EnableSendfile", "ErrorLogFormat", "FancyIndexing",
	"FileETag", "FlushMaxPipelined", "FlushMaxThreshold",
	"ForceLanguagePriority", "HostnameLookups", "HttpProtocolOptions",
	"KeepAliveTimeout", "LimitInternalRecursion", "LimitRequestBody",
	"LimitRequestFieldSize", "LimitRequestFields", "LimitRequestLine",
	"LimitXMLRequestBody", "ListenBacklog", "ListenTCPDeferAccept",
	"LogLevel", "MaxMemFree", "MaxRangeOverlaps", "MaxRangeReversals",
	"MaxRanges", "MultiviewsMatch", "Mutex", "Options", "Port",
	"ProtocolsHonorOrder", "ReadBufferSize", "ReceiveBufferSize",
	"RegexDefaultOptions", "SendBufferSize", "ServerSignature",
	"ServerTokens", "SetEnvIf", "SetEnvIfNoCase", "ThreadStackSize",
	"TraceEnable", "UseCanonicalName", "UseCanonicalPhysicalPort",
	"WatchdogInterval",
	NULL
};

int
rules_value_name(const char *name)
{
	size_t i;

	for (i = 0; value_names[i] != NULL; i++) {
		if (hconf_ieq(name, value_names[i])) {
			return 1;
		}
	}
	return 0;
}

int
rules_value_refusal(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	const char *m;

	*argi = 0;
	if (hconf_ieq(n->word, "FancyIndexing")) {
		snprintf(buf, size, "The FancyIndexing directive is no longer "
		    "supported. Use IndexOptions FancyIndexing.");
		return 1;
	}
	if (setenvif_refusal(n, buf, size) != NULL) {
		*argi = n->nargs;
		return 1;
	}
	if (n->nargs == 0) {
		return 0;
	}
	m = words_value_refusal(n, argi, buf, size);
	/* the others take one word; a wrong count is check_generic()'s */
	if (m == NULL && n->nargs == 1) {
		m = core_value_refusal(n->word, n->args[0].value, buf, size);
	}
	if (m == NULL && n->nargs == 1) {
		m = module_value_refusal(n->word, n->args[0].value, buf, size);
	}
	if (m == NULL && n->nargs == 1) {
		m = keyword_refusal(n->word, n->args[0].value);
	}
	if (m == NULL) {
		return 0;
	}
	if (m != buf) {
		snprintf(buf, size, "%s", m);
	}
	return 1;
}
