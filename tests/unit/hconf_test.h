/*
 * hconf_test.h - helpers shared by the parser unit tests (test_lex.c,
 * test_parse.c, test_print.c, test_macro.c); only the unit tests include
 * it, after <cmocka.h> and "hconf.h".  Parsing goes through the public
 * API with the environment and Debian's envvars ignored; every parse
 * runs hconf_node_check() and must print back byte for byte.  The
 * functions are static inline so a test file that does not use one gets
 * no warning.
 */
#ifndef HCONF_TEST_H
#define HCONF_TEST_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * Parse len bytes as "test.conf" with the environment and Debian's
 * envvars ignored, then check the tree and the round trip.
 */
static inline struct hconf_doc *
parse_opts(const char *buf, size_t len, struct hconf_options *o)
{
	struct hconf_doc *doc;
	const char *why = NULL;
	char *out;
	size_t outlen = 0;

	o->no_env = 1;
	o->no_envvars = 1;
	doc = hconf_parse_buffer("test.conf", buf, len, o);
	assert_non_null(doc);
	if (hconf_node_check(doc, &why) != 0) {
		fail_msg("hconf_node_check: %s", why);
	}
	out = hconf_print_buffer(doc, 0, &outlen);
	assert_non_null(out);
	assert_int_equal(outlen, len);
	if (len > 0) {
		assert_memory_equal(out, buf, len);
	}
	free(out);
	return doc;
}

static inline struct hconf_doc *
parse_n(const char *buf, size_t len)
{
	struct hconf_options o;

	memset(&o, 0, sizeof(o));
	return parse_opts(buf, len, &o);
}

/* String literals may hold NUL bytes, so take their size, not strlen. */
#define PARSE(lit) parse_n((lit), sizeof(lit) - 1)
#define PARSE_OPTS(lit, o) parse_opts((lit), sizeof(lit) - 1, (o))

static inline const struct hconf_node *
root(const struct hconf_doc *doc)
{
	return hconf_doc_file(doc, 0)->root;
}

static inline size_t
nkids(const struct hconf_node *n)
{
	const struct hconf_node *c;
	size_t k = 0;

	for (c = n->first; c != NULL; c = c->next) {
		k++;
	}
	return k;
}

/* The i-th child of n; fails the test when there is none. */
static inline const struct hconf_node *
kid(const struct hconf_node *n, size_t i)
{
	const struct hconf_node *c = n->first;

	while (c != NULL && i > 0) {
		c = c->next;
		i--;
	}
	assert_non_null(c);
	return c;
}

static inline const struct hconf_node *
top(const struct hconf_doc *doc, size_t i)
{
	return kid(root(doc), i);
}

static inline size_t
ndiags(const struct hconf_doc *doc)
{
	size_t n;

	hconf_doc_diags(doc, &n);
	return n;
}

static inline const struct hconf_diag *
diag(const struct hconf_doc *doc, size_t i)
{
	size_t n;
	const struct hconf_diag *d = hconf_doc_diags(doc, &n);

	assert_true(i < n);
	return &d[i];
}

/* Number of diagnostics with this id. */
static inline size_t
count_id(const struct hconf_doc *doc, const char *id)
{
	size_t n, i, k = 0;
	const struct hconf_diag *d = hconf_doc_diags(doc, &n);

	for (i = 0; i < n; i++) {
		if (strcmp(d[i].info->id, id) == 0) {
			k++;
		}
	}
	return k;
}

#define assert_span(sp, o, l) do {                                     \
	assert_int_equal((sp).off, (o));                               \
	assert_int_equal((sp).len, (l));                               \
} while (0)

/* Argument i of node n: raw span and unescaped value. */
#define assert_arg(n, i, o, l, v) do {                                 \
	assert_true((i) < (n)->nargs);                                 \
	assert_span((n)->args[(i)].raw, (o), (l));                     \
	assert_string_equal((n)->args[(i)].value, (v));                \
} while (0)

#define assert_diag(d, id_, line_, col_, msg_) do {                    \
	assert_string_equal((d)->info->id, (id_));                     \
	assert_int_equal((d)->line, (line_));                          \
	assert_int_equal((d)->col, (col_));                            \
	assert_string_equal((d)->msg, (msg_));                         \
} while (0)

/* The document has exactly one diagnostic, and it is this one. */
#define assert_one_diag(doc, id_, line_, col_, msg_) do {               \
	assert_int_equal(ndiags(doc), 1);                              \
	assert_diag(diag((doc), 0), (id_), (line_), (col_), (msg_));   \
} while (0)

#endif /* HCONF_TEST_H */
