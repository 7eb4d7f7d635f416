/*
 * strset.c - the set of strings of strset.h: word-at-a-time hashes,
 * linear probing, the table doubled at half full.
 */
#include <stdlib.h>
#include <string.h>

#include "hconf.h"
#include "strset.h"

struct strset_item {
	uint32_t hash, tag;
	char *s;
};

/* Eight bytes at a time, multiplied in (the last word zero-padded). */
static uint32_t
set_hash(const char *s, uint32_t tag)
{
	const uint64_t k = 0x9e3779b97f4a7c15u;
	size_t n = strlen(s), i;
	uint64_t h = (n ^ ((uint64_t)tag << 32)) * k, u;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&u, s + i, 8);
		h = (h ^ u) * k;
		h ^= h >> 29;
	}
	if (i < n) {
		u = 0;
		memcpy(&u, s + i, n - i);
		h = (h ^ u) * k;
		h ^= h >> 29;
	}
	return (uint32_t)(h >> 32);
}

/* The slot of (s, tag), or the empty slot where it would go. */
static size_t
set_slot(const struct strset *set, const char *s, uint32_t tag, uint32_t h)
{
	size_t mask = set->cap - 1, i;

	for (i = h & mask; set->items[i].s != NULL; i = (i + 1) & mask) {
		if (set->items[i].hash == h && set->items[i].tag == tag &&
		    strcmp(set->items[i].s, s) == 0) {
			break;
		}
	}
	return i;
}

int
strset_has(const struct strset *set, const char *s, uint32_t tag)
{
	if (set->cap == 0) {
		return 0;
	}
	return set->items[set_slot(set, s, tag, set_hash(s, tag))].s != NULL;
}

static void
set_grow(struct strset *set)
{
	struct strset_item *old = set->items;
	size_t oldcap = set->cap, k, i, mask;

	set->cap = oldcap ? oldcap * 2 : 64;
	set->items = hconf_xcalloc(set->cap, sizeof(*set->items));
	mask = set->cap - 1;
	for (k = 0; k < oldcap; k++) {
		if (old[k].s == NULL) {
			continue;
		}
		for (i = old[k].hash & mask; set->items[i].s != NULL;
		    i = (i + 1) & mask) {
		}
		set->items[i] = old[k];
	}
	free(old);
}

void
strset_add(struct strset *set, const char *s, uint32_t tag)
{
	uint32_t h = set_hash(s, tag);
	size_t i, len;

	if ((set->n + 1) * 2 > set->cap) {
		set_grow(set);
	}
	i = set_slot(set, s, tag, h);
	if (set->items[i].s != NULL) {
		return;
	}
	len = strlen(s) + 1;
	set->items[i].hash = h;
	set->items[i].tag = tag;
	set->items[i].s = hconf_xmalloc(len);
	memcpy(set->items[i].s, s, len);
	set->n++;
}

void
strset_free(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++) {
		free(set->items[i].s);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}
