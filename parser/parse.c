/*
 * parse.c - build the lossless tree, reading configuration the way
 * httpd 2.4's ap_build_config does, and never stopping at an error.
 *
 *   file       = { line } ;
 *   line       = blank | comment | directive | open | close ;
 *   blank      = { space } newline ;
 *   comment    = { space } "#" { any | "\" newline } newline ;
 *   directive  = { space } word { space word } newline ;
 *   open       = { space } "<" name [ { space word } ] ">" newline ;
 *   close      = { space } "</" name ">" newline ;
 *   word       = bare | '"' { any } '"' | "'" { any } "'" ;
 *   (a "\" before newline joins physical lines, before anything else)
 *
 * Three reading modes mirror httpd's: the file level (ordinary sections
 * on a per-file stack), a true conditional section (ends only at a line
 * that is exactly its close tag while no ordinary section is open in
 * it), and a false conditional section, whose lines are skipped raw,
 * with only the nesting of "<" words counted.  The modes are frames on
 * an explicit stack, so nesting depth costs heap, not C stack.
 * Directives httpd runs while reading (Include, Define, LoadModule,
 * ServerRoot, the conditionals) are run here too.  Nothing here prints.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hconf_int.h"
#include "ieq.h"

#define MAX_INCLUDE_DEPTH 128 /* AP_MAX_INCLUDE_DEPTH */
#define MAX_DIR_DEPTH 128     /* AP_MAX_FNMATCH_DIR_DEPTH */
#define DEEP_NESTING 128
/*
 * httpd reads a true conditional by recursion (ap_build_cont_config) and
 * skips a false one by recursion too (ap_soak_end_container recurses on
 * every section line inside it), so deep nesting of either exhausts its
 * stack.  Measured with Debian's apache2 2.4.71 -t and the default 8 MiB
 * stack: it crashes (SIGSEGV) from about 8,470 true levels or 65,440
 * false ones, and one true level costs as much as 7.7 false ones (2,000
 * true levels crash with 50,000 false ones inside, pass with 49,980).
 * Counting a true level as STACK_TRUE_COST false ones against
 * STACK_BUDGET errs a little on the safe side everywhere.
 */
#define STACK_TRUE_COST 8
#define STACK_BUDGET 64000
/*
 * Caps against tiny inputs that blow up (httpd has none; they are far
 * above real configurations).  A line that ${VAR} expansion would make
 * longer than EXPAND_LINE_MAX, or an expansion that would take all the
 * expanded lines together past EXPAND_TOTAL_BASE plus EXPAND_TOTAL_FACTOR
 * times the bytes read, stays as written (HC024): a chain of Defines that
 * each double the last would otherwise need gigabytes.  Includes stop
 * after INCLUDE_FILES_MAX files or INCLUDE_BYTES_MAX bytes (HC039): a
 * file that includes the next level twice, 18 levels deep, reads 2^18
 * files.
 */
#define EXPAND_LINE_MAX ((size_t)1 << 20)
#define EXPAND_TOTAL_BASE ((size_t)64 << 20)
#define EXPAND_TOTAL_FACTOR 16
#define INCLUDE_FILES_MAX 65536
#define INCLUDE_BYTES_MAX ((size_t)512 << 20)

enum frame_kind { F_ORD, F_COND, F_SOAK, F_MACRO };

#define MACRO_DEPTH_MAX 1000 /* Use inside expansions */

struct frame {
	enum frame_kind kind;
	struct hconf_node *node;
	const char *name; /* section name without '<' */
	struct macro_def *mdef; /* F_MACRO: the definition being read */
};

struct reader {
	struct hconf_doc *doc;
	uint32_t fid;
	struct hconf_file *f;
	struct lexer lx;
	struct lline ll;
	uint32_t macro_open; /* sections a Use left open, for close tags */
	struct vec frames; /* struct frame */
	size_t nconds;     /* F_COND frames among them */
	size_t nsoak;      /* F_SOAK frames among them */
	int warned_deep;
};

struct inc_id {
	dev_t dev;
	ino_t ino;
	const char *path;
};

static uint32_t parse_file(struct hconf_doc *, uint32_t fid);
static void check_depth(struct reader *, struct hconf_node *);

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
	if (doc == NULL) {
		return;
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
	arena_free(&doc->a);
	free(doc);
}

static uint32_t
add_file(struct hconf_doc *doc, const char *path, const char *real,
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

/*
 * Where a path httpd would open lives on this machine: under --root,
 * resolved inside the root as in a chroot (path.c), so nothing outside
 * it is ever opened; without it, the path itself.  NULL with errno set
 * when the path cannot be resolved (a missing directory, a loop).
 * flags: HCONF_PATH_NOFOLLOW for the name itself, not what it links to.
 */
static const char *
real_path_flags(struct hconf_doc *doc, const char *path, int flags)
{
	char *r;
	const char *res;

	if (doc->root == NULL) {
		return path;
	}
	if ((r = hconf_path_resolve(doc->root, path, flags)) == NULL) {
		return NULL;
	}
	res = arena_strdup(&doc->a, r);
	free(r);
	return res;
}

static const char *
real_path(struct hconf_doc *doc, const char *path)
{
	return real_path_flags(doc, path, 0);
}

/* stat(2) of a server path; -1 with errno when it cannot be resolved. */
static int
stat_server(struct hconf_doc *doc, const char *path, struct stat *st)
{
	const char *r = real_path(doc, path);

	return r == NULL ? -1 : stat(r, st);
}

/*
 * The file a change edits (hconf_file.real): under --root the resolved
 * path; else the path opened, or when that names a symlink, the file
 * it leads to.
 */
static const char *
edit_path(struct hconf_doc *doc, const char *opened)
{
	struct stat st;
	char *r;
	const char *res;

	if (doc->root != NULL || lstat(opened, &st) == -1 ||
	    !S_ISLNK(st.st_mode) || (r = realpath(opened, NULL)) == NULL) {
		return opened;
	}
	res = arena_strdup(&doc->a, r);
	free(r);
	return res;
}

/* ap_server_root_relative */
static const char *
root_relative(struct hconf_doc *doc, const char *name)
{
	if (name[0] == '/') {
		return name;
	}
	if (strcmp(doc->server_root, "/") == 0) {
		return arena_printf(&doc->a, "/%s", name);
	}
	return arena_printf(&doc->a, "%s/%s", doc->server_root, name);
}

/*
 * Read a whole regular file (or /dev/null) into the arena.  Returns 0,
 * or -1 with *why set to httpd's wording of the failure.
 */
static int
slurp(struct hconf_doc *doc, const char *path, const char *real,
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

/* ---- variables ------------------------------------------------------ */

static const char *
lookup_var(struct hconf_doc *doc, const char *name)
{
	const struct define *d = defmap_get(&doc->defines, name);
	const struct define *e = doc->envvars.v;
	size_t i;

	/* A Define without a value is not a variable. */
	if (d != NULL && d->value != NULL) {
		return d->value;
	}
	for (i = doc->envvars.n; i-- > 0;) {
		if (strcmp(e[i].name, name) == 0) {
			return e[i].value;
		}
	}
	if (!doc->opts.no_env) {
		return getenv(name);
	}
	return NULL;
}

/*
 * Whether expanding ${name} at s would make the line need bytes bytes,
 * past one of the caps (EXPAND_LINE_MAX and the total); if so, report
 * it.  Past the total cap nothing is expanded any more.
 */
static int
expand_capped(struct reader *rd, const char *s, const char *name,
    size_t bytes)
{
	struct hconf_doc *doc = rd->doc;
	size_t total = EXPAND_TOTAL_BASE +
	    EXPAND_TOTAL_FACTOR * doc->input_bytes;
	uint32_t off;

	if (bytes <= EXPAND_LINE_MAX && doc->expand_bytes + bytes <= total) {
		return 0;
	}
	off = lline_src(&rd->ll, (uint32_t)(s - (rd->ll.text + rd->ll.lead)));
	if (bytes > EXPAND_LINE_MAX) {
		diag_add(doc, HCONF_D_EXPAND_LIMIT, rd->fid, off,
		    rd->ll.last_line, "expanding ${%s} would make this line "
		    "longer than %zu bytes: mpmlint leaves the line as "
		    "written (a cap against inputs that blow up; httpd has "
		    "none)", name, EXPAND_LINE_MAX);
	} else {
		doc->expand_capped = 1;
		diag_add(doc, HCONF_D_EXPAND_LIMIT, rd->fid, off,
		    rd->ll.last_line, "expanding ${%s} would take all "
		    "expanded lines past %zu bytes (64 MiB plus 16 times the "
		    "%zu bytes read): mpmlint expands no variable from here "
		    "on (a cap against inputs that blow up; httpd has none)",
		    name, total, doc->input_bytes);
	}
	return 1;
}

/*
 * ap_resolve_env: replace each ${NAME} that is defined; leave the others
 * as written and warn (AH00111), except names with ':' (RewriteMap).
 * Returns NULL when nothing changed.
 */
static char *
resolve_env(struct reader *rd, const char *s, int warn)
{
	struct hconf_doc *doc = rd->doc;
	const char *p = strchr(s, '$');
	size_t cap, len = 0;
	char *out;
	int changed = 0;

	if (p == NULL || strstr(s, "${") == NULL || doc->expand_capped) {
		return NULL;
	}
	cap = strlen(s) + 64;
	out = hconf_xmalloc(cap);
#define OUT_PUT(src, n) do {                                          \
	size_t n_ = (n);                                                  \
	if (len + n_ + 1 > cap) {                                         \
		while (len + n_ + 1 > cap) cap *= 2;                          \
		out = hconf_xrealloc(out, cap);                               \
	}                                                                 \
	memcpy(out + len, (src), n_);                                     \
	len += n_;                                                        \
} while (0)
	while (*s) {
		const char *e;

		if (s[0] == '$' && s[1] == '{' && (e = strchr(s + 2, '}'))) {
			char *name = hconf_xmalloc((size_t)(e - s - 2) + 1);
			const char *v;

			memcpy(name, s + 2, (size_t)(e - s - 2));
			name[e - s - 2] = '\0';
			v = lookup_var(doc, name);
			if (v != NULL && expand_capped(rd, s, name,
			    len + strlen(v))) {
				free(name);
				free(out);
				return NULL;
			}
			if (v != NULL) {
				OUT_PUT(v, strlen(v));
				changed = 1;
			} else {
				OUT_PUT(s, (size_t)(e - s + 1));
				if (warn && strchr(name, ':') == NULL) {
					uint32_t off = lline_src(&rd->ll,
					    (uint32_t)(s - (rd->ll.text +
					    rd->ll.lead)));
					struct hconf_diag *d;

					d = diag_add(doc, HCONF_D_UNDEF_VAR,
					    rd->fid, off, rd->ll.last_line,
					    "Config variable ${%s} is not "
					    "defined", name);
					d->httpd = "AH00111";
					if (strstr(name, "?=") != NULL) {
						diag_add(doc, HCONF_D_VAR_DEFAULT,
						    rd->fid, off,
						    rd->ll.last_line,
						    "${%s}: the ?= default "
						    "syntax exists only in "
						    "httpd trunk", name);
					}
				}
			}
			free(name);
			s = e + 1;
		} else {
			OUT_PUT(s, 1);
			s++;
		}
	}
#undef OUT_PUT
	out[len] = '\0';
	if (!changed) {
		free(out);
		return NULL;
	}
	doc->expand_bytes += len;
	return out;
}

static void
define_set(struct hconf_doc *doc, const char *name, const char *value)
{
	defmap_set(&doc->defines, &doc->a, name, value);
}

static void
define_unset(struct hconf_doc *doc, const char *name)
{
	defmap_unset(&doc->defines, name);
}

static int
is_defined(struct hconf_doc *doc, const char *name)
{
	return hconf_doc_define(doc, name) != NULL;
}

/*
 * Debian's envvars is a shell script httpd never reads; apache2ctl
 * sources it.  Take its NAME=value assignments, expanding $VAR and
 * ${VAR} from earlier ones, which covers the stock file.
 */
static void
load_envvars(struct hconf_doc *doc, const char *real)
{
	char *buf, *line, *next;
	size_t len;
	const char *why;

	if (slurp(doc, real, real, &buf, &len, NULL, &why) == -1) {
		return;
	}
	for (line = buf; line != NULL && *line; line = next) {
		char *p = line, *eq, *v, *o, *val;
		struct define d;

		next = strchr(line, '\n');
		if (next != NULL) {
			*next++ = '\0';
		}
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (strncmp(p, "export ", 7) == 0) {
			p += 7;
		}
		eq = p;
		while ((*eq >= 'A' && *eq <= 'Z') || (*eq >= 'a' && *eq <= 'z') ||
		    (*eq >= '0' && *eq <= '9') || *eq == '_') {
			eq++;
		}
		if (eq == p || *eq != '=') {
			continue;
		}
		*eq = '\0';
		v = eq + 1;
		val = o = arena_alloc(&doc->a, strlen(v) * 4 + 256);
		while (*v && *v != ' ' && *v != '\t' && *v != ';' && *v != '#') {
			if (*v == '"' || *v == '\'') {
				v++;
				continue;
			}
			if (*v == '$') {
				char name[128];
				size_t n = 0;
				const char *found;
				int brace = v[1] == '{';

				v += brace ? 2 : 1;
				while (n < sizeof(name) - 1 && (*v == '_' ||
				    (*v >= 'A' && *v <= 'Z') ||
				    (*v >= 'a' && *v <= 'z') ||
				    (*v >= '0' && *v <= '9'))) {
					name[n++] = *v++;
				}
				name[n] = '\0';
				if (brace) {
					while (*v && *v != '}') {
						v++;
					}
					if (*v == '}') {
						v++;
					}
				}
				found = NULL;
				{
					const struct define *e = doc->envvars.v;
					size_t i;

					for (i = doc->envvars.n; i-- > 0;) {
						if (strcmp(e[i].name, name) == 0) {
							found = e[i].value;
							break;
						}
					}
				}
				if (found != NULL && strlen(found) < 128) {
					o = stpcpy(o, found);
				}
				continue;
			}
			*o++ = *v++;
		}
		*o = '\0';
		d.name = arena_strdup(&doc->a, p);
		d.value = val;
		vec_push(&doc->envvars, &d);
	}
}

/* ---- words and nodes ----------------------------------------------- */

static struct hconf_span
text_span(struct reader *rd, const char *tt, const char *a, const char *b)
{
	struct hconf_span sp;
	uint32_t s, e;

	if (b <= a) {
		sp.off = lline_src(&rd->ll, (uint32_t)(a - tt));
		sp.len = 0;
		return sp;
	}
	s = lline_src(&rd->ll, (uint32_t)(a - tt));
	e = lline_src(&rd->ll, (uint32_t)(b - 1 - tt)) + 1;
	sp.off = s;
	sp.len = e - s;
	return sp;
}

enum split_mode {
	SPLIT_SPANS,   /* copy values, record source spans */
	SPLIT_VALUES,  /* copy values only (an expanded line) */
	SPLIT_INPLACE  /* values cut in the scratch copy, with spans */
};

/*
 * Split the words of text into an arena array of exactly the right
 * size: most lines have one or two arguments, so they are collected on
 * the stack first.
 */
static struct hconf_arg *
split_args(struct reader *rd, char *text, const char *tt,
    enum split_mode mode, uint32_t *np)
{
	struct hconf_arg small[16], *args = small, *big = NULL, *out;
	struct word w;
	uint32_t n = 0, cap = 16;
	const char *p = text;
	char *ip = text;

	while (mode == SPLIT_INPLACE ? lex_word_inplace(&ip, &w) :
	    lex_word(&rd->doc->a, &p, &w)) {
		if (n == cap) {
			cap *= 2;
			big = arena_alloc(&rd->doc->a, cap * sizeof(*big));
			memcpy(big, args, n * sizeof(*big));
			args = big;
		}
		args[n].value = w.value;
		args[n].quote = (uint8_t)w.quote;
		if (mode != SPLIT_VALUES) {
			args[n].raw = text_span(rd, tt, w.start, w.end);
		} else {
			args[n].raw.off = args[n].raw.len = 0;
		}
		n++;
	}
	*np = n;
	if (n == 0) {
		return NULL;
	}
	if (big != NULL) {
		return big;
	}
	out = arena_alloc(&rd->doc->a, n * sizeof(*out));
	memcpy(out, small, n * sizeof(*out));
	return out;
}

/*
 * Fill in the node's name and arguments.  rest is the expanded text
 * after the first word; for sections only the part before the last '>'
 * becomes arguments.
 */
static void
set_args(struct reader *rd, struct hconf_node *n, char *etext, char *rest,
    int section)
{
	char *tt = rd->ll.text + rd->ll.lead, *cut = NULL, saved = 0;
	const char *rp = tt;
	struct word w;

	if (section) {
		cut = strrchr(rest, '>');
		if (cut != NULL) {
			saved = *cut;
			*cut = '\0';
		}
	}
	if (etext == NULL && !section && rd->ll.inplace) {
		n->args = split_args(rd, rest, tt, SPLIT_INPLACE, &n->nargs);
	} else if (etext == NULL) {
		n->args = split_args(rd, rest, tt, SPLIT_SPANS, &n->nargs);
	} else {
		/* Expanded: values from the expanded line, spans from the
		 * raw words when they line up one to one. */
		uint32_t nraw;
		struct hconf_arg *raw;
		char *rcut = NULL, rsaved = 0;

		lex_word(&rd->doc->a, &rp, &w);
		if (section) {
			rcut = strrchr(rp, '>');
			if (rcut != NULL) {
				rsaved = *rcut;
				*rcut = '\0';
			}
		}
		raw = split_args(rd, (char *)rp, tt, SPLIT_SPANS, &nraw);
		if (rcut != NULL) {
			*rcut = rsaved;
		}
		n->args = split_args(rd, rest, tt, SPLIT_VALUES, &n->nargs);
		if (nraw == n->nargs) {
			uint32_t i;

			for (i = 0; i < nraw; i++) {
				n->args[i].raw = raw[i].raw;
			}
		} else if (n->nargs > 0) {
			struct hconf_span all;
			uint32_t i;

			if (nraw > 0) {
				all.off = raw[0].raw.off;
				all.len = raw[nraw - 1].raw.off +
				    raw[nraw - 1].raw.len - all.off;
			} else {
				all = n->name;
				all.off += all.len;
				all.len = 0;
			}
			for (i = 0; i < n->nargs; i++) {
				n->args[i].raw = all;
			}
		}
	}
	if (cut != NULL) {
		*cut = saved;
	}
}

static struct frame *
top(struct reader *rd)
{
	return rd->frames.n ? &((struct frame *)rd->frames.v)[rd->frames.n - 1]
	    : NULL;
}

static struct hconf_node *
cur_parent(struct reader *rd)
{
	struct frame *t = top(rd);

	return t ? t->node : rd->f->root;
}

static void
push(struct reader *rd, enum frame_kind k, struct hconf_node *n,
    const char *name)
{
	struct frame fr;

	fr.kind = k;
	fr.node = n;
	fr.name = name;
	fr.mdef = NULL;
	vec_push(&rd->frames, &fr);
	rd->nconds += k == F_COND;
	rd->nsoak += k == F_SOAK;
}

static void
pop(struct reader *rd)
{
	rd->nconds -= top(rd)->kind == F_COND;
	rd->nsoak -= top(rd)->kind == F_SOAK;
	rd->frames.n--;
}

/* Move a node built on the stack into the arena. */
static struct hconf_node *
keep(struct reader *rd, const struct hconf_node *tmp)
{
	struct hconf_node *n = arena_alloc(&rd->doc->a, sizeof(*n));

	*n = *tmp;
	return n;
}

static void
leaf_init(struct reader *rd, struct hconf_node *n, enum hconf_kind kind,
    int active)
{
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->file_id = rd->fid;
	n->full.off = rd->ll.start;
	n->full.len = rd->ll.end - rd->ll.start;
	n->line_last = rd->ll.last_line;
	if (active) {
		n->flags |= HCONF_NODE_ACTIVE;
	}
	if (rd->ll.continued) {
		n->flags |= HCONF_NODE_CONTINUED;
	}
}

static struct hconf_node *
leaf(struct reader *rd, enum hconf_kind kind, int active)
{
	struct hconf_node tmp;

	leaf_init(rd, &tmp, kind, active);
	return keep(rd, &tmp);
}

static struct hconf_diag *
diag_at(struct reader *rd, enum hconf_diag_code c, uint32_t off,
    const char *fmt, const char *a, const char *b)
{
	return diag_add(rd->doc, c, rd->fid, off, rd->ll.last_line, fmt, a, b);
}

/* Close the frame on top with the current line. */
static void
close_top(struct reader *rd)
{
	struct frame *t = top(rd);

	t->node->close.off = rd->ll.start;
	t->node->close.len = rd->ll.end - rd->ll.start;
	pop(rd);
}

/*
 * Recovery after a bad close tag: if name matches an open ordinary
 * section or conditional of this file, close everything above it as
 * unclosed and let this line close it.  Returns 1 when it did.
 */
static int
close_recover(struct reader *rd, const char *name)
{
	struct frame *fr = rd->frames.v;
	size_t i;

	for (i = rd->frames.n; i-- > 0;) {
		if (fr[i].kind != F_SOAK && hconf_ieq(fr[i].name, name)) {
			while (rd->frames.n > i + 1) {
				top(rd)->node->flags |= HCONF_NODE_UNCLOSED;
				pop(rd);
			}
			close_top(rd);
			return 1;
		}
	}
	return 0;
}

/* ---- conditional tests ---------------------------------------------- */

static int
module_loaded(struct hconf_doc *doc, const char *name)
{
	const struct hconf_module *m = doc->modules.v;
	size_t i;

	for (i = 0; i < doc->modules.n; i++) {
		if (strcmp(m[i].ident, name) == 0 ||
		    strcmp(m[i].source, name) == 0) {
			return 1;
		}
	}
	return 0;
}

static int
version_parse(const char *s, int v[3])
{
	int c = 0;

	v[0] = v[1] = v[2] = 0;
	if (!(*s >= '0' && *s <= '9')) {
		return -1;
	}
	while (*s && c < 3) {
		if (*s == '.') {
			c++;
		} else if (*s >= '0' && *s <= '9') {
			/* httpd's int arithmetic wraps; do it without UB */
			v[c] = (int)((unsigned)v[c] * 10u + (unsigned)(*s - '0'));
		} else {
			return -1;
		}
		s++;
	}
	return *s ? -1 : 0;
}

static int
version_cmp(struct hconf_doc *doc, const char *s, const char **err)
{
	int v[3], h[3], i;

	if (version_parse(s, v) == -1) {
		*err = "Version appears to be invalid. It must have the format "
		    "major[.minor[.patch]] where major, minor and patch are "
		    "numbers.";
		return 0;
	}
	version_parse(doc->version, h);
	*err = NULL;
	for (i = 0; i < 3; i++) {
		if (h[i] != v[i]) {
			return h[i] < v[i] ? -1 : 1;
		}
	}
	return 0;
}

/*
 * mod_version's start_ifversion.  Returns 1 true, 0 false, -1 error
 * (*err set).  words are the section's words with the trailing '>'
 * still attached to the last one, as httpd sees them.
 */
static int
ifversion(struct hconf_doc *doc, const char *args, const char **err)
{
	struct word w[4];
	const char *p = args, *a1, *a2, *a3 = NULL, *op, *endp;
	char *ver;
	int n = 0, reverse = 0, match = 0, cmp;
	char c;

	while (n < 4 && lex_word(&doc->a, &p, &w[n])) {
		n++;
	}
	if (n == 0 || n > 3) {
		*err = "<IfVersion takes one, two or three arguments, a "
		    "comparison operator, a version (and a delimiter)";
		return -1;
	}
	a1 = w[0].value;
	a2 = n > 1 ? w[1].value : NULL;
	a3 = n > 2 ? w[2].value : NULL;
	if (a2 == NULL) {
		a2 = a1;
		a1 = "=";
	}
	if (a3 == NULL && a2[0] == '>' && a2[1] == '\0') {
		a3 = ">";
		a2 = a1;
		a1 = "=";
	}
	endp = a2 + strlen(a2);
	if (endp == a2 || (!(a3 && a3[0] == '>' && !a3[1]) && *--endp != '>')) {
		*err = "<IfVersion> directive missing closing '>'";
		return -1;
	}
	op = a1;
	if (*op == '!') {
		reverse = 1;
		if (op[1]) {
			op++;
		}
	}
	c = *op++;
	if (!(!*op || (*op == '=' && !op[1] && c != '~'))) {
		*err = arena_printf(&doc->a, "unrecognized operator '%s'", a1);
		return -1;
	}
	ver = arena_strndup(&doc->a, a2, (size_t)(endp - a2));
	switch (c) {
	case '=':
		if (*a2 != '/') {
			cmp = version_cmp(doc, ver, err);
			if (*err) {
				return -1;
			}
			match = cmp == 0;
			break;
		}
		a2++;
		if (endp == a2 || endp[-1] != '/') {
			*err = "Missing delimiting / of regular expression.";
			return -1;
		}
		ver = arena_strndup(&doc->a, a2, (size_t)(endp - 1 - a2));
		/* FALLTHROUGH */
	case '~':
		if (doc->opts.regex == NULL) {
			match = 0;
			break;
		}
		match = doc->opts.regex(doc->opts.regex_ctx, ver, doc->version,
		    err);
		if (match < 0) {
			if (*err == NULL) {
				*err = "Unable to compile regular expression";
			}
			return -1;
		}
		break;
	case '<':
		cmp = version_cmp(doc, ver, err);
		if (*err) {
			return -1;
		}
		match = cmp == -1 || (*op && cmp == 0);
		break;
	case '>':
		cmp = version_cmp(doc, ver, err);
		if (*err) {
			return -1;
		}
		match = cmp == 1 || (*op && cmp == 0);
		break;
	default:
		*err = arena_printf(&doc->a, "unrecognized operator '%s'", a1);
		return -1;
	}
	*err = NULL;
	return reverse ? !match : match;
}

static const char *const cond_names[] = {"IfModule", "IfDefine", "IfFile",
    "IfDirective", "IfSection", "IfVersion", NULL};

/* Evaluate a conditional; returns 1/0, or -1 after a diagnostic. */
static int
cond_test(struct reader *rd, struct hconf_node *n, const char *canon,
    const char *rest)
{
	struct hconf_doc *doc = rd->doc;
	const char *endp, *arg, *err;
	char *a;
	struct word w, extra;
	int not, r;

	if (strcmp(canon, "IfVersion") == 0) {
		r = ifversion(doc, rest, &err);
		if (r < 0) {
			diag_at(rd, HCONF_D_IFVERSION, n->name.off, "%s", err,
			    NULL);
		}
		return r;
	}
	endp = strrchr(rest, '>');
	if (endp == NULL) {
		diag_at(rd, HCONF_D_OPEN_BRACKET, n->name.off,
		    "<%s> directive missing closing '>'", canon, NULL);
		endp = rest + strlen(rest);
	}
	a = arena_strndup(&doc->a, rest, (size_t)(endp - rest));
	not = a[0] == '!';
	arg = not ? a + 1 : a;
	if (!lex_word(&doc->a, &arg, &w) || w.value[0] == '\0') {
		diag_at(rd, HCONF_D_SECTION_NOARG, n->name.off,
		    "<%s> directive requires additional arguments", canon,
		    NULL);
		return -1;
	}
	if (lex_word(&doc->a, &arg, &extra)) {
		uint32_t i = strcmp(n->nargs ? n->args[0].value : "", "!") == 0 ?
		    2 : 1;
		uint32_t off = n->nargs > i ? n->args[i].raw.off : n->name.off;

		diag_at(rd, HCONF_D_COND_WORDS, off,
		    "<%s> tests only its first word; '%s' and what follows "
		    "are ignored", canon, extra.value);
	}
	if (strcmp(canon, "IfModule") == 0) {
		r = module_loaded(doc, w.value);
	} else if (strcmp(canon, "IfDefine") == 0) {
		r = is_defined(doc, w.value);
	} else if (strcmp(canon, "IfFile") == 0) {
		struct stat st;

		r = stat_server(doc, root_relative(doc, w.value), &st) == 0;
	} else {
		int section = strcmp(canon, "IfSection") == 0;

		r = doc->opts.known ? doc->opts.known(doc->opts.known_ctx,
		    w.value, section, doc) : 0;
	}
	return not ? !r : r;
}

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
	const char *real = real_path(doc, path), *why, *link;
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
	if (slurp(doc, path, real, &buf, &len, &st, &why) == -1) {
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
	    real_path_flags(doc, path, HCONF_PATH_NOFOLLOW) : path;
	fid = add_file(doc, path, edit_path(doc, real), link, buf, len,
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
	const char *real = real_path(doc, path);
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
				const char *r = real_path_flags(doc, full,
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

	if (stat_server(doc, path, &st) == 0 && S_ISDIR(st.st_mode)) {
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

static void
do_include(struct reader *rd, struct hconf_node *n, int optional)
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
	path = root_relative(doc, n->args[0].value);
	if (!fnmatch_test(path)) {
		struct stat st;

		if (stat_server(doc, path, &st) == 0 && S_ISDIR(st.st_mode)) {
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

/* ---- directives httpd runs while reading ------------------------------ */

/* Ordinary sections whose handler refuses an empty argument. */
static int
needs_arg(const char *w)
{
	static const char *const s[] = {"Directory", "DirectoryMatch",
	    "Files", "FilesMatch", "Location", "LocationMatch", "VirtualHost",
	    "Proxy", "ProxyMatch", "Limit", "LimitExcept", NULL};
	size_t i;

	for (i = 0; s[i] != NULL; i++) {
		if (hconf_ieq(w, s[i])) {
			return 1;
		}
	}
	return 0;
}

/* A cheap filter for the directives httpd runs while reading. */
static int
readtime_name(const char *cmd, size_t len)
{
	switch (cmd[0] | 0x20) {
	case 'c':
		return len == 9 || len == 17;          /* CustomLog, CoreDump... */
	case 'd':
		return len == 6 || len == 12 || len == 17; /* Define, Document-
		                                        * Root, DefaultRuntimeDir */
	case 'e':
		return len == 8;                       /* ErrorLog */
	case 't':
		return len == 11;                      /* TransferLog */
	case 'i':
		return len == 7 || len == 15;          /* Include[Optional] */
	case 'l':
		return len == 10;                      /* LoadModule */
	case 'm':
		return len == 5;                       /* Mutex */
	case 's':
		return (len == 10 && (cmd[6] | 0x20) == 'r') || /* ServerRoot */
		    len == 6 || len == 15 ||           /* Suexec[UserGroup] */
		    strncasecmp(cmd, "SSL", 3) == 0;       /* mod_ssl's files */
	case 'r':
		return len == 10 || len == 24 || len == 25; /* RewriteMap,
		                                        * RemoteIP*ProxyList */
	case 'u':
		return len == 8;                       /* UnDefine */
	default:
		return 0;
	}
}

static const char *
canon_cond(const char *word)
{
	size_t i;

	for (i = 0; cond_names[i] != NULL; i++) {
		if (hconf_ieq(word, cond_names[i])) {
			return cond_names[i];
		}
	}
	return NULL;
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
	const char *p = root_relative(doc, n->args[1].value);
	const char *dir = dir_of(doc, p);
	struct hconf_diag *d;
	struct stat st;
	int here;

	if (stat_server(doc, p, &st) == 0) {
		return 0;
	}
	here = stat_server(doc, dir, &st) == 0 && S_ISDIR(st.st_mode);
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

static void
do_loadmodule(struct reader *rd, struct hconf_node *n)
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

static void
do_define(struct reader *rd, struct hconf_node *n, int undef)
{
	struct hconf_doc *doc = rd->doc;

	if (undef ? n->nargs != 1 : (n->nargs < 1 || n->nargs > 2)) {
		diag_at(rd, HCONF_D_ARGS, n->name.off, "%s", undef ?
		    "UnDefine takes one argument, Undefine the existence of a "
		    "variable. Undo a Define." :
		    "Define takes 1-2 arguments, Define a variable, optionally "
		    "to a value.  Same as passing -D to the command line.", NULL);
		return;
	}
	if (strchr(n->args[0].value, ':') != NULL) {
		diag_at(rd, HCONF_D_DEFINE_COLON, n->args[0].raw.off, "%s",
		    "Variable name must not contain ':'", NULL);
		return;
	}
	if (undef) {
		define_unset(doc, n->args[0].value);
	} else if (n->nargs == 2) {
		define_unset(doc, n->args[0].value);
		define_set(doc, n->args[0].value, n->args[1].value);
	} else if (!is_defined(doc, n->args[0].value)) {
		/* a bare Define keeps a value set earlier, as httpd does */
		define_set(doc, n->args[0].value, NULL);
	}
}

static void
do_serverroot(struct reader *rd, struct hconf_node *n)
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
	p = root_relative(doc, n->args[0].value);
	/* apr_filepath_merge drops a trailing slash */
	if (strlen(p) > 1 && p[strlen(p) - 1] == '/') {
		p = arena_strndup(&doc->a, p, strlen(p) - 1);
	}
	if (stat_server(doc, p, &st) == -1 || !S_ISDIR(st.st_mode)) {
		diag_at(rd, HCONF_D_SERVERROOT, n->args[0].raw.off,
		    "ServerRoot must be a valid directory: %s is not one on "
		    "this machine, so httpd would refuse to start here (use "
		    "--root for a tree checked out elsewhere)", p, NULL);
	}
	doc->server_root = p;
}

/* ---- mod_macro (the logic is in macro.c) ----------------------------- */

static int
macro_name(const char *cmd, size_t len)
{
	return (len == 3 && hconf_ieq(cmd, "Use")) ||
	    (len == 10 && hconf_ieq(cmd, "UndefMacro")) ||
	    (len == 20 && hconf_ieq(cmd, "MacroIgnoreEmptyArgs")) ||
	    (len == 21 && hconf_ieq(cmd, "MacroIgnoreBadNesting"));
}

static uint32_t
add_xfile(struct hconf_doc *doc, const struct macro_use *u,
    const struct hconf_node *use, uint32_t depth)
{
	struct hconf_file *f = arena_calloc(&doc->a, sizeof(*f));
	uint32_t id = (uint32_t)doc->xfiles.n | HCONF_FILE_MACRO;

	f->path = u->where;
	f->real = u->where;
	f->buf = u->buf;
	f->len = (uint32_t)u->len;
	f->incl_node = use;
	f->depth = depth;
	f->macro = u->name;
	f->body_file = u->body_file;
	f->body_off = u->body_off;
	f->body_lines = u->nlines;
	f->root = node_new(doc, HCONF_DOC, id);
	f->root->flags = HCONF_NODE_ACTIVE;
	vec_push(&doc->xfiles, &f);
	return id;
}

/*
 * Use: read the expansion as a file of its own at this line, the way an
 * Include is read (the walkers enter it through n->incl).
 */
static void
do_macro(struct reader *rd, struct hconf_node *n)
{
	struct hconf_doc *doc = rd->doc;
	struct macro_use u;
	uint32_t fid, *ids;

	if (n->word[0] == 'M' || n->word[0] == 'm') {
		macro_flag(doc, n);
		return;
	}
	if (strlen(n->word) != 3) {
		macro_undef(doc, rd->fid, n);
		return;
	}
	if (!macro_use(doc, rd->fid, n, &u)) {
		return;
	}
	if (doc->macro_depth >= MACRO_DEPTH_MAX) {
		diag_add(doc, HCONF_D_MACRO_LIMIT, rd->fid, n->name.off,
		    n->line_last, "macros used inside macros more than %u "
		    "levels deep; mpmlint stops expanding here",
		    MACRO_DEPTH_MAX);
		return;
	}
	fid = add_xfile(doc, &u, n, rd->f->depth);
	ids = arena_alloc(&doc->a, sizeof(*ids));
	ids[0] = fid;
	n->incl = ids;
	n->nincl = 1;
	doc->macro_depth++;
	rd->macro_open += parse_file(doc, fid);
	doc->macro_depth--;
}

/* A line of a <Macro> body: kept in the tree, inactive; collected raw. */
static void
macro_body_line(struct reader *rd)
{
	struct frame *t = top(rd);
	char *tt = rd->ll.text + rd->ll.lead;
	enum hconf_kind k = rd->ll.tlen == 0 ? HCONF_BLANK :
	    tt[0] == '#' ? HCONF_COMMENT : HCONF_DIRECTIVE;
	struct hconf_node *n;
	const char *p = tt;
	struct word w;

	if (t->mdef != NULL && macro_line(rd->doc, t->mdef, rd->fid, tt,
	    rd->ll.tlen, lline_src(&rd->ll, 0), rd->ll.last_line)) {
		close_top(rd);
		return;
	}
	n = leaf(rd, k, 0);
	if (k == HCONF_DIRECTIVE && lex_word(&rd->doc->a, &p, &w)) {
		n->name = text_span(rd, tt, w.start, w.end);
		n->word = w.value;
		set_args(rd, n, NULL, (char *)p, 0);
	}
	node_append(t->node, n);
}

/* ---- the line loop ------------------------------------------------- */

/* A line inside a false conditional: count nesting only. */
static void
soak_line(struct reader *rd)
{
	struct frame *t = top(rd);
	char *tt = rd->ll.text + rd->ll.lead;
	const char *p = tt;
	struct word w;
	struct hconf_node *n;

	if (rd->ll.tlen == 0) {
		node_append(t->node, leaf(rd, HCONF_BLANK, 0));
		return;
	}
	if (tt[0] == '#') {
		node_append(t->node, leaf(rd, HCONF_COMMENT, 0));
		return;
	}
	lex_word(&rd->doc->a, &p, &w);
	if (w.value[0] == '<' && w.value[1] == '/') {
		size_t len = strlen(w.value);
		char *name = arena_strdup(&rd->doc->a, w.value);

		/* httpd cuts the last character unconditionally */
		name[len - 1] = '\0';
		if (!hconf_ieq(len > 2 ? name + 2 : "", t->name)) {
			/*
			 * httpd returns the error from the <IfModule> (etc.)
			 * handler that is skipping the false section, so it
			 * names the line of the outermost false section.
			 */
			struct frame *fr = rd->frames.v;
			size_t i = 0;

			while (i + 1 < rd->frames.n && fr[i].kind != F_SOAK) {
				i++;
			}
			diag_add(rd->doc, HCONF_D_CLOSE_MISMATCH, rd->fid,
			    fr[i].node->name.off, fr[i].node->line_last,
			    "Expected </%s> but saw %s>", t->name, name);
		}
		close_top(rd);
		return;
	}
	if (w.value[0] == '<') {
		char *name = arena_strdup(&rd->doc->a, w.value);
		size_t len = strlen(name);

		if (*p == '\0' && len > 1 && name[len - 1] == '>') {
			name[len - 1] = '\0';
		}
		n = leaf(rd, HCONF_SECTION, 0);
		n->name = text_span(rd, tt, w.start, w.end);
		n->word = name + 1;
		set_args(rd, n, NULL, (char *)p, 1);
		node_append(t->node, n);
		push(rd, F_SOAK, n, name + 1);
		check_depth(rd, n);
		return;
	}
	n = leaf(rd, HCONF_DIRECTIVE, 0);
	n->name = text_span(rd, tt, w.start, w.end);
	n->word = w.value;
	set_args(rd, n, NULL, (char *)p, 0);
	node_append(t->node, n);
}

/* Nesting: a warning past DEEP_NESTING levels, an error where httpd's
 * recursion runs out of stack (see STACK_BUDGET). */
static void
check_depth(struct reader *rd, struct hconf_node *n)
{
	if (rd->frames.n > DEEP_NESTING && rd->warned_deep == 0) {
		rd->warned_deep = 1;
		diag_add(rd->doc, HCONF_D_DEEP, rd->fid, n->name.off,
		    rd->ll.last_line,
		    "sections are nested more than %s levels deep here", "128");
	}
	if (rd->warned_deep < 2 &&
	    rd->nconds * STACK_TRUE_COST + rd->nsoak > STACK_BUDGET) {
		struct hconf_diag *d;

		rd->warned_deep = 2;
		d = diag_add(rd->doc, HCONF_D_DEEP, rd->fid, n->name.off,
		    rd->ll.last_line, "conditional sections nested %zu levels "
		    "deep here (%zu true, %zu false): httpd reads each true "
		    "level and skips each false one by recursion, and runs "
		    "out of stack (it crashes with the default 8 MiB stack)",
		    rd->nconds + rd->nsoak, rd->nconds, rd->nsoak);
		d->sev = HCONF_SEV_ERROR;
	}
}

static void
open_section(struct reader *rd, struct hconf_node *n, const char *name)
{
	push(rd, F_ORD, n, name);
	check_depth(rd, n);
}

static void
close_tag(struct reader *rd, struct hconf_node *n, const char *cmd,
    const char *rest)
{
	struct frame *t = top(rd);
	size_t len = strlen(cmd);
	char small[128], *name;
	int bracket = len > 2 && cmd[len - 1] == '>';
	uint32_t off = n->name.off;

	/* the name without "</"; short ones stay on the stack */
	if (len < sizeof(small)) {
		memcpy(small, cmd + 2, len - 1);
		name = small;
	} else {
		name = arena_strdup(&rd->doc->a, cmd + 2);
	}
	if (bracket) {
		name[strlen(name) - 1] = '\0';
	}
	if ((t == NULL || t->kind != F_ORD) && rd->macro_open > 0) {
		/* closes a section a macro opened (see macro_left_open):
		 * kept verbatim, as a line that has no section here */
		rd->macro_open--;
		n->kind = HCONF_ERROR;
		node_append(cur_parent(rd), keep(rd, n));
		return;
	} else if (t == NULL || t->kind != F_ORD) {
		diag_at(rd, HCONF_D_CLOSE_NOOPEN, off,
		    "%s without matching <%s section", cmd, cmd + 2);
	} else if (!bracket) {
		diag_at(rd, HCONF_D_CLOSE_BRACKET, off,
		    "%s> directive missing closing '>'", cmd, NULL);
	} else if (!hconf_ieq(name, t->name)) {
		diag_at(rd, HCONF_D_CLOSE_MISMATCH, off,
		    "Expected </%s> but saw %s", t->name, cmd);
	} else {
		if (*rest != '\0') {
			diag_at(rd, HCONF_D_CLOSE_EXTRA, off,
			    "%s: the words after it (%s) are ignored", cmd,
			    rest);
		}
		close_top(rd);
		return;
	}
	if (!close_recover(rd, name)) {
		n->kind = HCONF_ERROR;
		node_append(cur_parent(rd), keep(rd, n));
	}
}

static void
active_line(struct reader *rd)
{
	struct hconf_doc *doc = rd->doc;
	char *tt = rd->ll.text + rd->ll.lead, *etext, *line, *rest;
	const char *p;
	struct frame *t = top(rd);
	struct hconf_node nb, *n;
	struct word w;
	char *cmd, gt[2] = ">";
	size_t len;
	const char *canon;

	/* The end of a true conditional: the raw line, exactly. */
	if (t != NULL && t->kind == F_COND && tt[0] == '<' && tt[1] == '/' &&
	    strncasecmp(tt + 2, t->name, strlen(t->name)) == 0 &&
	    strcmp(tt + 2 + strlen(t->name), ">") == 0) {
		close_top(rd);
		return;
	}
	if (rd->ll.tlen == 0) {
		node_append(cur_parent(rd), leaf(rd, HCONF_BLANK, 1));
		return;
	}
	if (tt[0] == '#') {
		n = leaf(rd, HCONF_COMMENT, 1);
		node_append(cur_parent(rd), n);
		if (rd->ll.continued) {
			uint32_t i;

			/* Swallowing another comment or a blank line is
			 * harmless; a directive that vanishes is not. */
			for (i = 1; i < rd->ll.nseg; i++) {
				uint32_t off = rd->ll.seg[i].soff, ln, col;
				const char *q = rd->f->buf + off;

				while (q < rd->f->buf + rd->ll.end &&
				    (*q == ' ' || *q == '\t')) {
					q++;
				}
				if (q >= rd->f->buf + rd->ll.end || *q == '#' ||
				    *q == '\n' || *q == '\r' || *q == '\\') {
					continue;
				}
				hconf_linecol(doc, rd->fid, off, &ln, &col);
				diag_add(doc, HCONF_D_COMMENT_CONT, rd->fid, off,
				    ln, "this line is part of the comment above, "
				    "which ends in '\\'; httpd never reads it");
				break;
			}
		}
		return;
	}
	etext = resolve_env(rd, tt, 1);
	line = etext ? etext : tt;
	p = line;
	n = &nb;
	leaf_init(rd, n, HCONF_DIRECTIVE, 1);
	if (etext != NULL) {
		n->flags |= HCONF_NODE_EXPANDED;
	}
	if (etext != NULL) {
		/* the name span always comes from the raw text */
		const char *rp = tt;
		struct word rw;

		lex_word(&doc->a, &rp, &rw);
		n->name = text_span(rd, tt, rw.start, rw.end);
	}
	if (etext == NULL && rd->ll.inplace && !(tt[0] == '<')) {
		/* a plain directive: its words are cut in place */
		char *wp = tt;

		lex_word_inplace(&wp, &w);
		p = wp;
	} else if (!lex_word(&doc->a, &p, &w)) {
		/* ${VAR} expanded to nothing: httpd ignores the line */
		n->word = "";
		node_append(cur_parent(rd), keep(rd, n));
		free(etext);
		return;
	}
	if (etext == NULL) {
		n->name = text_span(rd, tt, w.start, w.end);
	}
	cmd = w.value;
	rest = (char *)p;
	len = strlen(cmd);
	if (cmd[0] == '<' && cmd[1] == '/') {
		close_tag(rd, n, cmd, rest);
		free(etext);
		return;
	}
	if (len > 0 && cmd[len - 1] == '>') {
		cmd[--len] = '\0';
	}
	if (cmd[0] == '<' && *rest == '\0') {
		rest = gt;
	}
	if (cmd[0] == '<') {
		n->kind = HCONF_SECTION;
		n->word = cmd + 1;
		set_args(rd, n, etext, rest, 1);
		n = keep(rd, n);
		node_append(cur_parent(rd), n);
		if (len == 6 && hconf_ieq(cmd + 1, "Macro") &&
		    module_loaded(doc, "macro_module")) {
			push(rd, F_MACRO, n, "Macro");
			top(rd)->mdef = macro_open(doc, rd->fid, n, rest);
			free(etext);
			return;
		}
		canon = len >= 7 && len <= 12 && (cmd[1] | 0x20) == 'i' &&
		    (cmd[2] | 0x20) == 'f' ? canon_cond(cmd + 1) : NULL;
		if (canon != NULL) {
			int r = cond_test(rd, n, canon, rest);

			n->flags |= HCONF_NODE_COND;
			if (r == 1) {
				n->flags |= HCONF_NODE_TRUE;
				push(rd, F_COND, n, canon);
			} else {
				push(rd, F_SOAK, n, canon);
			}
			check_depth(rd, n);
		} else {
			if (n->nargs == 0 && needs_arg(cmd + 1)) {
				diag_at(rd, HCONF_D_SECTION_NOARG, n->name.off,
				    "<%s> directive requires additional "
				    "arguments", cmd + 1, NULL);
			}
			if (strchr(rest, '>') == NULL) {
				diag_at(rd, HCONF_D_OPEN_BRACKET, n->name.off,
				    "<%s> directive missing closing '>'",
				    cmd + 1, NULL);
			}
			open_section(rd, n, cmd + 1);
		}
		free(etext);
		return;
	}
	n->word = cmd;
	set_args(rd, n, etext, rest, 0);
	n = keep(rd, n);
	node_append(cur_parent(rd), n);
	if (macro_name(cmd, len) && module_loaded(doc, "macro_module")) {
		do_macro(rd, n);
		free(etext);
		return;
	}
	if (!readtime_name(cmd, len)) {
		free(etext);
		return;
	}
	if (hconf_ieq(cmd, "Include")) {
		do_include(rd, n, 0);
	} else if (hconf_ieq(cmd, "IncludeOptional")) {
		do_include(rd, n, 1);
	} else if (hconf_ieq(cmd, "Define")) {
		do_define(rd, n, 0);
	} else if (hconf_ieq(cmd, "UnDefine")) {
		do_define(rd, n, 1);
	} else if (hconf_ieq(cmd, "LoadModule")) {
		do_loadmodule(rd, n);
	} else if (hconf_ieq(cmd, "ServerRoot")) {
		do_serverroot(rd, n);
	} else {
		files_directive(doc, rd->fid, n);
	}
	free(etext);
}

/*
 * A macro body may open sections that the lines after its Use line
 * close: httpd reads on from the expansion into the file (and warns,
 * AH02795).  mpmlint reads the expansion as a file of its own, so it says
 * what it does instead, and lets the file's close tags pass.
 */
static uint32_t
macro_left_open(struct reader *rd)
{
	struct frame *fr = rd->frames.v;
	struct hconf_node *n = fr[0].node;
	uint32_t i;

	for (i = 0; i < rd->frames.n; i++) {
		fr[i].node->flags |= HCONF_NODE_UNCLOSED;
		if (fr[i].kind == F_MACRO && fr[i].mdef != NULL) {
			macro_eof(rd->doc, fr[i].mdef, rd->fid);
		}
	}
	diag_add(rd->doc, HCONF_D_MACRO_OPEN, rd->fid, n->name.off,
	    n->line_last, "<%s> is opened in the macro and closed after the "
	    "Use line, where httpd goes on reading it; mpmlint checks the lines "
	    "after Use as if outside it", fr[0].name);
	i = (uint32_t)rd->frames.n;
	rd->frames.n = 0;
	rd->nconds = 0;
	rd->nsoak = 0;
	return i;
}

static uint32_t
end_of_file(struct reader *rd)
{
	struct frame *fr = rd->frames.v;
	size_t i, outer_soak = rd->frames.n, first_cond = rd->frames.n;
	int soak_reported = 0;

	if (rd->frames.n > 0 && rd->f->macro != NULL) {
		return macro_left_open(rd);
	}
	for (i = 0; i < rd->frames.n; i++) {
		if (fr[i].kind == F_SOAK && outer_soak == rd->frames.n) {
			outer_soak = i;
		}
		if (fr[i].kind == F_COND && first_cond == rd->frames.n) {
			first_cond = i;
		}
	}
	for (i = rd->frames.n; i-- > 0;) {
		struct hconf_node *n = fr[i].node;
		int in_cond = first_cond < i;

		n->flags |= HCONF_NODE_UNCLOSED;
		if (fr[i].kind == F_MACRO) {
			if (fr[i].mdef != NULL) {
				macro_eof(rd->doc, fr[i].mdef, rd->fid);
			}
		} else if (fr[i].kind == F_SOAK) {
			if (!soak_reported) {
				/* httpd names the false conditional's line */
				struct hconf_node *o = fr[outer_soak].node;

				soak_reported = 1;
				diag_add(rd->doc, HCONF_D_FALSE_NOT_CLOSED,
				    rd->fid, o->name.off, o->line_last,
				    "Expected </%s> before end of configuration",
				    fr[i].name);
			}
		} else if (fr[i].kind == F_COND) {
			diag_add(rd->doc, HCONF_D_TRUE_NOT_CLOSED, rd->fid,
			    n->name.off, n->line_last,
			    "<%s> is never closed; httpd closes it silently at "
			    "the end of the file", fr[i].name);
		} else {
			struct hconf_diag *d = diag_add(rd->doc,
			    HCONF_D_NOT_CLOSED, rd->fid, n->name.off,
			    n->line_last, "%s:%u: <%s> was not closed.",
			    rd->f->path, n->line_last, fr[i].name);

			if (in_cond) {
				/* httpd accepts this inside a true conditional */
				d->sev = HCONF_SEV_WARNING;
				d->msg = arena_printf(&rd->doc->a,
				    "<%s> is never closed; httpd accepts it "
				    "because it is inside a true conditional "
				    "section", fr[i].name);
			}
		}
	}
	rd->frames.n = 0;
	rd->nconds = 0;
	rd->nsoak = 0;
	return 0;
}

/* Returns the sections a macro expansion leaves open (0 for a file). */
static uint32_t
parse_file(struct hconf_doc *doc, uint32_t fid)
{
	struct reader rd;
	uint32_t left;

	memset(&rd, 0, sizeof(rd));
	rd.doc = doc;
	rd.fid = fid;
	rd.f = doc_file(doc, fid);
	rd.lx.buf = rd.f->buf;
	rd.lx.len = rd.f->len;
	/* the scratch copy lines and words are cut in; the printer keeps
	 * using the pristine buffer */
	rd.lx.work = arena_alloc(&doc->a, (size_t)rd.f->len + 1 + LEX_PAD);
	memcpy(rd.lx.work, rd.f->buf, (size_t)rd.f->len);
	memset(rd.lx.work + rd.f->len, 0, 1 + LEX_PAD);
	{
		const char *z = memchr(rd.f->buf, '\0', rd.f->len);

		rd.lx.nul = z ? (uint32_t)(z - rd.f->buf) : rd.f->len;
	}
	rd.frames.size = sizeof(struct frame);
	/* The line index is built on the first report (hconf_linecol):
	 * the lexer writes only into its scratch copy, never into f->buf. */
	if (rd.f->len >= 3 && memcmp(rd.f->buf, "\xef\xbb\xbf", 3) == 0) {
		/* httpd: AH00526 Syntax error, Invalid command */
		diag_add(doc, HCONF_D_BOM, fid, 0, 1, "Invalid command "
		    "'\\xef\\xbb\\xbf...': the file starts with a UTF-8 byte "
		    "order mark, which httpd does not strip on Unix")->httpd =
		    "AH00526";
	}
	while (lex_next(&rd.lx, &rd.ll)) {
		struct frame *t = top(&rd);

		if (rd.ll.too_long) {
			diag_add(doc, HCONF_D_LONGLINE, fid, rd.ll.start,
			    rd.ll.last_line, "Error reading %s at line %u: Line "
			    "too long", rd.f->path, rd.ll.last_line);
		}
		if (rd.ll.nul) {
			diag_add(doc, HCONF_D_NUL, fid,
			    rd.ll.start + (uint32_t)(memchr(rd.f->buf +
			    rd.ll.start, '\0', rd.ll.end - rd.ll.start) ?
			    (const char *)memchr(rd.f->buf + rd.ll.start, '\0',
			    rd.ll.end - rd.ll.start) - (rd.f->buf +
			    rd.ll.start) : 0), rd.ll.last_line,
			    "NUL byte: httpd ignores the rest of this line");
		}
		if (t != NULL && t->kind == F_MACRO) {
			macro_body_line(&rd);
		} else if (t != NULL && t->kind == F_SOAK) {
			soak_line(&rd);
		} else {
			if (rd.ll.cont_ws && rd.ll.tlen > 0 &&
			    rd.ll.text[rd.ll.lead] != '#') {
				uint32_t off = rd.ll.end - 1;

				while (off > rd.ll.start &&
				    rd.f->buf[off] != '\\') {
					off--;
				}
				diag_add(doc, HCONF_D_BACKSLASH_SPACE, fid, off,
				    rd.ll.last_line, "'\\' is followed by "
				    "whitespace, so it does not continue the "
				    "line: it is a literal argument and the next "
				    "line is a directive of its own");
			}
			active_line(&rd);
		}
	}
	left = end_of_file(&rd);
	lline_free(&rd.ll);
	vec_free(&rd.frames);
	return left;
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
	real = real_path(doc, ev);
	if (real != NULL && access(real, R_OK) == 0) {
		load_envvars(doc, real);
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
		fid = add_file(doc, name, NULL, NULL, "", 0, NULL, 0);
		diag_add(doc, HCONF_D_READ, fid, 0, 1, "%s: file too large",
		    name);
		return doc;
	}
	copy = arena_alloc(&doc->a, len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	fid = add_file(doc, name, NULL, NULL, copy, len, NULL, 0);
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

			fid = add_file(doc, path, NULL, NULL, "", 0, NULL, 0);
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
		real = real_path(doc, path);
		link = real_path_flags(doc, path, HCONF_PATH_NOFOLLOW);
	}
	if (slurp(doc, path, real, &buf, &len, &st, &why) == -1) {
		fid = add_file(doc, path, real, link, "", 0, NULL, 0);
		diag_add(doc, HCONF_D_READ, fid, 0, 1, "%s", why);
		return doc;
	}
	maybe_envvars(doc, path);
	fid = add_file(doc, path, edit_path(doc, real), link, buf, len, NULL,
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
