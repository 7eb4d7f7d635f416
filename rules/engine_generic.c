/*
 * engine_generic.c - the checks httpd makes of any directive or section
 * before its handler runs (a loaded module has it, its context, its
 * argument count: the descriptor table in directives.def), the nesting
 * of sections, <IfModule> names that never match, and the handlers of
 * loaded modules (modcheck.c decides, this file records).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "directives.h"
#include "ieq.h"
#include "modcheck.h"

/*
 * An <IfModule> name that looks like an MPM but that no module reports
 * (mod_mpm_event.c, Event.c, mpm_event.c ...).  Returns the MPM meant.
 */
static const char *
never_matches(const char *name)
{
	static const char *const mpm[] = {"prefork", "worker", "event"};
	static const char *const forms[] = {"mod_mpm_%s.c", "mpm_%s.c",
	    "mod_%s.c", "mpm_%s", "%s", "mod_mpm_%s", "mpm_%s_module",
	    "%s.c", "%s_module", "mod_mpm_%s_module"};
	enum rules_mpm m;
	size_t i, j;

	if (rules_mpm_guard(name, &m)) {
		return NULL;
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < sizeof(forms) / sizeof(forms[0]); j++) {
			char f[64];

			snprintf(f, sizeof(f), forms[j], mpm[i]);
			if (hconf_ieq(name, f)) {
				return mpm[i];
			}
		}
	}
	return NULL;
}

static int
module_loaded_later(const struct hconf_doc *doc, const char *name,
    const struct hconf_node *at)
{
	size_t n, i;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	for (i = 0; i < n; i++) {
		if (m[i].node != NULL && (strcmp(m[i].ident, name) == 0 ||
		    strcmp(m[i].source, name) == 0) && m[i].node != at) {
			return 1;
		}
	}
	return 0;
}

void
rules_check_ifmodule(struct rules_walk *c, const struct hconf_node *n)
{
	const char *name, *meant;
	char fix[160];
	enum rules_mpm m;
	int neg = 0;

	if (n->nargs == 0) {
		return;
	}
	name = n->args[0].value;
	if (name[0] == '!') {
		neg = 1;
		name = name[1] ? name + 1 : (n->nargs > 1 ? n->args[1].value : "");
	}
	meant = never_matches(name);
	if (meant != NULL) {
		rules_at_arg(c, R_IFMODULE_NEVER, n, 0, NULL, "<IfModule %s%s> "
		    "is always %s: no module is called '%s'; write "
		    "mpm_%s_module or %s.c (case matters)", neg ? "!" : "",
		    name, neg ? "true" : "false", name, meant, meant);
		return;
	}
	if (rules_module_misnamed(name, fix, sizeof(fix))) {
		rules_at_arg(c, R_IFMODULE_NEVER, n, 0, NULL, "<IfModule %s%s> "
		    "is always %s: no module is called '%s'; did you mean %s? "
		    "(case matters)", neg ? "!" : "", name, neg ? "true" :
		    "false", name, fix);
		return;
	}
	if (!(n->flags & HCONF_NODE_TRUE) && !neg &&
	    module_loaded_later(c->doc, name, n)) {
		rules_at_arg(c, R_IFMODULE_EARLY, n, 0, NULL, "<IfModule %s> "
		    "is tested before the LoadModule line of %s, so it is "
		    "false here", name, name);
		return;
	}
	if (!neg && rules_mpm_guard(name, &m) && m != c->mpm &&
	    c->mpm != RULES_MPM_NONE) {
		rules_at_arg(c, R_GUARD_DEAD, n, 0, NULL, "<IfModule %s>: "
		    "mpm_%s is not loaded (mpm_%s is), so these settings are "
		    "unused", name, rules_mpm_name(m), rules_mpm_name(c->mpm));
	}
}

/* Sections that only the server config or a <VirtualHost> may hold. */
static int
sec_server_only(unsigned dn)
{
	switch (dn) {
	case DN_DIRECTORY: case DN_DIRECTORYMATCH: case DN_LOCATION:
	case DN_LOCATIONMATCH: case DN_PROXY: case DN_PROXYMATCH:
	case DN_VIRTUALHOST:
		return 1;
	default:
		return 0;
	}
}

/* Where a section may stand: sec_server_only(), <Files> under
 * <Location>, <VirtualHost> in another. */
void
rules_check_section_context(struct rules_walk *c, const struct hconf_node *n)
{
	const struct hconf_node *sec = rules_enclosing_section(c);
	unsigned dn = c->dn.dn;

	if (sec == NULL || n->flags & HCONF_NODE_COND) {
		return;
	}
	/* c->dn is n's name: the lists above, looked up once */
	if (dn == DN_VIRTUALHOST && (rules_enclosing_kind(c) & SEC_VHOST)) {
		rules_at_node(c, R_SECTION_CONTEXT, n, "AH00526",
		    "<VirtualHost> cannot occur within <VirtualHost> section");
	} else if (sec_server_only(dn) &&
	    !(rules_enclosing_kind(c) & SEC_VHOST)) {
		rules_at_node(c, R_SECTION_CONTEXT, n, "AH00526", "<%s not "
		    "allowed in <%s> context", n->word, sec->word);
	} else if (dn == DN_FILES || dn == DN_FILESMATCH) {
		/* httpd looks through every enclosing section */
		size_t i;

		for (i = c->nsecs; i-- > 0;) {
			const struct hconf_node *o = c->secs[i];

			if (c->secbits[i] & SEC_LOCATION) {
				rules_at_node(c, R_SECTION_CONTEXT, n,
				    "AH00526", "<%s> cannot occur within <%s> "
				    "section", n->word, o->word);
				break;
			}
		}
	}
}

static int
args_ok(const struct hconf_node *n, int shape)
{
	uint32_t k = n->nargs;
	int e0 = k < 1 || n->args[0].value[0] == '\0';
	int e1 = k < 2 || n->args[1].value[0] == '\0';

	switch (shape) {
	case ARGS_TAKE1:
		return k == 1 && !e0;
	case ARGS_TAKE2:
		return k == 2 && !e0 && !e1;
	case ARGS_TAKE12:
		return k >= 1 && k <= 2 && !e0;
	case ARGS_TAKE3:
		return k == 3 && !e0 && !e1 && n->args[2].value[0] != '\0';
	case ARGS_TAKE23:
		return k >= 2 && k <= 3 && !e0 && !e1;
	case ARGS_TAKE123:
		return k >= 1 && k <= 3 && !e0;
	case ARGS_TAKE13:
		return (k == 1 || k == 3) && !e0;
	case ARGS_ITERATE:
		return !e0;
	case ARGS_ITERATE2:
		return !e0 && !e1;
	case ARGS_FLAG:
		return k == 1 && (hconf_ieq(n->args[0].value, "on") ||
		    hconf_ieq(n->args[0].value, "off"));
	case ARGS_NO_ARGS:
		return k == 0;
	default:
		return 1;
	}
}

/* The SEC_* kind of a section, by its name (0: none of them). */
unsigned
rules_section_kind(const char *w)
{
	static const struct {
		const char *name;
		unsigned kind;
	} kinds[] = {
		{"VirtualHost", SEC_VHOST}, {"Directory", SEC_DIRECTORY},
		{"DirectoryMatch", SEC_DIRECTORY}, {"Files", SEC_FILES},
		{"FilesMatch", SEC_FILES}, {"If", SEC_IF}, {"ElseIf", SEC_IF},
		{"Else", SEC_IF}, {"Location", SEC_LOCATION},
		{"LocationMatch", SEC_LOCATION}, {"Proxy", SEC_PROXY},
		{"ProxyMatch", SEC_PROXY}, {"Limit", SEC_LIMIT},
		{"LimitExcept", SEC_LIMIT},
	};
	size_t i;

	for (i = 0; w != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (hconf_ieq(w, kinds[i].name)) {
			return kinds[i].kind;
		}
	}
	return 0;
}

/* The same for a name looked up (DN_*): the walk's sec_push(). */
unsigned
rules_section_kind_dn(unsigned dn)
{
	switch (dn) {
	case DN_VIRTUALHOST:
		return SEC_VHOST;
	case DN_DIRECTORY: case DN_DIRECTORYMATCH:
		return SEC_DIRECTORY;
	case DN_FILES: case DN_FILESMATCH:
		return SEC_FILES;
	case DN_IF: case DN_ELSEIF: case DN_ELSE:
		return SEC_IF;
	case DN_LOCATION: case DN_LOCATIONMATCH:
		return SEC_LOCATION;
	case DN_PROXY: case DN_PROXYMATCH:
		return SEC_PROXY;
	case DN_LIMIT: case DN_LIMITEXCEPT:
		return SEC_LIMIT;
	default:
		return 0;
	}
}

/* 1 when any enclosing section is of one of the kinds. */
int
rules_in_section(const struct rules_walk *c, unsigned kinds)
{
	size_t i;

	for (i = 0; i < c->nsecs; i++) {
		if (c->secbits[i] & kinds) {
			return 1;
		}
	}
	return 0;
}

/*
 * No loaded module has the directive: httpd's "Invalid command", or
 * nothing when a module we have no table for is loaded.  In a fragment
 * (no MPM loaded) a third-party module loaded elsewhere may provide it.
 */
static void
unknown_command(struct rules_walk *c, const struct hconf_node *n,
    const char *lt, const char *name)
{
	struct rules_finding *f;
	char *m = NULL;
	size_t len;

	/* httpd never walks into a section it cannot run */
	c->skip_children = n->kind == HCONF_SECTION;
	/* the parser reports a byte order mark itself (HC040) */
	if (c->third_party || (*lt == '\0' &&
	    strncmp(name, "\xef\xbb\xbf", 3) == 0)) {
		return;
	}
	rules_at_node(c, R_UNKNOWN, n, "AH00526", "Invalid command '%s%s', "
	    "perhaps misspelled or defined by a module not "
	    "included in the server configuration", lt, name);
	if (c->res->mpm_node != NULL) {
		return;
	}
	/*
	 * Under --mpm X the fragment is read as httpd reads it after X's
	 * LoadModule line, which refuses it: an error, as httpd's verdict.
	 */
	f = &c->res->f[c->res->n - 1];
	len = strlen(f->msg) + 200;
	m = hconf_xmalloc(len);
	snprintf(m, len, "%s (no module of Debian's apache2 "
	    "has it; a third-party module%s may)", f->msg,
	    c->cfg->force_mpm != RULES_MPM_NONE ?
	    " loaded elsewhere" : "");
	free(f->msg);
	f->msg = m;
	if (c->cfg->force_mpm == RULES_MPM_NONE) {
		f->sev = HCONF_SEV_NOTE;
	}
}

/* The context bits that let a directive stand in the server config. */
#define SERVER_OK (CTX_RSRC_CONF | CTX_OR_OPTIONS | CTX_OR_FILEINFO | \
	CTX_OR_INDEXES)

/*
 * At the server level (sec NULL) or in a <VirtualHost>: 1 when d may
 * stand there, else 0 after httpd's refusal.
 */
static int
server_context_ok(struct rules_walk *c, const struct hconf_node *n,
    const struct rules_directive *d, const struct hconf_node *sec)
{
	if (d->where & SERVER_OK) {
		return 1;
	}
	if (sec == NULL) {
		rules_at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
		    "%s not allowed here", d->name);
	} else {
		rules_at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526",
		    "%s not allowed in <VirtualHost> context", d->name);
	}
	return 0;
}

/* A directive where it stands: 1 when httpd lets it run there. */
static int
directive_context_ok(struct rules_walk *c, const struct hconf_node *n,
    const struct rules_directive *d)
{
	const struct hconf_node *sec = rules_enclosing_section(c);
	unsigned kind = rules_enclosing_kind(c);
	unsigned ok = CTX_ACCESS_CONF | CTX_OR_ALL;

	if (sec == NULL || (kind & SEC_VHOST)) {
		return server_context_ok(c, n, d, sec);
	}
	if (!(kind & SEC_PERDIR)) {
		/* <Limit>, <RequireAll> ...: httpd's rules differ; skip */
		return 1;
	}
	if (kind & SEC_PROXY) {
		ok |= CTX_PROXY_CONF;
	}
	if (!(d->where & ok)) {
		rules_at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526", "%s not "
		    "allowed in <%s> context", d->name, sec->word);
		return 0;
	}
	return 1;
}

/* The argument count: 1 when it is one the directive takes. */
static int
directive_args_ok(struct rules_walk *c, const struct hconf_node *n,
    const struct rules_directive *d)
{
	const char *m;

	if (args_ok(n, d->args)) {
		return 1;
	}
	m = rules_args_message(d->args);
	if (d->args == ARGS_FLAG) {
		rules_at_node(c, R_DIRECTIVE_ARGS, n, "AH00526", "%s must be "
		    "On or Off", d->name);
	} else if (m != NULL) {
		rules_at_node(c, R_DIRECTIVE_ARGS, n, "AH00526", "%s %s%s%s",
		    d->name, m, d->help ? ", " : "",
		    d->help ? d->help : "");
	}
	return 0;
}

/*
 * httpd's generic checks for any directive: it must exist in a loaded
 * module, sit where its override bits allow, and have the argument
 * count its shape demands.
 */
int
rules_check_generic(struct rules_walk *c, const struct hconf_node *n)
{
	const struct rules_directive *d;
	const struct hconf_node *sec = rules_enclosing_section(c);
	int is_loaded;

	/* a name too long for a 256-byte buffer ("<" too) is let through */
	if (c->dn.len + (n->kind == HCONF_SECTION ? 2 : 1) > 256) {
		return 1;
	}
	d = c->dn.d;
	is_loaded = c->dn.loaded;
	if (d == NULL) {
		unknown_command(c, n, n->kind == HCONF_SECTION ? "<" : "",
		    n->word);
		return 0;
	}
	if (!is_loaded) {
		/* A fragment loads nothing: only a whole configuration
		 * (one that loads its MPM) can miss a module. */
		if (c->res->mpm_node != NULL) {
			rules_at_node(c, R_UNKNOWN, n, "AH00526", "Invalid "
			    "command '%s%s', perhaps misspelled or defined by "
			    "a module not included in the server configuration "
			    "(it comes from %s, which is not loaded)",
			    n->kind == HCONF_SECTION ? "<" : "", n->word,
			    d->modules);
			return 0;
		}
		return 1;
	}
	if (d->where & CTX_EXEC_ON_READ) {
		return 1;
	}
	if (n->kind == HCONF_SECTION) {
		/* nesting is check_section_context()'s; here the server and
		 * <VirtualHost> levels, e.g. "<RequireAll not allowed here" */
		if ((sec == NULL || (rules_enclosing_kind(c) & SEC_VHOST)) &&
		    !server_context_ok(c, n, d, sec)) {
			c->skip_children = 1;
			return 0;
		}
		return 1;
	}
	if (!directive_context_ok(c, n, d) || !directive_args_ok(c, n, d)) {
		return 0;
	}
	if ((d->forbid & CTX_NOT_IN_VIRTUALHOST) &&
	    rules_in_section(c, SEC_VHOST)) {
		rules_at_node(c, R_DIRECTIVE_CONTEXT, n, "AH00526", "%s cannot "
		    "occur within <VirtualHost> section", d->name);
		return 0;
	}
	return 1;
}

/*
 * The handlers of loaded modules (modcheck.c).  Returns 1 when httpd
 * stops there.  A section whose config a directive goes to is the
 * innermost ordinary section; cmd->path is set inside the per-directory
 * ones.
 */
/* The context of the handlers: a section's config, cmd->path, ... */
static void
module_context(const struct rules_walk *c, struct rules_modctx *mc)
{
	size_t i;

	memset(mc, 0, sizeof(*mc));
	mc->doc = c->doc;
	mc->expr_flags = c->expr_flags;
	mc->third_party = c->third_party;
	mc->dn = &c->dn;
	/* innermost first, to the <VirtualHost> if there is one */
	for (i = c->nsecs; i > 0; i--) {
		const struct hconf_node *s = c->secs[i - 1];
		unsigned kind = c->secbits[i - 1];

		if (s == NULL) {
			continue;
		}
		if (mc->in_directory == NULL && (kind & SEC_DIRECTORY)) {
			mc->in_directory = s;
		}
		if (mc->in_files == NULL && (kind & (SEC_FILES | SEC_IF))) {
			mc->in_files = s;
		}
		if (kind & SEC_LIMIT) {
			continue; /* the enclosing config's */
		}
		if (mc->section == NULL) {
			mc->section = s;
		}
		if (kind & SEC_PERDIR) {
			mc->perdir = 1;
		}
		if (kind & SEC_VHOST) {
			break;
		}
	}
}

int
rules_check_module(struct rules_walk *c, const struct hconf_node *n, int phase)
{
	enum rules_mod_verdict v;
	uint32_t next = 0, argi;
	const char *ah;
	char buf[4400];

	if (!(c->dn.bits & DG_MODULE)) {
		return 0; /* rules_module_check() has nothing to say */
	}
	if (c->mc_node != n) {
		/* once for both phases of the node */
		module_context(c, &c->mc);
		c->mc_node = n;
	}
	for (;;) {
		v = rules_module_check(c->mod, &c->mc, n, phase, &next, &argi,
		    &ah, buf, sizeof(buf));
		if (v == RULES_MOD_OK) {
			return 0;
		}
		if (v == RULES_MOD_WARNING) {
			/* logged to cmd->server's own log: a <VirtualHost>'s
			 * is not open at -t, so only the main server's show */
			if (!rules_in_section(c, SEC_VHOST)) {
				rules_at_arg(c, R_MODULE_WARNING, n, argi, ah,
				    "%s", buf);
			}
			if (next == 0) {
				return 0;
			}
			continue;
		}
		if (v == RULES_MOD_JAMMED) {
			rules_at_arg(c, R_IF_EXPR, n, argi, NULL, "%s", buf);
		} else {
			rules_at_arg(c, R_MODULE_REFUSED, n, argi, "AH00526",
			    "%s", buf);
		}
		return 1;
	}
}
