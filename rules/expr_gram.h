/* A Bison parser, made by GNU Bison 3.8.2.  */

/* Bison interface for Yacc-like parsers in C

   Copyright (C) 1984, 1989-1990, 2000-2015, 2018-2021 Free Software Foundation,
   Inc.

   This program is free software: you can redistribute it and/or modify
   it under the terms of the GNU General Public License as published by
   the Free Software Foundation, either version 3 of the License, or
   (at your option) any later version.

   This program is distributed in the hope that it will be useful,
   but WITHOUT ANY WARRANTY; without even the implied warranty of
   MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
   GNU General Public License for more details.

   You should have received a copy of the GNU General Public License
   along with this program.  If not, see <https://www.gnu.org/licenses/>.  */

/* As a special exception, you may create a larger work that contains
   part or all of the Bison parser skeleton and distribute that work
   under terms of your choice, so long as that work isn't itself a
   parser generator using the skeleton or a modified version thereof
   as a parser skeleton.  Alternatively, if you modify or redistribute
   the parser skeleton itself, you may (at your option) remove this
   special exception, which will cause the skeleton and the resulting
   Bison output files to be licensed under the GNU General Public
   License without this special exception.

   This special exception was added by the Free Software Foundation in
   version 2.2 of Bison.  */

/* DO NOT RELY ON FEATURES THAT ARE NOT DOCUMENTED in the manual,
   especially those whose name start with YY_ or yy_.  They are
   private implementation details that can be changed or removed.  */

#ifndef YY_REXPR_RULES_EXPR_GRAM_H_INCLUDED
# define YY_REXPR_RULES_EXPR_GRAM_H_INCLUDED
/* Debug traces.  */
#ifndef REXPR_DEBUG
# if defined YYDEBUG
#if YYDEBUG
#   define REXPR_DEBUG 1
#  else
#   define REXPR_DEBUG 0
#  endif
# else /* ! defined YYDEBUG */
#  define REXPR_DEBUG 0
# endif /* ! defined YYDEBUG */
#endif  /* ! defined REXPR_DEBUG */
#if REXPR_DEBUG
extern int rexpr_debug;
#endif
/* "%code requires" blocks.  */
#line 22 "rules/expr_gram.y"

#include "expr_int.h"

#line 61 "rules/expr_gram.h"

/* Token kinds.  */
#ifndef REXPR_TOKENTYPE
# define REXPR_TOKENTYPE
  enum rexpr_tokentype
  {
    REXPR_EMPTY = -2,
    REXPR_EOF = 0,                 /* "end of file"  */
    REXPR_error = 256,             /* error  */
    REXPR_UNDEF = 257,             /* "invalid token"  */
    T_TRUE = 258,                  /* T_TRUE  */
    T_FALSE = 259,                 /* T_FALSE  */
    T_EXPR_BOOL = 260,             /* T_EXPR_BOOL  */
    T_EXPR_STRING = 261,           /* T_EXPR_STRING  */
    T_ERROR = 262,                 /* T_ERROR  */
    T_DIGIT = 263,                 /* T_DIGIT  */
    T_ID = 264,                    /* T_ID  */
    T_STRING = 265,                /* T_STRING  */
    T_REGEX = 266,                 /* T_REGEX  */
    T_REGEX_I = 267,               /* T_REGEX_I  */
    T_REGEX_BACKREF = 268,         /* T_REGEX_BACKREF  */
    T_OP_UNARY = 269,              /* T_OP_UNARY  */
    T_OP_BINARY = 270,             /* T_OP_BINARY  */
    T_STR_BEGIN = 271,             /* T_STR_BEGIN  */
    T_STR_END = 272,               /* T_STR_END  */
    T_VAR_BEGIN = 273,             /* T_VAR_BEGIN  */
    T_VAR_END = 274,               /* T_VAR_END  */
    T_OP_EQ = 275,                 /* T_OP_EQ  */
    T_OP_NE = 276,                 /* T_OP_NE  */
    T_OP_LT = 277,                 /* T_OP_LT  */
    T_OP_LE = 278,                 /* T_OP_LE  */
    T_OP_GT = 279,                 /* T_OP_GT  */
    T_OP_GE = 280,                 /* T_OP_GE  */
    T_OP_REG = 281,                /* T_OP_REG  */
    T_OP_NRE = 282,                /* T_OP_NRE  */
    T_OP_IN = 283,                 /* T_OP_IN  */
    T_OP_STR_EQ = 284,             /* T_OP_STR_EQ  */
    T_OP_STR_NE = 285,             /* T_OP_STR_NE  */
    T_OP_STR_LT = 286,             /* T_OP_STR_LT  */
    T_OP_STR_LE = 287,             /* T_OP_STR_LE  */
    T_OP_STR_GT = 288,             /* T_OP_STR_GT  */
    T_OP_STR_GE = 289,             /* T_OP_STR_GE  */
    T_OP_CONCAT = 290,             /* T_OP_CONCAT  */
    T_OP_OR = 291,                 /* T_OP_OR  */
    T_OP_AND = 292,                /* T_OP_AND  */
    T_OP_NOT = 293                 /* T_OP_NOT  */
  };
  typedef enum rexpr_tokentype rexpr_token_kind_t;
#endif

/* Value type.  */
#if ! defined REXPR_STYPE && ! defined REXPR_STYPE_IS_DECLARED
typedef struct rexpr_val REXPR_STYPE;
# define REXPR_STYPE_IS_TRIVIAL 1
# define REXPR_STYPE_IS_DECLARED 1
#endif




int rexpr_parse (struct rexpr_ctx *ctx);


#endif /* !YY_REXPR_RULES_EXPR_GRAM_H_INCLUDED  */
