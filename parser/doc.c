/*
 * doc.c - documents and their files: a new document and its options,
 * files added to it, server paths mapped to this machine (--root, see
 * path.c), whole files read into the arena, ServerRoot, and the entry
 * points hconf_parse_file() and hconf_parse_buffer() that hand each file
 * to the line loop in parse.c.  Nothing here prints.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hconf_int.h"

/* ---- documents and files ------------------------------------------ */

static struct hconf_doc *
doc_new(const struct hconf_options *opts)
{
	struct hconf_doc *doc = hconf_xcalloc(1, sizeof(*doc));
	const char *ident, *source;
	size_t i;

	doc->files.size = sizeof(struct hconf_file *);
	doc->diags.size = sizeof(struct hconf_diag);
	doc->modules.size = sizeof(struct hconf_module);
	doc->envvars.size = sizeof(struct define);
	doc->include_stack.size = sizeof(struct inc_id);
	doc->xfiles.size = sizeof(struct hconf_file *);
	doc->macros.size = sizeof(struct macro_def *);
	doc->logs.size = sizeof(const struct hconf_node *);
	if (opts != NULL) {
		doc->opts = *opts;
	}
	if (doc->opts.root != NULL) {
		/* the root itself is trusted: its own symlinks are followed */
		char *r = realpath(doc->opts.root, NULL);

		doc->root = arena_strdup(&doc->a, r ? r : doc->opts.root);
		free(r);
	}
	doc->version = doc->opts.version ? doc->opts.version : "2.4.71";
	for (i = 0; modules_static(i, &ident, &source); i++) {
		struct hconf_module m = {ident, source, NULL, NULL};

		vec_push(&doc->modules, &m);
	}
	doc->nstatic = doc->modules.n;
	if (doc->opts.modules != NULL) {
		for (i = 0; doc->opts.modules[i] != NULL; i++) {
			struct hconf_module m;

			m.ident = arena_strdup(&doc->a, doc->opts.modules[i]);
			m.source = modules_source(&doc->a, m.ident);
			m.path = NULL;
			m.node = NULL;
			vec_push(&doc->modules, &m);
		}
	}
	doc->npreload = doc->modules.n;
	if (doc->opts.defines != NULL) {
		for (i = 0; doc->opts.defines[i] != NULL; i++) {
			const char *d = doc->opts.defines[i], *eq = strchr(d, '=');
			const char *name = eq ? arena_strndup(&doc->a, d,
			    (size_t)(eq - d)) : d;

			/* the last -D of a name wins */
			defmap_set(&doc->defines, &doc->a, name,
			    eq ? eq + 1 : NULL);
		}
	}
	return doc;
}

void
hconf_doc_free(struct hconf_doc *doc)
{
	size_t i;

	if (doc == NULL) {
		return;
	}
	/* the line indexes are on the heap (node.c, parse.c) */
	for (i = 0; i < doc->files.n + doc->xfiles.n; i++) {
		const struct hconf_file *f = i < doc->files.n ?
		    ((struct hconf_file **)doc->files.v)[i] :
		    ((struct hconf_file **)doc->xfiles.v)[i - doc->files.n];

		free((uint32_t *)f->lines);
	}
	vec_free(&doc->files);
	vec_free(&doc->diags);
	vec_free(&doc->modules);
	defmap_free(&doc->defines);
	vec_free(&doc->envvars);
	vec_free(&doc->include_stack);
	macro_free(doc);
	vec_free(&doc->xfiles);
	vec_free(&doc->logs);
	doc_dirlist_free(doc);
	arena_free(&doc->a);
	free(doc);
}

uint32_t
doc_add_file(struct hconf_doc *doc, const char *path, const char *real,
    const char *link, const char *buf, size_t len,
    const struct hconf_node *incl, uint32_t depth)
{
	struct hconf_file *f = arena_calloc(&doc->a, sizeof(*f));

	f->path = arena_strdup(&doc->a, path);
	f->real = real ? arena_strdup(&doc->a, real) : f->path;
	f->link = link ? arena_strdup(&doc->a, link) : f->real;
	f->buf = buf;
	f->len = (uint32_t)len;
	f->incl_node = incl;
	f->depth = depth;
	doc->input_bytes += len;
	f->root = node_new(doc, HCONF_DOC, (uint32_t)doc->files.n);
	f->root->flags = HCONF_NODE_ACTIVE;
	f->root->full.len = 0;
	vec_push(&doc->files, &f);
	return (uint32_t)doc->files.n - 1;
}

/* A heap string moved into the arena (NULL stays NULL). */
static const char *
arena_take(struct hconf_doc *doc, char *r)
{
	const char *res;

	if (r == NULL) {
		return NULL;
	}
	res = arena_strdup(&doc->a, r);
	free(r);
	return res;
}

/*
 * Where a path httpd would open lives on this machine: under --root,
 * resolved inside the root as in a chroot (path.c), so nothing outside
 * it is ever opened; without it, the path itself.  NULL with errno set
 * when the path cannot be resolved (a missing directory, a loop).
 * flags: HCONF_PATH_NOFOLLOW for the name itself, not what it links to.
 */
const char *
doc_real_path_flags(struct hconf_doc *doc, const char *path, int flags)
{
	if (doc->root == NULL) {
		return path;
	}
	return arena_take(doc, hconf_path_resolve(doc->root, path, flags));
}

const char *
doc_real_path(struct hconf_doc *doc, const char *path)
{
	return doc_real_path_flags(doc, path, 0);
}

/* stat(2) of a server path; -1 with errno when it cannot be resolved. */
int
doc_stat_server(struct hconf_doc *doc, const char *path, struct stat *st)
{
	const char *r = doc_real_path(doc, path);

	return r == NULL ? -1 : stat(r, st);
}

/*
 * The file a change edits (hconf_file.real): under --root the resolved
 * path; else the path opened, or when that names a symlink, the file
 * it leads to.
 */
const char *
doc_edit_path(struct hconf_doc *doc, const char *opened)
{
	struct stat st;
	char *r;

	if (doc->root != NULL || lstat(opened, &st) == -1 ||
	    !S_ISLNK(st.st_mode) || (r = realpath(opened, NULL)) == NULL) {
		return opened;
	}
	return arena_take(doc, r);
}

/* ap_server_root_relative */
const char *
doc_root_relative(struct hconf_doc *doc, const char *name)
{
	if (name[0] == '/') {
		return name;
	}
	if (strcmp(doc->server_root, "/") == 0) {
		return arena_printf(&doc->a, "/%s", name);
	}
	return arena_printf(&doc->a, "%s/%s", doc->server_root, name);
}

/* hconf_options.read: 1 when it gave the bytes (fd closed), else 0. */
static int
doc_hook(struct hconf_doc *doc, const char *real, int fd, char **bufp,
    size_t *lenp)
{
	const char *b = NULL;
	size_t len = 0;

	if (doc->opts.read(doc->opts.read_ctx, real, &b, &len) != 1 ||
	    len > (size_t)UINT32_MAX - 1) {
		return 0;
	}
	close(fd);
	*bufp = arena_alloc(&doc->a, len + 1);
	if (len > 0) {
		memcpy(*bufp, b, len);
	}
	(*bufp)[len] = '\0';
	*lenp = len;
	return 1;
}

/*
 * Read a whole regular file (or /dev/null) into the arena.  Returns 0,
 * or -1 with *why set to httpd's wording of the failure.
 */
int
doc_slurp(struct hconf_doc *doc, const char *path, const char *real,
    char **bufp, size_t *lenp, struct stat *stp, const char **why)
{
	struct stat st;
	char *buf;
	size_t len = 0, cap;
	int fd, heap;

	fd = real == NULL ? -1 : open(real, O_RDONLY | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC | (doc->root != NULL ? O_NOFOLLOW : 0));
	if (fd == -1) {
		int e = errno;

		*why = arena_printf(&doc->a,
		    "Could not open configuration file %s: %s", path,
		    strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		*why = arena_printf(&doc->a,
		    "Could not open configuration file %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && strcmp(path, "/dev/null") != 0) {
		close(fd);
		*why = arena_printf(&doc->a,
		    "Access to file %s denied by server: not a regular file",
		    path);
		errno = EBADF;
		return -1;
	}
	if (st.st_size > (off_t)UINT32_MAX - 1) {
		close(fd);
		*why = arena_printf(&doc->a,
		    "Could not read configuration file %s: file too large",
		    path);
		return -1;
	}
	if (doc->opts.read != NULL && doc_hook(doc, real, fd, bufp, lenp)) {
		if (stp != NULL) {
			*stp = st;
		}
		return 0;
	}
	/* Read straight into the arena; a file that grows while we read
	 * it (or a FIFO) goes through a heap buffer instead. */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 1;
	buf = arena_alloc(&doc->a, cap);
	heap = 0;
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;

			if (cap >= (size_t)UINT32_MAX - 1) {
				if (heap) {
					free(buf);
				}
				close(fd);
				*why = arena_printf(&doc->a,
				    "Could not read configuration file %s: "
				    "file too large", path);
				return -1;
			}
			nb = hconf_xmalloc(cap * 2);
			memcpy(nb, buf, len);
			if (heap) {
				free(buf);
			}
			buf = nb;
			heap = 1;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r == 0) {
			break;
		}
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			*why = arena_printf(&doc->a,
			    "Error reading %s: %s", path, strerror(errno));
			if (heap) {
				free(buf);
			}
			close(fd);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	if (heap || len == cap) {
		*bufp = arena_alloc(&doc->a, len + 1);
		memcpy(*bufp, buf, len);
		if (heap) {
			free(buf);
		}
	} else {
		*bufp = buf;
	}
	(*bufp)[len] = '\0';
	*lenp = len;
	if (stp != NULL) {
		*stp = st;
	}
	return 0;
}

void
doc_serverroot(struct reader *rd, struct hconf_node *n)
{
	struct hconf_doc *doc = rd->doc;
	struct stat st;
	const char *p;

	if (n->nargs != 1 || n->args[0].value[0] == '\0') {
		diag_at(rd, HCONF_D_ARGS, n->name.off, "%s", "ServerRoot takes "
		    "one argument, Common directory of server-related files "
		    "(logs, confs, etc.)", NULL);
		return;
	}
	p = doc_root_relative(doc, n->args[0].value);
	/* apr_filepath_merge drops a trailing slash */
	if (strlen(p) > 1 && p[strlen(p) - 1] == '/') {
		p = arena_strndup(&doc->a, p, strlen(p) - 1);
	}
	if (doc_stat_server(doc, p, &st) == -1 || !S_ISDIR(st.st_mode)) {
		diag_at(rd, HCONF_D_SERVERROOT, n->args[0].raw.off,
		    "ServerRoot must be a valid directory: %s is not one on "
		    "this machine, so httpd would refuse to start here (use "
		    "--root for a tree checked out elsewhere)", p, NULL);
	}
	doc->server_root = p;
}

static void
setup_root(struct hconf_doc *doc, const char *path)
{
	if (doc->opts.server_root != NULL) {
		doc->server_root = doc->opts.server_root;
	} else {
		doc->server_root = "/etc/apache2";
	}
	(void)path;
}

/* Debian's envvars beside the main file (server path main). */
static void
maybe_envvars(struct hconf_doc *doc, const char *main)
{
	const char *slash, *real;
	char *ev;

	if (doc->opts.no_envvars || main == NULL) {
		return;
	}
	slash = strrchr(main, '/');
	ev = slash ? arena_printf(&doc->a, "%.*s/envvars",
	    (int)(slash - main), main) : arena_strdup(&doc->a, "envvars");
	real = doc_real_path(doc, ev);
	if (real != NULL && access(real, R_OK) == 0) {
		vars_load_envvars(doc, real);
	}
}

struct hconf_doc *
hconf_parse_buffer(const char *name, const char *buf, size_t len,
    const struct hconf_options *opts)
{
	struct hconf_doc *doc = doc_new(opts);
	char *copy;
	uint32_t fid;

	setup_root(doc, name);
	if (len > UINT32_MAX - 1) {
		len = 0;
		fid = doc_add_file(doc, name, NULL, NULL, "", 0, NULL, 0);
		diag_add(doc, HCONF_D_READ, fid, 0, 1, "%s: file too large",
		    name);
		return doc;
	}
	copy = arena_alloc(&doc->a, len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	fid = doc_add_file(doc, name, NULL, NULL, copy, len, NULL, 0);
	parse_file(doc, fid);
	files_finish(doc);
	return doc;
}

struct hconf_doc *
hconf_parse_file(const char *path, const struct hconf_options *opts)
{
	struct hconf_doc *doc = doc_new(opts);
	const char *why, *real = path, *link = path;
	char *buf;
	size_t len;
	struct stat st;
	struct inc_id id;
	uint32_t fid;

	setup_root(doc, path);
	if (doc->root != NULL) {
		/* the command line names the main file: map it to its
		 * server path, then resolve that inside the root */
		char *sp = hconf_path_server(doc->root, path);

		if (sp == NULL) {
			int e = errno;

			fid = doc_add_file(doc, path, NULL, NULL, "", 0, NULL, 0);
			diag_add(doc, HCONF_D_READ, fid, 0, 1,
			    "Could not open configuration file %s: %s", path,
			    e == EXDEV ? arena_printf(&doc->a, "not inside "
			    "--root %s (name it as a path inside the tree, "
			    "or as the server's absolute path)", doc->root) :
			    arena_printf(&doc->a, "--root %s: %s", doc->root,
			    strerror(e)));
			return doc;
		}
		path = arena_strdup(&doc->a, sp);
		free(sp);
		real = doc_real_path(doc, path);
		link = doc_real_path_flags(doc, path, HCONF_PATH_NOFOLLOW);
	}
	if (doc_slurp(doc, path, real, &buf, &len, &st, &why) == -1) {
		fid = doc_add_file(doc, path, real, link, "", 0, NULL, 0);
		diag_add(doc, HCONF_D_READ, fid, 0, 1, "%s", why);
		return doc;
	}
	maybe_envvars(doc, path);
	fid = doc_add_file(doc, path, doc_edit_path(doc, real), link, buf, len, NULL,
	    0);
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	id.path = doc_file(doc, fid)->path;
	vec_push(&doc->include_stack, &id);
	parse_file(doc, fid);
	doc->include_stack.n = 0;
	files_finish(doc);
	return doc;
}
