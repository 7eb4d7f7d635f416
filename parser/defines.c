/*
 * defines.c - the Define table: NAME -> value, an open-addressing hash
 * table with linear probing.  Names and values live in the document's
 * arena; the slot array is on the heap and doubles when half full.
 * UnDefine keeps the slot and clears it, so a name is never removed and
 * probing needs no tombstones.  httpd keeps its Defines in an array and
 * scans it; with tens of thousands of them that is quadratic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

/* FNV-1a, 64 bits: names are short. */
static uint64_t
name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static struct define *
slot_find(const struct defmap *m, const char *name, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		struct define *d = &m->slot[i];

		if (d->name == NULL) {
			return d;
		}
		if (d->hash == h && strcmp(d->name, name) == 0) {
			return d;
		}
	}
}

static void
grow(struct defmap *m)
{
	struct define *old = m->slot;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? 2 * oldcap : 64;
	m->slot = hconf_xcalloc(m->cap, sizeof(*m->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].name != NULL) {
			*slot_find(m, old[i].name, old[i].hash) = old[i];
		}
	}
	free(old);
}

const struct define *
defmap_get(const struct defmap *m, const char *name)
{
	const struct define *d;

	if (m->cap == 0) {
		return NULL;
	}
	d = slot_find(m, name, name_hash(name));
	return d->name != NULL && d->set ? d : NULL;
}

void
defmap_set(struct defmap *m, struct arena *a, const char *name,
    const char *value)
{
	uint64_t h = name_hash(name);
	struct define *d;

	if (2 * (m->used + 1) > m->cap) {
		grow(m);
	}
	d = slot_find(m, name, h);
	if (d->name == NULL) {
		d->name = arena_strdup(a, name);
		d->hash = h;
		m->used++;
	}
	d->value = value != NULL ? arena_strdup(a, value) : NULL;
	d->set = 1;
}

void
defmap_unset(struct defmap *m, const char *name)
{
	struct define *d;

	if (m->cap == 0) {
		return;
	}
	d = slot_find(m, name, name_hash(name));
	if (d->name != NULL) {
		d->set = 0;
		d->value = NULL;
	}
}

void
defmap_free(struct defmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}
