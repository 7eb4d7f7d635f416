/*
 * test_fix.c: unit tests of conv/fix.c, the API mpmlint --fix and the
 * language server use: conv_fixable() per rule, conv_fix_plan()'s byte
 * edits, conv_fix() on every finding and on one (only), and the findings
 * that are never fixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conv.h"

struct lint {
	struct hconf_doc *doc;
	struct rules_result res;
};

static void
lint(struct lint *l, const char *text)
{
	struct rules_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	l->doc = hconf_parse_buffer("t.conf", text, strlen(text), NULL);
	memset(&l->res, 0, sizeof(l->res));
	rules_lint(l->doc, &cfg, &l->res);
}

static void
unlint(struct lint *l)
{
	rules_result_free(&l->res);
	hconf_doc_free(l->doc);
}

static const struct rules_finding *
find(const struct lint *l, const char *id, long *at)
{
	size_t i;

	for (i = 0; i < l->res.n; i++) {
		if (strcmp(l->res.f[i].info->id, id) == 0) {
			if (at != NULL) {
				*at = (long)i;
			}
			return &l->res.f[i];
		}
	}
	return NULL;
}

/* The new bytes of the main file after conv_fix(), or NULL. */
static char *
fixed(struct lint *l, long only, enum conv_status want)
{
	struct conv_result r;
	char *s = NULL;
	size_t len;

	assert_int_equal(conv_fix(l->doc, &l->res, NULL, only, &r), want);
	if (r.nout > 0) {
		assert_int_equal(r.nout, 1);
		s = conv_render(&r.out[0], &len);
	}
	conv_result_free(&r);
	return s;
}

#define EVENT "LoadModule mpm_event_module modules/mod_mpm_event.so\n"

static void
test_all(void **state)
{
	struct lint l;
	char *s;

	(void)state;
	lint(&l, EVENT "NameVirtualHost *:80\n"
	    "ThreadsPerChild 25\nMaxClients 410\n"
	    "MinSpareThreads 250\nAsyncRequestWorkerFactor 2.5\n"
	    "StartServers 3 # three\n");
	assert_true(conv_fixable(find(&l, "MPM032", NULL)));
	assert_true(conv_fixable(find(&l, "MPM014", NULL)));
	assert_true(conv_fixable(find(&l, "MPM006", NULL)));
	assert_true(conv_fixable(find(&l, "MPM011", NULL)));
	assert_true(conv_fixable(find(&l, "MPM015", NULL)));
	assert_true(conv_fixable(find(&l, "MPM017", NULL)));
	s = fixed(&l, -1, CONV_OK);
	assert_non_null(s);
	assert_string_equal(s, EVENT "ThreadsPerChild 25\n"
	    "MaxRequestWorkers 400\nMinSpareThreads 250\n"
	    "MaxSpareThreads 276\nAsyncRequestWorkerFactor 2\n"
	    "# three\nStartServers 3\n");
	free(s);
	unlint(&l);
}

static void
test_only_and_plan(void **state)
{
	struct lint l;
	struct conv_fix_plan p;
	const struct rules_finding *f;
	long at = -1;
	char *s;

	(void)state;
	lint(&l, EVENT "ThreadsPerChild 25\nMaxClients 410\n");
	f = find(&l, "MPM006", &at);
	assert_non_null(f);
	assert_int_equal(conv_fix_plan(l.doc, &l.res, f, &p), 1);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.e[0].text, "400");
	assert_int_equal(p.e[0].len, 3);
	assert_non_null(strstr(p.desc, "MaxRequestWorkers 400"));
	conv_fix_plan_free(&p);
	s = fixed(&l, at, CONV_OK);
	assert_string_equal(s, EVENT "ThreadsPerChild 25\nMaxClients 400\n");
	free(s);
	unlint(&l);
}

static void
test_never(void **state)
{
	struct lint l;

	(void)state;
	lint(&l, EVENT "LoadModule php7_module modules/libphp7.so\n"
	    "MaxSpareServers 10\n<IfModule mpm_event_module>\n"
	    "ServerLimit 4\nMaxRequestWorkers 400\n</IfModule>\n");
	assert_false(conv_fixable(find(&l, "MPM003", NULL)));
	assert_false(conv_fixable(find(&l, "MPM024", NULL)));
	/* MPM007 under event: MaxRequestWorkers becomes the capacity */
	assert_true(conv_fixable(find(&l, "MPM007", NULL)));
	free(fixed(&l, -1, CONV_OK));
	unlint(&l);
	lint(&l, EVENT "Define N 410\nMaxRequestWorkers ${N}\n");
	assert_false(conv_fixable(find(&l, "MPM006", NULL)));
	assert_null(fixed(&l, -1, CONV_NOOP));
	unlint(&l);
	lint(&l, EVENT "ServerAlias a # b\n");
	assert_null(fixed(&l, -1, CONV_NOOP));
	unlint(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_only_and_plan),
		cmocka_unit_test(test_never),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
