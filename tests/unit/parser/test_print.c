/*
 * test_print.c - the printer (parser/print.c) on edited trees: every edit
 * an editor makes (hconf_node_set_text on a line or a section's opening
 * line, hconf_node_insert_after, HCONF_NODE_DELETED on a line or a whole
 * section) and their combinations, at the start, the middle and the end
 * of a file, at EOF without a newline, on CRLF lines and on continuation
 * lines.  Each test states the exact bytes it expects, written by hand,
 * and checks that hconf_print_file() writes the same bytes as
 * hconf_print_buffer().  Most tests are edit scripts: tables of steps
 * that run_edits() carries out.
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
#include "../hconf_test.h"

/* ---- helpers -------------------------------------------------------- */

/* The i-th child of n, to edit (the tree belongs to the test's doc). */
static struct hconf_node *
ed(const struct hconf_node *n, size_t i)
{
	return (struct hconf_node *)kid(n, i);
}

static struct hconf_node *
edroot(const struct hconf_doc *doc)
{
	return (struct hconf_node *)root(doc);
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

/*
 * An edit script.  A step's node is named by a path: "1" is the second
 * top-level node, "1.0" its first child.  Steps:
 *   S at text   hconf_node_set_text() on the node
 *   D at        mark the node deleted
 *   I at text   hconf_node_insert_after(): at is the node to insert
 *               after, or "P.^" (first in P), "P.$" (after P's last
 *               child), with P empty for the file ("^", "$"), or "+"
 *               (after the node the last I step inserted)
 *   E - text    the file must print as text
 * S and D take "+" too: the node the last I step inserted.  A case
 * parses in, which must have nkids top-level nodes (when not 0), and
 * runs its steps up to the first one with op 0.
 */
struct step {
	char op;
	const char *at;
	const char *text;
};

struct edit_case {
	const char *in;
	size_t nkids;
	struct step st[12]; /* ends at op 0 or after the last */
};

struct script {
	struct hconf_doc *doc;
	struct hconf_node *parent, *last; /* of the last I step */
};

/* The node at path p below n (the file's root for the whole path). */
static struct hconf_node *
node_at(struct hconf_node *n, const char *p)
{
	char *end;

	for (;;) {
		n = ed(n, strtoul(p, &end, 10));
		if (*end != '.') {
			return n;
		}
		p = end + 1;
	}
}

static struct hconf_node *
step_node(const struct script *sc, const char *at)
{
	return strcmp(at, "+") == 0 ? sc->last : node_at(edroot(sc->doc), at);
}

static void
step_insert(struct script *sc, const char *at, const char *text)
{
	struct hconf_node *parent = edroot(sc->doc), *after;
	const char *dot = strrchr(at, '.'), *tail = dot ? dot + 1 : at;

	if (strcmp(at, "+") == 0) {
		parent = sc->parent;
		after = sc->last;
	} else {
		if (dot != NULL) {
			char *pp = strndup(at, (size_t)(dot - at));

			parent = node_at(parent, pp);
			free(pp);
		}
		after = strcmp(tail, "^") == 0 ? NULL :
		    strcmp(tail, "$") == 0 ? parent->last : ed(parent,
		    strtoul(tail, NULL, 10));
	}
	sc->parent = parent;
	sc->last = hconf_node_insert_after(sc->doc, parent, after, text);
}

/* Run one case; the caller may check more, then frees the document. */
static struct hconf_doc *
edit_case(const struct edit_case *c)
{
	struct script sc = {NULL, NULL, NULL};
	const struct step *s;

	sc.doc = parse_n(c->in, strlen(c->in));
	if (c->nkids != 0) {
		assert_int_equal(nkids(root(sc.doc)), c->nkids);
	}
	for (s = c->st; s < c->st + sizeof(c->st) / sizeof(c->st[0]) &&
	    s->op != 0; s++) {
		switch (s->op) {
		case 'S':
			hconf_node_set_text(sc.doc, step_node(&sc, s->at),
			    s->text);
			break;
		case 'D':
			step_node(&sc, s->at)->flags |= HCONF_NODE_DELETED;
			break;
		case 'I':
			step_insert(&sc, s->at, s->text);
			break;
		case 'E':
			expect_printed(sc.doc, s->text, strlen(s->text));
			break;
		default:
			fail_msg("unknown step %c", s->op);
		}
	}
	return sc.doc;
}

/* A test of one or more cases: EDITS(name) runs the table name, which
 * ends with a case whose in is NULL. */
static void
run_edits(void **state)
{
	const struct edit_case *c;

	for (c = *state; c->in != NULL; c++) {
		hconf_doc_free(edit_case(c));
	}
}

#define EDITS(cases) { #cases, run_edits, NULL, NULL, (void *)(cases) }
#define END {NULL, 0, {{0, NULL, NULL}}}

/* ---- hconf_node_set_text -------------------------------------------- */

static const struct edit_case set_text_middle[] = {
	{"Listen 80\nTimeout 60\nKeepAlive On\n", 0, {
	    {'S', "1", "Timeout 300\n"},
	    {'E', "-", "Listen 80\nTimeout 300\nKeepAlive On\n"}}},
	END,
};

static const struct edit_case set_text_first_and_last[] = {
	{"Listen 80\nTimeout 60\nKeepAlive On\n", 0, {
	    {'S', "0", "Listen 8080\n"}, {'S', "2", "KeepAlive Off\n"},
	    {'E', "-", "Listen 8080\nTimeout 60\nKeepAlive Off\n"}}},
	END,
};

/* the new line keeps its own newline: the one of the old line is gone */
static const struct edit_case set_text_keeps_given_newline[] = {
	{"A 1\nB 2\nC 3\n", 0, {{'S', "1", "B 22\n"}, {'S', "2", "C 33\n"},
	    {'E', "-", "A 1\nB 22\nC 33\n"}}},
	END,
};

/* a replacement of several lines, and one that empties the line */
static const struct edit_case set_text_several_lines_and_empty[] = {
	{"A 1\nB 2\nC 3\n", 0, {{'S', "0", "A 1\n# added\nA2 1\n"},
	    {'S', "1", ""}, {'E', "-", "A 1\n# added\nA2 1\nC 3\n"}}},
	END,
};

/* the last line has no newline: a replacement without one keeps it so */
static const struct edit_case set_text_eof_without_newline[] = {
	{"Listen 80\nTimeout 60", 0, {{'S', "1", "Timeout 5"},
	    {'E', "-", "Listen 80\nTimeout 5"}}},
	{"Listen 80\nTimeout 60", 0, {{'S', "1", "Timeout 5\n"},
	    {'E', "-", "Listen 80\nTimeout 5\n"}}},
	/* the line before the unterminated one */
	{"Listen 80\nTimeout 60", 0, {{'S', "0", "Listen 81\n"},
	    {'E', "-", "Listen 81\nTimeout 60"}}},
	END,
};

/* CRLF: untouched lines keep their \r\n, the new line has what is given */
static const struct edit_case set_text_crlf[] = {
	{"Listen 80\r\nTimeout 60\r\nKeepAlive On\r\n", 0, {
	    {'S', "1", "Timeout 30\r\n"},
	    {'E', "-", "Listen 80\r\nTimeout 30\r\nKeepAlive On\r\n"}}},
	{"Listen 80\r\nTimeout 60\r\nKeepAlive On\r\n", 0, {
	    {'S', "2", "KeepAlive Off\n"},
	    {'E', "-", "Listen 80\r\nTimeout 60\r\nKeepAlive Off\n"}}},
	END,
};

/* a continued line is one node: the replacement covers all its lines */
static const struct edit_case set_text_continuation[] = {
	{"A 1\nMaxRequestWorkers \\\n    150\nB 2\n", 3, {
	    {'S', "1", "MaxRequestWorkers 400\n"},
	    {'E', "-", "A 1\nMaxRequestWorkers 400\nB 2\n"}}},
	/* the line after a continued one */
	{"MaxRequestWorkers \\\n    150\nB 2\n", 0, {{'S', "1", "B 3\n"},
	    {'E', "-", "MaxRequestWorkers \\\n    150\nB 3\n"}}},
	/* a continuation that ends the file without a newline */
	{"A 1\nB \\\n 2", 0, {{'S', "1", "B 2"}, {'E', "-", "A 1\nB 2"}}},
	END,
};

/* a continued CRLF line */
static const struct edit_case set_text_continuation_crlf[] = {
	{"A 1\r\nB \\\r\n  2\r\nC 3\r\n", 3, {{'S', "1", "B 4\r\n"},
	    {'E', "-", "A 1\r\nB 4\r\nC 3\r\n"}}},
	END,
};

/* comment and blank lines are nodes too */
static const struct edit_case set_text_comment_and_blank[] = {
	{"# one\n\nA 1\n", 0, {{'S', "0", "# two\n"},
	    {'S', "1", "# was blank\n"},
	    {'E', "-", "# two\n# was blank\nA 1\n"}}},
	END,
};

/* ---- dirty sections -------------------------------------------------- */

/* only the opening line changes; the children and the close are copied */
static void
dirty_section_open_line(void **state)
{
	static const struct edit_case c = {"A 1\n<IfModule mpm_prefork_module>\n"
	    "    StartServers 5\n</IfModule>\nB 2\n", 0, {
	    {'S', "1", "<IfModule mpm_event_module>\n"},
	    {'E', "-", "A 1\n<IfModule mpm_event_module>\n    StartServers 5\n"
	    "</IfModule>\nB 2\n"}}};
	struct hconf_doc *doc = edit_case(&c);

	(void)state;
	assert_int_equal(top(doc, 1)->kind, HCONF_SECTION);
	hconf_doc_free(doc);
}

/* a dirty section with a dirty child and a dirty nested section */
static const struct edit_case dirty_section_nested[] = {
	{"<IfModule a>\n  <IfModule b>\n    X 1\n  </IfModule>\n  Y 2\n"
	    "</IfModule>\n", 0, {
	    {'S', "0", "<IfModule c>\n"}, {'S', "0.0", "  <IfModule d>\n"},
	    {'S', "0.0.0", "    X 9\n"},
	    {'E', "-", "<IfModule c>\n  <IfModule d>\n    X 9\n  </IfModule>\n"
	    "  Y 2\n</IfModule>\n"}}},
	END,
};

/* a section at the end of the file whose close tag has no newline */
static const struct edit_case dirty_section_close_at_eof[] = {
	{"<IfModule a>\n  X 1\n</IfModule>", 0, {
	    {'S', "0", "<IfModule b>\r\n"}, {'S', "0.0", "  X 2\n"},
	    {'E', "-", "<IfModule b>\r\n  X 2\n</IfModule>"}}},
	END,
};

/* an unclosed section: no close span to copy */
static void
dirty_section_unclosed(void **state)
{
	static const struct edit_case c = {"<IfModule a>\n  X 1\n", 0, {
	    {'S', "0", "<IfModule b>\n"},
	    {'E', "-", "<IfModule b>\n  X 1\n"}}};
	struct hconf_doc *doc = edit_case(&c);

	(void)state;
	assert_true(top(doc, 0)->flags & HCONF_NODE_UNCLOSED);
	hconf_doc_free(doc);
}

/* ---- hconf_node_insert_after (synthetic nodes) ----------------------- */

static void
insert_after_middle_first_last(void **state)
{
	static const struct edit_case c = {"A 1\nB 2\n", 0, {
	    {'I', "0", "M 1\n"}, {'I', "^", "F 0\n"}, {'I', "$", "L 9\n"},
	    {'E', "-", "F 0\nA 1\nM 1\nB 2\nL 9\n"}}};
	struct hconf_doc *doc = edit_case(&c);

	(void)state;
	assert_int_equal(nkids(root(doc)), 5);
	assert_true(top(doc, 0)->flags & HCONF_NODE_SYNTH);
	hconf_doc_free(doc);
}

/* several synthetic lines after one node come out in insertion order
 * when each is inserted after the previous one */
static const struct edit_case insert_after_chain[] = {
	{"A 1\nZ 9\n", 0, {{'I', "0", "B 2\n"}, {'I', "+", "C 3\n"},
	    {'I', "+", "D 4\n"}, {'E', "-", "A 1\nB 2\nC 3\nD 4\nZ 9\n"}}},
	END,
};

/* into a section: first (after its opening line), last (before its
 * close), and into an empty section */
static const struct edit_case insert_into_section[] = {
	{"<IfModule a>\n    X 1\n</IfModule>\n<IfModule b>\n</IfModule>\n", 0, {
	    {'I', "0.^", "    W 0\n"}, {'I', "0.$", "    Y 2\n"},
	    {'I', "1.^", "    Z 3\n"},
	    {'E', "-", "<IfModule a>\n    W 0\n    X 1\n    Y 2\n</IfModule>\n"
	    "<IfModule b>\n    Z 3\n</IfModule>\n"}}},
	END,
};

/* the printer adds no newline of its own: a synthetic line after the
 * unterminated last line follows it on the same line unless the editor
 * ends that line first */
static const struct edit_case insert_after_eof_without_newline[] = {
	{"A 1\nB 2", 0, {{'S', "1", "B 2\n"}, {'I', "1", "C 3"},
	    {'E', "-", "A 1\nB 2\nC 3"}}},
	{"A 1\nB 2", 0, {{'I', "1", "C 3\n"}, {'E', "-", "A 1\nB 2C 3\n"}}},
	END,
};

static const struct edit_case insert_crlf_and_after_continuation[] = {
	{"A \\\r\n  1\r\nB 2\r\n", 0, {{'I', "0", "N 5\r\n"},
	    {'E', "-", "A \\\r\n  1\r\nN 5\r\nB 2\r\n"}}},
	END,
};

/* a synthetic node edited again: its new text is printed */
static const struct edit_case insert_then_set_text[] = {
	{"A 1\n", 0, {{'I', "0", "B 2\n"}, {'S', "+", "B 3\n"},
	    {'E', "-", "A 1\nB 3\n"}}},
	END,
};

/* ---- deletion ------------------------------------------------------- */

static const struct edit_case delete_lines[] = {
	{"A 1\nB 2\nC 3\nD 4\n", 0, {{'D', "0", NULL}, {'D', "2", NULL},
	    {'E', "-", "B 2\nD 4\n"}, {'D', "3", NULL}, {'E', "-", "B 2\n"},
	    {'D', "1", NULL}, {'E', "-", ""}}},
	END,
};

/* a deleted continued line goes with all its physical lines */
static const struct edit_case delete_continuation[] = {
	{"A 1\nB \\\n  2 \\\n  3\nC 3\n", 0, {{'D', "1", NULL},
	    {'E', "-", "A 1\nC 3\n"}}},
	END,
};

/* a deleted section goes with its children and its close tag */
static const struct edit_case delete_section[] = {
	{"A 1\n<IfModule a>\n  <IfModule b>\n    X 1\n  </IfModule>\n"
	    "</IfModule>\nB 2\n", 0, {{'D', "1", NULL},
	    {'E', "-", "A 1\nB 2\n"}}},
	END,
};

/* deleted children: the section's lines stay */
static const struct edit_case delete_children[] = {
	{"<IfModule a>\n  X 1\n  Y 2\n</IfModule>\n", 0, {{'D', "0.0", NULL},
	    {'E', "-", "<IfModule a>\n  Y 2\n</IfModule>\n"},
	    {'D', "0.1", NULL}, {'E', "-", "<IfModule a>\n</IfModule>\n"}}},
	END,
};

/* the unterminated last line deleted: the file ends with the line before */
static const struct edit_case delete_at_eof_without_newline[] = {
	{"A 1\r\nB 2", 0, {{'D', "1", NULL}, {'E', "-", "A 1\r\n"}}},
	END,
};

/* a deleted node wins over its new text */
static const struct edit_case delete_dirty_and_synth[] = {
	{"A 1\nB 2\n", 0, {{'S', "0", "A 9\n"}, {'D', "0", NULL},
	    {'I', "1", "C 3\n"}, {'D', "+", NULL}, {'E', "-", "B 2\n"}}},
	END,
};

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
	static const struct edit_case c = {
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
	    "KeepAlive On", 0, {
	    {'S', "1", "LoadModule mpm_event_module m.so\r\n"},
	    {'S', "2", "<IfModule mpm_event_module>\r\n"},
	    {'S', "2.0", "    StartServers 3\r\n"},
	    {'D', "2.1", NULL},
	    {'D', "2.2", NULL},
	    {'I', "2.2", "    MinSpareThreads 75\r\n"},
	    {'I', "+", "    MaxSpareThreads 250\r\n"},
	    {'I', "2.$", "    ThreadsPerChild 25\r\n"},
	    {'I', "$", "\r\n# end\r\n"},
	    {'E', "-",
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
	    "# end\r\n"}}};
	struct hconf_doc *doc = edit_case(&c);
	const char *why = NULL;

	(void)state;
	/* the tree is still sound: synthetic nodes have no span */
	assert_int_equal(hconf_node_check(doc, &why), 0);
	hconf_doc_free(doc);
}

/* an untouched tree still prints its input, edits elsewhere or not */
static const struct edit_case edit_one_file_leaves_the_rest[] = {
	{"A 1\n\tB\t2 \n\n#c\\\nC 3\n", 0, {
	    {'E', "-", "A 1\n\tB\t2 \n\n#c\\\nC 3\n"}, {'S', "0", "A 1\n"},
	    /* same text as before, now from the node: same bytes */
	    {'E', "-", "A 1\n\tB\t2 \n\n#c\\\nC 3\n"}}},
	END,
};

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
		EDITS(dirty_section_nested),
		EDITS(dirty_section_close_at_eof),
		cmocka_unit_test(dirty_section_unclosed),
		cmocka_unit_test(insert_after_middle_first_last),
		EDITS(insert_after_chain),
		EDITS(insert_into_section),
		EDITS(insert_after_eof_without_newline),
		EDITS(insert_crlf_and_after_continuation),
		EDITS(insert_then_set_text),
		EDITS(delete_lines),
		EDITS(delete_continuation),
		EDITS(delete_section),
		EDITS(delete_children),
		EDITS(delete_at_eof_without_newline),
		EDITS(delete_dirty_and_synth),
		cmocka_unit_test(mixed_edits),
		EDITS(edit_one_file_leaves_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
