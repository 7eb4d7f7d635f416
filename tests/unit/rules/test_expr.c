/*
 * test_expr.c: unit tests of the ap_expr read-time check (rules/expr.c
 * and the grammar rules/expr_gram.y).  Every verdict and message below
 * was recorded from Debian's apache2 2.4.71 ("apache2 -t" on
 * <If "EXPR">, the text after "Cannot parse condition clause: ");
 * tests/differential/readtime.py compares thousands more against the
 * real binary.  Offsets are where mpmlint points its column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "expr.h"

struct expr_case {
	const char *expr;
	unsigned flags;
	const char *msg;   /* NULL: httpd accepts it */
	long off;          /* -1: not checked */
};

static const struct expr_case cases[] = {
	/* accepted */
	{"true", 0, NULL, -1},
	{"1 == 1", 0, NULL, -1},
	{"!(1 == 1) && (2 == 2 || !false)", 0, NULL, -1},
	{"%{REQUEST_URI} =~ m#^/x#i", 0, NULL, -1},
	{"%{QUERY_STRING} =~ /(?<n>a)(?<n>b)/", 0, NULL, -1}, /* DUPNAMES */
	{"\"%{HTTP_HOST}x\" == \"a\"", 0, NULL, -1},
	{"%{request_uri} -in {'a','b'}", 0, NULL, -1},
	{"tolower('A') == 'a'", 0, NULL, -1},
	{"%{tolower:X} == 'x'", 0, NULL, -1},
	{"'a' -strmatch 'a*'", 0, NULL, -1},
	{"%{REMOTE_ADDR} -IPMATCH '192.168.1.0/24'", 0, NULL, -1},
	{"-R '10.1'", 0, NULL, -1},
	{"-R '010.0.0.1'", 0, NULL, -1},
	{"$1 == 'a'", 0, NULL, -1},
	{"%{SSL_CIPHER} == 'x'", RULES_EXPR_SSL, NULL, -1},
	{"'a' in PeerExtList('x')", RULES_EXPR_SSL, NULL, -1},
	{"%{HC_X} == 1 && hc(1) == 2", RULES_EXPR_HCHECK, NULL, -1},
	{"%{ANYTHING} == 1", RULES_EXPR_ANYNAME, NULL, -1},
	/* syntax errors: bison's messages with httpd's token names */
	{"1 ==", 0, "syntax error, unexpected $end", 4},
	{"", 0, "syntax error, unexpected $end", 0},
	{"1 == 1 1", 0, "syntax error, unexpected T_DIGIT, expecting $end", 7},
	{"(true", 0, "syntax error, unexpected $end, expecting T_OP_OR or "
	    "T_OP_AND or ')'", 5},
	{"true)", 0, "syntax error, unexpected ')', expecting $end", 4},
	{"'a' 'b'", 0, "syntax error, unexpected T_STR_BEGIN", 4},
	{"'a' -in {'a',}", 0, "syntax error, unexpected '}'", 13},
	{"'a' =~ /abc", 0, "syntax error, unexpected $end, expecting T_REGEX "
	    "or T_REGEX_I", 11},
	{"m#x#i", 0, "syntax error, unexpected T_REGEX_I", 0},
	{"m_x_ == 1", 0, "syntax error, unexpected T_OP_STR_EQ, expecting '('",
	    5},
	/* the scanner's messages, alone or after bison's */
	{"@", 0, "Parse error near '@'", 0},
	{"1 & 1", 0, "syntax error, unexpected T_ERROR: Parse error near '&'",
	    2},
	{"%{X-Y} == 1", 0, "syntax error, unexpected T_ERROR, expecting "
	    "T_VAR_END or ':': Invalid character in variable name '-'", 3},
	{"\"abc", 0, "Unterminated string or variable", 4},
	{"'\\400' == 'A'", 0, "Escape sequence out of bound", 1},
	{"'\\0123' == 'A'", 0, "Bad escape sequence", 1},
	/* names the lookups do not know; the last one wins */
	{"%{FOO} == 1", 0, "Variable 'FOO' does not exist", 2},
	{"%{X} == 1 && %{Y} == 2", 0, "Variable 'Y' does not exist", 15},
	{"%{X}", 0, "syntax error, unexpected $end: Variable 'X' does not "
	    "exist", 4},
	{"%{NOPE} == 1 @", 0, "syntax error, unexpected T_ERROR, expecting "
	    "$end: Parse error near '@'", 13},
	{"foo(1) == 1", 0, "Function 'foo' does not exist", 0},
	{"1 == %{foo:X}", 0, "Function 'foo' does not exist", 7},
	{"'a' in foo('x')", 0, "List-returning function 'foo' does not exist",
	    7},
	{"'a' in PeerExtList('x')", 0, "List-returning function "
	    "'PeerExtList' does not exist", 7},
	{"%{SSL_CIPHER} == 'x'", 0, "Variable 'SSL_CIPHER' does not exist",
	    2},
	{"-Q 1", 0, "Unary operator '-Q' does not exist", 0},
	{"1 -foo 2", 0, "Binary operator '-foo' does not exist", 2},
	/* subnets of -R and -ipmatch */
	{"-R 'x'", 0, "parsing of subnet/netmask failed", 4},
	{"-R 1", 0, "-R requires subnet/netmask as constant argument", 0},
	{"-R %{REMOTE_ADDR}", 0, "-R requires subnet/netmask as constant "
	    "argument", 0},
	/* regexes through PCRE2 */
	{"%{REQUEST_URI} =~ /(/", 0, "Failed to compile regular expression",
	    20},
};

static void
test_cases(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct expr_case *t = &cases[i];
		struct rules_expr_err e;
		int rc = rules_expr_check(t->expr, t->flags, &e);

		if (t->msg == NULL && rc != 0) {
			print_error("%s: refused: %s\n", t->expr, e.msg);
			bad++;
		} else if (t->msg != NULL && rc == 0) {
			print_error("%s: accepted, httpd says %s\n", t->expr,
			    t->msg);
			bad++;
		} else if (t->msg != NULL && strcmp(e.msg, t->msg) != 0) {
			print_error("%s:\n  got  %s\n  want %s\n", t->expr, e.msg,
			    t->msg);
			bad++;
		} else if (t->msg != NULL && t->off >= 0 &&
		    (long)e.off != t->off) {
			print_error("%s: offset %zu, want %ld\n", t->expr, e.off,
			    t->off);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* rules_expr_check() refuses expr (with flags), with msg unless NULL. */
static void
refused(const char *expr, unsigned flags, const char *msg,
    struct rules_expr_err *e)
{
	assert_int_equal(rules_expr_check(expr, flags, e), -1);
	if (msg != NULL) {
		assert_string_equal(e->msg, msg);
	}
}

/* httpd's scanner has no rule for a quote inside %{func:...} or for a
 * backslash that ends the input: it prints this and exits 2. */
static void
test_jammed(void **state)
{
	struct rules_expr_err e;

	(void)state;
	refused("%{tolower:'a'} == 1", 0, "flex scanner jammed", &e);
	assert_int_equal(e.exits, 1);
	refused("'a\\", 0, NULL, &e);
	assert_true(e.exits);
}

/* The regex fault carries PCRE2's reason beside httpd's text. */
static void
test_regex_detail(void **state)
{
	struct rules_expr_err e;

	(void)state;
	refused("'a' =~ /a{2,1}/", 0, "Failed to compile regular expression",
	    &e);
	assert_non_null(strstr(e.detail, "PCRE2"));
}

/* Strings and regexes are capped at httpd's MAX_STRING_LEN. */
static void
test_limits(void **state)
{
	static char big[9000 + 16];
	struct rules_expr_err e;

	(void)state;
	big[0] = '\'';
	memset(big + 1, 'a', 9000);
	strcpy(big + 9001, "' == 1");
	refused(big, 0, "String too long", &e);
	big[0] = '/';
	strcpy(big + 9001, "/");
	memmove(big + 7, big, 9002);
	memcpy(big, "'a' =~ ", 7);
	refused(big, 0, "syntax error, unexpected T_ERROR, expecting T_REGEX "
	    "or T_REGEX_I: Regexp too long", &e);
}

/* A string expression (Header's expr=, a per-directory Redirect):
 * text and variables to the end of the input; quotes are text. */
static void
test_string(void **state)
{
	struct rules_expr_err e;

	(void)state;
	assert_int_equal(rules_expr_check("", RULES_EXPR_STRING, &e), 0);
	assert_int_equal(rules_expr_check("a \"b\" %{REQUEST_URI} $1",
	    RULES_EXPR_STRING, &e), 0);
	assert_int_equal(rules_expr_check("%{tolower:%{HTTP_HOST}}x",
	    RULES_EXPR_STRING, &e), 0);
	refused("%{REQUEST_URI", RULES_EXPR_STRING, "syntax error, unexpected "
	    "T_ERROR, expecting T_VAR_END or ':': Unterminated string or "
	    "variable", &e);
	refused("x %{BOGUS}", RULES_EXPR_STRING, "Variable 'BOGUS' does not "
	    "exist", &e);
	/* the same text as a condition is not a string */
	refused("a b", 0, NULL, &e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_jammed),
		cmocka_unit_test(test_regex_detail),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
