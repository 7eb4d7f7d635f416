/*
 * filter.c - decide which of rules_lint()'s findings mpmlint reports:
 * severity overrides, "# mpmlint disable|disable-file|enable=RULE"
 * comments, fingerprints that survive line moves, and the baseline.
 * It never creates a finding and never prints one.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"
#include "output.h"
#include "esc.h"

/* ---- line units ----------------------------------------------------------
 * Every byte of a file belongs to one line-level span: a leaf's full span,
 * a section's opening line or its closing line.  Listed in file order.
 */
struct unit {
	uint32_t off, len;
	enum hconf_kind kind;     /* for a closing line: HCONF_SECTION */
};

struct units {
	struct unit *u;
	size_t n, cap;
	size_t *com;              /* the comments' units, in order */
	size_t ncom, capcom;
};

/* v, with room for item n of size bytes: *cap doubles from first. */
static void *
grow(void *v, size_t n, size_t *cap, size_t first, size_t size)
{
	if (n == *cap) {
		*cap = *cap ? *cap * 2 : first;
		v = hconf_xrealloc(v, *cap * size);
	}
	return v;
}

/* Once per line of every file: inline, the array grown out of line. */
static inline void
unit_add(struct units *us, uint32_t off, uint32_t len, enum hconf_kind k)
{
	struct unit *u;

	if (len == 0) {
		return;                 /* synthetic: no bytes */
	}
	if (us->n == us->cap) {
		us->u = grow(us->u, us->n, &us->cap, 64, sizeof(*us->u));
	}
	if (k == HCONF_COMMENT) {
		us->com = grow(us->com, us->ncom, &us->capcom, 64,
		    sizeof(*us->com));
		us->com[us->ncom++] = us->n;
	}
	u = &us->u[us->n++];
	u->off = off;
	u->len = len;
	u->kind = k;
}

/* Pre-order walk without recursion: sections nest arbitrarily deep. */
static void
units_build(struct units *us, const struct hconf_file *f)
{
	const struct hconf_node *n = f->root ? f->root->first : NULL;

	if (f->nlines > 0 && us->cap == 0) {
		/* a unit holds a line or more: one allocation, no copies */
		us->cap = (size_t)f->nlines + 2;
		us->u = hconf_xmalloc(us->cap * sizeof(*us->u));
	}
	while (n != NULL) {
		unit_add(us, n->full.off, n->full.len, n->kind);
		if (n->first != NULL) {
			n = n->first;
			continue;
		}
		if (n->kind == HCONF_SECTION) {
			unit_add(us, n->close.off, n->close.len, HCONF_SECTION);
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n == NULL || n->kind == HCONF_DOC) {
				return;
			}
			unit_add(us, n->close.off, n->close.len, HCONF_SECTION);
		}
		if (n != NULL) {
			n = n->next;
		}
	}
}

/* The unit holding byte off, or NULL. */
static const struct unit *
unit_at(const struct units *us, uint32_t off)
{
	size_t lo = 0, hi = us->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct unit *u = &us->u[mid];

		if (off < u->off) {
			hi = mid;
		} else if (off >= u->off + u->len) {
			lo = mid + 1;
		} else {
			return u;
		}
	}
	return NULL;
}

/* ---- suppression comments ---------------------------------------------- */

enum skind { S_DISABLE, S_FILE, S_ENABLE };

struct stok {
	enum skind kind;
	const struct rules_info *rule; /* NULL: all */
	size_t unit;                   /* the comment's unit */
	size_t comment;                /* comments in file order */
	int paired;
};

struct srange {
	uint32_t file_id;
	uint32_t from, to;             /* findings at from <= off < to */
	const struct rules_info *rule; /* NULL: all */
};

struct sup {
	struct srange *r;
	size_t n, cap;
};

static void
range_add(struct sup *s, uint32_t fid, uint32_t from, uint32_t to,
    const struct rules_info *rule)
{
	s->r = grow(s->r, s->n, &s->cap, 16, sizeof(*s->r));
	s->r[s->n++] = (struct srange){fid, from, to, rule};
}

static void
warn_at(const struct filter_opts *o, const struct hconf_doc *doc,
    const char *path, uint32_t fid, uint32_t off, const char *msg,
    const char *arg)
{
	uint32_t line, col;

	if (o->warn == NULL) {
		return;
	}
	hconf_linecol(doc, fid, off, &line, &col);
	esc_printf(o->warn, "%s:%u:%u: warning: %s%s%s%s\n", path, line, col,
	    msg, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Parse one comment line.  The grammar:
 *   "#" ws* "mpmlint" ws+ KIND ws* "=" ws* RULE (ws* "," ws* RULE)* [ws+ "--" REASON]
 *   KIND = "disable" | "disable-file" | "enable"
 * Appends one token per rule.  Returns the number appended.
 */
static size_t
parse_comment(const struct hconf_doc *doc, const char *path, uint32_t fid,
    const struct unit *u, size_t ui, size_t ci, const struct filter_opts *o,
    struct stok **toks, size_t *ntok, size_t *cap)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const char *p = f->buf + u->off, *end = p + u->len, *nl;
	enum skind kind;
	size_t added = 0, words = 0;

	/* no blank is a newline, nor is "#" or "mpmlint": these tests
	 * stop in the first physical line without looking for its end */
	while (p < end && is_blank((unsigned char)*p)) {
		p++;
	}
	if (p == end || *p != '#') {
		return 0;
	}
	p++;
	while (p < end && is_blank((unsigned char)*p)) {
		p++;
	}
	if ((size_t)(end - p) < 8 || memcmp(p, "mpmlint", 7) != 0 ||
	    !is_blank((unsigned char)p[7])) {
		return 0;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl != NULL) {
		end = nl;               /* only the first physical line */
	}
	p += 7;
	while (p < end && is_blank((unsigned char)*p)) {
		p++;
	}
	if ((size_t)(end - p) >= 12 && memcmp(p, "disable-file", 12) == 0) {
		kind = S_FILE;
		p += 12;
	} else if ((size_t)(end - p) >= 7 && memcmp(p, "disable", 7) == 0) {
		kind = S_DISABLE;
		p += 7;
	} else if ((size_t)(end - p) >= 6 && memcmp(p, "enable", 6) == 0) {
		kind = S_ENABLE;
		p += 6;
	} else {
		/* "# mpmlint is nice": prose, not a directive */
		return 0;
	}
	while (p < end && is_blank((unsigned char)*p)) {
		p++;
	}
	if (p == end || *p != '=') {
		warn_at(o, doc, path, fid, (uint32_t)(p - f->buf),
		    "mpmlint comment: expected '=' and a rule list", NULL);
		return 0;
	}
	p++;
	for (;;) {
		const char *w;
		char name[128];
		size_t len;

		while (p < end && (is_blank((unsigned char)*p) || *p == ',')) {
			p++;
		}
		if (p == end || (end - p >= 2 && p[0] == '-' && p[1] == '-')) {
			break;
		}
		w = p;
		while (p < end && !is_blank((unsigned char)*p) && *p != ',') {
			p++;
		}
		words++;
		len = (size_t)(p - w);
		if (len >= sizeof(name)) {
			len = sizeof(name) - 1;
		}
		memcpy(name, w, len);
		name[len] = '\0';
		if (*ntok == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*toks = hconf_xrealloc(*toks, *cap * sizeof(**toks));
		}
		memset(&(*toks)[*ntok], 0, sizeof(**toks));
		(*toks)[*ntok].kind = kind;
		(*toks)[*ntok].unit = ui;
		(*toks)[*ntok].comment = ci;
		if (strcmp(name, "all") == 0) {
			(*toks)[*ntok].rule = NULL;
		} else if (((*toks)[*ntok].rule = rules_find(name)) == NULL) {
			warn_at(o, doc, path, fid, (uint32_t)(w - f->buf),
			    "mpmlint comment: unknown rule", name);
			continue;
		}
		(*ntok)++;
		added++;
	}
	if (words == 0) {
		warn_at(o, doc, path, fid, u->off,
		    "mpmlint comment names no rule", NULL);
	}
	return added;
}

/*
 * Turn the comments of one file into ranges.  A disable=R comment opens
 * a range when a later enable comment names R (or all) before any other
 * disable of R (or of all); the range ends at that enable line.
 * Otherwise it silences only the next line that is not a comment or a
 * blank line.
 */
static void
file_suppressions(const struct hconf_doc *doc, uint32_t fid,
    const char *path, const struct units *us, const struct filter_opts *o,
    struct sup *s)
{
	struct stok *t = NULL;
	size_t nt = 0, cap = 0, i, j, nc = 0;

	for (j = 0; j < us->ncom; j++) {
		i = us->com[j];
		if (parse_comment(doc, path, fid, &us->u[i], i, nc, o, &t,
		    &nt, &cap) > 0) {
			nc++;
		}
	}
	for (i = 0; i < nt; i++) {
		const struct unit *cu = &us->u[t[i].unit];

		if (t[i].kind == S_FILE) {
			range_add(s, fid, 0, UINT32_MAX, t[i].rule);
			continue;
		}
		if (t[i].kind != S_DISABLE) {
			continue;
		}
		for (j = i + 1; j < nt; j++) {
			if (t[j].comment == t[i].comment) {
				continue;
			}
			/* disable=all counts as another disable of R */
			if ((t[j].kind == S_DISABLE && (t[j].rule == NULL ||
			    t[j].rule == t[i].rule)) ||
			    (t[j].kind == S_ENABLE && (t[j].rule == NULL ||
			    t[j].rule == t[i].rule))) {
				break;
			}
		}
		if (j < nt && t[j].kind == S_ENABLE) {
			t[j].paired = 1;
			range_add(s, fid, cu->off, us->u[t[j].unit].off,
			    t[i].rule);
			continue;
		}
		for (j = t[i].unit + 1; j < us->n; j++) {
			if (us->u[j].kind != HCONF_COMMENT &&
			    us->u[j].kind != HCONF_BLANK) {
				break;
			}
		}
		if (j < us->n) {
			range_add(s, fid, us->u[j].off,
			    us->u[j].off + us->u[j].len, t[i].rule);
		} else {
			warn_at(o, doc, path, fid, cu->off, "mpmlint comment: "
			    "disable has no directive after it and no enable",
			    NULL);
		}
	}
	for (i = 0; i < nt; i++) {
		if (t[i].kind == S_ENABLE && !t[i].paired) {
			warn_at(o, doc, path, fid, us->u[t[i].unit].off,
			    "mpmlint comment: enable without a disable before "
			    "it", t[i].rule ? t[i].rule->id : "all");
		}
	}
	free(t);
}

static int
suppressed(const struct sup *s, const struct rules_finding *f)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct srange *r = &s->r[i];

		if (r->file_id == f->file_id && f->off >= r->from &&
		    f->off < r->to && (r->rule == NULL || r->rule == f->info)) {
			return 1;
		}
	}
	return 0;
}

/* ---- fingerprints ---------------------------------------------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static unsigned long long
fnv(unsigned long long h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

/*
 * The text of a line unit with continuations joined, blanks collapsed
 * to one space and both ends trimmed: what survives re-indentation.
 */
static char *
normalize(const char *p, size_t len)
{
	char *out = hconf_xmalloc(len + 1);
	size_t i, o = 0;
	int space = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\\' && i + 1 < len && (p[i + 1] == '\n' ||
		    (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n'))) {
			i += p[i + 1] == '\r' ? 2 : 1;
			continue;
		}
		if (is_blank(c) || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = 0;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

char *
filter_relpath_real(const char *path, const char *dir)
{
	char *r = realpath(path, NULL), *out;

	if (r == NULL) {
		return hconf_xstrdup(path);
	}
	out = filter_relpath(r, dir);
	free(r);
	return out;
}

char *
filter_relpath(const char *path, const char *dir)
{
	size_t i = 0, common = 0, ups = 0, len;
	const char *p;
	char *out;

	if (strcmp(dir, "/") == 0) {
		return hconf_xstrdup(path + 1);
	}
	/* the longest common prefix ending at a directory boundary */
	while (path[i] != '\0' && path[i] == dir[i]) {
		i++;
		if (path[i - 1] == '/') {
			common = i;
		}
	}
	if (dir[i] == '\0' && path[i] == '/') {
		return hconf_xstrdup(path + i + 1); /* inside dir */
	}
	for (p = dir + common; *p != '\0'; p++) {
		if (*p == '/') {
			ups++;
		}
	}
	if (dir[common] != '\0') {
		ups++;
	}
	len = ups * 3 + strlen(path + common) + 1;
	out = hconf_xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < ups; i++) {
		strcat(out, "../");
	}
	strcat(out, path + common);
	return out;
}

/* The directory of the main file (absolute), or the working directory. */
static char *
main_dir(const char *name)
{
	char *r = NULL, *slash;

	if (name != NULL && strcmp(name, "-") != 0) {
		r = realpath(name, NULL);
	}
	if (r == NULL) {
		char buf[PATH_MAX];

		if (getcwd(buf, sizeof(buf)) == NULL) {
			return hconf_xstrdup("/");
		}
		return hconf_xstrdup(buf);
	}
	slash = strrchr(r, '/');
	if (slash == r) {
		slash[1] = '\0';
	} else if (slash != NULL) {
		*slash = '\0';
	}
	return r;
}

/* The file's path for fingerprints: relative to the main file's directory. */
static char *
fp_path(const struct hconf_doc *doc, uint32_t fid, const char *name,
    const char *mdir)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);
	const char *p;

	if (fid == 0 && (name == NULL || strcmp(name, "-") == 0)) {
		return hconf_xstrdup("-");
	}
	p = fid == 0 ? name : f && f->real ? f->real : f ? f->path : "?";
	return filter_relpath_real(p, mdir);
}

struct fpkey {
	unsigned long long h;
	size_t i;
};

static int
cmp_fpkey(const void *a, const void *b)
{
	const struct fpkey *x = a, *y = b;

	if (x->h != y->h) {
		return x->h < y->h ? -1 : 1;
	}
	return x->i < y->i ? -1 : x->i > y->i;
}

/* occ[i] = 1 + the number of earlier findings with the same key. */
static void
occurrences(const unsigned long long *h, size_t n, unsigned *occ)
{
	struct fpkey *k = hconf_xcalloc(n ? n : 1, sizeof(*k));
	size_t i;

	for (i = 0; i < n; i++) {
		k[i].h = h[i];
		k[i].i = i;
	}
	qsort(k, n, sizeof(*k), cmp_fpkey);
	for (i = 0; i < n; i++) {
		occ[k[i].i] = i > 0 && k[i - 1].h == k[i].h ?
		    occ[k[i - 1].i] + 1 : 1;
	}
	free(k);
}

static char *
fmt_fp(unsigned long long h, unsigned occ)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%016llx:%u", h, occ);
	return hconf_xstrdup(buf);
}

/* ---- the filter ---------------------------------------------------------- */

static int
effective_sev(const struct filter_opts *o, const struct rules_finding *f)
{
	size_t i = config_rule_index(f->info);

	if (o->cli_sev != NULL && o->cli_sev[i] != CONFIG_SEV_UNSET) {
		return o->cli_sev[i];
	}
	if (o->cfg != NULL && i < o->cfg->nsev &&
	    o->cfg->sev[i] != CONFIG_SEV_UNSET) {
		return o->cfg->sev[i];
	}
	return (int)f->sev;
}

/* The hashes of every raw finding, by index (see fingerprints()). */
struct fhash {
	unsigned long long *base;  /* rule, path, line text: the baseline's */
	unsigned long long *line;  /* rule, line text: SARIF's line hash */
	unsigned long long *kept;  /* line per file, to number repeats */
	unsigned *obase, *oline;   /* occurrence numbers of base and kept */
};

/*
 * Hash every raw finding, so that the fingerprints do not depend on
 * what is suppressed.  The path hashed is relative to the main file
 * mname (under --root, as read inside the root).  fhash_free() frees.
 */
static void
fingerprints(const struct hconf_doc *doc, const struct rules_result *raw,
    const struct units *us, const char *mname, struct fhash *h)
{
	uint32_t nfiles = hconf_doc_nfiles(doc), fid;
	char **rel = hconf_xcalloc(nfiles ? nfiles : 1, sizeof(char *));
	char *mdir = main_dir(mname);
	size_t n = raw->n ? raw->n : 1, i;

	h->base = hconf_xcalloc(n, sizeof(*h->base));
	h->line = hconf_xcalloc(n, sizeof(*h->line));
	h->kept = hconf_xcalloc(n, sizeof(*h->kept));
	h->obase = hconf_xcalloc(n, sizeof(*h->obase));
	h->oline = hconf_xcalloc(n, sizeof(*h->oline));
	for (i = 0; i < raw->n; i++) {
		const struct rules_finding *f = &raw->f[i];
		const struct hconf_file *file = hconf_doc_file(doc, f->file_id);
		const struct unit *u = f->file_id < nfiles ?
		    unit_at(&us[f->file_id], f->off) : NULL;
		char *text = u && file ? normalize(file->buf + u->off, u->len) :
		    hconf_xstrdup("");
		unsigned long long v = FNV_OFFSET;

		if (f->file_id < nfiles && rel[f->file_id] == NULL) {
			rel[f->file_id] = fp_path(doc, f->file_id, mname,
			    mdir);
		}
		v = fnv(v, f->info->id, strlen(f->info->id) + 1);
		v = fnv(v, text, strlen(text) + 1);
		h->line[i] = v;
		/* occurrences of a line hash are counted per file */
		h->kept[i] = fnv(v, &f->file_id, sizeof(f->file_id));
		v = FNV_OFFSET;
		v = fnv(v, f->info->id, strlen(f->info->id) + 1);
		if (f->file_id < nfiles) {
			v = fnv(v, rel[f->file_id],
			    strlen(rel[f->file_id]) + 1);
		}
		h->base[i] = fnv(v, text, strlen(text) + 1);
		free(text);
	}
	occurrences(h->base, raw->n, h->obase);
	occurrences(h->kept, raw->n, h->oline);
	for (fid = 0; fid < nfiles; fid++) {
		free(rel[fid]);
	}
	free(rel);
	free(mdir);
}

static void
fhash_free(struct fhash *h)
{
	free(h->base);
	free(h->line);
	free(h->kept);
	free(h->obase);
	free(h->oline);
}

/*
 * The baseline record of f with fingerprint fp, "FP RULE FILE:LINE".
 * The fingerprint hashes the path relative to the main file; the record
 * shows the path every output format shows.  Caller frees.
 */
static char *
record(const struct hconf_doc *doc, const char *name,
    const struct filter_opts *o, const struct rules_finding *f,
    const char *fp)
{
	const struct hconf_file *ff = hconf_doc_file(doc, f->file_id);
	char *rp = f->file_id == 0 && (name == NULL ||
	    strcmp(name, "-") == 0) ? hconf_xstrdup("-") :
	    out_display_path(ff != NULL ? ff->real : "?", o->base_dir);
	size_t len = strlen(fp) + strlen(f->info->id) + strlen(rp) + 32;
	char *rec = hconf_xmalloc(len);

	snprintf(rec, len, "%s %s %s:%u", fp, f->info->id, rp, f->line);
	free(rp);
	return rec;
}

/* Inline suppressions of every file of doc, into sup. */
static void
suppressions(const struct hconf_doc *doc, const char *name,
    struct units *us, const struct filter_opts *o, struct sup *sup)
{
	uint32_t nfiles = hconf_doc_nfiles(doc), fid;

	for (fid = 0; fid < nfiles; fid++) {
		const struct hconf_file *f = hconf_doc_file(doc, fid);
		const char *path = fid == 0 && name != NULL ? name :
		    fid == 0 ? "-" : f->path;

		file_suppressions(doc, fid, path, &us[fid], o, sup);
	}
}

void
filter_run(const struct hconf_doc *doc, const char *name,
    const struct rules_result *raw, const struct filter_opts *o,
    struct filter_result *out)
{
	uint32_t nfiles = hconf_doc_nfiles(doc), fid;
	struct units *us = hconf_xcalloc(nfiles ? nfiles : 1, sizeof(*us));
	size_t n = raw->n, i;
	/* the main file as read: under --root, inside the root */
	const struct hconf_file *f0 = hconf_doc_file(doc, 0);
	struct fhash h;
	struct sup sup;

	memset(out, 0, sizeof(*out));
	memset(&sup, 0, sizeof(sup));
	for (fid = 0; fid < nfiles; fid++) {
		units_build(&us[fid], hconf_doc_file(doc, fid));
	}
	if (o->inline_suppress) {
		suppressions(doc, name, us, o, &sup);
	}
	fingerprints(doc, raw, us, name != NULL && f0 != NULL &&
	    f0->real != NULL ? f0->real : name, &h);

	out->res = *raw;
	out->res.f = hconf_xcalloc(n ? n : 1, sizeof(*out->res.f));
	out->res.n = 0;
	out->res.cap = n;
	out->fp = hconf_xcalloc(n ? n : 1, sizeof(char *));
	out->lhash = hconf_xcalloc(n ? n : 1, sizeof(char *));
	out->rec = hconf_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		struct rules_finding f = raw->f[i];
		int sev = effective_sev(o, &f);
		char *fp;

		if (sev == CONFIG_SEV_OFF || suppressed(&sup, &f)) {
			continue;
		}
		f.sev = (enum hconf_severity)sev;
		fp = fmt_fp(h.base[i], h.obase[i]);
		out->rec[out->nrec++] = record(doc, name, o, &f, fp);
		if (o->base != NULL && filter_baseline_has(o->base, fp)) {
			free(fp);
			continue;
		}
		/* GitHub's own line hashes read "HEX:N" in the same way */
		out->lhash[out->res.n] = fmt_fp(h.line[i], h.oline[i]);
		out->fp[out->res.n] = fp;
		out->res.f[out->res.n++] = f;
	}

	for (fid = 0; fid < nfiles; fid++) {
		free(us[fid].u);
		free(us[fid].com);
	}
	free(us);
	fhash_free(&h);
	free(sup.r);
}

void
filter_free(struct filter_result *r)
{
	cli_free_strings(r->fp, r->res.n);
	cli_free_strings(r->lhash, r->res.n);
	cli_free_strings(r->rec, r->nrec);
	free(r->res.f);
	memset(r, 0, sizeof(*r));
}

/* ---- baseline ------------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
filter_baseline_load(const char *path, struct baseline *b)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int bad, saved;

	if (fp == NULL) {
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		char *p = line, *e;

		while (is_blank((unsigned char)*p)) {
			p++;
		}
		if (*p == '#' || *p == '\n' || *p == '\0') {
			continue;
		}
		e = p;
		while (*e != '\0' && !is_blank((unsigned char)*e) && *e != '\n') {
			e++;
		}
		*e = '\0';
		b->fp = grow(b->fp, b->n, &b->cap, 64, sizeof(char *));
		b->fp[b->n++] = hconf_xstrdup(p);
	}
	free(line);
	/* a read error: -1 with its errno, which fclose() must not change */
	bad = ferror(fp);
	saved = errno;
	fclose(fp);
	if (bad) {
		errno = saved;
		return -1;
	}
	if (b->n > 0) {
		qsort(b->fp, b->n, sizeof(char *), cmp_str);
	}
	return 0;
}

int
filter_baseline_has(const struct baseline *b, const char *fp)
{
	return b->n > 0 && bsearch(&fp, b->fp, b->n, sizeof(char *),
	    cmp_str) != NULL;
}

void
filter_baseline_free(struct baseline *b)
{
	cli_free_strings(b->fp, b->n);
	memset(b, 0, sizeof(*b));
}
