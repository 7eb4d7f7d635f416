/*
 * test_cli.c: unit tests of mpmlint's cli/ helpers: every rule in
 * rules_catalogue() has an entry in rules/explain_*.def (and no entry
 * is stale) and --explain prints it, an option table read and printed
 * as --help, the .mpmlint.yaml value parsers and loader with its error
 * marks, and the relative paths used in fingerprints.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "config.h"
#include "explain.h"
#include "output.h"
#include "filter.h"

/* A catalogue id without an explanation fails here, naming the id. */
static void
test_every_rule_explained(void **state)
{
	size_t n, i, missing = 0;
	const struct rules_info *c = rules_catalogue(&n);

	(void)state;
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const struct explain *e = explain_find(c[i].id);

		if (e == NULL) {
			print_error("rule %s (%s) has no entry in "
			    "rules/explain_*.def\n", c[i].id, c[i].name);
			missing++;
			continue;
		}
		assert_true(strlen(e->what) > 20);
		assert_true(strlen(e->why) > 10);
		assert_true(strlen(e->fix) > 5);
		assert_true(strlen(e->example) > 5);
	}
	assert_int_equal(missing, 0);
}

static void
test_no_stale_explanation(void **state)
{
	size_t n, i;
	const struct explain *t = explain_table(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		if (rules_find(t[i].id) == NULL) {
			print_error("rules/explain_*.def has %s, which is not "
			    "a rule\n", t[i].id);
			fail();
		}
	}
}

static void
test_explain_print(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	assert_int_equal(explain_print(fp, rules_find("MPM006")), 0);
	fclose(fp);
	assert_non_null(strstr(buf, "MPM006 workers-not-multiple-of-threads "
	    "(warning)"));
	assert_non_null(strstr(buf, "What httpd does"));
	assert_non_null(strstr(buf, "How to fix it"));
	free(buf);
}

/* An option table: --help laid out from it, getopt_long() built from it. */
struct topts {
	int flag;
	const char *str;
};

static const struct cli_opt topt[] = {
	CLI_HEADING("Head:"),
	CLI_FLAG("flag", 'x', offsetof(struct topts, flag), "a flag", 0),
	{"str", 0, CLI_REQ, "S", cli_opt_string, offsetof(struct topts, str),
	    "a string\nsecond line", 0},
	/* an alias: "--st" is not ambiguous */
	{"string", 0, CLI_REQ, NULL, cli_opt_string,
	    offsetof(struct topts, str), NULL, 0},
	CLI_END
};

static const struct cli_tool ttool = {"t", "usage: t\n", "end\n", topt,
	12, 2, 0};

/* The --help text of t; caller frees. */
static char *
usage_of(const struct cli_tool *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	cli_usage(t, fp);
	fclose(fp);
	return buf;
}

static void
test_opts(void **state)
{
	char a0[] = "t", a1[] = "-x", a2[] = "--st", a3[] = "v", a4[] = "f";
	char *argv[] = {a0, a1, a2, a3, a4, NULL};
	struct topts o = {0, NULL};
	char *buf = usage_of(&ttool);

	(void)state;
	assert_string_equal(buf, "usage: t\nHead:\n"
	    "  -x, --flag  a flag\n"
	    "      --str S  a string\n"
	    "            second line\n"
	    "end\n");
	free(buf);
	assert_int_equal(cli_opts_parse(&ttool, &o, 5, argv), CLI_NEXT);
	assert_int_equal(o.flag, 1);
	assert_string_equal(o.str, "v");
	assert_int_equal(optind, 4);
}

/* --color[=WHEN] and --color WHEN: the next word only when it is one. */
static int
t_when(const struct cli_arg *a)
{
	const char *w = a->arg != NULL ? a->arg : a->next;

	if (w != NULL && strcmp(w, "never") == 0) {
		*(const char **)a->target = "never";
		return a->arg == NULL ? CLI_TOOK : CLI_NEXT;
	}
	*(const char **)a->target = "always";
	return CLI_NEXT;
}

static const struct cli_opt wopt[] = {
	{"color", 0, optional_argument, "[WHEN]", t_when,
	    offsetof(struct topts, str), "when", 0},
	CLI_END
};

static const struct cli_tool wtool = {"t", "", "", wopt, 12, 2, 0};

static void
test_opts_optional(void **state)
{
	char a0[] = "t", a1[] = "--color", a2[] = "never", a3[] = "f",
	    a4[] = "--color", a5[] = "g";
	char *v1[] = {a0, a1, a2, a3, NULL}, *v2[] = {a0, a4, a5, NULL};
	struct topts o = {0, NULL};
	char *buf = usage_of(&wtool);

	(void)state;
	assert_string_equal(buf, "      --color [WHEN]  when\n");
	free(buf);
	optind = 0;
	assert_int_equal(cli_opts_parse(&wtool, &o, 4, v1), CLI_NEXT);
	assert_string_equal(o.str, "never");
	assert_int_equal(optind, 3);
	optind = 0;
	assert_int_equal(cli_opts_parse(&wtool, &o, 3, v2), CLI_NEXT);
	assert_string_equal(o.str, "always");
	assert_int_equal(optind, 2);
}

/* The note before reading a terminal: only a terminal, only no FILE. */
static void
test_stdin_note(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int p[2], m, s = -1;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(cli_stdin_note("t", 0, p[0], fp), 0);
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) >= 0 && grantpt(m) == 0 &&
	    unlockpt(m) == 0) {
		s = open(ptsname(m), O_RDWR | O_NOCTTY);
	}
	if (s >= 0) {
		assert_int_equal(cli_stdin_note("t", 1, s, fp), 0);
		assert_int_equal(cli_stdin_note("t", 0, s, fp), 1);
		close(s);
	}
	if (m >= 0) {
		close(m);
	}
	fclose(fp);
	assert_string_equal(buf, s < 0 ? "" : "t: reading configuration "
	    "from standard input (end with Ctrl-D; give FILE or - to "
	    "silence this)\n");
	free(buf);
	close(p[0]);
	close(p[1]);
}

static void
test_sizes(void **state)
{
	unsigned long long v;

	(void)state;
	assert_int_equal(config_parse_size("64M", &v), 0);
	assert_true(v == 64ULL << 20);
	assert_int_equal(config_parse_size("512k", &v), 0);
	assert_true(v == 512ULL << 10);
	assert_int_equal(config_parse_size("2G", &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(config_parse_size("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(config_parse_size("64MB", &v), -1);
	assert_int_equal(config_parse_size("M", &v), -1);
	assert_int_equal(config_parse_size("-1M", &v), -1);
	assert_int_equal(config_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(config_parse_size("99999999999T", &v), -1);
}

static void
test_levels(void **state)
{
	int l;
	enum rules_mpm m;

	(void)state;
	assert_int_equal(config_parse_fail_on("never", &l), 0);
	assert_int_equal(l, CONFIG_FAIL_NEVER);
	assert_int_equal(config_parse_fail_on("info", &l), 0);
	assert_int_equal(l, HCONF_SEV_NOTE);
	assert_int_equal(config_parse_fail_on("off", &l), -1);
	assert_int_equal(config_parse_severity("off", &l), 0);
	assert_int_equal(l, CONFIG_SEV_OFF);
	assert_int_equal(config_parse_severity("never", &l), -1);
	assert_int_equal(config_parse_mpm("event", &m), 0);
	assert_int_equal(m, RULES_MPM_EVENT);
	assert_int_equal(config_parse_mpm("Event", &m), -1);
}

/* Load text as a config file; returns config_load's result and the
 * first line it printed in msg. */
static int
load(const char *text, struct config *cfg, char *msg, size_t msglen)
{
	char path[] = "/tmp/test_cli.XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *err = tmpfile();

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	config_init(cfg);
	rc = config_load(path, cfg, err);
	rewind(err);
	msg[0] = '\0';
	if (fgets(msg, (int)msglen, err) != NULL) {
		/* drop the temporary path */
		char *p = strstr(msg, path);

		if (p != NULL) {
			memmove(msg, p + strlen(path), strlen(p + strlen(path)) + 1);
		}
	}
	fclose(err);
	unlink(path);
	return rc;
}

static void
test_config_load(void **state)
{
	/* bad files: the exit of config_load() and its message */
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"fail-on: error\nbogus: 1\n",
		    ":2:1: error: unknown key 'bogus'"},
		{"severity:\n  MPM999: error\n",
		    ":2:3: error: unknown rule 'MPM999'"},
		{"profile:\n  thread-size: lots\n", ":2:16: error: thread-size"},
		{"disable: [MPM006\n", ": error: "},
		{"fail-on: error\nfail-on: info\n",
		    ":2:1: error: key 'fail-on' is given twice"},
		{"httpd-version: 2.4.x\n", ":1:16: error: httpd-version"},
	};
	struct config cfg;
	char msg[512];
	const struct rules_info *r = rules_find("MPM023");
	size_t i;

	(void)state;
	assert_int_equal(load("disable: [MPM006, namevirtualhost]\n"
	    "severity:\n  MPM023: error\n  MPM010: off\nfail-on: error\n"
	    "httpd-version: \"2.4.62\"\nmpm: worker\n"
	    "profile: {process-size: 64M, thread-size: 2M, reserve: 1G}\n",
	    &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.sev[config_rule_index(rules_find("MPM006"))],
	    CONFIG_SEV_OFF);
	assert_int_equal(cfg.sev[config_rule_index(rules_find("MPM032"))],
	    CONFIG_SEV_OFF);
	assert_int_equal(cfg.sev[config_rule_index(r)], HCONF_SEV_ERROR);
	assert_int_equal(cfg.sev[config_rule_index(rules_find("MPM010"))],
	    CONFIG_SEV_OFF);
	assert_int_equal(cfg.fail_on, HCONF_SEV_ERROR);
	assert_string_equal(cfg.httpd_version, "2.4.62");
	assert_int_equal(cfg.mpm, RULES_MPM_WORKER);
	assert_true(cfg.profile.set);
	assert_true(cfg.profile.process_size == 64ULL << 20);
	assert_true(cfg.profile.reserve == 1ULL << 30);
	config_free(&cfg);

	assert_int_equal(load("", &cfg, msg, sizeof(msg)), 0);
	config_free(&cfg);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load(bad[i].text, &cfg, msg, sizeof(msg)), -1);
		if (strstr(msg, bad[i].msg) == NULL) {
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].text,
			    msg, bad[i].msg);
		}
		config_free(&cfg);
	}
}

static void
test_relpath(void **state)
{
	/* path, directory, path relative to the directory */
	static const char *const cases[][3] = {
		{"/a/b/c.conf", "/a/b", "c.conf"},
		{"/a/b/d/c.conf", "/a/b", "d/c.conf"},
		{"/a/x/c.conf", "/a/b", "../x/c.conf"},
		{"/a/b/c.conf", "/a/bc", "../b/c.conf"},
		{"/etc/x.conf", "/", "etc/x.conf"},
		{"/etc/x.conf", "/home/u/src", "../../../etc/x.conf"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = filter_relpath(cases[i][0], cases[i][1]);

		assert_string_equal(p, cases[i][2]);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_explained),
		cmocka_unit_test(test_no_stale_explanation),
		cmocka_unit_test(test_explain_print),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_opts_optional),
		cmocka_unit_test(test_stdin_note),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_config_load),
		cmocka_unit_test(test_relpath),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
