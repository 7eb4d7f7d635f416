/*
 * dirlist.c - many existence checks in one directory, answered from one
 * listing of it.  httpd stats every DocumentRoot as it reads the line
 * (AH00112 when it is missing), and so does the parser; a configuration
 * of thousands of virtual hosts names thousands of directories side by
 * side, and a stat() each costs more than reading the directory once.
 *
 * A directory is listed only once it has been asked about often enough
 * for the listing to pay: at the 16th question and at every doubling
 * after it, when its size says it holds no more than 16 entries per
 * question so far.  A listing answers only what it knows for certain:
 * a name that is not there (stat would say ENOENT), or a directory or
 * regular file (d_type).  Symbolic links, other types, file sizes and
 * any path that is not a plain "/dir/name" are left to stat().
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hconf_int.h"

#define DIRS 16          /* directories counted at a time */
#define FIRST_CHECK 16   /* questions before the first look at its size */
#define PER_QUESTION 16  /* entries a listing may cost per question */
#define DIRENT_BYTES 32  /* a directory's st_size per entry, about */

struct dir {
	char *path;
	size_t len;
	unsigned asked, check; /* questions so far; when to look again */
	int state;             /* 0: counting, 1: listed, -1: never */
	char *names;           /* listed: type byte, name, NUL; ... */
	size_t nnames, cap;
	uint32_t *slot;        /* listed: offset + 1 into names, or 0 */
	size_t nslot;
};

struct dirlist {
	struct dir d[DIRS];
};

static uint32_t
name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
}

static void
dir_clear(struct dir *d)
{
	free(d->path);
	free(d->names);
	free(d->slot);
	memset(d, 0, sizeof(*d));
}

static void
add_name(struct dir *d, const char *name, unsigned char type)
{
	size_t n = strlen(name), off;

	if (d->cap - d->nnames < n + 2) {
		d->cap = (d->cap + n + 2) * 2;
		d->names = hconf_xrealloc(d->names, d->cap);
	}
	off = d->nnames;
	d->names[off] = (char)type;
	memcpy(d->names + off + 1, name, n + 1);
	d->nnames += n + 2;
}

static void
index_names(struct dir *d, size_t count)
{
	size_t off, mask;

	d->nslot = 16;
	while (d->nslot < count * 2) {
		d->nslot *= 2;
	}
	mask = d->nslot - 1;
	d->slot = hconf_xcalloc(d->nslot, sizeof(*d->slot));
	for (off = 0; off < d->nnames;) {
		const char *nm = d->names + off + 1;
		size_t n = strlen(nm), h = name_hash(nm, n) & mask;

		while (d->slot[h] != 0) {
			h = (h + 1) & mask;
		}
		d->slot[h] = (uint32_t)off + 1;
		off += n + 2;
	}
}

/* Read the directory; 0 when it cannot be (it is then left to stat). */
static int
list(struct dir *d)
{
	DIR *dp;
	struct dirent *e;
	size_t count = 0;

	/* stat() needs search permission on it, reading needs read */
	if (faccessat(AT_FDCWD, d->path, X_OK, AT_EACCESS) != 0 ||
	    (dp = opendir(d->path)) == NULL) {
		return 0;
	}
	while ((e = readdir(dp)) != NULL) {
		add_name(d, e->d_name, e->d_type);
		count++;
	}
	closedir(dp);
	if (count > UINT32_MAX / 4 || d->nnames >= UINT32_MAX) {
		return 0;
	}
	index_names(d, count);
	return 1;
}

/* Counts a question about d; lists it when that now pays. */
static void
count_question(struct dir *d)
{
	struct stat st;

	if (++d->asked < d->check) {
		return;
	}
	d->check *= 2;
	if (stat(d->path, &st) == -1 || !S_ISDIR(st.st_mode)) {
		d->state = -1;
		return;
	}
	if ((uintmax_t)st.st_size / DIRENT_BYTES >
	    (uintmax_t)d->asked * PER_QUESTION) {
		return;
	}
	if (list(d)) {
		d->state = 1;
	} else {
		free(d->names);
		d->names = NULL;
		d->nnames = d->cap = 0;
		d->state = -1;
	}
}

/* The record of directory path[0 .. len), made when missing. */
static struct dir *
find_dir(struct dirlist *dl, const char *path, size_t len)
{
	struct dir *d, *spare = NULL;
	size_t i;

	for (i = 0; i < DIRS; i++) {
		d = &dl->d[i];
		if (d->path != NULL && d->len == len &&
		    memcmp(d->path, path, len) == 0) {
			return d;
		}
	}
	/* a free record, else the one asked about least, never a listing */
	for (i = 0; i < DIRS; i++) {
		d = &dl->d[i];
		if (d->path == NULL) {
			spare = d;
			break;
		}
		if (d->state != 1 && (spare == NULL || d->asked < spare->asked)) {
			spare = d;
		}
	}
	if (spare == NULL) {
		return NULL; /* every record holds a listing: leave to stat */
	}
	dir_clear(spare);
	spare->path = hconf_xmalloc(len + 1);
	memcpy(spare->path, path, len);
	spare->path[len] = '\0';
	spare->len = len;
	spare->check = FIRST_CHECK;
	return spare;
}

int
doc_dirlist_lookup(struct hconf_doc *doc, const char *path,
    unsigned char *type)
{
	const char *leaf = strrchr(path, '/');
	size_t n, h, mask;
	struct dir *d;

	if (path[0] != '/' || leaf == path) {
		return -1;
	}
	leaf++;
	n = strlen(leaf);
	if (n == 0 || n > 255 || strcmp(leaf, ".") == 0 ||
	    strcmp(leaf, "..") == 0 || leaf[-2] == '/') {
		return -1;
	}
	if (doc->dirlist == NULL) {
		doc->dirlist = hconf_xcalloc(1, sizeof(*doc->dirlist));
	}
	d = find_dir(doc->dirlist, path, (size_t)(leaf - 1 - path));
	if (d == NULL || d->state == -1) {
		return -1;
	}
	if (d->state == 0) {
		count_question(d);
		if (d->state != 1) {
			return -1;
		}
	}
	mask = d->nslot - 1;
	for (h = name_hash(leaf, n) & mask; d->slot[h] != 0;
	    h = (h + 1) & mask) {
		const char *e = d->names + d->slot[h] - 1;

		if (strcmp(e + 1, leaf) == 0) {
			*type = (unsigned char)e[0];
			return 1;
		}
	}
	return 0;
}

void
doc_dirlist_free(struct hconf_doc *doc)
{
	size_t i;

	if (doc->dirlist == NULL) {
		return;
	}
	for (i = 0; i < DIRS; i++) {
		dir_clear(&doc->dirlist->d[i]);
	}
	free(doc->dirlist);
	doc->dirlist = NULL;
}
