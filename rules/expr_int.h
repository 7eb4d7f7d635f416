/*
 * expr_int.h - shared by expr.c (scanner, names, regexes) and the
 * generated parser expr_gram.c; nothing else includes it.
 */
#ifndef RULES_EXPR_INT_H
#define RULES_EXPR_INT_H

#include <stddef.h>
#include <stdint.h>

/* A token's or a construct's value: text, where it starts, and whether
 * it is a constant string (httpd's op_String, which -R and -ipmatch
 * demand). */
struct rexpr_val {
	const char *s;
	size_t off;
	int num;
	int is_str;
};

enum rexpr_kind {
	REXPR_VAR,      /* %{NAME} */
	REXPR_STRFUNC,  /* name(word), %{name:string} */
	REXPR_LISTFUNC, /* word -in name(word) */
	REXPR_UNARY,    /* -x word */
	REXPR_BINARY    /* word -name word */
};

struct rexpr_ctx;

int rexpr_scan(struct rexpr_ctx *, struct rexpr_val *);
void rexpr_lookup(struct rexpr_ctx *, enum rexpr_kind,
    const struct rexpr_val *name, const struct rexpr_val *arg);
int rexpr_regex(struct rexpr_ctx *, const struct rexpr_val *, int icase);
void rexpr_syntax_error(struct rexpr_ctx *, const char *const *names, int n);
void rexpr_set_error(struct rexpr_ctx *, const char *);
int rexpr_parse_all(struct rexpr_ctx *);

#endif
