/*
 * include.c - what reading pulls in from other files: Include and
 * IncludeOptional (directories, wildcards, recursion and the caps
 * against inputs that blow up), and LoadModule (mod_so's checks of the
 * module and its file).  Nothing here prints.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hconf_int.h"

#define MAX_INCLUDE_DEPTH 128 /* AP_MAX_INCLUDE_DEPTH */
#define MAX_DIR_DEPTH 128     /* AP_MAX_FNMATCH_DIR_DEPTH */
/*
 * Includes stop after INCLUDE_FILES_MAX files or INCLUDE_BYTES_MAX bytes
 * (HC039): a file that includes the next level twice, 18 levels deep,
 * reads 2^18 files (a cap against inputs that blow up; httpd has none).
 */
#define INCLUDE_FILES_MAX 65536
#define INCLUDE_BYTES_MAX ((size_t)512 << 20)

/* ---- Include ------------------------------------------------------- */

struct incwalk {
	struct reader *rd;
	struct hconf_node *node;
	int optional;
	int dir_depth;
	struct vec ids; /* uint32_t */
	int failed;
};

static int
fnmatch_test(const char *p)
{
	int nesting = 0;

	for (; *p; p++) {
		switch (*p) {
		case '?':
		case '*':
			return 1;
		case '\\':
			if (*++p == '\0') {
				return 0;
			}
			break;
		case '[':
			nesting++;
			break;
		case ']':
			if (nesting) {
				return 1;
			}
			break;
		}
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
inc_error(struct incwalk *w, enum hconf_diag_code c, const char *msg)
{
	struct reader *rd = w->rd;

	diag_add(rd->doc, c, rd->fid, w->node->name.off, w->node->line_last,
	    "%s", msg);
	w->failed = 1;
}

/* Read one configuration file found by an Include. */
static void
inc_file(struct incwalk *w, const char *path)
{
	struct hconf_doc *doc = w->rd->doc;
	const char *real = doc_real_path(doc, path), *why, *link;
	const struct inc_id *stack = doc->include_stack.v;
	struct inc_id id;
	struct stat st;
	char *buf;
	size_t len, i;
	uint32_t fid, depth = w->rd->f->depth + 1;
	int e = errno;

	if (w->optional && (real == NULL || stat(real, &st) == -1)) {
		return;
	}
	if (depth > MAX_INCLUDE_DEPTH) {
		inc_error(w, HCONF_D_INC_DEPTH, arena_printf(&doc->a,
		    "Exceeded maximum include depth of %u, There appears to be "
		    "a recursion.", MAX_INCLUDE_DEPTH));
		return;
	}
	if (real != NULL && stat(real, &st) == 0) {
		for (i = 0; i < doc->include_stack.n; i++) {
			if (stack[i].dev == st.st_dev &&
			    stack[i].ino == st.st_ino) {
				char *chain = arena_strdup(&doc->a, "");
				size_t j;

				for (j = i; j < doc->include_stack.n; j++) {
					chain = arena_printf(&doc->a, "%s%s -> ",
					    chain, stack[j].path);
				}
				inc_error(w, HCONF_D_INC_DEPTH, arena_printf(
				    &doc->a, "Exceeded maximum include depth of "
				    "%u, There appears to be a recursion: "
				    "%s%s", MAX_INCLUDE_DEPTH, chain, path));
				return;
			}
		}
	}
	if (doc->include_capped) {
		w->failed = 1;
		return;
	}
	errno = e;
	if (doc_slurp(doc, path, real, &buf, &len, &st, &why) == -1) {
		if (errno == EBADF) {
			struct hconf_diag *d;

			inc_error(w, HCONF_D_NOTREG, why);
			d = &((struct hconf_diag *)doc->diags.v)[doc->diags.n - 1];
			d->httpd = "AH00554";
			return;
		}
		inc_error(w, errno == ENOENT ? HCONF_D_INC_MISSING :
		    HCONF_D_INC_READ, why);
		return;
	}
	if (doc->include_files + 1 > INCLUDE_FILES_MAX ||
	    doc->include_bytes + len > INCLUDE_BYTES_MAX) {
		doc->include_capped = 1;
		inc_error(w, HCONF_D_INC_LIMIT, arena_printf(&doc->a,
		    "%s would take Includes past %d files or %zu bytes in "
		    "all: mpmlint follows no Include from here on (a cap "
		    "against inputs that blow up; httpd has none)", path,
		    INCLUDE_FILES_MAX, INCLUDE_BYTES_MAX));
		return;
	}
	doc->include_files++;
	doc->include_bytes += len;
	link = doc->root != NULL ?
	    doc_real_path_flags(doc, path, HCONF_PATH_NOFOLLOW) : path;
	fid = doc_add_file(doc, path, doc_edit_path(doc, real), link, buf, len,
	    w->node, depth);
	vec_push(&w->ids, &fid);
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	id.path = path;
	vec_push(&doc->include_stack, &id);
	parse_file(doc, fid);
	doc->include_stack.n--;
}

/* opendir(3) of a server path; under --root never through a symlink. */
static DIR *
open_dir(struct hconf_doc *doc, const char *path)
{
	const char *real = doc_real_path(doc, path);
	DIR *d;
	int fd;

	if (real == NULL) {
		return NULL;
	}
	if (doc->root == NULL) {
		return opendir(real);
	}
	fd = open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		return NULL;
	}
	if ((d = fdopendir(fd)) == NULL) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return d;
}

static int
read_dir(struct hconf_doc *doc, const char *path, const char *pattern,
    int dirs_only, struct vec *out, const char **why)
{
	DIR *d = open_dir(doc, path);
	struct dirent *de;

	if (d == NULL) {
		*why = strerror(errno);
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		char *full;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
			continue;
		}
		if (pattern != NULL &&
		    fnmatch(pattern, de->d_name, FNM_PERIOD) != 0) {
			continue;
		}
		/* "conf-enabled/" names its files "conf-enabled/x.conf",
		 * as httpd prints them */
		full = path[0] != '\0' && path[strlen(path) - 1] == '/' ?
		    arena_printf(&doc->a, "%s%s", path, de->d_name) :
		    arena_printf(&doc->a, "%s/%s", path, de->d_name);
		if (dirs_only) {
			int isdir = de->d_type == DT_DIR;

			if (de->d_type == DT_UNKNOWN) {
				struct stat st;
				const char *r = doc_real_path_flags(doc, full,
				    HCONF_PATH_NOFOLLOW);

				isdir = r != NULL && lstat(r, &st) == 0 &&
				    S_ISDIR(st.st_mode);
			}
			if (!isdir) {
				continue;
			}
		}
		vec_push(out, &full);
	}
	closedir(d);
	if (out->n > 1) {
		qsort(out->v, out->n, sizeof(char *), cmp_str);
	}
	return 0;
}

/* ap_dir_nofnmatch: a directory is read whole, recursively. */
static void
inc_nofnmatch(struct incwalk *w, const char *path)
{
	struct hconf_doc *doc = w->rd->doc;
	struct stat st;

	if (doc_stat_server(doc, path, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct vec names = {NULL, 0, 0, sizeof(char *)};
		const char *why;
		size_t i;

		if (++w->dir_depth > MAX_DIR_DEPTH) {
			inc_error(w, HCONF_D_INC_DIRDEPTH, arena_printf(&doc->a,
			    "Include/IncludeOptional: Directory '%s' exceeds the "
			    "maximum include directory nesting level of %u. You "
			    "have probably a recursion somewhere.", path,
			    MAX_DIR_DEPTH));
			return;
		}
		if (read_dir(doc, path, NULL, 0, &names, &why) != 0) {
			inc_error(w, HCONF_D_INC_NODIR, arena_printf(&doc->a,
			    "Include/IncludeOptional: Could not open directory "
			    "%s: %s", path, why));
			vec_free(&names);
			return;
		}
		for (i = 0; i < names.n && !w->failed; i++) {
			inc_nofnmatch(w, ((char **)names.v)[i]);
		}
		vec_free(&names);
		w->dir_depth--;
		return;
	}
	inc_file(w, path);
}

/* ap_dir_fnmatch: match one path component at a time. */
static void
inc_fnmatch(struct incwalk *w, const char *path, const char *fname)
{
	struct hconf_doc *doc = w->rd->doc;
	const char *rest = strchr(fname, '/'), *why;
	struct vec names = {NULL, 0, 0, sizeof(char *)};
	char *part;
	size_t i;
	int rc;

	if (rest != NULL) {
		part = arena_strndup(&doc->a, fname, (size_t)(rest - fname));
		rest++;
	} else {
		part = arena_strdup(&doc->a, fname);
	}
	if (!fnmatch_test(part)) {
		const char *p = strcmp(path, "/") == 0 ?
		    arena_printf(&doc->a, "/%s", part) :
		    arena_printf(&doc->a, "%s/%s", path, part);

		if (rest == NULL) {
			inc_nofnmatch(w, p);
		} else {
			inc_fnmatch(w, p, rest);
		}
		return;
	}
	rc = read_dir(doc, path, part, rest != NULL, &names, &why);
	if (rc != 0) {
		if (rc == -ENOENT && w->optional) {
			return;
		}
		inc_error(w, HCONF_D_INC_NODIR, arena_printf(&doc->a,
		    "Include/IncludeOptional: Could not open directory %s: %s",
		    path, why));
		return;
	}
	if (names.n == 0 && !w->optional) {
		inc_error(w, HCONF_D_INC_NOMATCH, arena_printf(&doc->a,
		    "Include/IncludeOptional: No matches for the wildcard '%s' "
		    "in '%s', failing", part, path));
	}
	for (i = 0; i < names.n && !w->failed; i++) {
		const char *p = ((char **)names.v)[i];

		if (rest == NULL) {
			inc_nofnmatch(w, p);
		} else {
			inc_fnmatch(w, p, rest);
		}
	}
	vec_free(&names);
}

void
inc_include(struct reader *rd, struct hconf_node *n, int optional)
{
	struct hconf_doc *doc = rd->doc;
	struct incwalk w;
	const char *path;
	uint32_t *ids;

	if (n->nargs != 1 || n->args[0].value[0] == '\0') {
		diag_at(rd, HCONF_D_ARGS, n->name.off, "%s takes one argument, %s",
		    n->word, optional ? "Name or pattern of the config file(s) "
		    "to be included; ignored if the file does not exist or the "
		    "pattern does not match any files" : "Name(s) of the config "
		    "file(s) to be included; fails if the wildcard does not "
		    "match at least one file");
		return;
	}
	if (doc->opts.no_includes) {
		diag_at(rd, HCONF_D_INC_SKIPPED, n->args[0].raw.off,
		    "%s %s not followed", n->word, n->args[0].value);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.rd = rd;
	w.node = n;
	w.optional = optional;
	w.ids.size = sizeof(uint32_t);
	path = doc_root_relative(doc, n->args[0].value);
	if (!fnmatch_test(path)) {
		struct stat st;

		if (doc_stat_server(doc, path, &st) == 0 && S_ISDIR(st.st_mode)) {
			diag_at(rd, HCONF_D_INC_DIRECTORY, n->args[0].raw.off,
			    "%s of the directory %s reads every file in it, "
			    "backups and dotfiles too", n->word, path);
		}
		inc_nofnmatch(&w, path);
	} else if (path[0] != '/') {
		diag_at(rd, HCONF_D_INC_RELATIVE, n->args[0].raw.off,
		    "Include must have an absolute path, %s", path, NULL);
	} else {
		inc_fnmatch(&w, "/", path + 1);
	}
	if (w.ids.n > 0) {
		ids = arena_alloc(&doc->a, w.ids.n * sizeof(*ids));
		memcpy(ids, w.ids.v, w.ids.n * sizeof(*ids));
		n->incl = ids;
		n->nincl = (uint32_t)w.ids.n;
	}
	vec_free(&w.ids);
}

/* The directory part of a server path ("/" for "/x"), arena-owned. */
static const char *
dir_of(struct hconf_doc *doc, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash == path) {
		return "/";
	}
	return arena_printf(&doc->a, "%.*s", (int)(slash - path), path);
}

/*
 * mod_so opens the shared object at once: a file that is not there
 * stops httpd ("Cannot load ... into server").  Under --root only the
 * tree is looked at (nothing outside the root is touched), and a tree
 * without the module directory says nothing (a checkout of /etc rarely
 * holds it).  Without --root, when not even the directory exists here,
 * this is not the machine the configuration is for: a note, not a
 * verdict.  Returns 1 when it reported the file missing.
 */
static int
check_module_file(struct reader *rd, struct hconf_node *n)
{
	struct hconf_doc *doc = rd->doc;
	const char *p = doc_root_relative(doc, n->args[1].value);
	const char *dir = dir_of(doc, p);
	struct hconf_diag *d;
	struct stat st;
	int here;

	if (doc_stat_server(doc, p, &st) == 0) {
		return 0;
	}
	here = doc_stat_server(doc, dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (!here && doc->root != NULL) {
		return 0; /* the checkout does not hold the module directory */
	}
	d = diag_at(rd, HCONF_D_MODULE_MISSING, n->args[1].raw.off,
	    "Cannot load %s into server: %s: cannot open shared object file: "
	    "No such file or directory", p, p);
	if (!here) {
		d->sev = HCONF_SEV_NOTE;
		d->msg = arena_printf(&doc->a, "%s (its directory does not "
		    "exist on this machine either: check it where the "
		    "configuration runs)", d->msg);
	}
	return 1;
}

void
inc_loadmodule(struct reader *rd, struct hconf_node *n)
{
	struct hconf_doc *doc = rd->doc;
	const struct hconf_module *m = doc->modules.v;
	struct hconf_module nm;
	size_t i;

	if (n->nargs != 2 || n->args[0].value[0] == '\0' ||
	    n->args[1].value[0] == '\0') {
		diag_at(rd, HCONF_D_ARGS, n->name.off, "%s", "LoadModule takes "
		    "two arguments, a module name and the name of a shared "
		    "object file to load it from", NULL);
		return;
	}
	for (i = 0; i < doc->modules.n; i++) {
		if (strcmp(m[i].ident, n->args[0].value) == 0) {
			struct hconf_diag *d;

			if (i >= doc->nstatic && i < doc->npreload &&
			    m[i].node == NULL) {
				/*
				 * Taken as loaded by the caller (--mpm), as if
				 * its LoadModule line came first: httpd skips
				 * this one with AH01574 when the file is read
				 * after that line.  When the file is the whole
				 * configuration it is the line the option
				 * stands for, so only a note; the first such
				 * line becomes the module's own.
				 */
				struct hconf_module *pm =
				    (struct hconf_module *)doc->modules.v + i;

				pm->path = n->args[1].value;
				pm->node = n;
				d = diag_at(rd, HCONF_D_MODULE_DUP,
				    n->args[0].raw.off, "module %s is already "
				    "loaded, skipping (it is taken as loaded "
				    "before the first line, as with --mpm; "
				    "httpd says so when this file is read after "
				    "the module's own LoadModule line)",
				    m[i].ident, NULL);
				d->httpd = "AH01574";
				d->sev = HCONF_SEV_NOTE;
				return;
			}

			if (m[i].node == NULL && m[i].path == NULL && i < 8 &&
			    strncmp(m[i].source, "mod_", 4) == 0) {
				struct hconf_diag *sd = diag_at(rd,
				    HCONF_D_MODULE_STATIC, n->args[0].raw.off,
				    "module %s is built-in and can't be loaded",
				    m[i].ident, NULL);

				/*
				 * Refused by this httpd (Debian's apache2
				 * compiles it in) whatever the file: RHEL,
				 * Alpine and upstream builds ship it as a
				 * module and accept the line; the verdict is
				 * this httpd's, as apache2 -t gives it.
				 */
				sd->msg = arena_printf(&doc->a, "%s (Debian's "
				    "apache2 compiles it in; builds that ship "
				    "it as a module accept this line)",
				    sd->msg);
				return;
			}
			d = diag_at(rd, HCONF_D_MODULE_DUP, n->args[0].raw.off,
			    "module %s is already loaded, skipping",
			    m[i].ident, NULL);
			d->httpd = "AH01574";
			if (m[i].node != NULL) {
				d->has_ctx = 1;
				d->ctx_file = m[i].node->file_id;
				hconf_linecol(doc, m[i].node->file_id,
				    m[i].node->name.off, &d->ctx_line,
				    &d->ctx_col);
			}
			return;
		}
	}
	/* a file that is not there hides what its symbols need, and
	 * dlopen() fails before dlsym() looks for the module */
	if (!(doc->opts.check_modules && check_module_file(rd, n)) &&
	    !files_loadmodule(doc, rd->fid, n) && doc->opts.check_modules) {
		files_module_symbol(doc, rd->fid, n);
	}
	nm.ident = n->args[0].value;
	nm.source = modules_source(&doc->a, nm.ident);
	nm.path = n->args[1].value;
	nm.node = n;
	vec_push(&doc->modules, &nm);
}
