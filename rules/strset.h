/*
 * strset.h - a set of strings, each with a 32-bit tag (regex options,
 * a directive kind), for the checks that remember a verdict: a word that
 * passed once passes again, so a templated configuration's thousandth
 * copy of a line is looked up, not checked.  rules/ only.
 */
#ifndef RULES_STRSET_H
#define RULES_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset_item;

struct strset {
	struct strset_item *items; /* open addressing, a power of two */
	size_t n, cap;
};

/* 1 when (s, tag) is in the set. */
int strset_has(const struct strset *, const char *s, uint32_t tag);
/* Add (s, tag) (a copy of s); nothing when it is there already. */
void strset_add(struct strset *, const char *s, uint32_t tag);
void strset_free(struct strset *);

#endif
