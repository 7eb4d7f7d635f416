/*
 * test_mpm_only.c: rules_config.mpm_only (what mpmconv asks of the lint)
 * gives the same MPM, LoadModule node, settings and effective values as
 * the full rules_lint(), on configurations built to reach each branch
 * (sections, conditionals, macros, foreign and malformed directives, no
 * MPM, two MPMs) and on every .conf under fixtures/ when run from the
 * source tree.
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"

static size_t compared;

static void
same_eff(const struct rules_mpm_eff *a, const struct rules_mpm_eff *b)
{
	int k;

	assert_int_equal(a->mpm, b->mpm);
	for (k = 0; k < RULES_K__COUNT; k++) {
		assert_true(a->v[k] == b->v[k]);
	}
	assert_true(a->arwf_raw == b->arwf_raw);
	assert_true(a->arwf_used == b->arwf_used);
	assert_true(a->processes == b->processes);
	assert_true(a->capacity == b->capacity);
	assert_true(a->spawn == b->spawn);
	assert_int_equal(a->buckets, b->buckets);
}

/* The full lint and the MPM-only one agree on doc under force_mpm. */
static void
agree(const struct hconf_doc *doc, enum rules_mpm force, int buckets)
{
	struct rules_config cfg;
	struct rules_result full, only;
	int k;

	memset(&cfg, 0, sizeof(cfg));
	cfg.force_mpm = force;
	cfg.buckets = buckets;
	rules_lint(doc, &cfg, &full);
	cfg.mpm_only = 1;
	rules_lint(doc, &cfg, &only);
	assert_int_equal(full.have_eff, only.have_eff);
	assert_ptr_equal(full.mpm_node, only.mpm_node);
	if (full.have_eff) {
		same_eff(&full.eff, &only.eff);
		assert_int_equal(full.in.mpm, only.in.mpm);
		assert_int_equal(full.in.buckets, only.in.buckets);
	}
	for (k = 0; k < RULES_K__COUNT; k++) {
		assert_int_equal(full.in.set[k], only.in.set[k]);
		assert_ptr_equal(full.in.raw[k], only.in.raw[k]);
		assert_ptr_equal(full.set_at[k], only.set_at[k]);
	}
	rules_result_free(&full);
	rules_result_free(&only);
	compared++;
}

static void
agree_all(const struct hconf_doc *doc)
{
	agree(doc, RULES_MPM_NONE, 0);
	agree(doc, RULES_MPM_PREFORK, 0);
	agree(doc, RULES_MPM_WORKER, 3);
	agree(doc, RULES_MPM_EVENT, 0);
}

static void
agree_text(const char *text)
{
	struct hconf_doc *doc = hconf_parse_buffer("t.conf", text,
	    strlen(text), NULL);

	agree_all(doc);
	hconf_doc_free(doc);
}

#define LOAD(m) "LoadModule mpm_" m "_module modules/mod_mpm_" m ".so\n"

static void
test_cases(void **state)
{
	static const char *const cases[] = {
		"",
		"ServerLimit 4\n",
		LOAD("event") "ServerLimit 4\nThreadsPerChild 10\n"
		    "MaxRequestWorkers 40\nMaxRequestWorkers 30\n",
		LOAD("prefork") "MaxClients 20\nMaxRequestsPerChild 5\n"
		    "StartServers 2\nMinSpareServers 1\nMaxSpareServers 3\n",
		/* foreign to the MPM, empty, two words, a trailing '#' */
		LOAD("prefork") "ThreadsPerChild 10\nServerLimit \"\"\n"
		    "MaxRequestWorkers 1 2\nStartServers 3 # three\n",
		LOAD("worker") "<IfModule mpm_worker_module>\n"
		    "ThreadsPerChild 32\n</IfModule>\n"
		    "<IfModule !mpm_worker_module>\nThreadsPerChild 8\n"
		    "</IfModule>\n<IfDefine NOPE>\nServerLimit 2\n"
		    "</IfDefine>\n<IfModule mpm_worker_module>\n"
		    "<IfModule mpm_worker_module>\nServerLimit 9\n"
		    "</IfModule>\n</IfModule>\n",
		/* inside ordinary sections: never the model's */
		LOAD("event") "<VirtualHost *:80>\nServerLimit 3\n"
		    "MaxRequestWorkers\n<IfModule mpm_event_module>\n"
		    "ThreadsPerChild 5\n</IfModule>\n</VirtualHost>\n"
		    "<Directory />\nThreadLimit 99\n</Directory>\n"
		    "<Limit GET>\nServerLimit 7\n</Limit>\n"
		    "<Nonsense>\nServerLimit 8\n</Nonsense>\n"
		    "<If \"true\">\nServerLimit 6\n</If>\n",
		/* mod_macro: the body is text, each Use reads it */
		LOAD("event")
		    "LoadModule macro_module modules/mod_macro.so\n"
		    "<Macro M $n>\nThreadsPerChild $n\n</Macro>\n"
		    "Use M 20\n<Macro V>\n<VirtualHost *>\nServerLimit 5\n"
		    "</VirtualHost>\n</Macro>\nUse V\n",
		/* two MPMs: httpd stops after reading (AH00534) */
		LOAD("event") LOAD("worker") "ServerLimit 4\n",
		/* AsyncRequestWorkerFactor and ListenCoresBucketsRatio */
		LOAD("event") "AsyncRequestWorkerFactor 0.5\n"
		    "AsyncRequestWorkerFactor -1\nListenCoresBucketsRatio 0\n"
		    "ListenCoresBucketsRatio 2\nMaxConnectionsPerChild -3\n",
		LOAD("event") "ServerLimit 0x10\nThreadLimit 1e3\n"
		    "ThreadsPerChild 99999\nMaxRequestWorkers 7\n",
		"serverlimit 4\nMAXCLIENTS 9\n" LOAD("prefork")
		    "\t MinSpareServers\t2\nMaxSpareServers\\\n 9\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		agree_text(cases[i]);
	}
}

static int
one_file(const char *path, const struct stat *st, int type, struct FTW *f)
{
	size_t n = strlen(path);
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)st;
	(void)f;
	if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".conf") != 0) {
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.no_env = 1;
	o.no_envvars = 1;
	doc = hconf_parse_file(path, &o);
	agree_all(doc);
	hconf_doc_free(doc);
	return 0;
}

static void
test_fixtures(void **state)
{
	(void)state;
	if (nftw("fixtures", one_file, 16, FTW_PHYS) != 0) {
		skip();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_fixtures),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("mpm_only: %zu documents compared\n", compared);
	return rc;
}
