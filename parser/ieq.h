/*
 * ieq.h - hconf_ieq(a, b): strcasecmp(a, b) == 0, with the first bytes
 * compared before the call.  Most directive names differ from the one
 * asked about in their first letter, and the rules compare each node's
 * name with dozens of names, so the one-byte test (ASCII letters folded
 * with | 0x20; it may let through a pair strcasecmp then rejects, never
 * the reverse) saves most calls.  Header-only, for parser/ and rules/.
 */
#ifndef HCONF_IEQ_H
#define HCONF_IEQ_H

#include <strings.h>

static inline int
hconf_ieq(const char *a, const char *b)
{
	return ((unsigned char)a[0] | 0x20) == ((unsigned char)b[0] | 0x20) &&
	    strcasecmp(a, b) == 0;
}

#endif
