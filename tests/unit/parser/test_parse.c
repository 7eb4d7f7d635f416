/*
 * test_parse.c - unit tests for libhconf's reader (parser/parse.c)
 * through the public API: sections and their spans, the three closing
 * mechanisms of spec §2.7, Define and ${VAR} (§2.8), the conditional
 * sections (§2.11), LoadModule, and pathological nesting.  Every parse
 * is checked with hconf_node_check() and must print back byte for byte.
 * Tests named httpd_* pin behaviour where the parser disagrees with
 * httpd 2.4.71; they fail until the parser is fixed.
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

/* ---- helpers -------------------------------------------------------- */

#define FLAGS_OF(n) ((n)->flags & (HCONF_NODE_ACTIVE | HCONF_NODE_COND | \
	HCONF_NODE_TRUE | HCONF_NODE_UNCLOSED))
#define A HCONF_NODE_ACTIVE
#define C HCONF_NODE_COND
#define T HCONF_NODE_TRUE
#define U HCONF_NODE_UNCLOSED

#define LOAD_EVENT "LoadModule mpm_event_module modules/mod_mpm_event.so\n"

/* The section's test result: 1 true, 0 false; fails if not a conditional. */
static int
cond_true(const struct hconf_node *n)
{
	assert_int_equal(n->kind, HCONF_SECTION);
	assert_true(n->flags & HCONF_NODE_COND);
	return (n->flags & HCONF_NODE_TRUE) != 0;
}

/* ---- directives and names ------------------------------------------- */

static void
names_case_insensitive(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "sTaRtSeRvErS 2\n"
	    "DEFINE A x\n"
	    "loadmodule foo_module a.so\n"
	    "<ifmodule foo_module>\n"
	    "</IFMODULE>\n"
	    "<directory />\n"
	    "</DIRECTORY>\n");
	const struct hconf_node *n = top(doc, 0);

	(void)state;
	assert_string_equal(n->word, "sTaRtSeRvErS");
	assert_true(hconf_node_is(n, "StartServers"));
	assert_string_equal(hconf_doc_define(doc, "A"), "x");
	n = top(doc, 3);
	assert_string_equal(n->word, "ifmodule");
	assert_true(cond_true(n));
	assert_span(n->close, 75, 12);
	n = top(doc, 4);
	assert_string_equal(n->word, "directory");
	assert_int_equal(FLAGS_OF(n), A);
	assert_span(n->close, 101, 13);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
section_spans(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<Directory \"/var/www\">\n"
	    "  Require all granted\n"
	    "</Directory>\n");
	const struct hconf_node *s = top(doc, 0), *n;

	(void)state;
	assert_int_equal(nkids(root(doc)), 1);
	assert_int_equal(s->kind, HCONF_SECTION);
	assert_span(s->full, 0, 23);
	assert_span(s->name, 0, 10);
	assert_string_equal(s->word, "Directory");
	assert_int_equal(s->nargs, 1);
	assert_arg(s, 0, 11, 10, "/var/www");
	assert_int_equal(s->args[0].quote, '"');
	assert_span(s->close, 45, 13);
	assert_int_equal(s->line_last, 1);
	assert_int_equal(FLAGS_OF(s), A);
	assert_int_equal(nkids(s), 1);
	n = kid(s, 0);
	assert_ptr_equal(n->parent, s);
	assert_span(n->full, 23, 22);
	assert_span(n->name, 25, 7);
	assert_arg(n, 0, 33, 3, "all");
	assert_arg(n, 1, 37, 7, "granted");
	assert_int_equal(n->line_last, 2);
	assert_ptr_equal(hconf_node_up(doc, n), s);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
section_open_line_continued(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<VirtualHost \\\n *:80>\n</VirtualHost>");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_span(s->full, 0, 22);
	assert_arg(s, 0, 16, 4, "*:80");
	assert_int_equal(s->line_last, 2);
	assert_true(s->flags & HCONF_NODE_CONTINUED);
	/* a close tag with no final newline */
	assert_span(s->close, 22, 14);
	hconf_doc_free(doc);
}

/* Words after the last '>' of an opening tag are not arguments. */
static void
section_args_end_at_last_bracket(void **state)
{
	struct hconf_doc *doc = PARSE("<Location /a> b\n</Location>\n<Else>\n</Else>\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_int_equal(s->nargs, 1);
	assert_arg(s, 0, 10, 2, "/a");
	s = top(doc, 1);
	assert_string_equal(s->word, "Else");
	assert_int_equal(s->nargs, 0);
	assert_span(s->close, 35, 8);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* [src] an unknown section name is paired with its close tag at read time */
static void
unknown_section_pairs(void **state)
{
	struct hconf_doc *doc = PARSE("<Directry /x>\nA\n</Directry>\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_string_equal(s->word, "Directry");
	assert_int_equal(nkids(s), 1);
	assert_span(s->close, 16, 12);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

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

/* ---- closing mechanisms (§2.7) ----------------------------------------- */

/* (a) [obs] </Directory> without matching <Directory> section */
static void
close_without_open(void **state)
{
	struct hconf_doc *doc = PARSE("A\n</Directory>\n");
	const struct hconf_node *n = top(doc, 1);

	(void)state;
	assert_int_equal(n->kind, HCONF_ERROR);
	assert_span(n->full, 2, 13);
	assert_int_equal(n->line_last, 2);
	assert_one_diag(doc, "HC010", 2, 1,
	    "</Directory> without matching <Directory> section");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* (a) [obs] Expected </Directory> but saw </IfModule> */
static void
close_mismatch(void **state)
{
	struct hconf_doc *doc = PARSE("<Directory />\n</IfModule>\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A | U);
	assert_int_equal(s->close.len, 0);
	assert_int_equal(kid(s, 0)->kind, HCONF_ERROR);
	assert_span(kid(s, 0)->full, 14, 12);
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC011", 2, 1,
	    "Expected </Directory> but saw </IfModule>");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	assert_diag(diag(doc, 1), "HC012", 1, 1,
	    "test.conf:1: <Directory> was not closed.");
	hconf_doc_free(doc);
}

/* Recovery: a close tag naming an outer section closes the inner ones. */
static void
close_mismatch_recovers(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<Directory />\n<Files x>\n</Directory>\nA\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A);
	assert_span(s->close, 24, 13);
	assert_int_equal(FLAGS_OF(kid(s, 0)), A | U);
	assert_int_equal(kid(s, 0)->close.len, 0);
	assert_ptr_equal(top(doc, 1)->parent, root(doc));
	assert_one_diag(doc, "HC011", 3, 1,
	    "Expected </Files> but saw </Directory>");
	hconf_doc_free(doc);
}

/* (a) [obs] FILE:LINE: <Directory> was not closed., innermost first */
static void
unclosed_at_eof(void **state)
{
	struct hconf_doc *doc = PARSE("<VirtualHost *:80>\n<Directory />\nA\n");
	const struct hconf_node *v = top(doc, 0);

	(void)state;
	assert_int_equal(FLAGS_OF(v), A | U);
	assert_int_equal(v->close.len, 0);
	assert_int_equal(FLAGS_OF(kid(v, 0)), A | U);
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC012", 2, 1,
	    "test.conf:2: <Directory> was not closed.");
	assert_diag(diag(doc, 1), "HC012", 1, 1,
	    "test.conf:1: <VirtualHost> was not closed.");
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* (a) [src] </Directory> directive missing closing '>' */
static void
close_missing_bracket(void **state)
{
	struct hconf_doc *doc = PARSE("<Directory />\n</Directory\n");

	(void)state;
	assert_span(top(doc, 0)->close, 14, 12);
	assert_one_diag(doc, "HC013", 2, 1,
	    "</Directory> directive missing closing '>'");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* (a) [obs] </Directory> # trailing is accepted; HC018 warns */
static void
close_with_trailing_words(void **state)
{
	struct hconf_doc *doc = PARSE("<Directory />\n</Directory> # trailing\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A);
	assert_span(s->close, 14, 24);
	assert_one_diag(doc, "HC018", 2, 1,
	    "</Directory>: the words after it (# trailing) are ignored");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
}

/* (a) [obs] sections cannot span a true conditional's boundary */
static void
close_across_conditional(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<Directory />\n<IfModule mpm_event_module>\n</Directory>\n"
	    "</IfModule>\n</Directory>\n");

	(void)state;
	assert_true(count_id(doc, "HC010") >= 1);
	assert_diag(diag(doc, 0), "HC010", 4, 1,
	    "</Directory> without matching <Directory> section");
	hconf_doc_free(doc);
}

/* (b) a true block ends at its exact close line, any case, trimmed */
static void
true_close_exact_line(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\nA\n  </ifmodule>  \r\nB\n");
	const struct hconf_node *s = top(doc, 1);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A | C | T);
	assert_span(s->close, 83, 17);
	assert_ptr_equal(top(doc, 2)->parent, root(doc));
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* (b) [obs] an ordinary section open inside: the close is a mismatch */
static void
true_close_with_section_open(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\n<Directory />\n</IfModule>\n");

	(void)state;
	assert_diag(diag(doc, 0), "HC011", 4, 1,
	    "Expected </Directory> but saw </IfModule>");
	hconf_doc_free(doc);
}

/* (b) [obs] the exact texts of spec §2.7b */
static void
true_close_with_space_or_comment(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\nA\n</IfModule >\n"
	    "<IfModule mpm_event_module>\n</IfModule> # end\n");

	(void)state;
	assert_int_equal(count_id(doc, "HC010"), 2);
	assert_diag(diag(doc, 0), "HC010", 4, 1,
	    "</IfModule without matching <IfModule section");
	assert_diag(diag(doc, 1), "HC010", 6, 1,
	    "</IfModule> without matching <IfModule> section");
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* (b) [obs] a true block left open is closed silently; HC017 warns */
static void
true_not_closed(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\nA\n");
	const struct hconf_node *s = top(doc, 1);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A | C | T | U);
	assert_int_equal(s->close.len, 0);
	assert_int_equal(FLAGS_OF(kid(s, 0)), A);
	assert_one_diag(doc, "HC017", 2, 1,
	    "<IfModule> is never closed; httpd closes it silently at the end "
	    "of the file");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
}

/* (b) [obs] an ordinary section left open inside a true block: accepted */
static void
true_block_with_unclosed_section(void **state)
{
	struct hconf_doc *doc = PARSE(LOAD_EVENT
	    "<IfModule mpm_event_module>\n<Directory />\n");

	(void)state;
	assert_int_equal(ndiags(doc), 2);
	assert_string_equal(diag(doc, 0)->info->id, "HC012");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	assert_int_equal(diag(doc, 0)->line, 3);
	assert_string_equal(diag(doc, 1)->info->id, "HC017");
	hconf_doc_free(doc);
}

/* (c) [obs] reported at the false <IfModule>'s line */
static void
false_not_closed(void **state)
{
	struct hconf_doc *doc = PARSE("A\n<IfModule nope>\nB\n");
	const struct hconf_node *s = top(doc, 1);

	(void)state;
	assert_int_equal(FLAGS_OF(s), A | C | U);
	assert_int_equal(s->close.len, 0);
	assert_int_equal(FLAGS_OF(kid(s, 0)), 0);
	assert_one_diag(doc, "HC016", 2, 1,
	    "Expected </IfModule> before end of configuration");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* (c) [obs] the innermost name, the outer false block's line */
static void
false_not_closed_nested(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule nope>\n<Directory />\n");

	(void)state;
	assert_int_equal(FLAGS_OF(kid(top(doc, 0), 0)), U);
	assert_one_diag(doc, "HC016", 1, 1,
	    "Expected </Directory> before end of configuration");
	hconf_doc_free(doc);
}

/* (c) [obs] the last character is cut: </IfModul> */
static void
false_close_with_space(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule nope>\n</IfModule >\nA\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_span(s->close, 16, 13);
	assert_ptr_equal(top(doc, 1)->parent, root(doc));
	assert_int_equal(ndiags(doc), 1);
	/* [obs] httpd names the line of the false <IfModule> */
	assert_diag(diag(doc, 0), "HC011", 1, 1,
	    "Expected </IfModule> but saw </IfModul>");
	hconf_doc_free(doc);
}

/* (c) [obs] only the first word of a close tag counts: Syntax OK */
static void
false_close_with_comment(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<IfModule nope>\nBogus x\n</IfModule> # end\n");
	const struct hconf_node *s = top(doc, 0);

	(void)state;
	assert_span(s->close, 24, 18);
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

/* (c) [obs] a false block still needs well-nested tags */
static void
false_block_mismatch(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "<IfModule nope>\n<Directory />\n</IfModule>\n</Directory>\n");

	(void)state;
	assert_diag(diag(doc, 0), "HC011", 1, 1,
	    "Expected </Directory> but saw </IfModule>");
	hconf_doc_free(doc);
}

/* ---- LoadModule ------------------------------------------------------ */

/* [obs] AH01574: module %s is already loaded, skipping */
static void
loadmodule_twice(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "LoadModule foo_module a.so\nLoadModule foo_module b.so\n");
	const struct hconf_diag *d;
	const struct hconf_module *m;
	size_t nm, i, found = 0;

	(void)state;
	assert_int_equal(ndiags(doc), 1);
	d = diag(doc, 0);
	assert_diag(d, "HC054", 2, 12,
	    "module foo_module is already loaded, skipping");
	assert_int_equal(d->sev, HCONF_SEV_WARNING);
	assert_non_null(d->httpd);
	assert_string_equal(d->httpd, "AH01574");
	assert_true(d->has_ctx);
	assert_int_equal(d->ctx_line, 1);
	assert_int_equal(d->ctx_col, 1);
	m = hconf_doc_modules(doc, &nm);
	for (i = 0; i < nm; i++) {
		if (strcmp(m[i].ident, "foo_module") == 0) {
			found++;
			assert_string_equal(m[i].path, "a.so");
			assert_string_equal(m[i].source, "mod_foo.c");
		}
	}
	assert_int_equal(found, 1);
	hconf_doc_free(doc);
}

/* [obs] module version_module is built-in and can't be loaded */
static void
loadmodule_builtin(void **state)
{
	struct hconf_doc *doc = PARSE("LoadModule version_module x.so\n");
	size_t before, after;

	(void)state;
	hconf_doc_modules(doc, &after);
	hconf_doc_free(doc);
	doc = PARSE("X\n");
	hconf_doc_modules(doc, &before);
	hconf_doc_free(doc);
	assert_int_equal(before, after);
	doc = PARSE("LoadModule version_module /usr/lib/apache2/modules/x.so\n");
	assert_one_diag(doc, "HC057", 1, 12,
	    "module version_module is built-in and can't be loaded (Debian's "
	    "apache2 compiles it in; builds that ship it as a module accept "
	    "this line)");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
	/* another build's module path: Debian's apache2 refuses it all the
	 * same, before it looks for the file */
	doc = PARSE("LoadModule version_module modules/mod_version.so\n");
	assert_int_equal(ndiags(doc), 1);
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
}

/* A module loaded before the module whose symbols it needs (moddeps.def);
 * after it, or inside a false section, nothing. */
static void
loadmodule_needs(void **state)
{
	struct hconf_doc *doc = PARSE("ServerRoot /srv\n"
	    "LoadModule proxy_ajp_module modules/mod_proxy_ajp.so\n"
	    "LoadModule proxy_module modules/mod_proxy.so\n"
	    "LoadModule proxy_ajp_module modules/mod_proxy_ajp.so\n");

	(void)state;
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC071", 2, 12,
	    "Cannot load modules/mod_proxy_ajp.so into server: "
	    "/srv/modules/mod_proxy_ajp.so: undefined symbol: proxy_module "
	    "(proxy_module must be loaded before proxy_ajp_module)");
	assert_string_equal(diag(doc, 1)->info->id, "HC054");
	hconf_doc_free(doc);
	doc = PARSE("<IfDefine NEVER>\n"
	    "LoadModule dav_fs_module modules/mod_dav_fs.so\n"
	    "</IfDefine>\n"
	    "LoadModule dav_module modules/mod_dav.so\n"
	    "LoadModule dav_fs_module modules/mod_dav_fs.so\n");
	assert_int_equal(ndiags(doc), 0);
	hconf_doc_free(doc);
}

static void
loadmodule_arguments(void **state)
{
	struct hconf_doc *doc = PARSE("LoadModule foo_module\n");

	(void)state;
	assert_one_diag(doc, "HC022", 1, 1,
	    "LoadModule takes two arguments, a module name and the name of "
	    "a shared object file to load it from");
	hconf_doc_free(doc);
}

/* ---- files and includes ----------------------------------------------- */

static void
unreadable_main_file(void **state)
{
	struct hconf_options o;
	struct hconf_doc *doc;
	const char *why = NULL;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.no_env = o.no_envvars = 1;
	doc = hconf_parse_file("/nonexistent-hconf-test/x.conf", &o);
	assert_non_null(doc);
	assert_int_equal(hconf_node_check(doc, &why), 0);
	assert_int_equal(hconf_doc_nfiles(doc), 1);
	assert_one_diag(doc, "HC001", 1, 1,
	    "Could not open configuration file /nonexistent-hconf-test/x.conf: "
	    "No such file or directory");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_FATAL);
	hconf_doc_free(doc);
}

static void
include_not_followed(void **state)
{
	struct hconf_options o;
	struct hconf_doc *doc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.no_includes = 1;
	doc = PARSE_OPTS("Include conf.d/*.conf\n", &o);
	assert_int_equal(hconf_doc_nfiles(doc), 1);
	assert_int_equal(top(doc, 0)->nincl, 0);
	assert_one_diag(doc, "HC036", 1, 9,
	    "Include conf.d/*.conf not followed");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_NOTE);
	hconf_doc_free(doc);
}

/* ---- pathological nesting ---------------------------------------------- */

static char *
repeat_lines(const char *open, const char *close, size_t n, size_t *lenp)
{
	size_t lo = strlen(open), lc = strlen(close), i;
	char *buf = malloc(n * (lo + lc) + 1), *p;

	assert_non_null(buf);
	p = buf;
	for (i = 0; i < n; i++) {
		memcpy(p, open, lo);
		p += lo;
	}
	for (i = 0; close[0] != '\0' && i < n; i++) {
		memcpy(p, close, lc);
		p += lc;
	}
	*lenp = (size_t)(p - buf);
	return buf;
}

/* 100,000 nested ordinary sections: HC044 once, at level 129 */
static void
deep_nesting_sections(void **state)
{
	size_t len, depth = 0;
	char *buf = repeat_lines("<Directory /x>\n", "</Directory>\n", 100000,
	    &len);
	struct hconf_doc *doc = parse_n(buf, len);
	const struct hconf_node *n = top(doc, 0);

	(void)state;
	while (n->first != NULL) {
		n = n->first;
		depth++;
	}
	assert_int_equal(depth, 99999);
	assert_int_equal(n->line_last, 100000);
	assert_span(n->close, 100000 * 15, 13);
	assert_one_diag(doc, "HC044", 129, 1,
	    "sections are nested more than 128 levels deep here");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	hconf_doc_free(doc);
	free(buf);
}

/* 100,000 nested true conditionals never closed: one HC017 each */
static void
deep_nesting_unclosed_true(void **state)
{
	size_t len;
	char *buf = repeat_lines("<IfModule !x>\n", "", 100000, &len);
	struct hconf_doc *doc = parse_n(buf, len);

	(void)state;
	assert_int_equal(count_id(doc, "HC017"), 100000);
	assert_int_equal(FLAGS_OF(top(doc, 0)), A | C | T | U);
	hconf_doc_free(doc);
	free(buf);
}

/*
 * 100,000 nested sections inside a false block: httpd skips each level
 * by recursion and crashes (SIGSEGV) past about 65,440 levels with an
 * 8 MiB stack.  The warning at level 129, the error at level 64,001.
 */
static void
deep_nesting_false_block(void **state)
{
	size_t len;
	char *buf = repeat_lines("<IfModule x>\n", "</IfModule>\n", 100000,
	    &len);
	struct hconf_doc *doc = parse_n(buf, len);

	(void)state;
	assert_false(cond_true(top(doc, 0)));
	assert_int_equal(ndiags(doc), 2);
	assert_diag(diag(doc, 0), "HC044", 129, 1,
	    "sections are nested more than 128 levels deep here");
	assert_int_equal(diag(doc, 0)->sev, HCONF_SEV_WARNING);
	assert_diag(diag(doc, 1), "HC044", 64001, 1,
	    "conditional sections nested 64001 levels deep here (0 true, "
	    "64001 false): httpd reads each true level and skips each false "
	    "one by recursion, and runs out of stack (it crashes with the "
	    "default 8 MiB stack)");
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
	free(buf);
}

/* 64,000 false levels pass (httpd passes 65,000); true ones cost 8 each */
static void
deep_nesting_budget(void **state)
{
	size_t len, i;
	char *buf = repeat_lines("<IfModule x>\n", "</IfModule>\n", 64000,
	    &len), *mix;
	struct hconf_doc *doc = parse_n(buf, len);

	(void)state;
	assert_int_equal(count_id(doc, "HC044"), 1);
	hconf_doc_free(doc);
	free(buf);
	/* 2,000 true levels, then false ones: the error at 48,001 false */
	mix = malloc(2000 * 14 + 60000 * 13 + 1);
	assert_non_null(mix);
	len = 0;
	for (i = 0; i < 2000; i++) {
		memcpy(mix + len, "<IfModule !x>\n", 14);
		len += 14;
	}
	for (i = 0; i < 60000; i++) {
		memcpy(mix + len, "<IfModule x>\n", 13);
		len += 13;
	}
	doc = parse_n(mix, len);
	assert_int_equal(count_id(doc, "HC044"), 2);
	assert_int_equal(diag(doc, 1)->line, 2000 + 48001);
	assert_int_equal(diag(doc, 1)->sev, HCONF_SEV_ERROR);
	hconf_doc_free(doc);
	free(mix);
	/* 8,000 true levels pass, 8,001 do not */
	buf = repeat_lines("<IfModule !x>\n", "</IfModule>\n", 8000, &len);
	doc = parse_n(buf, len);
	assert_int_equal(count_id(doc, "HC044"), 1);
	hconf_doc_free(doc);
	free(buf);
	buf = repeat_lines("<IfModule !x>\n", "</IfModule>\n", 8001, &len);
	doc = parse_n(buf, len);
	assert_int_equal(count_id(doc, "HC044"), 2);
	assert_int_equal(diag(doc, 1)->line, 8001);
	hconf_doc_free(doc);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_case_insensitive),
		cmocka_unit_test(section_spans),
		cmocka_unit_test(section_open_line_continued),
		cmocka_unit_test(section_args_end_at_last_bracket),
		cmocka_unit_test(unknown_section_pairs),
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
		cmocka_unit_test(close_without_open),
		cmocka_unit_test(close_mismatch),
		cmocka_unit_test(close_mismatch_recovers),
		cmocka_unit_test(unclosed_at_eof),
		cmocka_unit_test(close_missing_bracket),
		cmocka_unit_test(close_with_trailing_words),
		cmocka_unit_test(close_across_conditional),
		cmocka_unit_test(true_close_exact_line),
		cmocka_unit_test(true_close_with_section_open),
		cmocka_unit_test(true_close_with_space_or_comment),
		cmocka_unit_test(true_not_closed),
		cmocka_unit_test(true_block_with_unclosed_section),
		cmocka_unit_test(false_not_closed),
		cmocka_unit_test(false_not_closed_nested),
		cmocka_unit_test(false_close_with_space),
		cmocka_unit_test(false_close_with_comment),
		cmocka_unit_test(false_block_mismatch),
		cmocka_unit_test(loadmodule_twice),
		cmocka_unit_test(loadmodule_builtin),
		cmocka_unit_test(loadmodule_needs),
		cmocka_unit_test(loadmodule_arguments),
		cmocka_unit_test(unreadable_main_file),
		cmocka_unit_test(include_not_followed),
		cmocka_unit_test(deep_nesting_sections),
		cmocka_unit_test(deep_nesting_unclosed_true),
		cmocka_unit_test(deep_nesting_false_block),
		cmocka_unit_test(deep_nesting_budget),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
