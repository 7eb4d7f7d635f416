/*
 * fold.h - rules_ieq(a, b): strcasecmp(a, b) == 0 as the C locale has it
 * (only ASCII letters fold; mpmlint never sets a locale), inline.  The
 * rules compare short words, most of them alike in case, where a call
 * to strcasecmp costs more than this loop.  rules/ only.
 */
#ifndef RULES_FOLD_H
#define RULES_FOLD_H

static inline int
rules_ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x == y) {
			if (x == '\0') {
				return 1;
			}
			continue;
		}
		/* differ only in bit 0x20, and that bit makes a letter */
		x |= 0x20;
		if (x != (y | 0x20) || x < 'a' || x > 'z') {
			return 0;
		}
	}
}

/* isspace() of the C locale. */
static inline int
rules_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

#endif
