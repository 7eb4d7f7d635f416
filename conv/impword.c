/*
 * impword.c - how mpmconv --import writes one word of a regenerated
 * line (import.c) so that httpd reads back exactly its value: a raw
 * spelling from the document is reused when it reads as the value,
 * else the word is quoted and escaped as ap_getword_conf() needs.
 * Pure string work: no I/O, no document access.
 */
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"

int
conv_word_space(int ch)
{
	/* apr_isspace in the C locale, as httpd splits words */
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' ||
	    ch == '\f' || ch == '\r';
}

/*
 * Does raw, read as one word by httpd's ap_getword_conf(), give exactly
 * value, and leave nothing behind?  Then it is reused as written, quotes
 * and escapes included.  A bare word ending in '\' is refused: at the end
 * of a line it would join the next one.
 */
int
conv_word_spells(const struct str *raw, const struct str *val)
{
	const char *r = raw->s, *v = val->s;
	size_t n = raw->len, i, k = 0;
	char q;

	if (n == 0 || memchr(r, '\0', n) != NULL) {
		return 0;
	}
	q = r[0];
	if (q == '"' || q == '\'') {
		for (i = 1; i < n && r[i] != q; k++) {
			char ch;

			if (r[i] == '\\' && i + 1 < n &&
			    (r[i + 1] == q || r[i + 1] == '\\')) {
				ch = r[i + 1];
				i += 2;
			} else {
				ch = r[i++];
			}
			if (k >= val->len || v[k] != ch) {
				return 0;
			}
		}
		return i == n - 1 && k == val->len;
	}
	if (r[n - 1] == '\\') {
		return 0;
	}
	for (i = 0; i < n; k++) {
		char ch;

		if (conv_word_space((unsigned char)r[i])) {
			return 0;
		}
		if (r[i] == '\\' && i + 1 < n && r[i + 1] == '\\') {
			ch = '\\';
			i += 2;
		} else {
			ch = r[i++];
		}
		if (k >= val->len || v[k] != ch) {
			return 0;
		}
	}
	return k == val->len;
}

/*
 * Is s, n bytes, exactly one quoted word, closing quote last?  With
 * open set, a quote that is never closed counts too: httpd's word
 * splitter then takes the rest of the line as the word.
 */
int
conv_word_quoted(const char *s, size_t n, int open)
{
	char q = s[0];
	size_t i = 1;

	while (i < n && s[i] != q) {
		i += s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == q || s[i + 1] == '\\') ? 2 : 1;
	}
	if (n >= 2 && i == n - 1) {
		return 1;
	}
	/* open: white space last would not read back (httpd trims it) */
	return open && i >= n && !conv_word_space((unsigned char)s[n - 1]);
}

/* Write value as one word httpd reads back exactly, quoting if needed. */
void
conv_word_put(struct buf *b, const struct str *val)
{
	const char *v = val->s;
	size_t i, n = val->len;
	int bare = n > 0 && v[0] != '"' && v[0] != '\'' && v[n - 1] != '\\';

	for (i = 0; bare && i < n; i++) {
		if (conv_word_space((unsigned char)v[i]) ||
		    (v[i] == '\\' && i + 1 < n && v[i + 1] == '\\')) {
			bare = 0;
		}
	}
	if (bare) {
		conv_put(b, v, n);
		return;
	}
	conv_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\') {
			conv_put(b, "\\", 1);
		}
		conv_put(b, v + i, 1);
	}
	conv_put(b, "\"", 1);
}

/*
 * Would s end the line it is written on?  A line feed does, and a NUL
 * byte cannot be written; a carriage return does not (httpd ends lines
 * at LF only, and splits words at a CR), except last on a line, where
 * httpd trims it: the writers below never put one there.
 */
int
conv_word_has_break(const struct str *s)
{
	return memchr(s->s, '\0', s->len) != NULL ||
	    memchr(s->s, '\n', s->len) != NULL;
}

int
conv_word_has_ref(const struct str *s)
{
	size_t i;

	for (i = 0; i + 1 < s->len; i++) {
		if (s->s[i] == '$' && s->s[i + 1] == '{') {
			return 1;
		}
	}
	return 0;
}
