/*
 * test_cond.c - unit tests for libhconf's Define and ${VAR} (spec §2.8,
 * parser/vars.c) and its conditional sections <IfModule>, <IfDefine>,
 * <IfVersion>, <IfFile>, <IfDirective>, <IfSection> (§2.11,
 * parser/cond.c), nested true and false.  Every parse is checked with
 * hconf_node_check() and must print back byte for byte.  Tests named
 * httpd_* pin behaviour where the parser disagrees with httpd 2.4.71.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hconf.h"
#include "../hconf_test.h"
#include "parse_test.h"

/* ---- Define and ${VAR} (§2.8) --------------------------------------- */

static void
var_defined(void **state)
{
	struct hconf_doc *doc = PARSE("Define A hello\nX ${A} y\n");
	const struct hconf_node *n = top(doc, 1);

	(void)state;
	assert_true(n->flags & HCONF_NODE_EXPANDED);
	assert_string_equal(n->word, "X");
	assert_span(n->name, 15, 1);
	assert_int_equal(n->nargs, 2);
	assert_arg(n, 0, 17, 4, "hello");
	assert_arg(n, 1, 22, 1, "y");
	assert_false(top(doc, 0)->flags & HCONF_NODE_EXPANDED);
	assert_string_equal(hconf_doc_define(doc, "A"), "hello");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
var_undefined_kept_literally(void **state)
{
	struct hconf_doc *doc = PARSE("X a${U}b\n");
	const struct hconf_node *n = top(doc, 0);
	const struct hconf_diag *d;

	(void)state;
	assert_int_equal(n->nargs, 1);
	assert_arg(n, 0, 2, 6, "a${U}b");
	assert_false(n->flags & HCONF_NODE_EXPANDED);
	assert_int_equal(ndiags(doc), 1);
	d = diag(doc, 0);
	assert_diag(d, "HC020", 1, 4, "Config variable ${U} is not defined");
	assert_non_null(d->httpd);
	assert_string_equal(d->httpd, "AH00111");
	assert_int_equal(d->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
}

/* [src] no warning for names with ':' (RewriteMap syntax) */
static void
var_name_with_colon_no_warning(void **state)
{
	struct hconf_doc *doc = PARSE("RewriteRule ^ ${map:key}\n");

	(void)state;
	assert_string_equal(top(doc, 0)->args[1].value, "${map:key}");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [obs] ${VAR?=default} is trunk only: undefined, AH00111, plus HC023 */
static void
var_default_syntax(void **state)
{
	struct hconf_doc *doc = PARSE("Define A x\nX ${A?=b}\n");

	(void)state;
	assert_string_equal(top(doc, 1)->args[0].value, "${A?=b}");
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC020", 2, 3,
	    "Config variable ${A?=b} is not defined");
	assert_diag(diag(doc, 1), "HC023", 2, 3,
	    "${A?=b}: the ?= default syntax exists only in httpd trunk");
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
}

/* [obs] Define NUM "3 4" then StartServers ${NUM}: two arguments */
static void
var_value_with_spaces_splits(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "Define N \"3 4\"\nStartServers ${N}\n"
	    "Define Q \"\\\"a b\\\" c\"\nX ${Q}\n");
	const struct hconf_node *n = top(doc, 1);

	(void)state;
	assert_int_equal(n->nargs, 2);
	/* no one-to-one raw word: every argument gets the whole range */
	assert_arg(n, 0, 28, 4, "3");
	assert_arg(n, 1, 28, 4, "4");
	/* quotes inside the value are honoured by the splitter */
	n = top(doc, 3);
	assert_string_equal(hconf_doc_define(doc, "Q"), "\"a b\" c");
	assert_int_equal(n->nargs, 2);
	assert_string_equal(n->args[0].value, "a b");
	assert_string_equal(n->args[1].value, "c");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [obs] no recursion: Define A ${B} before B exists stores "${B}" */
static void
var_define_stores_literal(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "Define A ${B}\nDefine B bee\nX ${A}\n");
	const struct hconf_node *n = top(doc, 2);

	(void)state;
	assert_string_equal(hconf_doc_define(doc, "A"), "${B}");
	assert_string_equal(n->args[0].value, "${B}");
	assert_true(n->flags & HCONF_NODE_EXPANDED);
	assert_one_diag(doc, "HC020", 1, 10,
	    "Config variable ${B} is not defined");
	hconf_doc_free(doc);
}

/* A Define without a value is a flag for <IfDefine>, not a variable. */
static void
var_flag_define_is_not_a_variable(void **state)
{
	struct hconf_doc *doc = PARSE("Define F\nX ${F}\n");

	(void)state;
	assert_string_equal(hconf_doc_define(doc, "F"), "");
	assert_one_diag(doc, "HC020", 2, 3,
	    "Config variable ${F} is not defined");
	hconf_doc_free(doc);
}

/* [obs] the directive name may come from a variable */
static void
var_directive_name(void **state)
{
	struct hconf_doc *doc = PARSE("Define DIR StartServers\n${DIR} 4\n");
	const struct hconf_node *n = top(doc, 1);

	(void)state;
	assert_string_equal(n->word, "StartServers");
	assert_true(hconf_node_is(n, "startservers"));
	assert_span(n->name, 24, 6);
	assert_arg(n, 0, 31, 1, "4");
	hconf_doc_free(doc);
}

static void
var_undefine(void **state)
{
	struct hconf_doc *doc = PARSE("Define A x\nUnDefine A\nX ${A}\n");

	(void)state;
	assert_null(hconf_doc_define(doc, "A"));
	assert_one_diag(doc, "HC020", 3, 3,
	    "Config variable ${A} is not defined");
	hconf_doc_free(doc);
}

/* Not expanded: comments, false blocks; literal: "$A", "${A" */
static void
var_not_expanded(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "# ${U}\n<IfDefine NOPE>\nX ${U}\n</IfDefine>\nY $U ${U\n");
	const struct hconf_node *n = top(doc, 2);

	(void)state;
	assert_string_equal(kid(top(doc, 1), 0)->args[0].value, "${U}");
	assert_int_equal(n->nargs, 2);
	assert_string_equal(n->args[0].value, "$U");
	assert_string_equal(n->args[1].value, "${U");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [obs] ${} warns with an empty name */
static void
var_empty_name(void **state)
{
	struct hconf_doc *doc = PARSE("X ${}\n");

	(void)state;
	assert_one_diag(doc, "HC020", 1, 3,
	    "Config variable ${} is not defined");
	hconf_doc_free(doc);
}

/*
 * core.c set_define only sets the value when one is given, so a second
 * Define without a value keeps the first value [obs: Define A xval,
 * Define A, Include /nonexist/${A} opens /nonexist/xval].
 */
static void
httpd_define_without_value_keeps_value(void **state)
{
	struct hconf_doc *doc = PARSE("Define A xval\nDefine A\nX ${A}\n");

	(void)state;
	assert_int_equal(ndiags(doc), 0);
	assert_string_equal(top(doc, 2)->args[0].value, "xval");
	hconf_doc_free(doc);
}

static void
define_errors(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "Define a:b x\nDefine\nDefine a b c\nUnDefine\n");

	(void)state;
	assert_int_equal(ndiags(doc), 4);
	assert_diag(diag(doc, 0), "HC021", 1, 8,
	    "Variable name must not contain ':'");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	assert_diag(diag(doc, 1), "HC022", 2, 1,
	    "Define takes 1-2 arguments, Define a variable, optionally to a "
	    "value.  Same as passing -D to the command line.");
	assert_string_equal(diag(doc, 2)->info->id, "HC022");
	assert_diag(diag(doc, 3), "HC022", 4, 1,
	    "UnDefine takes one argument, Undefine the existence of a "
	    "variable. Undo a Define.");
	assert_null(hconf_doc_define(doc, "a:b"));
	hconf_doc_free(doc);
}

/* -D NAME: a flag for <IfDefine> (case-sensitive), not a variable */
static void
dash_d_defines(void **state)
{
	static const char *const defs[] = {"FOO", NULL};
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.defines = defs;
	doc = PARSE_OPTS("<IfDefine FOO>\n</IfDefine>\n"
	    "<IfDefine foo>\n</IfDefine>\n"
	    "<IfDefine !FOO>\n</IfDefine>\n"
	    "X ${FOO}\n", &o);
	assert_true(cond_true(top(doc, 0)));
	assert_false(cond_true(top(doc, 1)));
	assert_false(cond_true(top(doc, 2)));
	assert_one_diag(doc, "HC020", 7, 3,
	    "Config variable ${FOO} is not defined");
	hconf_doc_free(doc);
}

/*
 * opts.defines takes NAME=VALUE (hconf.h).  httpd's own -D has no
 * values: "-DFOO=bar" defines a flag named "FOO=bar" [obs].
 */
static void
dash_d_with_value(void **state)
{
	static const char *const defs[] = {"V=1", NULL};
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.defines = defs;
	doc = PARSE_OPTS("<IfDefine V>\n</IfDefine>\nX ${V}\n", &o);
	assert_true(cond_true(top(doc, 0)));
	assert_string_equal(top(doc, 1)->args[0].value, "1");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* ---- <IfModule> ------------------------------------------------------- */

static void
ifmodule_forms(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\n</IfModule>\n"
	    "<IfModule event.c>\n</IfModule>\n"
	    "<IfModule Event.c>\n</IfModule>\n"
	    "<IfModule mpm_event.c>\n</IfModule>\n"
	    "<IfModule MPM_EVENT_MODULE>\n</IfModule>\n"
	    "<IfModule !mpm_event_module>\n</IfModule>\n"
	    "<IfModule ! mpm_event_module>\n</IfModule>\n"
	    "<IfModule !mod_foo.c>\n</IfModule>\n"
	    "<IfModule \"mod_version.c\">\n</IfModule>\n"
	    "<IfModule version_module>\n</IfModule>\n"
	    "<IfModule mod_ssl.c>\n</IfModule>\n");
	static const int want[] = {1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0};
	size_t i;

	(void)state;
	assert_int_equal(nkids(root(doc)), 12);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct hconf_node *n = top(doc, i + 1);

		if (cond_true(n) != want[i]) {
			fail_msg("<IfModule> #%zu: expected %s", i + 1,
			    want[i] ? "true" : "false");
		}
		assert_true(n->flags & HCONF_NODE_ACTIVE);
		assert_false(n->flags & HCONF_NODE_UNCLOSED);
		assert_int_not_equal(n->close.len, 0);
	}
	/* "! x": the "!" is a word of its own in the tree */
	assert_arg(top(doc, 7), 0, 281, 1, "!");
	assert_arg(top(doc, 7), 1, 283, 16, "mpm_event_module");
	assert_arg(top(doc, 9), 0, 357, 15, "mod_version.c");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [obs] only the first word is tested */
static void
ifmodule_first_word_only(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mod_nonexistent.c mpm_event_module>\n</IfModule>\n");

	(void)state;
	assert_false(cond_true(top(doc, 1)));
	assert_one_diag(doc, "HC056", 2, 29,
	    "<IfModule> tests only its first word; 'mpm_event_module' and "
	    "what follows are ignored");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
}

/* HC056 should point at the ignored word, not at the tested one. */
static void
httpd_ifmodule_extra_word_after_bang_column(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule ! a b>\n</IfModule>\n");

	(void)state;
	assert_true(cond_true(top(doc, 0)));
	assert_one_diag(doc, "HC056", 1, 15,
	    "<IfModule> tests only its first word; 'b' and what follows are "
	    "ignored");
	hconf_doc_free(doc);
}

/* [obs] evaluated when read: false before LoadModule, true after */
static void
ifmodule_position(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<IfModule mpm_event_module>\nA\n</IfModule>\n"
	    LOAD_EVENT
	    "<IfModule mpm_event_module>\nB\n</IfModule>\n"
	    "<IfModule foo>\nLoadModule bar_module bar.so\n</IfModule>\n"
	    "<IfModule bar_module>\n</IfModule>\n");
	const struct hconf_node *n;
	const struct hconf_module *m;
	size_t nm;

	(void)state;
	n = top(doc, 0);
	assert_false(cond_true(n));
	assert_int_equal(FLAGS_OF(kid(n, 0)), 0);
	n = top(doc, 2);
	assert_true(cond_true(n));
	assert_int_equal(FLAGS_OF(kid(n, 0)), A);
	/* LoadModule inside a false block is never run */
	assert_false(cond_true(top(doc, 3)));
	assert_false(cond_true(top(doc, 4)));
	m = hconf_doc_modules(doc, &nm);
	assert_string_equal(m[nm - 1].ident, "mpm_event_module");
	assert_string_equal(m[nm - 1].source, "event.c");
	assert_string_equal(m[nm - 1].path, "modules/mod_mpm_event.so");
	assert_ptr_equal(m[nm - 1].node, top(doc, 1));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
ifmodule_static_and_extra_modules(void **state)
{
	static const char *const mods[] = {"ssl_module", NULL};
	struct hconf_options o;
	struct hconf_doc *doc;
	static const int want[] = {1, 1, 1, 1, 1, 1, 0};
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.modules = mods;
	doc = PARSE_OPTS(
	    "<IfModule mod_so.c>\n</IfModule>\n"
	    "<IfModule core.c>\n</IfModule>\n"
	    "<IfModule http_core.c>\n</IfModule>\n"
	    "<IfModule unixd_module>\n</IfModule>\n"
	    "<IfModule mod_ssl.c>\n</IfModule>\n"
	    "<IfModule ssl_module>\n</IfModule>\n"
	    "<IfModule mod_rewrite.c>\n</IfModule>\n", &o);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (cond_true(top(doc, i)) != want[i]) {
			fail_msg("<IfModule> #%zu: expected %s", i,
			    want[i] ? "true" : "false");
		}
	}
	hconf_doc_free(doc);
}

/*
 * A module of opts.modules (--mpm) is loaded from the start: its guards
 * are true before any LoadModule.  The file's own LoadModule of it is
 * AH01574 as a note (the line the option may stand for) and becomes the
 * module's line; a second one is a duplicate as usual.
 */
static void
extra_module_loadmodule_takes_its_place(void **state)
{
	static const char *const mods[] = {"mpm_worker_module", NULL};
	struct hconf_options o;
	struct hconf_doc *doc;
	const struct hconf_module *m;
	size_t n, i, found = 0;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.modules = mods;
	doc = PARSE_OPTS(
	    "<IfModule worker.c>\n</IfModule>\n"
	    "<IfModule !mpm_worker_module>\n</IfModule>\n"
	    "LoadModule mpm_worker_module modules/mod_mpm_worker.so\n"
	    "LoadModule mpm_worker_module modules/mod_mpm_worker.so\n", &o);
	assert_true(cond_true(top(doc, 0)));
	assert_false(cond_true(top(doc, 1)));
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC054", 5, 12,
	    "module mpm_worker_module is already loaded, skipping (it is "
	    "taken as loaded before the first line, as with --mpm; httpd "
	    "says so when this file is read after the module's own "
	    "LoadModule line)");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_NOTE);
	assert_string_equal(diag(doc, 0)->httpd, "AH01574");
	assert_diag(diag(doc, 1), "HC054", 6, 12,
	    "module mpm_worker_module is already loaded, skipping");
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_WARNING);
	m = hconf_doc_modules(doc, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(m[i].ident, "mpm_worker_module") == 0) {
			found++;
			assert_ptr_equal(m[i].node, top(doc, 2));
			assert_string_equal(m[i].path,
			    "modules/mod_mpm_worker.so");
		}
	}
	assert_int_equal(found, 1);
	hconf_doc_free(doc);
}

/* [obs] <IfModule> directive requires additional arguments */
static void
ifmodule_no_argument(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<IfModule>\nA\n</IfModule>\n<IfModule !>\n</IfModule>\n"
	    "<IfDefine \"\">\n</IfDefine>\n");
	const struct hconf_node *n = top(doc, 0);

	(void)state;
	assert_false(cond_true(n));
	assert_int_equal(n->nargs, 0);
	assert_span(n->close, 13, 12);
	assert_int_equal(FLAGS_OF(kid(n, 0)), 0);
	assert_int_equal(ndiags(doc), 3);
	assert_diag(diag(doc, 0), "HC015", 1, 1,
	    "<IfModule> directive requires additional arguments");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	assert_diag(diag(doc, 1), "HC015", 4, 1,
	    "<IfModule> directive requires additional arguments");
	assert_diag(diag(doc, 2), "HC015", 6, 1,
	    "<IfDefine> directive requires additional arguments");
	hconf_doc_free(doc);
}

/* [obs] <IfDefine> directive missing closing '>' */
static void
ifdefine_missing_bracket(void **state)
{
	struct hconf_doc *doc = PARSE("<IfDefine x\nA\n</IfDefine>\n");
	const struct hconf_node *n = top(doc, 0);

	(void)state;
	assert_int_equal(n->kind, HCONF_SECTION);
	assert_span(n->close, 14, 12);
	assert_true(count_id(doc, "HC014") == 1);
	assert_diag(diag(doc, 0), "HC014", 1, 1,
	    "<IfDefine> directive missing closing '>'");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* [src] <Directory> directive missing closing '>' (while walking) */
static void
ordinary_open_missing_bracket(void **state)
{
	struct hconf_doc *doc = PARSE("<Directory /x\n</Directory>\n");

	(void)state;
	assert_span(top(doc, 0)->close, 14, 13);
	assert_one_diag(doc, "HC014", 1, 1,
	    "<Directory> directive missing closing '>'");
	hconf_doc_free(doc);
}

/*
 * [obs] "<Directory>" with no argument: httpd says "<Directory>
 * directive requires additional arguments" (core.c
 * missing_container_arg, while walking).  The parser says nothing.
 */
static void
httpd_directory_without_argument(void **state)
{
	struct hconf_doc *doc = PARSE("<Directory>\n</Directory>\n");

	(void)state;
	assert_one_diag(doc, "HC015", 1, 1,
	    "<Directory> directive requires additional arguments");
	hconf_doc_free(doc);
}

/* ---- <IfDefine>, <IfVersion>, <IfFile>, <IfDirective> ------------------ */

static void
ifdefine_position(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<IfDefine X>\nA\n</IfDefine>\n"
	    "Define X\n"
	    "<IfDefine X>\nB\n</IfDefine>\n"
	    "<IfDefine !X>\n</IfDefine>\n"
	    "<IfDefine x>\n</IfDefine>\n"
	    "UnDefine X\n"
	    "<IfDefine X>\n</IfDefine>\n");

	(void)state;
	assert_false(cond_true(top(doc, 0)));
	assert_true(cond_true(top(doc, 2)));
	assert_int_equal(FLAGS_OF(kid(top(doc, 2), 0)), A);
	assert_false(cond_true(top(doc, 3)));
	assert_false(cond_true(top(doc, 4)));
	assert_false(cond_true(top(doc, 6)));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static int
test_regex(void *ctx, const char *re, const char *subject,
    const char **error)
{
	regex_t rx;
	int r;

	(void)ctx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0) {
		*error = "Unable to compile regular expression";
		return -1;
	}
	r = regexec(&rx, subject, 0, NULL, 0) == 0;
	regfree(&rx);
	return r;
}

#define IFVERSION_CASES                                                  \
	"<IfVersion 2.4.71>\n</IfVersion>\n"                             \
	"<IfVersion = 2.4>\n</IfVersion>\n"                              \
	"<IfVersion < 2.5>\n</IfVersion>\n"                              \
	"<IfVersion >= 2.4.71>\n</IfVersion>\n"                          \
	"<IfVersion > 2.4.71>\n</IfVersion>\n"                           \
	"<IfVersion <= 2.4.70>\n</IfVersion>\n"                          \
	"<IfVersion == 2.4.71>\n</IfVersion>\n"                          \
	"<IfVersion != 2.4.71>\n</IfVersion>\n"                          \
	"<IfVersion !< 2.4>\n</IfVersion>\n"                             \
	"<IfVersion 2>\n</IfVersion>\n"                                  \
	"<IfVersion 2.4.71 >\n</IfVersion>\n"                            \
	"<IfVersion ~ ^2\\.4>\n</IfVersion>\n"                           \
	"<IfVersion = /^3/>\n</IfVersion>\n"

static void
ifversion_default(void **state)
{
	static const int want[] = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0};
	struct hconf_options o;
	struct hconf_doc *doc;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.regex = test_regex;
	doc = PARSE_OPTS(IFVERSION_CASES, &o);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (cond_true(top(doc, i)) != want[i]) {
			fail_msg("<IfVersion> #%zu: expected %s", i,
			    want[i] ? "true" : "false");
		}
	}
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
ifversion_option(void **state)
{
	static const int want[] = {0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
	struct hconf_options o;
	struct hconf_doc *doc;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.version = "2.2.0";
	o.regex = test_regex;
	doc = PARSE_OPTS(IFVERSION_CASES, &o);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (cond_true(top(doc, i)) != want[i]) {
			fail_msg("<IfVersion> #%zu with 2.2.0: expected %s", i,
			    want[i] ? "true" : "false");
		}
	}
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* Without a regex callback a regular expression never matches. */
static void
ifversion_no_regex_callback(void **state)
{
	struct hconf_doc *doc = PARSE("<IfVersion ~ ^2>\n</IfVersion>\n");

	(void)state;
	assert_false(cond_true(top(doc, 0)));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [obs] the messages of mod_version.c start_ifversion */
static void
ifversion_errors(void **state)
{
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.regex = test_regex;
	doc = PARSE_OPTS(
	    "<IfVersion > 2.4.x>\nA\n</IfVersion>\n"
	    "<IfVersion ?? 2.4>\n</IfVersion>\n"
	    "<IfVersion = /^2>\n</IfVersion>\n"
	    "<IfVersion ~ (>\n</IfVersion>\n"
	    "<IfVersion>\n</IfVersion>\n", &o);
	assert_false(cond_true(top(doc, 0)));
	assert_int_equal(FLAGS_OF(kid(top(doc, 0), 0)), 0);
	assert_int_equal(ndiags(doc), 5);
	assert_diag(diag(doc, 0), "HC050", 1, 1,
	    "Version appears to be invalid. It must have the format "
	    "major[.minor[.patch]] where major, minor and patch are numbers.");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	assert_diag(diag(doc, 1), "HC050", 4, 1, "unrecognized operator '?\?'");
	assert_diag(diag(doc, 2), "HC050", 6, 1,
	    "Missing delimiting / of regular expression.");
	assert_diag(diag(doc, 3), "HC050", 8, 1,
	    "Unable to compile regular expression");
	assert_string_equal(diag(doc, 4)->info->id, "HC050");
	hconf_doc_free(doc);
}

static void
iffile(void **state)
{
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.server_root = "/";
	doc = PARSE_OPTS(
	    "<IfFile />\n</IfFile>\n"
	    "<IfFile /nonexistent-hconf-test>\n</IfFile>\n"
	    "<IfFile \"/\">\n</IfFile>\n"
	    "<IfFile !/nonexistent-hconf-test>\n</IfFile>\n"
	    "<IfFile proc>\n</IfFile>\n"
	    "<IfFile nonexistent-hconf-test>\n</IfFile>\n"
	    "ServerRoot /nonexistent-hconf-test\n"
	    "<IfFile proc>\n</IfFile>\n", &o);
	assert_true(cond_true(top(doc, 0)));
	assert_false(cond_true(top(doc, 1)));
	assert_true(cond_true(top(doc, 2)));
	assert_true(cond_true(top(doc, 3)));
	/* relative to the ServerRoot in force at that line */
	assert_true(cond_true(top(doc, 4)));
	assert_false(cond_true(top(doc, 5)));
	assert_false(cond_true(top(doc, 7)));
	assert_one_diag(doc, "HC053", 13, 12,
	    "ServerRoot must be a valid directory: /nonexistent-hconf-test "
	    "is not one on this machine, so httpd would refuse to start here "
	    "(use --root for a tree checked out elsewhere)");
	hconf_doc_free(doc);
}

static int
test_known(void *ctx, const char *name, int section,
    const struct hconf_doc *doc)
{
	(void)ctx;
	(void)doc;
	return section ? strcmp(name, "VirtualHost") == 0 :
	    strcmp(name, "StartServers") == 0;
}

static void
ifdirective_ifsection(void **state)
{
	static const char in[] = "<IfDirective StartServers>\n</IfDirective>\n"
	    "<IfSection VirtualHost>\n</IfSection>\n"
	    "<IfDirective !Nope>\n</IfDirective>\n";
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	/* without a callback both are false */
	doc = PARSE(in);
	assert_false(cond_true(top(doc, 0)));
	assert_false(cond_true(top(doc, 1)));
	assert_true(cond_true(top(doc, 2)));
	hconf_doc_free(doc);
	memset(&o, 0, sizeof(o));
	o.known = test_known;
	doc = PARSE_OPTS(in, &o);
	assert_true(cond_true(top(doc, 0)));
	assert_true(cond_true(top(doc, 1)));
	assert_true(cond_true(top(doc, 2)));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* ---- nesting of true and false blocks ---------------------------------- */

static void
nested_conditionals(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "LoadModule mpm_event_module x.so\n"
	    "<IfModule mpm_event_module>\n"
	    "  <IfDefine NOPE>\n"
	    "    <IfModule mpm_event_module>\n"
	    "      A\n"
	    "    </IfModule>\n"
	    "    <Directory />\n"
	    "    </Directory>\n"
	    "  </IfDefine>\n"
	    "  <IfDefine !NOPE>\n"
	    "    B\n"
	    "  </IfDefine>\n"
	    "</IfModule>\n");
	const struct hconf_node *outer = top(doc, 1), *f, *t, *n;

	(void)state;
	assert_int_equal(FLAGS_OF(outer), A | C | T);
	assert_span(outer->full, 33, 28);
	assert_span(outer->close, 223, 12);
	assert_int_equal(nkids(outer), 2);
	f = kid(outer, 0);
	assert_int_equal(FLAGS_OF(f), A | C);
	assert_span(f->close, 170, 14);
	/* inside a false block nothing is evaluated or active */
	n = kid(f, 0);
	assert_int_equal(n->kind, HCONF_SECTION);
	assert_int_equal(FLAGS_OF(n), 0);
	assert_string_equal(n->word, "IfModule");
	assert_span(n->full, 79, 32);
	assert_span(n->close, 119, 16);
	assert_int_equal(FLAGS_OF(kid(n, 0)), 0);
	assert_int_equal(kid(n, 0)->line_last, 5);
	n = kid(f, 1);
	assert_int_equal(FLAGS_OF(n), 0);
	assert_string_equal(n->word, "Directory");
	assert_span(n->close, 153, 17);
	t = kid(outer, 1);
	assert_int_equal(FLAGS_OF(t), A | C | T);
	assert_int_equal(FLAGS_OF(kid(t, 0)), A);
	assert_span(kid(t, 0)->full, 203, 6);
	assert_span(t->close, 209, 14);
	assert_ptr_equal(hconf_node_up(doc, kid(t, 0)), t);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(var_defined),
		cmocka_unit_test(var_undefined_kept_literally),
		cmocka_unit_test(var_name_with_colon_no_warning),
		cmocka_unit_test(var_default_syntax),
		cmocka_unit_test(var_value_with_spaces_splits),
		cmocka_unit_test(var_define_stores_literal),
		cmocka_unit_test(var_flag_define_is_not_a_variable),
		cmocka_unit_test(var_directive_name),
		cmocka_unit_test(var_undefine),
		cmocka_unit_test(var_not_expanded),
		cmocka_unit_test(var_empty_name),
		cmocka_unit_test(httpd_define_without_value_keeps_value),
		cmocka_unit_test(define_errors),
		cmocka_unit_test(dash_d_defines),
		cmocka_unit_test(dash_d_with_value),
		cmocka_unit_test(ifmodule_forms),
		cmocka_unit_test(ifmodule_first_word_only),
		cmocka_unit_test(httpd_ifmodule_extra_word_after_bang_column),
		cmocka_unit_test(ifmodule_position),
		cmocka_unit_test(ifmodule_static_and_extra_modules),
		cmocka_unit_test(extra_module_loadmodule_takes_its_place),
		cmocka_unit_test(ifmodule_no_argument),
		cmocka_unit_test(ifdefine_missing_bracket),
		cmocka_unit_test(ordinary_open_missing_bracket),
		cmocka_unit_test(httpd_directory_without_argument),
		cmocka_unit_test(ifdefine_position),
		cmocka_unit_test(ifversion_default),
		cmocka_unit_test(ifversion_option),
		cmocka_unit_test(ifversion_no_regex_callback),
		cmocka_unit_test(ifversion_errors),
		cmocka_unit_test(iffile),
		cmocka_unit_test(ifdirective_ifsection),
		cmocka_unit_test(nested_conditionals),
	};

	return cmocka_run_group_tests_name("cond", tests, NULL, NULL);
}
