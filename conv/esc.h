/*
 * esc.h - bytes from a configuration made safe to print: visible escapes
 * for text output and standard error (no control character reaches a
 * terminal or a CI log raw), and the Latin-1 mapping that keeps JSON,
 * YAML and XML valid whatever bytes the input holds.  Used by conv/ and cli/.
 */
#ifndef ESC_H
#define ESC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/**
 * Write s[0..len) with every control character visible: CR as \r, LF
 * as \n, tab as \t, other C0 bytes, DEL and the C1 controls as \xHH (ESC
 * is \x1b), and a byte that does not start a valid UTF-8 sequence (stray,
 * overlong, surrogate, past U+10FFFF) as \xHH.  Valid UTF-8 and printable
 * ASCII, the backslash included, are written as they are.
 */
void esc_write(FILE *fp, const char *s, size_t len);
/** esc_write() of a NUL-terminated string. */
void esc_puts(FILE *fp, const char *s);
/**
 * fprintf() whose result goes through esc_write(), except one final
 * newline, which ends the line as usual.  For messages on standard error
 * that quote file names or file content.
 */
void esc_printf(FILE *fp, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void esc_vprintf(FILE *fp, const char *fmt, va_list ap);
/** "PATH:LINE:COL: error: MESSAGE\n" through esc_vprintf(). */
void esc_error_at(FILE *fp, const char *path, unsigned long line,
    unsigned long col, const char *fmt, va_list ap);
/**
 * Every byte of s as the Latin-1 code point of the same number, in UTF-8
 * (0xe9 becomes U+00E9): always valid UTF-8, and the same characters the
 * JSON writers give as \u00XX.  The caller frees the result.
 */
char *esc_latin1(const char *s);
/**
 * The length of the strict UTF-8 sequence at s (1 to 4; ASCII is 1), or
 * 0 when the bytes there are not one (at most avail are read).
 */
size_t esc_utf8_len(const unsigned char *s, size_t avail);

#endif
