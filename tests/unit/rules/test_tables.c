/*
 * test_tables.c - sanity checks on the generated fact tables
 * parser/modules.def and rules/directives.def (scripts/gen-tables.sh).
 * Includes only the .def files, with its own macro definitions, so it
 * builds on its own:
 *   gcc -std=c11 -Wall -Wextra -Iparser -Irules -o /tmp/tt \
 *       tests/unit/rules/test_tables.c -lcmocka && /tmp/tt
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* strcasecmp() */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

enum args_shape {
#define DIRECTIVE_ARGS(shape, value, message) shape = value,
#include "directives.def"
#undef DIRECTIVE_ARGS
};

enum {
#define DIRECTIVE_FLAG(flag, value) flag = value,
#include "directives.def"
#undef DIRECTIVE_FLAG
};

struct args_info {
	enum args_shape shape;
	const char *message;
};

static const struct args_info shapes[] = {
#define DIRECTIVE_ARGS(shape, value, message) {shape, message},
#include "directives.def"
#undef DIRECTIVE_ARGS
};

struct drow {
	const char *name, *modules;
	enum args_shape args;
	unsigned where, forbid;
	const char *help;
};

static const struct drow drows[] = {
#define DIRECTIVE(n, m, a, w, f, h) {n, m, a, (w), (f), h},
#include "directives.def"
#undef DIRECTIVE
};
#define NDROWS (sizeof(drows) / sizeof(drows[0]))

struct mrow {
	const char *ident, *source, *so;
};

static const struct mrow mrows[] = {
#define HCONF_MODULE(i, s, so) {i, s, so},
#include "modules.def"
#undef HCONF_MODULE
};
#define NMROWS (sizeof(mrows) / sizeof(mrows[0]))

/* Does the space-separated list have this word? */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
			return 1;
		}
		p += n;
	}
	return 0;
}

static int
cmp_drow(const void *key, const void *elt)
{
	return strcasecmp(key, ((const struct drow *)elt)->name);
}

/* The row for name registered by module, the way a linter looks it up. */
static const struct drow *
find_directive(const char *name, const char *module)
{
	const struct drow *d, *lo;

	d = bsearch(name, drows, NDROWS, sizeof(drows[0]), cmp_drow);
	if (d == NULL) {
		return NULL;
	}
	lo = d;
	while (lo > drows && strcasecmp(lo[-1].name, name) == 0) {
		lo--;
	}
	for (d = lo; d < drows + NDROWS && strcasecmp(d->name, name) == 0;
	    d++) {
		if (module == NULL || has_word(d->modules, module)) {
			return d;
		}
	}
	return NULL;
}

static const struct mrow *
find_module(const char *ident)
{
	size_t i;

	for (i = 0; i < NMROWS; i++) {
		if (strcmp(mrows[i].ident, ident) == 0) {
			return &mrows[i];
		}
	}
	return NULL;
}

static void
test_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(NDROWS > 700);
	for (i = 1; i < NDROWS; i++) {
		assert_true(strcasecmp(drows[i - 1].name, drows[i].name) <= 0);
	}
	assert_true(NMROWS > 100);
	for (i = 1; i < NMROWS; i++) {
		assert_true(strcmp(mrows[i - 1].ident, mrows[i].ident) < 0);
	}
}

static void
test_mpm_directives(void **state)
{
	static const char *const mpm[] = {"mpm_prefork_module",
	    "mpm_worker_module", "mpm_event_module"};
	const struct drow *d;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		d = find_directive("StartServers", mpm[i]);
		assert_non_null(d);
		assert_int_equal(d->args, ARGS_TAKE1);
		assert_int_equal(d->where, CTX_RSRC_CONF);
		assert_true(d->forbid & CTX_NOT_IN_VIRTUALHOST);
		assert_string_equal(d->help,
		    "Number of child processes launched at server startup");
		assert_non_null(find_directive("ServerLimit", mpm[i]));
		assert_non_null(find_directive("MaxRequestWorkers", mpm[i]));
		assert_non_null(find_directive("GracefulShutdownTimeout", mpm[i]));
		assert_non_null(find_directive("Listen", mpm[i]));
	}
	assert_null(find_directive("ThreadsPerChild", "mpm_prefork_module"));
	assert_non_null(find_directive("ThreadsPerChild", "mpm_worker_module"));
	assert_non_null(find_directive("threadsperchild", "mpm_event_module"));
	assert_null(find_directive("MinSpareServers", "mpm_event_module"));
	assert_non_null(find_directive("MinSpareServers", "mpm_prefork_module"));

	d = find_directive("AsyncRequestWorkerFactor", NULL);
	assert_non_null(d);
	assert_string_equal(d->modules, "mpm_event_module");

	/* The MPMs disagree on this help text, so there are two rows. */
	assert_string_not_equal(
	    find_directive("ServerLimit", "mpm_prefork_module")->help,
	    find_directive("ServerLimit", "mpm_event_module")->help);

	/* Core owns the MPM-common directives; no exception hook on Debian. */
	assert_string_equal(find_directive("PidFile", NULL)->modules,
	    "core_module");
	assert_string_equal(find_directive("MaxConnectionsPerChild", NULL)->modules,
	    "core_module");
	assert_null(find_directive("EnableExceptionHook", NULL));
	assert_null(find_directive("NoSuchDirective", NULL));
}

static void
test_sections(void **state)
{
	const struct drow *d;
	size_t i;

	(void)state;
	d = find_directive("<IfModule", NULL);
	assert_non_null(d);
	assert_string_equal(d->modules, "core_module");
	assert_true(d->where & CTX_SECTION);
	assert_true(d->where & CTX_EXEC_ON_READ);
	assert_int_equal(d->args, ARGS_RAW_ARGS);
	assert_int_equal(d->forbid, 0);
	assert_non_null(find_directive("<ifsection", "core_module"));
	assert_non_null(find_directive("<IfDirective", "core_module"));
	assert_non_null(find_directive("<VirtualHost", "core_module"));
	assert_null(find_directive("IfModule", NULL));

	for (i = 0; i < NDROWS; i++) {
		assert_int_equal(drows[i].name[0] == '<',
		    (drows[i].where & CTX_SECTION) != 0);
	}
}

static void
test_contexts(void **state)
{
	const struct drow *d;

	(void)state;
	d = find_directive("AuthType", NULL);
	assert_int_equal(d->where, CTX_OR_AUTHCFG);
	d = find_directive("Options", NULL);
	assert_true(d->where & CTX_OR_OPTIONS);
	d = find_directive("Alias", NULL);
	assert_true(d->forbid & CTX_NOT_IN_DIRECTORY);
	assert_false(d->forbid & CTX_NOT_IN_LOCATION);
	d = find_directive("SSLProxyEngine", NULL);
	assert_true(d->where & CTX_PROXY_CONF);
	assert_int_equal(CTX_GLOBAL_ONLY & CTX_NOT_IN_HTACCESS, 0);
}

static void
test_shapes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		assert_int_equal(shapes[i].shape, (int)i);
	}
	assert_string_equal(shapes[ARGS_TAKE1].message, "takes one argument");
	assert_string_equal(shapes[ARGS_FLAG].message, "must be On or Off");
	assert_null(shapes[ARGS_RAW_ARGS].message);
	assert_int_equal(find_directive("KeepAlive", NULL)->args, ARGS_FLAG);
	assert_int_equal(find_directive("Listen", NULL)->args, ARGS_TAKE_ARGV);
	assert_int_equal(find_directive("AddType", NULL)->args, ARGS_ITERATE2);
}

static void
test_modules(void **state)
{
	const struct mrow *m;
	size_t i, nstatic = 0;

	(void)state;
	m = find_module("mpm_event_module");
	assert_non_null(m);
	assert_string_equal(m->source, "event.c");
	assert_string_equal(m->so, "mod_mpm_event.so");
	assert_string_equal(find_module("mpm_prefork_module")->source,
	    "prefork.c");
	assert_string_equal(find_module("ssl_module")->source, "mod_ssl.c");
	assert_string_equal(find_module("http_module")->source, "http_core.c");
	assert_string_equal(find_module("ldap_module")->source, "util_ldap.c");
	m = find_module("core_module");
	assert_string_equal(m->source, "core.c");
	assert_null(m->so);
	for (i = 0; i < NMROWS; i++) {
		nstatic += mrows[i].so == NULL;
	}
	assert_int_equal(nstatic, 8);

	/* Every owner named in directives.def is a known module. */
	for (i = 0; i < NDROWS; i++) {
		const char *p = drows[i].modules;
		char word[64];
		size_t n;

		while (*p != '\0') {
			n = strcspn(p, " ");
			assert_true(n > 0 && n < sizeof(word));
			memcpy(word, p, n);
			word[n] = '\0';
			assert_non_null(find_module(word));
			p += n + (p[n] == ' ');
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_mpm_directives),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
