/*
 * lsp_json.h - the JSON of the language server (cli/lsp*.c only): a
 * strict reader (RFC 8259, strict UTF-8, nesting capped at LJ_MAXDEPTH)
 * into a small tree, and a writer into a growing buffer.
 */
#ifndef LSP_JSON_H
#define LSP_JSON_H

#include <stddef.h>

#define LJ_MAXDEPTH 64

enum lj_type { LJ_NULL, LJ_BOOL, LJ_NUM, LJ_STR, LJ_ARR, LJ_OBJ };

struct lj {
	enum lj_type t;
	int b;                 /* LJ_BOOL */
	double num;            /* LJ_NUM */
	char *s;               /* LJ_STR: NUL-terminated (may hold NULs);
	                        * LJ_NUM: the number as written */
	size_t len;
	struct lj **v;         /* LJ_ARR: items; LJ_OBJ: key, value, ... */
	size_t n;
};

/** Parse len bytes; NULL when they are not one JSON value. */
struct lj *lj_parse(const char *buf, size_t len);
void lj_free(struct lj *);
/** Member key of an object, or NULL (also when o is not an object). */
const struct lj *lj_get(const struct lj *o, const char *key);
/** The string, or NULL when v is not a string. */
const char *lj_str(const struct lj *v);
/** 0 and *out when v is a whole number in long's range, else -1. */
int lj_long(const struct lj *v, long *out);

/* The writer: a buffer that only grows (hconf_xrealloc). */
struct jb {
	char *p;
	size_t n, cap;
};

void jb_raw(struct jb *, const char *s);
void jb_mem(struct jb *, const char *s, size_t len);
void jb_fmt(struct jb *, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** A quoted string; bytes that are not UTF-8 become U+FFFD. */
void jb_str(struct jb *, const char *s, size_t len);
void jb_cstr(struct jb *, const char *s);
/** Text for Markdown: the characters Markdown reads escaped, raw. */
void jb_str_md(struct jb *, const char *s);
/** "key": with a comma before it unless first. */
void jb_key(struct jb *, int first, const char *key);
/** Write v back as JSON. */
void jb_value(struct jb *, const struct lj *v);
void jb_free(struct jb *);

#endif
