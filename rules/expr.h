/*
 * expr.h - httpd 2.4's read-time check of an ap_expr condition, the
 * argument of <If> and <ElseIf> (rules/ and its unit test include it).
 * It decides what "apache2 -t" decides: whether httpd can parse the
 * expression, and if not, httpd's exact message.  It never evaluates.
 */
#ifndef RULES_EXPR_H
#define RULES_EXPR_H

#include <stddef.h>

/* Which modules that add names to ap_expr are loaded. */
#define RULES_EXPR_SSL     0x1u /* mod_ssl: SSL_* variables, SSL(), PeerExtList() */
#define RULES_EXPR_HCHECK  0x2u /* mod_proxy_hcheck: HC_* variables, HC() */
#define RULES_EXPR_ANYNAME 0x4u /* a module we have no table for: any name may exist */
#define RULES_EXPR_STRING  0x8u /* a string expression (AP_EXPR_FLAG_STRING_RESULT) */

struct rules_expr_err {
	char msg[1200];   /* httpd's text after "Cannot parse condition clause: " */
	char detail[200]; /* our own addition (PCRE2's reason), or "" */
	size_t off;       /* byte offset of the fault in the expression */
	int exits;        /* httpd's scanner jams: it prints msg and exits 2 */
};

/**
 * Check expr as httpd's ap_expr_parse() does for <If> (boolean, not
 * restricted; a string expression with RULES_EXPR_STRING).  Returns 0 when httpd accepts it, else -1 with *err set.
 */
int rules_expr_check(const char *expr, unsigned flags,
    struct rules_expr_err *err);

#endif
