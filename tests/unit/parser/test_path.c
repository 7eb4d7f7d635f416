/*
 * test_path.c: unit tests of parser/path.c, the --root resolver: a tree
 * made in a temporary directory, with a "host" directory beside it that
 * no resolution may reach.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "hconf.h"

static char top[PATH_MAX], root[PATH_MAX + 8];

static void
mk(const char *rel, int dir)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (dir) {
		assert_int_equal(mkdir(p, 0755), 0);
	} else {
		FILE *fp = fopen(p, "w");

		assert_non_null(fp);
		fputs(rel, fp);
		fclose(fp);
	}
}

static void
ln(const char *target, const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/test_path.XXXXXX", *d = mkdtemp(tmpl), *r;
	char host[PATH_MAX + 16];

	(void)state;
	assert_non_null(d);
	r = realpath(d, NULL);
	snprintf(top, sizeof(top), "%s", r);
	free(r);
	snprintf(root, sizeof(root), "%s/tree", top);
	mk("tree", 1);
	mk("host", 1);
	mk("host/secret", 0);
	mk("tree/etc", 1);
	mk("tree/etc/apache2", 1);
	mk("tree/etc/apache2/mods-available", 1);
	mk("tree/etc/apache2/mods-enabled", 1);
	mk("tree/etc/apache2/mods-available/x.conf", 0);
	ln("/etc/apache2/mods-available/x.conf",
	    "tree/etc/apache2/mods-enabled/abs.conf");
	ln("../mods-available/x.conf", "tree/etc/apache2/mods-enabled/rel.conf");
	ln("../../../../../../../../../host/secret", "tree/etc/up.conf");
	snprintf(host, sizeof(host), "%s/host/secret", top);
	ln(host, "tree/etc/hostabs.conf");
	ln("/etc/apache2/mods-available", "tree/etc/apache2/linkdir");
	ln("loop2", "tree/etc/loop1");
	ln("/etc/loop1", "tree/etc/loop2");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd);
}

/* Resolve path under root; compare with root + want, or NULL + errno. */
static void
expect(const char *path, int flags, const char *want, int err)
{
	char *r;

	errno = 0;
	r = hconf_path_resolve(root, path, flags);
	if (want == NULL) {
		if (r != NULL) {
			fail_msg("%s: got %s, want errno %d", path, r, err);
		}
		assert_int_equal(errno, err);
		return;
	}
	if (r == NULL) {
		fail_msg("%s: errno %d, want %s", path, errno, want);
	}
	if (strncmp(r, root, strlen(root)) != 0 ||
	    strcmp(r + strlen(root), want) != 0) {
		fail_msg("%s: got %s, want %s%s", path, r, root, want);
	}
	free(r);
}

static void
test_resolve(void **state)
{
	(void)state;
	expect("/etc/apache2/mods-available/x.conf", 0,
	    "/etc/apache2/mods-available/x.conf", 0);
	/* ".." at the root stays at the root */
	expect("/../../../etc/apache2/../apache2/./mods-available/x.conf", 0,
	    "/etc/apache2/mods-available/x.conf", 0);
	expect("/..", 0, "", 0);
	/* an absolute link restarts at the root, a relative one at its dir */
	expect("/etc/apache2/mods-enabled/abs.conf", 0,
	    "/etc/apache2/mods-available/x.conf", 0);
	expect("/etc/apache2/mods-enabled/rel.conf", 0,
	    "/etc/apache2/mods-available/x.conf", 0);
	expect("/etc/apache2/linkdir/x.conf", 0,
	    "/etc/apache2/mods-available/x.conf", 0);
	/* NOFOLLOW: the link itself */
	expect("/etc/apache2/mods-enabled/abs.conf", HCONF_PATH_NOFOLLOW,
	    "/etc/apache2/mods-enabled/abs.conf", 0);
	/* escapes stay inside: relative with many "..", absolute host path */
	expect("/etc/up.conf", 0, NULL, ENOENT);
	expect("/etc/hostabs.conf", 0, NULL, ENOENT);
	/* a missing last component names where it would be */
	expect("/etc/apache2/new.conf", 0, "/etc/apache2/new.conf", 0);
	expect("/etc/missing/new.conf", 0, NULL, ENOENT);
	expect("/etc/apache2/mods-available/x.conf/y", 0, NULL, ENOTDIR);
	expect("/etc/loop1", 0, NULL, ELOOP);
	expect("/etc/loop1", HCONF_PATH_NOFOLLOW, "/etc/loop1", 0);
}

static void
test_resolve_no_root(void **state)
{
	char *r = hconf_path_resolve(NULL, "/a/../b", 0);

	(void)state;
	assert_string_equal(r, "/a/../b");
	free(r);
}

static void
test_open(void **state)
{
	char *real = NULL, buf[64];
	int fd;
	ssize_t n;

	(void)state;
	fd = hconf_path_open(root, "/etc/apache2/mods-enabled/abs.conf",
	    O_RDONLY, &real);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "tree/etc/apache2/mods-available/x.conf");
	assert_non_null(real);
	assert_string_equal(real + strlen(root),
	    "/etc/apache2/mods-available/x.conf");
	free(real);
	close(fd);
	assert_int_equal(hconf_path_open(root, "/etc/hostabs.conf", O_RDONLY,
	    NULL), -1);
}

static void
test_server(void **state)
{
	char p[PATH_MAX * 2], cwd[PATH_MAX], *s;

	(void)state;
	/* a server path stays one */
	s = hconf_path_server(root, "/etc/apache2/apache2.conf");
	assert_string_equal(s, "/etc/apache2/apache2.conf");
	free(s);
	/* the absolute path of a file inside the root */
	snprintf(p, sizeof(p), "%s/etc/apache2/apache2.conf", root);
	s = hconf_path_server(root, p);
	assert_string_equal(s, "/etc/apache2/apache2.conf");
	free(s);
	/* relative to the working directory, and outside the root */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(top), 0);
	s = hconf_path_server(root, "tree/etc/apache2/apache2.conf");
	assert_string_equal(s, "/etc/apache2/apache2.conf");
	free(s);
	s = hconf_path_server("tree", "./tree/etc/../etc/x.conf");
	assert_string_equal(s, "/etc/x.conf"); /* tree/etc/.. is the root */
	free(s);
	errno = 0;
	assert_null(hconf_path_server(root, "host/secret"));
	assert_int_equal(errno, EXDEV);
	assert_int_equal(chdir(cwd), 0);
}

/* hconf_options.read: an editor's buffer in place of a file. */
struct hook {
	const char *want;  /* the file whose bytes it replaces */
	int calls, hits;
};

static int
read_hook(void *ctx, const char *real, const char **buf, size_t *len)
{
	struct hook *h = ctx;
	const char *base = strrchr(real, '/');

	h->calls++;
	if (base == NULL || strcmp(base + 1, h->want) != 0) {
		return 0;
	}
	h->hits++;
	*buf = "ServerName from.buffer\n";
	*len = strlen(*buf);
	return 1;
}

static void
test_read_hook(void **state)
{
	struct hconf_options o;
	struct hook h = {"hook-inc.conf", 0, 0};
	struct hconf_doc *doc;
	char p[PATH_MAX * 2], text[PATH_MAX * 3];
	const struct hconf_file *f;
	FILE *fp;

	(void)state;
	snprintf(p, sizeof(p), "%s/hook-inc.conf", top);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("ServerName from.disk\n", fp);
	fclose(fp);
	snprintf(p, sizeof(p), "%s/hook-main.conf", top);
	snprintf(text, sizeof(text), "ServerRoot \"%s\"\nInclude hook-inc.conf\n",
	    top);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.read = read_hook;
	o.read_ctx = &h;
	doc = hconf_parse_file(p, &o);
	assert_int_equal(hconf_doc_nfiles(doc), 2);
	f = hconf_doc_file(doc, 1);
	assert_int_equal(f->len, strlen("ServerName from.buffer\n"));
	assert_memory_equal(f->buf, "ServerName from.buffer\n", f->len);
	f = hconf_doc_file(doc, 0);
	assert_memory_equal(f->buf, text, strlen(text)); /* hook said 0 */
	assert_int_equal(h.calls, 2);
	assert_int_equal(h.hits, 1);
	hconf_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_no_root),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_read_hook),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
