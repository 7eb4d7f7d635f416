/*
 * arena.c - the bump allocator every document owns, the heap wrappers
 * that abort on exhaustion, and a small growable array.  Nothing here
 * knows about configuration files.
 */
#include <sys/mman.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

static void
oom(size_t n)
{
	/* The documented policy (hconf.3): report and abort. */
	fprintf(stderr, "hconf: out of memory allocating %zu bytes\n", n);
	abort();
}

#ifndef HCONF_POPULATE
#define HCONF_POPULATE MAP_POPULATE
#endif
#define HUGE_SIZE (2u * 1024u * 1024u)
#define CHUNK_SIZE (64u * 1024u)
#define CHUNK_MAX (8u * 1024u * 1024u)

/*
 * Chunks grow geometrically up to 8 MiB.  Big ones are mapped with
 * MAP_POPULATE: one system call instead of a page fault per 4 KiB,
 * which is most of the cost of building a large tree.
 */
static struct arena_chunk *
chunk_new(size_t size, int exact)
{
	struct arena_chunk *c;
	size_t total = sizeof(*c) + size;

	if (total >= HUGE_SIZE) {
		/* Big chunks: 2 MiB aligned and backed by huge pages where
		 * the kernel allows, so a large tree costs a few faults
		 * instead of one per 4 KiB page. */
		size_t len = (total + HUGE_SIZE - 1) & ~(size_t)(HUGE_SIZE - 1);
		char *p = mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *a;

		if (p == MAP_FAILED) {
			oom(total);
		}
		a = (char *)(((uintptr_t)p + HUGE_SIZE - 1) &
		    ~(uintptr_t)(HUGE_SIZE - 1));
		if (a > p) {
			munmap(p, (size_t)(a - p));
		}
		if (a + len < p + len + HUGE_SIZE) {
			munmap(a + len, (size_t)(p + len + HUGE_SIZE - (a + len)));
		}
#ifdef MADV_HUGEPAGE
		/* a block of a known size (a file's bytes): huge pages only
		 * where it fills them, as a huge page is faulted in whole */
		(void)madvise(a, exact ? total & ~(size_t)(HUGE_SIZE - 1) : len,
		    MADV_HUGEPAGE);
#endif
		c = (struct arena_chunk *)(void *)a;
		c->mapped = 1;
		size = len - sizeof(*c);
	} else if (total >= 256u * 1024u) {
		void *p = mmap(NULL, total, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | HCONF_POPULATE, -1, 0);

		if (p == MAP_FAILED) {
			oom(total);
		}
		c = p;
		c->mapped = 1;
	} else {
		c = hconf_xmalloc(total);
		c->mapped = 0;
	}
	c->size = size;
	c->used = 0;
	return c;
}

static void
chunk_free(struct arena_chunk *c)
{
	if (c->mapped) {
		munmap(c, sizeof(*c) + c->size);
	} else {
		free(c);
	}
}

static size_t
next_size(struct arena *a)
{
	/* small documents stay small; past 512 KiB go straight to huge,
	 * lazily faulted chunks, whose untouched tail costs nothing */
	if (a->total < CHUNK_SIZE) {
		return CHUNK_SIZE;
	}
	if (a->total < 512u * 1024u) {
		return a->total;
	}
	return CHUNK_MAX - 64u;
}
#define ALIGN_UP(n) (((n) + 7u) & ~(size_t)7u)

void *
hconf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		oom(n);
	}
	return p;
}

void *
hconf_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL) {
		oom(n * m);
	}
	return p;
}

void *
hconf_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL) {
		oom(n);
	}
	return q;
}

char *
hconf_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(hconf_xmalloc(n), s, n);
}

void *
arena_alloc_slow(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = ALIGN_UP(n ? n : 1);
	void *p;

	if (c != NULL && c->size - c->used >= need) {
		p = (char *)c->data + c->used;
		c->used += need;
		return p;
	}
	{
		size_t size = need > CHUNK_SIZE / 4 ? need : next_size(a);

		c = chunk_new(size, size == need);
		if (size == need && a->head != NULL) {
			/* A large block: keep the current chunk in front. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->total += size;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

/*
 * The free tail of the current chunk, for writing a string whose length
 * is found while it is copied; arena_commit() then takes n bytes of it.
 */
char *
arena_tail(struct arena *a, size_t *avail)
{
	struct arena_chunk *c = a->head;

	if (c == NULL || c->size - c->used < 256) {
		c = chunk_new(next_size(a), 0);
		c->next = a->head;
		a->head = c;
		a->total += c->size;
	}
	*avail = c->size - c->used;
	return (char *)c->data + c->used;
}

void
arena_commit(struct arena *a, size_t n)
{
	a->head->used += ALIGN_UP(n);
}

void *
arena_calloc(struct arena *a, size_t n)
{
	return memset(arena_alloc(a, n), 0, n);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return arena_strdup(a, "");
	}
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		chunk_free(c);
	}
	a->head = NULL;
	a->total = 0;
}

void
vec_push(struct vec *v, const void *elem)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = hconf_xrealloc(v->v, v->cap * v->size);
	}
	memcpy((char *)v->v + v->n * v->size, elem, v->size);
	v->n++;
}

void
vec_free(struct vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

int
hconf_atoi(const char *s)
{
	/* glibc's atoi is (int)strtol(s, NULL, 10): clamp to long, then
	 * truncate to int, which is what httpd's MPM handlers see. */
	long v;
	int saved = errno;

	v = strtol(s, NULL, 10);
	errno = saved;
	return (int)(unsigned int)(unsigned long)v;
}
