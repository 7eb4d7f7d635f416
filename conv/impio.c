/*
 * impio.c - the I/O of mpmconv --import (import.c): reading the
 * document, and writing the files it built under the output directory,
 * each through a temporary file and rename(), never outside that
 * directory (openat() from it, no symlink followed).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conv_int.h"
#include "esc.h"

/* ---- paths under the output directory ---- */

/* A relative path with a ".." component would leave the directory. */
int
conv_import_escapes(const char *p)
{
	const char *s = p;

	while (*s != '\0') {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			return 1;
		}
		s += n;
		s += strspn(s, "/");
	}
	return 0;
}

/*
 * The one spelling of a path under -o DIR: "a.conf", "./a.conf",
 * "/a.conf" and "//a.conf" are one file, DIR/a.conf.  An absolute path
 * is a server path and DIR is the server's "/" (as --root DIR reads the
 * tree back): ".." goes up one level and stays at the top, as in a
 * chroot.  Empty and "." components go.  For a path conv_import_names_file()
 * accepted and, when relative, conv_import_escapes() did not refuse.  Malloc'd.
 */
char *
conv_import_norm(const char *p)
{
	char *out = hconf_xmalloc(strlen(p) + 1);
	size_t o = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/') {
				o--;
			}
			if (o > 0) {
				o--;
			}
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (o > 0) {
				out[o++] = '/';
			}
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		p += strspn(p, "/");
	}
	out[o] = '\0';
	return out;
}

/* Not empty, not ending in '/', ".", or "..": a file can be written there. */
int
conv_import_names_file(const char *p)
{
	const char *last = strrchr(p, '/');

	last = last != NULL ? last + 1 : p;
	return *last != '\0' && strcmp(last, ".") != 0 &&
	    strcmp(last, "..") != 0;
}

/* ---- reading and writing ---- */

int
conv_import_ioerr(struct ictx *c, const char *path)
{
	esc_printf(c->err, "%s: error: %s\n", path, strerror(errno));
	return -1;
}

/*
 * The directory fd of dir/sub, made when missing (mkdir -p), one
 * component at a time from dfd and never through a symlink: a symlink
 * already in the output directory is an error, not a way out of it.
 * path (normalised, relative) names the file; its directory part is
 * walked.  Returns an fd the caller closes, or -1 after a message.
 */
static int
open_parents(struct ictx *c, int dfd, const char *outdir, const char *path)
{
	const char *p = path, *slash;
	int fd = dup(dfd);

	if (fd < 0) {
		return conv_import_ioerr(c, outdir);
	}
	while ((slash = strchr(p, '/')) != NULL) {
		char *comp = hconf_xmalloc((size_t)(slash - p) + 1);
		int nfd;

		memcpy(comp, p, (size_t)(slash - p));
		comp[slash - p] = '\0';
		if (mkdirat(fd, comp, 0777) != 0 && errno != EEXIST) {
			fprintf(c->err, "%s/%.*s: error: %s\n", outdir,
			    (int)(slash - path), path, strerror(errno));
			free(comp);
			close(fd);
			return -1;
		}
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (nfd < 0) {
			fprintf(c->err, "%s/%.*s: error: %s\n", outdir,
			    (int)(slash - path), path, errno == ELOOP ||
			    errno == ENOTDIR ? "not a directory (a symlink in "
			    "the output directory is not followed)" :
			    strerror(errno));
			free(comp);
			close(fd);
			return -1;
		}
		free(comp);
		close(fd);
		fd = nfd;
		p = slash + 1;
	}
	return fd;
}

/*
 * Write a file through a new temporary file in its directory (dfd,
 * O_CREAT | O_EXCL | O_NOFOLLOW) and renameat(), which replaces the
 * name itself: nothing a symlink points to is ever written.  An
 * existing symlink at the name is refused.
 */
static int
write_file(struct ictx *c, int dfd, const char *shown, const char *name,
    const struct buf *b)
{
	size_t n = strlen(name);
	char *tmp = hconf_xmalloc(n + 48);
	struct stat st;
	unsigned k;
	FILE *fp;
	int fd = -1;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode)) {
		fprintf(c->err, "%s: error: a symlink in the output directory "
		    "is not followed or replaced\n", shown);
		free(tmp);
		return -1;
	}
	for (k = 0; k < 100 && fd < 0; k++) {
		snprintf(tmp, n + 48, "%s.tmp.%ld.%u.%lx", name,
		    (long)getpid(), k, (unsigned long)clock() ^
		    (unsigned long)(uintptr_t)&st);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST) {
			break;
		}
	}
	if (fd < 0 || (fp = fdopen(fd, "wb")) == NULL) {
		conv_import_ioerr(c, shown);
		if (fd >= 0) {
			close(fd);
			unlinkat(dfd, tmp, 0);
		}
		free(tmp);
		return -1;
	}
	if ((b->len > 0 && fwrite(b->p, 1, b->len, fp) != b->len) ||
	    fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		conv_import_ioerr(c, shown);
		fclose(fp);
		unlinkat(dfd, tmp, 0);
		free(tmp);
		return -1;
	}
	if (fclose(fp) != 0 || renameat(dfd, tmp, dfd, name) != 0) {
		conv_import_ioerr(c, shown);
		unlinkat(dfd, tmp, 0);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
conv_import_write(
    struct ictx *c, const char *outdir, struct ofile *of, size_t n)
{
	size_t i;
	int dfd;

	/* the output directory itself is the user's: made, and followed */
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		return conv_import_ioerr(c, outdir);
	}
	dfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		return conv_import_ioerr(c, outdir);
	}
	for (i = 0; i < n; i++) {
		const char *p = of[i].path, *base;
		char *shown;
		int fd, rc;

		if (of[i].skip) {
			continue;
		}
		base = strrchr(p, '/');
		base = base != NULL ? base + 1 : p;
		shown = hconf_xmalloc(strlen(outdir) + strlen(p) + 2);
		sprintf(shown, "%s/%s", outdir, p);
		fd = open_parents(c, dfd, outdir, p);
		rc = fd < 0 ? -1 : write_file(c, fd, shown, base, &of[i].b);
		if (fd >= 0) {
			close(fd);
		}
		free(shown);
		if (rc != 0) {
			close(dfd);
			return -1;
		}
	}
	close(dfd);
	return 0;
}

int
conv_import_read(struct ictx *c, const char *path, struct buf *b)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (fp == NULL) {
		return conv_import_ioerr(c, c->name);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		conv_put(b, chunk, n);
	}
	if (ferror(fp)) {
		conv_import_ioerr(c, c->name);
		if (fp != stdin) {
			fclose(fp);
		}
		return -1;
	}
	if (fp != stdin) {
		fclose(fp);
	}
	conv_put(b, "", 0);
	return 0;
}
