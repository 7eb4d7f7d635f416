/*
 * expr_gram.y - the grammar of httpd 2.4's ap_expr boolean expressions
 * (<If>, <ElseIf>), for the read-time check in expr.c (rules/ only).
 *
 * The language is httpd's (server/util_expr_parse.y): the same tokens
 * in the same order, the same productions in the same order and the
 * same precedence, so that bison builds the same LALR automaton and a
 * syntax error names the same unexpected and expected tokens as httpd.
 * The actions are ours: they build no tree, they only look up the names
 * (variables, functions, operators) and compile the regexes, as httpd
 * does while it parses.
 *
 * The build generates the parser from this file with bison (3.8) into
 * the build directory: $(B)/rules/expr_gram.c and expr_gram.h.
 */
%define api.pure full
%define api.prefix {rexpr_}
%define parse.error custom
%define api.value.type {struct rexpr_val}
%param {struct rexpr_ctx *ctx}

%code requires {
#include "expr_int.h"
}

%code {
static int rexpr_lex(struct rexpr_val *, struct rexpr_ctx *);
static void rexpr_error(struct rexpr_ctx *, const char *);
}

%token T_TRUE
%token T_FALSE

%token T_EXPR_BOOL
%token T_EXPR_STRING

%token T_ERROR

%token T_DIGIT
%token T_ID
%token T_STRING
%token T_REGEX
%token T_REGEX_I
%token T_REGEX_BACKREF
%token T_OP_UNARY
%token T_OP_BINARY

%token T_STR_BEGIN
%token T_STR_END
%token T_VAR_BEGIN
%token T_VAR_END

%token T_OP_EQ
%token T_OP_NE
%token T_OP_LT
%token T_OP_LE
%token T_OP_GT
%token T_OP_GE
%token T_OP_REG
%token T_OP_NRE
%token T_OP_IN
%token T_OP_STR_EQ
%token T_OP_STR_NE
%token T_OP_STR_LT
%token T_OP_STR_LE
%token T_OP_STR_GT
%token T_OP_STR_GE
%token T_OP_CONCAT

%token T_OP_OR
%token T_OP_AND
%token T_OP_NOT

%right T_OP_OR
%right T_OP_AND
%right T_OP_NOT
%right T_OP_CONCAT

%%

root      : T_EXPR_BOOL expr
          | T_EXPR_STRING string
          | T_ERROR                      { YYABORT; }
          ;

expr      : T_TRUE
          | T_FALSE
          | T_OP_NOT expr
          | expr T_OP_OR expr
          | expr T_OP_AND expr
          | comparison
          | T_OP_UNARY word              { rexpr_lookup(ctx, REXPR_UNARY, &$1, &$2); }
          | word T_OP_BINARY word        { rexpr_lookup(ctx, REXPR_BINARY, &$2, &$3); }
          | '(' expr ')'
          | T_ERROR                      { YYABORT; }
          ;

comparison: word T_OP_EQ word
          | word T_OP_NE word
          | word T_OP_LT word
          | word T_OP_LE word
          | word T_OP_GT word
          | word T_OP_GE word
          | word T_OP_STR_EQ word
          | word T_OP_STR_NE word
          | word T_OP_STR_LT word
          | word T_OP_STR_LE word
          | word T_OP_STR_GT word
          | word T_OP_STR_GE word
          | word T_OP_IN wordlist
          | word T_OP_REG regex
          | word T_OP_NRE regex
          ;

wordlist  : lstfunccall
          | '{' words '}'
          ;

words     : word
          | words ',' word
          ;

string    : string strpart               { $$ = $1; $$.is_str = 0; }
          | strpart                      { $$ = $1; }
          | T_ERROR                      { YYABORT; }
          ;

strpart   : T_STRING                     { $$ = $1; $$.is_str = 1; }
          | var                          { $$ = $1; $$.is_str = 0; }
          | backref                      { $$ = $1; $$.is_str = 0; }
          ;

var       : T_VAR_BEGIN T_ID T_VAR_END   { rexpr_lookup(ctx, REXPR_VAR, &$2, NULL);
                                           $$ = $2; $$.is_str = 0; }
          | T_VAR_BEGIN T_ID ':' string T_VAR_END
                                         { rexpr_lookup(ctx, REXPR_STRFUNC, &$2, &$4);
                                           $$ = $2; $$.is_str = 0; }
          ;

word      : T_DIGIT                      { $$ = $1; $$.is_str = 0; }
          | word T_OP_CONCAT word        { $$ = $1; $$.is_str = 0; }
          | var                          { $$ = $1; $$.is_str = 0; }
          | backref                      { $$ = $1; $$.is_str = 0; }
          | strfunccall                  { $$ = $1; $$.is_str = 0; }
          | T_STR_BEGIN string T_STR_END { $$ = $2; }
          | T_STR_BEGIN T_STR_END        { $$ = $1; $$.s = ""; $$.is_str = 1; }
          ;

regex     : T_REGEX                      { if (rexpr_regex(ctx, &$1, 0) != 0) YYERROR; }
          | T_REGEX_I                    { if (rexpr_regex(ctx, &$1, 1) != 0) YYERROR; }
          ;

backref   : T_REGEX_BACKREF
          ;

lstfunccall : T_ID '(' word ')'          { rexpr_lookup(ctx, REXPR_LISTFUNC, &$1, &$3); }
            ;

strfunccall : T_ID '(' word ')'          { rexpr_lookup(ctx, REXPR_STRFUNC, &$1, &$3);
                                           $$ = $1; $$.is_str = 0; }
            ;

%%

/*
 * httpd's message for a syntax error: bison's verbose form, with the
 * names of httpd's generated parser ("$end" at the end of the input).
 */
static int
yyreport_syntax_error(const yypcontext_t *yyctx, struct rexpr_ctx *ctx)
{
	yysymbol_kind_t exp[4];
	yysymbol_kind_t tok = yypcontext_token(yyctx);
	int n = yypcontext_expected_tokens(yyctx, exp, 4), i;
	const char *names[5];

	names[0] = tok == YYSYMBOL_YYEOF ? "$end" :
	    tok == YYSYMBOL_YYUNDEF ? "$undefined" : yysymbol_name(tok);
	for (i = 0; i < n; i++) {
		names[i + 1] = exp[i] == YYSYMBOL_YYEOF ? "$end" :
		    yysymbol_name(exp[i]);
	}
	rexpr_syntax_error(ctx, names, n + 1);
	return 0;
}

static int
rexpr_lex(struct rexpr_val *v, struct rexpr_ctx *ctx)
{
	return rexpr_scan(ctx, v);
}

static void
rexpr_error(struct rexpr_ctx *ctx, const char *msg)
{
	/* bison calls this only for "memory exhausted" */
	rexpr_set_error(ctx, msg);
}

int
rexpr_parse_all(struct rexpr_ctx *ctx)
{
	return rexpr_parse(ctx);
}
