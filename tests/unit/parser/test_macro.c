/*
 * test_macro.c - unit tests of mod_macro in libhconf (parser/macro.c):
 * the expansion text, the substitution rules, the errors and warnings
 * with httpd's ids and texts, and where findings in a body are reported.
 * The expected texts are those apache2 2.4.71 prints for the same input
 * (tests/differential/macro.py compares whole configurations).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "hconf.h"
#include "../hconf_test.h"

#define LOAD "LoadModule macro_module /usr/lib/apache2/modules/mod_macro.so\n"
/* the macro most tests define (lines 2-4 after LOAD) */
#define TUNE "<Macro Tune $w>\nMaxRequestWorkers $w\n</Macro>\n"

/* The first expansion file (macro file 0), or NULL. */
static const struct hconf_file *
expansion(const struct hconf_doc *doc, uint32_t i)
{
	return hconf_doc_file(doc, HCONF_FILE_MACRO | i);
}

static const char *
expanded(const struct hconf_doc *doc, uint32_t i)
{
	const struct hconf_file *f = expansion(doc, i);

	return f != NULL ? f->buf : NULL;
}

/* The diagnostic with this id whose message contains text, or NULL. */
static const struct hconf_diag *
diag_with(const struct hconf_doc *doc, const char *id, const char *text)
{
	size_t n, i;
	const struct hconf_diag *d = hconf_doc_diags(doc, &n);

	for (i = 0; i < n; i++) {
		if (strcmp(d[i].info->id, id) == 0 &&
		    (text == NULL || strstr(d[i].msg, text) != NULL)) {
			return &d[i];
		}
	}
	return NULL;
}

/* The diagnostic with this id: its message and line; fails if none. */
static const struct hconf_diag *
the_diag(const struct hconf_doc *doc, const char *id, const char *msg,
    uint32_t line)
{
	const struct hconf_diag *d = diag_with(doc, id, NULL);

	assert_non_null(d);
	assert_string_equal(d->msg, msg);
	assert_int_equal(d->line, line);
	return d;
}

/* Each pair of want (id, text; NULL ends) names a diagnostic of doc. */
static void
assert_diags_with(const struct hconf_doc *doc, const char *const *want)
{
	for (; want[0] != NULL; want += 2) {
		if (diag_with(doc, want[0], want[1]) == NULL) {
			fail_msg("no %s diagnostic with \"%s\"", want[0],
			    want[1]);
		}
	}
}

static void
expands_dollar_and_percent(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro Tune $w %t>\n"
	    "  MaxRequestWorkers $w\n"
	    "# a comment is not part of the body\n"
	    "\n"
	    "ThreadsPerChild %t\n"
	    "</Macro>\n"
	    "Use Tune 50 10\n");

	(void)state;
	assert_string_equal(expanded(doc, 0),
	    "MaxRequestWorkers 50\n\nThreadsPerChild 10\n");
	assert_int_equal(ndiags(doc), 0);
	assert_string_equal(expansion(doc, 0)->macro, "tune");
	assert_string_equal(expansion(doc, 0)->path, "macro 'tune' (defined "
	    "on line 2 of \"test.conf\") used on line 8 of \"test.conf\"");
	/* the expansion is not one of the files read */
	assert_int_equal(hconf_doc_nfiles(doc), 1);
	hconf_doc_free(doc);
}

static void
longest_name_wins_and_at_quotes(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD "<Macro M $x $xy @q>\n"
	    "ServerAdmin $xy$x @q\n</Macro>\nUse M a b \"c \\\"d\\\"\"\n");

	(void)state;
	/* $xy before $x at the same spot; @q double-quoted and escaped */
	assert_string_equal(expanded(doc, 0),
	    "ServerAdmin ba \"c \\\"d\\\"\"\n");
	assert_non_null(diag_with(doc, "HC065", "AH02797: macro 'm'"));
	hconf_doc_free(doc);
}

static void
not_loaded_is_ordinary(void **state)
{
	struct hconf_doc *doc = PARSE(TUNE "Use Tune 50\n");

	(void)state;
	assert_null(expansion(doc, 0));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
argument_count(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD TUNE "Use Tune 50 60\n");

	(void)state;
	the_diag(doc, "HC062", "macro 'tune' (defined on line 2 of "
	    "\"test.conf\") used with 2 arguments instead of 1", 5);
	assert_null(expansion(doc, 0));
	hconf_doc_free(doc);
}

static void
undefined_macros(void **state)
{
	static const char *const want[] = {
		"HC061", "macro 'tune' undefined",
		"HC061", "macro 'other' undefined",
		"HC061", "cannot remove undefined macro 'other'",
		NULL,
	};
	struct hconf_doc *doc = PARSE(LOAD "Use Tune 1\n");

	(void)state;
	assert_non_null(diag_with(doc, "HC061", "no macro defined before Use"));
	hconf_doc_free(doc);
	doc = PARSE(LOAD
	    "<IfModule mod_nothing.c>\n"
	    "<Macro Tune $w>\n"
	    "MaxRequestWorkers $w\n"
	    "</Macro>\n"
	    "</IfModule>\n"
	    "<Macro Other $w>\n"
	    "MaxRequestWorkers $w\n"
	    "</Macro>\n"
	    "Use TUNE 1\n"
	    "UndefMacro OTHER\n"
	    "Use other 2\n"
	    "UndefMacro other\n");
	assert_diags_with(doc, want);
	hconf_doc_free(doc);
}

static void
recursion_and_nesting(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro A $x>\n"
	    "Use B $x\n"
	    "</Macro>\n"
	    "<Macro B $y>\n"
	    "Use A $y\n"
	    "</Macro>\n"
	    "Use A 1\n");
	const struct hconf_diag *d;

	(void)state;
	/* reported at the outermost Use, the body line as context */
	d = the_diag(doc, "HC063", "recursive use of macro 'a' is invalid "
	    "(in macro 'b', test.conf:6)", 8);
	assert_int_equal(d->has_ctx, 1);
	assert_int_equal(d->ctx_line, 6);
	assert_string_equal(expanded(doc, 0), "Use B 1\n");
	assert_string_equal(expanded(doc, 1), "Use A 1\n");
	hconf_doc_free(doc);
}

static void
warnings_with_ids(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro A $x $y>\n"
	    "ServerAdmin $x\n"
	    "</Macro>\n"
	    "<Macro a v>\n"
	    "ServerAdmin v\n"
	    "</Macro>\n"
	    "<Macro E>\n"
	    "</Macro>\n"
	    "<Macro B $p $q>\n"
	    "ServerAdmin $p$q\n"
	    "</Macro> junk\n"
	    "Use B x \"\"\n");

	static const char *const want[] = {
		"HC065", "AH02800: macro 'a' (defined on line 2 of "
		    "\"test.conf\"): argument '$y' (#2) never used",
		"HC065", "AH02802: macro 'a' multiply defined: defined on "
		    "line 2 of \"test.conf\", redefined on line 5 of "
		    "\"test.conf\"",
		"HC065", "AH02796:",
		"HC065", "AH02799: macro 'e'",
		"HC065", "AH02794: non blank chars found after directive "
		    "closing on line 12 of test.conf:  junk",
		"HC065", "used on line 13 of \"test.conf\": empty argument #2",
		NULL,
	};

	(void)state;
	assert_diags_with(doc, want);
	assert_string_equal(diag_with(doc, "HC065", "AH02798")->httpd,
	    "AH02798");
	hconf_doc_free(doc);
}

static void
definition_errors(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD "<Macro T $a $a>\nX $a\n</Macro>\n"
	    "<Macro U $b>\nY $b\n");

	static const char *const want[] = {
		"HC060", "argument name conflict in macro 't'",
		"HC060", "macro 'u' (defined on line 5 of \"test.conf\") "
		    "contents error: expected token not found: </Macro>",
		NULL,
	};

	(void)state;
	assert_diags_with(doc, want);
	hconf_doc_free(doc);
}

static void
nesting_counted_in_body(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro Outer $x>\n"
	    "<Macro Inner $y>\n"
	    "ServerAdmin $y\n"
	    "</Macro>\n"
	    "Use Inner $x\n"
	    "</Macro>\n"
	    "Use Outer a\n"
	    "Use Inner b\n");

	(void)state;
	assert_string_equal(expanded(doc, 0), "<Macro Inner $y>\n"
	    "ServerAdmin $y\n</Macro>\nUse Inner a\n");
	assert_string_equal(expanded(doc, 1), "ServerAdmin a\n");
	assert_string_equal(expanded(doc, 2), "ServerAdmin b\n");
	assert_null(diag_with(doc, "HC061", NULL));
	hconf_doc_free(doc);
}

static void
substitution_too_long(void **state)
{
	size_t n = 9000, hl = strlen(LOAD "<Macro L $v>\nServerAdmin $v\n"
	    "</Macro>\nUse L ");
	char *buf = malloc(hl + n + 2);
	struct hconf_doc *doc;

	(void)state;
	memcpy(buf, LOAD "<Macro L $v>\nServerAdmin $v\n</Macro>\nUse L ", hl);
	memset(buf + hl, 'a', n);
	buf[hl + n] = '\n';
	doc = parse_n(buf, hl + n + 1);
	assert_non_null(diag_with(doc, "HC064", "cannot substitute, buffer "
	    "size too small"));
	hconf_doc_free(doc);
	free(buf);
}

static void
origin_of_a_body_line(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro Tune $w>\n"
	    "ThreadsPerChild 1\n"
	    "MaxRequestWorkers $w\n"
	    "</Macro>\n"
	    "\n"
	    "Use Tune 50\n");
	const struct hconf_node *use = NULL;
	uint32_t bf = 99, bo = 0, line, col;
	const char *buf = expanded(doc, 0);

	(void)state;
	assert_int_equal(hconf_macro_origin(doc, HCONF_FILE_MACRO,
	    (uint32_t)(strstr(buf, "Max") - buf), &use, &bf, &bo), 1);
	assert_non_null(use);
	assert_int_equal(use->line_last, 7);
	assert_int_equal(bf, 0);
	hconf_linecol(doc, bf, bo, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(hconf_macro_origin(doc, 0, 0, &use, &bf, &bo), 0);
	hconf_doc_free(doc);
}

static void
section_closed_after_use(void **state)
{
	static const char *const want[] = {
		"HC065", "AH02795: bad cumulated nesting (+1) in macro 'open'",
		"HC067", "<VirtualHost> is opened in the macro",
		NULL,
	};
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro Open $n>\n"
	    "<VirtualHost *:80>\n"
	    "ServerName $n\n"
	    "</Macro>\n"
	    "Use Open a.example\n"
	    "ServerAlias b.example\n"
	    "</VirtualHost>\n"
	    "</VirtualHost>\n");

	(void)state;
	/* httpd: AH02795, then the first close tag closes the macro's
	 * section and the second one has none */
	assert_diags_with(doc, want);
	assert_null(diag_with(doc, "HC012", NULL));
	assert_int_equal(diag_with(doc, "HC010", NULL)->line, 9);
	hconf_doc_free(doc);
}

/* A plain export keeps a body line's text: it cannot be rebuilt from a
 * name and arguments ("<VirtualHost" lost its '<' on import). */
static void
plain_export_keeps_body_text(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD
	    "<Macro VHost $port>\n"
	    "  <VirtualHost *:$port>\n"
	    "  </VirtualHost>\n"
	    "</Macro>\n"
	    "Use VHost 80\n");
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct hconf_emit *w;

	(void)state;
	assert_non_null(fp);
	w = hconf_emit_new(fp, 1);
	hconf_export_files(w, doc, 0);
	assert_int_equal(hconf_emit_finish(w), 0);
	fclose(fp);
	assert_non_null(strstr(out, "\"text\": \"  <VirtualHost *:$port>\\n\""));
	assert_non_null(strstr(out, "\"text\": \"  </VirtualHost>\\n\""));
	/* the Use line names no file of the export */
	assert_null(strstr(out, "2147483648"));
	free(out);
	hconf_doc_free(doc);
}

/* Each macro uses the one below twice: 2^17 uses.  mpmlint stops at
 * 100,000 expansions with one HC066, and expands nothing after it. */
static void
expansion_limit(void **state)
{
	char *buf = malloc(2u << 20), *p = buf;
	struct hconf_doc *doc;
	int k;

	(void)state;
	/* 100,001 uses of a one-line macro: the use limit */
	p += sprintf(p, LOAD "<Macro M0 $x>\nServerAdmin $x\n</Macro>\n");
	for (k = 0; k <= 100000; k++) {
		p += sprintf(p, "Use M0 a\n");
	}
	doc = parse_n(buf, (size_t)(p - buf));
	assert_int_equal(count_id(doc, "HC066"), 1);
	assert_non_null(diag_with(doc, "HC066", "100000 uses"));
	assert_non_null(expansion(doc, 99999));
	assert_null(expansion(doc, 100000));
	hconf_doc_free(doc);

	/*
	 * 2^17 uses nested 17 deep: each expansion's name holds the names
	 * around it, and the size limit (text and names) stops it first,
	 * long before 100,000 uses, and once.
	 */
	p = buf;
	p += sprintf(p, LOAD "<Macro M0 $x>\nServerAdmin $x\n</Macro>\n");
	for (k = 1; k <= 17; k++) {
		p += sprintf(p, "<Macro M%d $x>\nUse M%d $x\nUse M%d $x\n"
		    "</Macro>\n", k, k - 1, k - 1);
	}
	p += sprintf(p, "Use M17 a\nUse M0 b\n");
	doc = parse_n(buf, (size_t)(p - buf));
	assert_int_equal(count_id(doc, "HC066"), 1);
	assert_non_null(expansion(doc, 999));
	assert_null(expansion(doc, 50000));
	hconf_doc_free(doc);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expands_dollar_and_percent),
		cmocka_unit_test(longest_name_wins_and_at_quotes),
		cmocka_unit_test(not_loaded_is_ordinary),
		cmocka_unit_test(argument_count),
		cmocka_unit_test(undefined_macros),
		cmocka_unit_test(recursion_and_nesting),
		cmocka_unit_test(warnings_with_ids),
		cmocka_unit_test(definition_errors),
		cmocka_unit_test(nesting_counted_in_body),
		cmocka_unit_test(substitution_too_long),
		cmocka_unit_test(origin_of_a_body_line),
		cmocka_unit_test(section_closed_after_use),
		cmocka_unit_test(plain_export_keeps_body_text),
		cmocka_unit_test(expansion_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
