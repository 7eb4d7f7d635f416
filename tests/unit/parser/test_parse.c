/*
 * test_parse.c - unit tests for libhconf's reader (parser/parse.c,
 * include.c) through the public API: sections and their spans, the three
 * closing mechanisms of spec §2.7, LoadModule, files and includes, and
 * pathological nesting; Define, ${VAR} and the conditional sections are
 * in test_cond.c.  Every parse is checked with hconf_node_check() and
 * must print back byte for byte.  Tests named httpd_* pin behaviour
 * where the parser disagrees with httpd 2.4.71; they fail until the
 * parser is fixed.
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
