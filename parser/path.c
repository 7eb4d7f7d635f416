/*
 * path.c - the one path resolver for --root.  A server path is resolved
 * under a root directory the way the kernel resolves it inside a chroot:
 * one component at a time with lstat() and readlink(), ".." at the root
 * stays at the root, an absolute symlink target starts again at the
 * root, a relative one at the link's directory, and more than
 * HCONF_PATH_MAXLINKS links fail with ELOOP.  Nothing outside the root
 * is ever looked at, so nothing outside it can be opened.
 *
 * The resolver only stats and reads links; callers open the result with
 * O_NOFOLLOW (hconf_path_open()), so a last component swapped for a
 * symlink after the walk is refused rather than followed.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hconf_int.h"

/* A growable string. */
struct pbuf {
	char *s;
	size_t n, cap;
};

static void
pb_need(struct pbuf *b, size_t more)
{
	if (b->n + more + 1 > b->cap) {
		while (b->n + more + 1 > b->cap) {
			b->cap = b->cap ? b->cap * 2 : 256;
		}
		b->s = hconf_xrealloc(b->s, b->cap);
	}
}

static void
pb_add(struct pbuf *b, const char *s, size_t len)
{
	pb_need(b, len);
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

/* The link's value, malloc'd, or NULL with errno set. */
static char *
read_link(const char *p, off_t hint)
{
	size_t cap = hint > 0 && hint < PATH_MAX ? (size_t)hint + 1 : 256;

	for (;;) {
		char *v = hconf_xmalloc(cap);
		ssize_t r = readlink(p, v, cap);

		if (r < 0) {
			int e = errno;

			free(v);
			errno = e;
			return NULL;
		}
		if ((size_t)r < cap) {
			v[r] = '\0';
			return v;
		}
		free(v);
		if (cap >= (size_t)PATH_MAX * 4) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		cap *= 2;
	}
}

/* root without trailing slashes; "/" becomes "" (the host's own root). */
static size_t
root_len(const char *root)
{
	size_t n = strlen(root);

	while (n > 0 && root[n - 1] == '/') {
		n--;
	}
	return n;
}

char *
hconf_path_resolve(const char *root, const char *path, int flags)
{
	struct pbuf out = {NULL, 0, 0}, rest = {NULL, 0, 0};
	size_t rl, pos = 0;
	unsigned links = 0;
	int e = 0;

	if (root == NULL) {
		return hconf_xstrdup(path);
	}
	rl = root_len(root);
	pb_add(&out, root, rl);
	pb_add(&rest, path, strlen(path));
	while (pos < rest.n) {
		const char *c;
		size_t clen, mark;
		int last;
		struct stat st;

		while (pos < rest.n && rest.s[pos] == '/') {
			pos++;
		}
		if (pos == rest.n) {
			break;
		}
		c = rest.s + pos;
		clen = strcspn(c, "/");
		pos += clen;
		last = 1;
		for (mark = pos; mark < rest.n; mark++) {
			if (rest.s[mark] != '/') {
				last = 0;
				break;
			}
		}
		if (clen == 1 && c[0] == '.') {
			continue;
		}
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			/* out holds no symlink, so its parent is the
			 * physical one; at the root, ".." is the root */
			while (out.n > rl && out.s[out.n - 1] != '/') {
				out.n--;
			}
			if (out.n > rl) {
				out.n--;
			}
			out.s[out.n] = '\0';
			continue;
		}
		mark = out.n;
		pb_add(&out, "/", 1);
		pb_add(&out, c, clen);
		if (lstat(out.s, &st) == -1) {
			if (errno == ENOENT && last) {
				break; /* the name of a file not there (yet) */
			}
			e = errno;
			goto fail;
		}
		if (S_ISLNK(st.st_mode) &&
		    !(last && (flags & HCONF_PATH_NOFOLLOW))) {
			char *v;
			struct pbuf nr = {NULL, 0, 0};

			if (++links > HCONF_PATH_MAXLINKS) {
				e = ELOOP;
				goto fail;
			}
			if ((v = read_link(out.s, st.st_size)) == NULL) {
				e = errno;
				goto fail;
			}
			if (v[0] == '\0') {
				free(v);
				e = ENOENT;
				goto fail;
			}
			/* the link's value takes its place in what is left */
			pb_add(&nr, v, strlen(v));
			pb_add(&nr, "/", 1);
			pb_add(&nr, rest.s + pos, rest.n - pos);
			free(rest.s);
			rest = nr;
			pos = 0;
			out.n = v[0] == '/' ? rl : mark;
			out.s[out.n] = '\0';
			free(v);
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
			e = ENOTDIR;
			goto fail;
		}
	}
	if (out.n == 0) {
		pb_add(&out, "/", 1);
	}
	free(rest.s);
	return out.s;
fail:
	free(out.s);
	free(rest.s);
	errno = e;
	return NULL;
}

int
hconf_path_open(const char *root, const char *path, int flags, char **realp)
{
	char *real = hconf_path_resolve(root, path, 0);
	int fd, e;

	if (realp != NULL) {
		*realp = NULL;
	}
	if (real == NULL) {
		return -1;
	}
	fd = open(real, flags | O_CLOEXEC | (root != NULL ? O_NOFOLLOW : 0),
	    0666);
	e = errno;
	if (realp != NULL && fd >= 0) {
		*realp = real;
	} else {
		free(real);
	}
	errno = e;
	return fd;
}

/* Same file or directory. */
static int
same_node(const char *p, const struct stat *b)
{
	struct stat st;

	return stat(p, &st) == 0 && st.st_dev == b->st_dev &&
	    st.st_ino == b->st_ino;
}

/*
 * path with "//" and "/./" squeezed and no trailing "/"; relative to the
 * working directory when cwd is set and path is relative.  Malloc'd.
 */
static char *
squash(const char *path, const char *cwd)
{
	struct pbuf b = {NULL, 0, 0};
	char here[PATH_MAX];

	if (cwd != NULL && path[0] != '/' && getcwd(here, sizeof(here))) {
		pb_add(&b, here, strlen(here));
	}
	while (*path != '\0') {
		size_t n;

		path += strspn(path, "/");
		n = strcspn(path, "/");
		if (n == 0 || (n == 1 && path[0] == '.')) {
			path += n;
			continue;
		}
		pb_add(&b, "/", 1);
		pb_add(&b, path, n);
		path += n;
	}
	if (b.n == 0) {
		pb_add(&b, "/", 1);
	}
	return b.s;
}

char *
hconf_path_server(const char *root, const char *arg)
{
	struct stat rst;
	struct pbuf a = {NULL, 0, 0};
	size_t i;
	char *res;

	if (stat(root, &rst) == -1) {
		return NULL;
	}
	if (!S_ISDIR(rst.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if (arg[0] == '/') {
		/*
		 * An absolute path is compared as written with the root
		 * (canonical, and as given), so that a server path never
		 * makes us look at the host's directories.
		 */
		char *cand[2], *ap = squash(arg, NULL);
		int k;

		cand[0] = realpath(root, NULL);
		cand[1] = squash(root, root[0] == '/' ? NULL : ".");
		res = NULL;
		for (k = 0; k < 2 && res == NULL; k++) {
			size_t n;

			if (cand[k] == NULL) {
				continue;
			}
			n = strcmp(cand[k], "/") == 0 ? 0 : strlen(cand[k]);
			if (strncmp(ap, cand[k], n) == 0 &&
			    (ap[n] == '/' || ap[n] == '\0')) {
				res = hconf_xstrdup(ap[n] ? ap + n : "/");
			}
		}
		free(cand[0]);
		free(cand[1]);
		free(ap);
		return res != NULL ? res : hconf_xstrdup(arg);
	}
	{
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			return NULL;
		}
		pb_add(&a, cwd, strlen(cwd));
		pb_add(&a, "/", 1);
	}
	pb_add(&a, arg, strlen(arg));
	/* the longest directory prefix that is the root itself */
	for (i = a.n; i-- > 0;) {
		if (a.s[i] != '/') {
			continue;
		}
		a.s[i] = '\0';
		if (same_node(i == 0 ? "/" : a.s, &rst)) {
			a.s[i] = '/';
			res = hconf_xstrdup(a.s + i);
			free(a.s);
			return res;
		}
		a.s[i] = '/';
	}
	free(a.s);
	errno = EXDEV;
	return NULL;
}
