/*
 * modcheck.c - what the handlers of Debian's usual loadable modules
 * refuse while httpd reads the configuration: the entry point, which
 * sends each directive to its module's checks (modrewrite.c,
 * modauthz.c, modvalues.c), the state kept across directives, mod_filter's
 * providers, the Mutex types modules register, and mod_env's warning for
 * an unset PassEnv variable.  Pure checks over one node (and mod_filter's
 * declared filters); it never records and never reads a file
 * (parser/files.c does that).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "directives.h"
#include "modcheck_int.h"

/* mod_filter: the filters declared in one configuration (section). */
struct filt {
	const struct hconf_node *section;
	char *name;
	char *providers; /* ";p1;p2;" */
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

int
rules_mod_loaded(const struct hconf_doc *doc, const char *ident)
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
	strset_free(&s->lines_ok);
	strset_free(&s->ips_ok);
	free(s);
}

/* The registered name of an output filter, or NULL when none has it
 * (only meaningful with filters_known). */
static const char *
out_filter(const struct rules_modstate *s, const char *name)
{
	size_t k, j;

	for (k = 0; k < sizeof(out_filters) / sizeof(out_filters[0]); k++) {
		if (!rules_mod_loaded(s->doc, out_filters[k].module) &&
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

/* An ap_expr that must parse (boolean).  0, or the verdict with
 * "<head><httpd's error>" in buf. */
enum rules_mod_verdict
rules_mod_expr_refusal(const struct rules_modctx *mc, const char *expr,
    unsigned more, const char *head, char *buf, size_t size)
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
		return rules_mod_expr_refusal(mc, n->args[2].value, 0, "Error "
		    "parsing FilterProvider expression:", buf, size);
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

/*
 * Handlers that take one of a few keywords: the directive, its argument
 * count, the argument at stake, the words, httpd's message (which may
 * name the argument, as %s).
 */
static const char *const authmerging[] = {"Off", "And", "Or", NULL};
static const char *const notetypes[] = {"Ratio", "Input", "Output", NULL};
static const char *const orderdir[] = {"Ascending", "Descending", NULL};
static const char *const orderkey[] = {"Name", "Date", "Size",
    "Description", NULL};
static const struct {
	const char *directive;
	uint32_t nargs, arg;
	const char *const *words;
	const char *msg;
} keywords[] = {
	{"AuthMerging", 1, 0, authmerging,
	    "AuthMerging must be one of: Off | And | Or"},
	{"DeflateFilterNote", 2, 0, notetypes, "Unknown note type %s"},
	{"IndexOrderDefault", 2, 0, orderdir,
	    "First keyword must be 'Ascending' or 'Descending'"},
	{"IndexOrderDefault", 2, 1, orderkey,
	    "Second keyword must be 'Name', 'Date', 'Size', or 'Description'"},
};

static enum rules_mod_verdict
keyword_check(const struct hconf_node *n, uint32_t *argi, char *buf,
    size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const char *w;

		if (strcasecmp(n->word, keywords[i].directive) != 0 ||
		    n->nargs != keywords[i].nargs) {
			continue;
		}
		w = n->args[keywords[i].arg].value;
		*argi = keywords[i].arg;
		if (!word_in(w, keywords[i].words)) {
			return say(buf, size, keywords[i].msg, w);
		}
	}
	return RULES_MOD_OK;
}

/* mod_env: PassEnv of a variable httpd's environment lacks (AH01506). */
static enum rules_mod_verdict
passenv_check(const struct hconf_node *n, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size)
{
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
	return RULES_MOD_OK;
}

/* The checks httpd's handlers make after the directive's regex. */
static enum rules_mod_verdict
handler_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size)
{
	unsigned dn = mc->dn->dn, bits = mc->dn->bits;

	if (dn == DN_HEADER || dn == DN_REQUESTHEADER) {
		return rules_header_check(mc, n, argi, buf, size);
	}
	if (bits & DP_REMOTEIP) {
		return rules_remoteip_check(n, argi, buf, size);
	}
	if (dn == DN_REQUESTREADTIMEOUT) {
		return rules_reqtimeout_check(n, argi, buf, size);
	}
	if (bits & DP_EXPIRES) {
		return rules_expires_check(n, argi, buf, size);
	}
	if (dn == DN_INDEXOPTIONS) {
		return rules_indexoptions_check(s, mc, n, argi, buf, size);
	}
	if (dn == DN_REQUIRE) {
		return rules_require_check(s, mc, n, argi, buf, size);
	}
	if ((bits & DP_FILTER) || dn == DN_ADDOUTPUTFILTERBYTYPE) {
		return filter_check(s, mc, n, argi, buf, size);
	}
	if (dn == DN_PASSENV) {
		return passenv_check(n, next, argi, ah, buf, size);
	}
	if (dn == DN_AUTHMERGING || dn == DN_DEFLATEFILTERNOTE ||
	    dn == DN_INDEXORDERDEFAULT) {
		return keyword_check(n, argi, buf, size);
	}
	return RULES_MOD_OK;
}

static int
is_alias(unsigned dn)
{
	return dn == DN_ALIAS || dn == DN_SCRIPTALIAS || dn == DN_ALIASMATCH ||
	    dn == DN_SCRIPTALIASMATCH;
}

static int
is_redirect(unsigned dn)
{
	return dn == DN_REDIRECT || dn == DN_REDIRECTMATCH ||
	    dn == DN_REDIRECTPERMANENT || dn == DN_REDIRECTTEMP;
}

int
rules_module_named(const struct rules_dname *d)
{
	switch (d->dn) {
	case DN_HEADER: case DN_REQUESTHEADER: case DN_REQUESTREADTIMEOUT:
	case DN_INDEXOPTIONS: case DN_REQUIRE: case DN_ADDOUTPUTFILTERBYTYPE:
	case DN_PASSENV: case DN_AUTHMERGING: case DN_DEFLATEFILTERNOTE:
	case DN_INDEXORDERDEFAULT:
		return 1;
	default:
		break;
	}
	/* of mod_rewrite's, rules_rewrite_check() knows these (it passes
	 * RewriteEngine and the others: rules_module_check() sends every
	 * Rewrite* name there and to no other check) */
	if (d->bits & DP_REWRITE) {
		return d->dn == DN_REWRITEBASE || d->dn == DN_REWRITEOPTIONS ||
		    d->dn == DN_REWRITEMAP || d->dn == DN_REWRITERULE ||
		    d->dn == DN_REWRITECOND;
	}
	return is_alias(d->dn) || is_redirect(d->dn) ||
	    (d->bits & (DP_REMOTEIP | DP_EXPIRES | DP_FILTER));
}

/* As rules_module_check() dispatches: RewriteRule is phase 0's, the
 * aliases' context too (no handler check knows them), the redirects and
 * the other Rewrite names look in both, the handlers only in phase 1. */
unsigned
rules_module_phases(const struct rules_dname *d)
{
	if (d->bits & DP_REWRITE) {
		return d->dn == DN_REWRITERULE ? 1u : 3u;
	}
	if (is_alias(d->dn)) {
		return 1u;
	}
	return is_redirect(d->dn) ? 3u : 2u;
}

enum rules_mod_verdict
rules_module_check(struct rules_modstate *s, const struct rules_modctx *mc,
    const struct hconf_node *n, int phase, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size)
{
	unsigned dn = mc->dn->dn;

	*ah = NULL;
	*argi = n->nargs;
	if (n->word == NULL) {
		return RULES_MOD_OK;
	}
	if (mc->dn->bits & DP_REWRITE) {
		return rules_rewrite_check(s, mc, n, phase, next, argi, ah,
		    buf, size);
	}
	if (phase == 0 && is_alias(dn)) {
		return rules_alias_context(mc, n, argi, buf, size);
	}
	if (is_redirect(dn)) {
		return rules_redirect_check(mc, n, phase, argi, buf, size);
	}
	if (phase != 1) {
		return RULES_MOD_OK;
	}
	return handler_check(s, mc, n, next, argi, ah, buf, size);
}
