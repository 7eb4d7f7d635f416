/*
 * path.c - the paths mpmref serves under DocumentRoot: a request path
 * decoded and resolved (".." never climbs above the root), opened one
 * component at a time with O_NOFOLLOW, and encoded again for a Location
 * header.  It never reads outside the document root.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/*
 * Decode %XX in the path p (len bytes) and resolve "." and ".." into
 * out, which then starts with '/' and has no empty, "." or ".."
 * segment.  Returns 0, 400 (bad escape, ".." above the root) or 404
 * (an encoded '/' or NUL, as httpd's AllowEncodedSlashes Off does).
 */
int
ref_clean_path(const char *p, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;
	char *seg;

	if (len == 0 || p[0] != '/' || len >= cap) {
		return 400;
	}
	for (i = 0; i < len; i++) {
		int ch = (unsigned char)p[i];

		if (ch == '%') {
			int hi, lo;

			if (i + 2 >= len) {
				return 400;
			}
			hi = hexval((unsigned char)p[i + 1]);
			lo = hexval((unsigned char)p[i + 2]);
			if (hi < 0 || lo < 0) {
				return 400;
			}
			ch = hi * 16 + lo;
			if (ch == 0 || ch == '/') {
				return 404;
			}
			i += 2;
		}
		out[o++] = (char)ch;
	}
	out[o] = '\0';

	/* Resolve segments in place: o is the output length. */
	{
		char *r = out, *wp = out;
		int trailing = 0;

		while (*r != '\0') {
			char *e;
			size_t sl;

			while (*r == '/') {
				r++;
			}
			if (*r == '\0') {
				trailing = 1;
				break;
			}
			e = strchr(r, '/');
			sl = e ? (size_t)(e - r) : strlen(r);
			trailing = 0;
			if (sl == 1 && r[0] == '.') {
				trailing = 1;
			} else if (sl == 2 && r[0] == '.' && r[1] == '.') {
				if (wp == out) {
					return 400;
				}
				while (wp > out && wp[-1] != '/') {
					wp--;
				}
				wp--;      /* the '/' before it */
				trailing = 1;
			} else {
				seg = r;
				*wp++ = '/';
				memmove(wp, seg, sl);
				wp += sl;
			}
			r += sl;
		}
		if (wp == out || trailing) {
			*wp++ = '/';
		}
		*wp = '\0';
	}
	return 0;
}

static int
open_errno_status(int e)
{
	return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG ? 404 : 403;
}

/*
 * Open the cleaned path under the document root, one component at a
 * time, refusing symbolic links.  Returns 200 with *fdp open (a regular
 * file), 301 (a directory named without '/'), or an error status.
 */
int
ref_open_path(const struct ref_conf *cf, char *path, int *fdp,
    struct stat *st)
{
	int dfd, fd, rc = 200;
	char *seg = path + 1, *slash;

	*fdp = -1;
	if (cf->docfd < 0) {
		return 404;
	}
	dfd = openat(cf->docfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		return 404;
	}
	while ((slash = strchr(seg, '/')) != NULL) {
		*slash = '\0';
		if (strncmp(seg, ".ht", 3) == 0) {
			*slash = '/';
			close(dfd);
			return 403;
		}
		fd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		*slash = '/';
		close(dfd);
		if (fd < 0) {
			return errno == ELOOP ? 403 : open_errno_status(errno);
		}
		dfd = fd;
		seg = slash + 1;
	}
	if (*seg == '\0') {
		/* A directory: its index.html. */
		fd = openat(dfd, "index.html", O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			rc = errno == ENOENT ? 403 : errno == ELOOP ? 403 :
			    open_errno_status(errno);
		}
	} else if (strncmp(seg, ".ht", 3) == 0) {
		fd = -1;
		rc = 403;
	} else {
		fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd < 0) {
			rc = errno == ELOOP ? 403 : open_errno_status(errno);
		}
	}
	close(dfd);
	if (fd < 0) {
		return rc;
	}
	if (fstat(fd, st) != 0) {
		close(fd);
		return 403;
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		return 301;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return 403;
	}
	*fdp = fd;
	return 200;
}

/*
 * Percent-encode the decoded path p for a Location header: every byte
 * but RFC 3986's unreserved, sub-delims, ':', '@' and '/' becomes %XX,
 * so that no CR, LF, space, '%', '?' or '#' in a file name reaches the
 * header raw.  Returns the length, or 0 when it does not fit in cap.
 */
size_t
ref_uri_escape(const char *p, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (isalnum(ch) || (ch < 0x80 && strchr("-._~!$&'()*+,;=:@/",
		    ch) != NULL)) {
			if (o + 1 >= cap) {
				return 0;
			}
			out[o++] = (char)ch;
		} else {
			if (o + 3 >= cap) {
				return 0;
			}
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return o;
}
