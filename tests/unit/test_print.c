/*
 * test_print.c - the printer (parser/print.c) on edited trees: every edit
 * an editor makes (hconf_node_set_text on a line or a section's opening
 * line, hconf_node_insert_after, HCONF_NODE_DELETED on a line or a whole
 * section) and their combinations, at the start, the middle and the end
 * of a file, at EOF without a newline, on CRLF lines and on continuation
 * lines.  Each test states the exact bytes it expects, written by hand,
 * and checks that hconf_print_file() writes the same bytes as
 * hconf_print_buffer().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hconf.h"
#include "hconf_test.h"

/* ---- helpers -------------------------------------------------------- */

/* The i-th child of n, to edit (the tree belongs to the test's doc). */
static struct hconf_node *
ed(const struct hconf_node *n, size_t i)
{
	return (struct hconf_node *)kid(n, i);
}

static struct hconf_node *
edtop(const struct hconf_doc *doc, size_t i)
{
	return (struct hconf_node *)top(doc, i);
}

static struct hconf_node *
edroot(const struct hconf_doc *doc)
{
	return (struct hconf_node *)root(doc);
}

static void
del(struct hconf_node *n)
{
	n->flags |= HCONF_NODE_DELETED;
}

/*
 * The printed file must be exactly want (wlen bytes), through both
 * hconf_print_buffer() and hconf_print_file().
 */
static void
expect_printed(const struct hconf_doc *doc, const char *want, size_t wlen)
{
	char *out, *fbuf;
	size_t len = 0, flen;
	FILE *fp;

	out = hconf_print_buffer(doc, 0, &len);
	assert_non_null(out);
	if (len != wlen || memcmp(out, want, wlen) != 0) {
		fail_msg("printed %zu bytes \"%.*s\", want %zu bytes \"%.*s\"",
		    len, (int)len, out, wlen, (int)wlen, want);
	}
	free(out);

	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(hconf_print_file(doc, 0, fp), 0);
	flen = (size_t)ftell(fp);
	assert_int_equal(flen, wlen);
	rewind(fp);
	fbuf = malloc(flen + 1);
	assert_non_null(fbuf);
	assert_int_equal(fread(fbuf, 1, flen, fp), flen);
	assert_memory_equal(fbuf, want, wlen);
	free(fbuf);
	fclose(fp);
}

#define EXPECT(doc, lit) expect_printed((doc), (lit), sizeof(lit) - 1)

/*
 * Most tests are tables of cases: parse in (which must have nkids
 * top-level nodes, when not 0), edit top-level nodes in order (set the
 * text, or with text NULL delete the node), and the file must print as
 * want.  A NULL in ends the table, which EDITS() runs as one test.
 */
struct edit_case {
	const char *in;
	size_t nkids;
	struct {
		size_t i;
		const char *text;
	} ed[2];
	size_t ned;
	const char *want;
};

static void
run_edits(void **state)
{
	const struct edit_case *c;

	for (c = *state; c->in != NULL; c++) {
		struct hconf_doc *doc = parse_n(c->in, strlen(c->in));
		size_t k;

		if (c->nkids != 0) {
			assert_int_equal(nkids(root(doc)), c->nkids);
		}
		for (k = 0; k < c->ned; k++) {
			if (c->ed[k].text != NULL) {
				hconf_node_set_text(doc, edtop(doc, c->ed[k].i),
				    c->ed[k].text);
			} else {
				del(edtop(doc, c->ed[k].i));
			}
		}
		expect_printed(doc, c->want, strlen(c->want));
		hconf_doc_free(doc);
	}
}

#define EDITS(cases) { #cases, run_edits, NULL, NULL, (void *)(cases) }

/* ---- hconf_node_set_text -------------------------------------------- */

static const struct edit_case set_text_middle[] = {
	{"Listen 80\nTimeout 60\nKeepAlive On\n", 0,
	    {{1, "Timeout 300\n"}}, 1, "Listen 80\nTimeout 300\nKeepAlive On\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

static const struct edit_case set_text_first_and_last[] = {
	{"Listen 80\nTimeout 60\nKeepAlive On\n", 0,
	    {{0, "Listen 8080\n"}, {2, "KeepAlive Off\n"}}, 2,
	    "Listen 8080\nTimeout 60\nKeepAlive Off\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* the new line keeps its own newline: the one of the old line is gone */
static const struct edit_case set_text_keeps_given_newline[] = {
	{"A 1\nB 2\nC 3\n", 0, {{1, "B 22\n"}, {2, "C 33\n"}}, 2,
	    "A 1\nB 22\nC 33\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* a replacement of several lines, and one that empties the line */
static const struct edit_case set_text_several_lines_and_empty[] = {
	{"A 1\nB 2\nC 3\n", 0, {{0, "A 1\n# added\nA2 1\n"}, {1, ""}}, 2,
	    "A 1\n# added\nA2 1\nC 3\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* the last line has no newline: a replacement without one keeps it so */
static const struct edit_case set_text_eof_without_newline[] = {
	{"Listen 80\nTimeout 60", 0, {{1, "Timeout 5"}}, 1,
	    "Listen 80\nTimeout 5"},
	{"Listen 80\nTimeout 60", 0, {{1, "Timeout 5\n"}}, 1,
	    "Listen 80\nTimeout 5\n"},
	/* the line before the unterminated one */
	{"Listen 80\nTimeout 60", 0, {{0, "Listen 81\n"}}, 1,
	    "Listen 81\nTimeout 60"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* CRLF: untouched lines keep their \r\n, the new line has what is given */
static const struct edit_case set_text_crlf[] = {
	{"Listen 80\r\nTimeout 60\r\nKeepAlive On\r\n", 0,
	    {{1, "Timeout 30\r\n"}}, 1,
	    "Listen 80\r\nTimeout 30\r\nKeepAlive On\r\n"},
	{"Listen 80\r\nTimeout 60\r\nKeepAlive On\r\n", 0,
	    {{2, "KeepAlive Off\n"}}, 1,
	    "Listen 80\r\nTimeout 60\r\nKeepAlive Off\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* a continued line is one node: the replacement covers all its lines */
static const struct edit_case set_text_continuation[] = {
	{"A 1\nMaxRequestWorkers \\\n    150\nB 2\n", 3,
	    {{1, "MaxRequestWorkers 400\n"}}, 1,
	    "A 1\nMaxRequestWorkers 400\nB 2\n"},
	/* the line after a continued one */
	{"MaxRequestWorkers \\\n    150\nB 2\n", 0, {{1, "B 3\n"}}, 1,
	    "MaxRequestWorkers \\\n    150\nB 3\n"},
	/* a continuation that ends the file without a newline */
	{"A 1\nB \\\n 2", 0, {{1, "B 2"}}, 1, "A 1\nB 2"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* a continued CRLF line */
static const struct edit_case set_text_continuation_crlf[] = {
	{"A 1\r\nB \\\r\n  2\r\nC 3\r\n", 3, {{1, "B 4\r\n"}}, 1,
	    "A 1\r\nB 4\r\nC 3\r\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* comment and blank lines are nodes too */
static const struct edit_case set_text_comment_and_blank[] = {
	{"# one\n\nA 1\n", 0, {{0, "# two\n"}, {1, "# was blank\n"}}, 2,
	    "# two\n# was blank\nA 1\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* ---- dirty sections -------------------------------------------------- */

/* only the opening line changes; the children and the close are copied */
static void
dirty_section_open_line(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\n<IfModule mpm_prefork_module>\n"
	    "    StartServers 5\n</IfModule>\nB 2\n");
	struct hconf_node *s;

	(void)state;
	s = edtop(doc, 1);
	assert_int_equal(s->kind, HCONF_SECTION);
	hconf_node_set_text(doc, s, "<IfModule mpm_event_module>\n");
	EXPECT(doc, "A 1\n<IfModule mpm_event_module>\n    StartServers 5\n"
	    "</IfModule>\nB 2\n");
	hconf_doc_free(doc);
}

/* a dirty section with a dirty child and a dirty nested section */
static void
dirty_section_nested(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule a>\n  <IfModule b>\n"
	    "    X 1\n  </IfModule>\n  Y 2\n</IfModule>\n");
	struct hconf_node *outer, *inner;

	(void)state;
	outer = edtop(doc, 0);
	inner = ed(outer, 0);
	hconf_node_set_text(doc, outer, "<IfModule c>\n");
	hconf_node_set_text(doc, inner, "  <IfModule d>\n");
	hconf_node_set_text(doc, ed(inner, 0), "    X 9\n");
	EXPECT(doc, "<IfModule c>\n  <IfModule d>\n    X 9\n  </IfModule>\n"
	    "  Y 2\n</IfModule>\n");
	hconf_doc_free(doc);
}

/* a section at the end of the file whose close tag has no newline */
static void
dirty_section_close_at_eof(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule a>\n  X 1\n</IfModule>");

	(void)state;
	hconf_node_set_text(doc, edtop(doc, 0), "<IfModule b>\r\n");
	hconf_node_set_text(doc, ed(edtop(doc, 0), 0), "  X 2\n");
	EXPECT(doc, "<IfModule b>\r\n  X 2\n</IfModule>");
	hconf_doc_free(doc);
}

/* an unclosed section: no close span to copy */
static void
dirty_section_unclosed(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule a>\n  X 1\n");

	(void)state;
	assert_true(top(doc, 0)->flags & HCONF_NODE_UNCLOSED);
	hconf_node_set_text(doc, edtop(doc, 0), "<IfModule b>\n");
	EXPECT(doc, "<IfModule b>\n  X 1\n");
	hconf_doc_free(doc);
}

/* ---- hconf_node_insert_after (synthetic nodes) ----------------------- */

static void
insert_after_middle_first_last(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\nB 2\n");
	struct hconf_node *r;

	(void)state;
	r = edroot(doc);
	hconf_node_insert_after(doc, r, edtop(doc, 0), "M 1\n");
	hconf_node_insert_after(doc, r, NULL, "F 0\n");
	hconf_node_insert_after(doc, r, r->last, "L 9\n");
	EXPECT(doc, "F 0\nA 1\nM 1\nB 2\nL 9\n");
	assert_int_equal(nkids(root(doc)), 5);
	assert_true(top(doc, 0)->flags & HCONF_NODE_SYNTH);
	hconf_doc_free(doc);
}

/* several synthetic lines after one node come out in insertion order
 * when each is inserted after the previous one */
static void
insert_after_chain(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\nZ 9\n");
	struct hconf_node *r, *n;

	(void)state;
	r = edroot(doc);
	n = hconf_node_insert_after(doc, r, edtop(doc, 0), "B 2\n");
	n = hconf_node_insert_after(doc, r, n, "C 3\n");
	hconf_node_insert_after(doc, r, n, "D 4\n");
	EXPECT(doc, "A 1\nB 2\nC 3\nD 4\nZ 9\n");
	hconf_doc_free(doc);
}

/* into a section: first (after its opening line), last (before its
 * close), and into an empty section */
static void
insert_into_section(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule a>\n    X 1\n</IfModule>\n"
	    "<IfModule b>\n</IfModule>\n");
	struct hconf_node *s, *e;

	(void)state;
	s = edtop(doc, 0);
	e = edtop(doc, 1);
	hconf_node_insert_after(doc, s, NULL, "    W 0\n");
	hconf_node_insert_after(doc, s, s->last, "    Y 2\n");
	hconf_node_insert_after(doc, e, NULL, "    Z 3\n");
	EXPECT(doc, "<IfModule a>\n    W 0\n    X 1\n    Y 2\n</IfModule>\n"
	    "<IfModule b>\n    Z 3\n</IfModule>\n");
	hconf_doc_free(doc);
}

/* the printer adds no newline of its own: a synthetic line after the
 * unterminated last line follows it on the same line unless the editor
 * ends that line first */
static void
insert_after_eof_without_newline(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\nB 2");
	struct hconf_node *r;

	(void)state;
	r = edroot(doc);
	hconf_node_set_text(doc, edtop(doc, 1), "B 2\n");
	hconf_node_insert_after(doc, r, edtop(doc, 1), "C 3");
	EXPECT(doc, "A 1\nB 2\nC 3");
	hconf_doc_free(doc);

	doc = PARSE("A 1\nB 2");
	r = edroot(doc);
	hconf_node_insert_after(doc, r, edtop(doc, 1), "C 3\n");
	EXPECT(doc, "A 1\nB 2C 3\n");
	hconf_doc_free(doc);
}

static void
insert_crlf_and_after_continuation(void **state)
{
	struct hconf_doc *doc = PARSE("A \\\r\n  1\r\nB 2\r\n");
	struct hconf_node *r;

	(void)state;
	r = edroot(doc);
	hconf_node_insert_after(doc, r, edtop(doc, 0), "N 5\r\n");
	EXPECT(doc, "A \\\r\n  1\r\nN 5\r\nB 2\r\n");
	hconf_doc_free(doc);
}

/* a synthetic node edited again: its new text is printed */
static void
insert_then_set_text(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\n");
	struct hconf_node *n;

	(void)state;
	n = hconf_node_insert_after(doc, edroot(doc), edtop(doc, 0), "B 2\n");
	hconf_node_set_text(doc, n, "B 3\n");
	EXPECT(doc, "A 1\nB 3\n");
	hconf_doc_free(doc);
}

/* ---- deletion ------------------------------------------------------- */

static void
delete_lines(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\nB 2\nC 3\nD 4\n");

	(void)state;
	del(edtop(doc, 0));
	del(edtop(doc, 2));
	EXPECT(doc, "B 2\nD 4\n");
	del(edtop(doc, 3));
	EXPECT(doc, "B 2\n");
	del(edtop(doc, 1));
	EXPECT(doc, "");
	hconf_doc_free(doc);
}

/* a deleted continued line goes with all its physical lines */
static const struct edit_case delete_continuation[] = {
	{"A 1\nB \\\n  2 \\\n  3\nC 3\n", 0, {{1, NULL}}, 1, "A 1\nC 3\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* a deleted section goes with its children and its close tag */
static const struct edit_case delete_section[] = {
	{"A 1\n<IfModule a>\n  <IfModule b>\n    X 1\n  </IfModule>\n"
	    "</IfModule>\nB 2\n", 0, {{1, NULL}}, 1, "A 1\nB 2\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* deleted children: the section's lines stay */
static void
delete_children(void **state)
{
	struct hconf_doc *doc = PARSE("<IfModule a>\n  X 1\n  Y 2\n</IfModule>\n");
	struct hconf_node *s;

	(void)state;
	s = edtop(doc, 0);
	del(ed(s, 0));
	EXPECT(doc, "<IfModule a>\n  Y 2\n</IfModule>\n");
	del(ed(s, 1));
	EXPECT(doc, "<IfModule a>\n</IfModule>\n");
	hconf_doc_free(doc);
}

/* the unterminated last line deleted: the file ends with the line before */
static const struct edit_case delete_at_eof_without_newline[] = {
	{"A 1\r\nB 2", 0, {{1, NULL}}, 1, "A 1\r\n"},
	{NULL, 0, {{0, NULL}}, 0, NULL},
};

/* a deleted node wins over its new text */
static void
delete_dirty_and_synth(void **state)
{
	struct hconf_doc *doc = PARSE("A 1\nB 2\n");
	struct hconf_node *n;

	(void)state;
	hconf_node_set_text(doc, edtop(doc, 0), "A 9\n");
	del(edtop(doc, 0));
	n = hconf_node_insert_after(doc, edroot(doc), edtop(doc, 1), "C 3\n");
	del(n);
	EXPECT(doc, "B 2\n");
	hconf_doc_free(doc);
}

/* ---- all together --------------------------------------------------- */

/*
 * A conversion's edits in one file: clean, dirty, deleted, synthetic and
 * clean again, next to each other (the printer merges runs of clean
 * source bytes and must flush them before new text), in a CRLF file that
 * ends without a newline.
 */
static void
mixed_edits(void **state)
{
	struct hconf_doc *doc = PARSE(
	    "# head\r\n"
	    "LoadModule mpm_prefork_module m.so\r\n"
	    "<IfModule mpm_prefork_module>\r\n"
	    "    StartServers 5\r\n"
	    "    MinSpareServers 5\r\n"
	    "    MaxSpareServers \\\r\n"
	    "        10\r\n"
	    "    MaxRequestWorkers 150\r\n"
	    "</IfModule>\r\n"
	    "Timeout 60\r\n"
	    "KeepAlive On");
	struct hconf_node *r, *s, *n;

	(void)state;
	r = edroot(doc);
	s = edtop(doc, 2);
	hconf_node_set_text(doc, edtop(doc, 1),
	    "LoadModule mpm_event_module m.so\r\n");
	hconf_node_set_text(doc, s, "<IfModule mpm_event_module>\r\n");
	hconf_node_set_text(doc, ed(s, 0), "    StartServers 3\r\n");
	del(ed(s, 1));
	del(ed(s, 2));
	n = hconf_node_insert_after(doc, s, ed(s, 2),
	    "    MinSpareThreads 75\r\n");
	hconf_node_insert_after(doc, s, n, "    MaxSpareThreads 250\r\n");
	hconf_node_insert_after(doc, s, s->last, "    ThreadsPerChild 25\r\n");
	hconf_node_insert_after(doc, r, r->last, "\r\n# end\r\n");
	EXPECT(doc,
	    "# head\r\n"
	    "LoadModule mpm_event_module m.so\r\n"
	    "<IfModule mpm_event_module>\r\n"
	    "    StartServers 3\r\n"
	    "    MinSpareThreads 75\r\n"
	    "    MaxSpareThreads 250\r\n"
	    "    MaxRequestWorkers 150\r\n"
	    "    ThreadsPerChild 25\r\n"
	    "</IfModule>\r\n"
	    "Timeout 60\r\n"
	    "KeepAlive On\r\n"
	    "# end\r\n");
	/* the tree is still sound: synthetic nodes have no span */
	{
		const char *why = NULL;

		assert_int_equal(hconf_node_check(doc, &why), 0);
	}
	hconf_doc_free(doc);
}

/* an untouched tree still prints its input, edits elsewhere or not */
static void
edit_one_file_leaves_the_rest(void **state)
{
	static const char in[] = "A 1\n\tB\t2 \n\n#c\\\nC 3\n";
	struct hconf_doc *doc = PARSE(in);

	(void)state;
	expect_printed(doc, in, sizeof(in) - 1);
	hconf_node_set_text(doc, edtop(doc, 0), "A 1\n");
	/* same text as before, now from the node: same bytes */
	expect_printed(doc, in, sizeof(in) - 1);
	hconf_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		EDITS(set_text_middle),
		EDITS(set_text_first_and_last),
		EDITS(set_text_keeps_given_newline),
		EDITS(set_text_several_lines_and_empty),
		EDITS(set_text_eof_without_newline),
		EDITS(set_text_crlf),
		EDITS(set_text_continuation),
		EDITS(set_text_continuation_crlf),
		EDITS(set_text_comment_and_blank),
		cmocka_unit_test(dirty_section_open_line),
		cmocka_unit_test(dirty_section_nested),
		cmocka_unit_test(dirty_section_close_at_eof),
		cmocka_unit_test(dirty_section_unclosed),
		cmocka_unit_test(insert_after_middle_first_last),
		cmocka_unit_test(insert_after_chain),
		cmocka_unit_test(insert_into_section),
		cmocka_unit_test(insert_after_eof_without_newline),
		cmocka_unit_test(insert_crlf_and_after_continuation),
		cmocka_unit_test(insert_then_set_text),
		cmocka_unit_test(delete_lines),
		EDITS(delete_continuation),
		EDITS(delete_section),
		cmocka_unit_test(delete_children),
		EDITS(delete_at_eof_without_newline),
		cmocka_unit_test(delete_dirty_and_synth),
		cmocka_unit_test(mixed_edits),
		cmocka_unit_test(edit_one_file_leaves_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
