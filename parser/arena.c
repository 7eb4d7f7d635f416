/*
 * arena.c - the bump allocator every document owns, the heap wrappers
 * that abort on exhaustion, and a small growable array.  Nothing here
 * knows about configuration files.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

#define CHUNK_SIZE (64u * 1024u)
#define ALIGN_UP(n) (((n) + 15u) & ~(size_t)15u)

static void
oom(size_t n)
{
	/* The documented policy (hconf.3): report and abort. */
	fprintf(stderr, "hconf: out of memory allocating %zu bytes\n", n);
	abort();
}

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
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = ALIGN_UP(n ? n : 1);
	void *p;

	if (c == NULL || c->size - c->used < need) {
		size_t size = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;

		c = hconf_xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
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
		free(c);
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
