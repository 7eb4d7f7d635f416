/*
 * layout.c - the file layouts of the distributions: Debian's
 * mods-available/mods-enabled (the MPM's .load and .conf, the symlinks
 * and the a2dismod/a2enmod commands), and the list of files a
 * conversion writes, with their diff labels relative to --root.  Reads
 * the file system (stat, readlink); never writes it.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conv_int.h"

static const char *
mpm_ident(enum rules_mpm m)
{
	return m == RULES_MPM_PREFORK ? "mpm_prefork_module"
	    : m == RULES_MPM_WORKER   ? "mpm_worker_module"
	                              : "mpm_event_module";
}

/* A new target .conf that nothing was written to needs no link. */
void
conv_drop_unused_conf_link(struct conv *c)
{
	struct conv_result *r = c->r;
	size_t i, j;

	if (r->extra == NULL || access(conv_fpath(r->extra, 0), F_OK) == 0) {
		return;
	}
	for (i = 0; i < r->nout; i++) {
		if (r->out[i].doc == r->extra) {
			return;
		}
	}
	for (i = j = 0; i < r->nlinks; i++) {
		struct conv_link *l = &r->links[i];
		size_t n = strlen(l->path);

		if (l->create && n > 5 &&
		    strcmp(l->path + n - 5, ".conf") == 0) {
			free(l->path);
			free(l->label);
			free(l->target);
			continue;
		}
		r->links[j++] = *l;
	}
	r->nlinks = j;
}

/* ---- Debian's mods-enabled ----------------------------------------------- */



/*
 * Fold "." and "dir/.." in a path without making it absolute, so that
 * messages show mods-available/x, not mods-enabled/../mods-available/x.
 * Only used where no component is a symlink to a directory.
 */
static char *
norm_path(const char *p)
{
	char *s = hconf_xstrdup(p), *out = hconf_xmalloc(strlen(p) + 3);
	char *tok, *save = NULL;
	size_t len = 0, fixed = 0;

	out[0] = '\0';
	if (p[0] == '/') {
		out[len++] = '/';
		fixed = 1;
	}
	for (tok = strtok_r(s, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save)) {
		char *sl;

		if (strcmp(tok, ".") == 0) {
			continue;
		}
		if (strcmp(tok, "..") == 0 && len > fixed) {
			out[len] = '\0';
			sl = strrchr(out + fixed, '/');
			if (strcmp(sl ? sl + 1 : out + fixed, "..") != 0) {
				len = sl ? (size_t)(sl - out) : fixed;
				out[len] = '\0';
				continue;
			}
		}
		if (len > fixed) {
			out[len++] = '/';
		}
		strcpy(out + len, tok);
		len += strlen(tok);
	}
	if (len == 0) {
		out[len++] = '.';
	}
	out[len] = '\0';
	free(s);
	return out;
}

/* Where a link value points, seen from the link's directory (--root). */
static char *
link_dest(const struct conv *c, const char *dir, const char *val)
{
	char *sd, *sp, *res;

	if (c->o->root == NULL) {
		return val[0] == '/' ? hconf_xstrdup(val) :
		    conv_asprintf("%s/%s", dir, val);
	}
	/* inside the root, as the server would follow it */
	sd = val[0] == '/' ? NULL : hconf_path_server(c->o->root, dir);
	sp = val[0] == '/' ? hconf_xstrdup(val) :
	    conv_asprintf("%s/%s", sd ? sd : "", val);
	res = hconf_path_resolve(c->o->root, sp, 0);
	if (res == NULL) {
		/* a missing directory: a path inside the root that fails */
		res = conv_asprintf("%s%s%s", c->o->root,
		    sp[0] == '/' ? "" : "/", sp);
	}
	free(sd);
	free(sp);
	return res;
}

static void
add_link(struct conv_result *r, char *path, char *target, int create)
{
	struct conv_link *l;

	r->links = hconf_xrealloc(r->links, (r->nlinks + 1) * sizeof(*l));
	l = &r->links[r->nlinks++];
	l->path = path;
	l->target = target;
	l->create = create;
	l->label = NULL;
}

static void
add_cmd(struct conv_result *r, char *cmd)
{
	r->cmds = hconf_xrealloc(r->cmds, (r->ncmds + 1) * sizeof(char *));
	r->cmds[r->ncmds++] = cmd;
}

/*
 * The MPM is loaded by mods-enabled/mpm_X.load, a symlink: switch the
 * way a2dismod/a2enmod do, and carry the settings into the target's
 * mods-available/mpm_Y.conf.  Returns 0, or -1 after conv_fail().
 */
int
conv_debian_setup(struct conv *c)
{
	const struct hconf_node *lm = c->res.mpm_node;
	const char *real, *from = rules_mpm_name(c->from);
	const char *to = rules_mpm_name(c->to);
	char *suffix, *dir = NULL, *lval = NULL, *ldir, *p, *q;
	struct stat st;
	struct hconf_options po;

	if (lm == NULL) {
		return 0;
	}
	real = conv_fpath(c->doc, lm->file_id);
	suffix = conv_asprintf("/mods-enabled/mpm_%s.load", from);
	if (strlen(real) < strlen(suffix) ||
	    strcmp(real + strlen(real) - strlen(suffix), suffix) != 0 ||
	    lstat(real, &st) != 0 || !S_ISLNK(st.st_mode) ||
	    (lval = conv_read_link(real)) == NULL) {
		free(suffix);
		return 0;
	}
	free(suffix);
	c->debian = 1;
	dir = conv_dir_of(real);
	ldir = strchr(lval, '/') ? conv_dir_of(lval) : NULL;
	c->deb_dead[0] = hconf_xstrdup(real);

	/* the new .load must exist in mods-available */
	p = ldir ? conv_asprintf("%s/mpm_%s.load", ldir, to)
	         : conv_asprintf("mpm_%s.load", to);
	q = link_dest(c, dir, p);
	if (stat(q, &st) != 0) {
		conv_fail(
		    c, "%s: cannot enable mpm_%s: %s", q, to, strerror(errno));
		free(p);
		free(q);
		goto out;
	}
	free(q);
	q = conv_asprintf("%s/mpm_%s.load", dir, to);
	if (lstat(q, &st) == 0) {
		conv_fail(c, "%s already exists", q);
		free(p);
		free(q);
		goto out;
	}
	add_link(c->r, q, p, 1);
	add_link(c->r, hconf_xstrdup(real), hconf_xstrdup(lval), 0);

	/* the old .conf link goes, the new one comes */
	p = conv_asprintf("%s/mpm_%s.conf", dir, from);
	if (lstat(p, &st) == 0) {
		char *v = S_ISLNK(st.st_mode) ? conv_read_link(p) : NULL;

		if (v == NULL) {
			conv_fail(c,
			    "%s is not a symlink: a2dismod would not remove it",
			    p);
			free(p);
			goto out;
		}
		c->deb_dead[1] = hconf_xstrdup(p);
		add_link(c->r, p, v, 0);
	} else {
		free(p);
	}
	p = conv_asprintf("%s/mpm_%s.conf", dir, to);
	if (lstat(p, &st) == 0) {
		conv_fail(c, "%s already exists", p);
		free(p);
		goto out;
	}
	q = ldir ? conv_asprintf("%s/mpm_%s.conf", ldir, to)
	         : conv_asprintf("mpm_%s.conf", to);
	add_link(c->r, p, q, 1);

	/* read the target .conf as httpd will: with the new MPM loaded */
	po = *c->o->popts;
	c->deb_mods[0] = mpm_ident(c->to);
	c->deb_mods[1] = NULL;
	po.modules = c->deb_mods;
	po.no_envvars = 1;
	p = link_dest(c, dir, q);
	q = norm_path(p);
	free(p);
	p = q;
	if (stat(p, &st) == 0) {
		c->r->extra = hconf_parse_file(p, &po);
		if (hconf_doc_nfiles(c->r->extra) == 0 ||
		    hconf_doc_file(c->r->extra, 0)->buf == NULL) {
			conv_fail(c, "%s: cannot read", p);
		}
	} else {
		/* a new file; conv_out marks it created */
		c->r->extra = hconf_parse_buffer(p, "", 0, &po);
	}
	free(p);
	add_cmd(c->r, conv_asprintf("a2dismod mpm_%s", from));
	add_cmd(c->r, conv_asprintf("a2enmod mpm_%s", to));
out:
	free(ldir);
	free(lval);
	free(dir);
	return c->r->status == CONV_FAILED ? -1 : 0;
}

/* ---- paths ----------------------------------------------------------------
 */

/* Absolute and lexically normalised ("." and ".." folded); caller frees. */
static char *
abs_norm(const char *p)
{
	char cwd[PATH_MAX], *s, *out, *tok, *save = NULL;
	size_t len = 0;

	if (p[0] == '/') {
		s = hconf_xstrdup(p);
	} else if (getcwd(cwd, sizeof(cwd)) != NULL) {
		s = conv_asprintf("%s/%s", cwd, p);
	} else {
		s = conv_asprintf("/%s", p);
	}
	out = hconf_xmalloc(strlen(s) + 2);
	out[0] = '\0';
	for (tok = strtok_r(s, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0) {
			continue;
		}
		if (strcmp(tok, "..") == 0) {
			char *sl = strrchr(out, '/');

			if (sl != NULL) {
				*sl = '\0';
				len = (size_t)(sl - out);
			}
			continue;
		}
		out[len++] = '/';
		strcpy(out + len, tok);
		len += strlen(tok);
	}
	if (len == 0) {
		strcpy(out, "/");
	}
	free(s);
	return out;
}

static const char *
under(const char *a, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0) {
		return a + 1;
	}
	if (strncmp(a, dir, n) == 0 && a[n] == '/') {
		return a + n + 1;
	}
	return NULL;
}

/*
 * The path a diff shows: relative to the current directory when the file
 * is under it, else relative to --root, else absolute without its "/".
 */
static char *
label_for(const char *path, const char *root)
{
	char *a, *d;
	const char *rel;
	char *res;

	if (strcmp(path, "-") == 0) {
		return hconf_xstrdup("-");
	}
	a = abs_norm(path);
	d = abs_norm(".");
	rel = under(a, d);
	if (rel == NULL && root != NULL) {
		free(d);
		d = abs_norm(root);
		rel = under(a, d);
	}
	res = hconf_xstrdup(rel ? rel : a + 1);
	free(a);
	free(d);
	return res;
}

/* Where to write: a symlinked file is written where it points. */
static char *
write_path(const char *real)
{
	struct stat st;
	char *rp;

	if (strcmp(real, "-") != 0 && lstat(real, &st) == 0 &&
	    S_ISLNK(st.st_mode) && (rp = realpath(real, NULL)) != NULL) {
		return rp;
	}
	return hconf_xstrdup(real);
}

void
conv_collect_outputs(struct conv *c)
{
	struct conv_result *r = c->r;
	size_t i, j, pass;

	/* the main file first, then in file order, then the Debian .conf */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nt; i++) {
			struct touched *t = NULL;
			struct conv_out *o;
			size_t best = SIZE_MAX;

			for (j = 0; j < c->nt; j++) {
				int used = 0;
				size_t k, rank;

				if ((c->t[j].doc == c->doc) != (pass == 0)) {
					continue;
				}
				for (k = 0; k < r->nout; k++) {
					if (r->out[k].doc == c->t[j].doc &&
					    r->out[k].file_id == c->t[j].fid) {
						used = 1;
					}
				}
				rank = c->t[j].fid;
				if (!used && rank < best) {
					best = rank;
					t = &c->t[j];
				}
			}
			if (t == NULL) {
				break;
			}
			r->out =
			    hconf_xrealloc(r->out, (r->nout + 1) * sizeof(*o));
			o = &r->out[r->nout++];
			o->doc = t->doc;
			o->file_id = t->fid;
			o->path = write_path(conv_fedit(t->doc, t->fid));
			o->label = label_for(o->path, c->o->root);
			o->created =
			    t->doc == r->extra && access(o->path, F_OK) != 0;
		}
	}
	for (i = 0; i < r->nlinks; i++) {
		r->links[i].label = label_for(r->links[i].path, c->o->root);
	}
	/* a file read twice would be written twice, each with half the edits */
	for (i = 0; i < r->nout; i++) {
		for (j = i + 1; j < r->nout; j++) {
			if (strcmp(r->out[i].path, r->out[j].path) == 0) {
				conv_fail(c,
				    "%s is read more than once and would "
				    "change "
				    "in each copy; mpmconv cannot edit it",
				    r->out[i].path);
				return;
			}
		}
	}
}

