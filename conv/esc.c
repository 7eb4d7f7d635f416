/*
 * esc.c - visible escapes for text and standard error, and the Latin-1
 * mapping for the machine formats (esc.h).  A configuration is untrusted
 * input: an escape sequence, a BEL, a CR or a newline in a file name or a
 * directive must not reach a terminal, or forge a line in a CI log such
 * as GitHub's "::error" workflow commands.
 */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "hconf.h"

size_t
esc_utf8_len(const unsigned char *p, size_t avail)
{
	return hconf_utf8_len((const char *)p, avail);
}

void
esc_write(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		unsigned c = p[i];

		if (c >= 0x20 && c < 0x7f) {
			/* a run of printable ASCII in one call */
			for (n = i + 1; n < len && p[n] >= 0x20 && p[n] < 0x7f;
			    n++) {
			}
			fwrite(p + i, 1, n - i, fp);
			i = n;
			continue;
		}
		if (c == '\r' || c == '\n' || c == '\t') {
			fputc('\\', fp);
			fputc(c == '\r' ? 'r' : c == '\n' ? 'n' : 't', fp);
			i++;
			continue;
		}
		n = c >= 0x80 ? esc_utf8_len(p + i, len - i) : 0;
		/* C1 controls (U+0080 to U+009F) are controls too */
		if (n == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
			fprintf(fp, "\\x%02x\\x%02x", c, p[i + 1]);
			i += 2;
		} else if (n > 0) {
			fwrite(p + i, 1, n, fp);
			i += n;
		} else {
			fprintf(fp, "\\x%02x", c);
			i++;
		}
	}
}

void
esc_puts(FILE *fp, const char *s)
{
	esc_write(fp, s, strlen(s));
}

void
esc_vprintf(FILE *fp, const char *fmt, va_list ap)
{
	char *buf = NULL;
	int n = vasprintf(&buf, fmt, ap);

	if (n < 0) {
		return;
	}
	if (n > 0 && buf[n - 1] == '\n') {
		esc_write(fp, buf, (size_t)n - 1);
		fputc('\n', fp);
	} else {
		esc_write(fp, buf, (size_t)n);
	}
	free(buf);
}

void
esc_printf(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	esc_vprintf(fp, fmt, ap);
	va_end(ap);
}

void
esc_error_at(FILE *fp, const char *path, unsigned long line,
    unsigned long col, const char *fmt, va_list ap)
{
	esc_printf(fp, "%s:%lu:%lu: error: ", path, line, col);
	esc_vprintf(fp, fmt, ap);
	fputc('\n', fp);
}

char *
esc_latin1(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = hconf_xmalloc(2 * n + 1);

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80) {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}
