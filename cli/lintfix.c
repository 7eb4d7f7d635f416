/*
 * lintfix.c - mpmlint --fix on one linted file: conv_fix() edits the
 * tree, then ip_write() replaces the changed files all or nothing, with
 * the journal of mpmconv -i.  What each fix did goes to stderr as
 * "file:line: note: fixed RULE: ...".
 *
 * --fix --diff writes nothing, so the passes --fix makes run in memory:
 * each changed file's new bytes are kept here and served to the next
 * read of the configuration (hconf_options.read), and the diffs of the
 * passes are chained into one per file, printed at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "lintfix.h"

/* A file --diff changed: its bytes before the first pass and now. */
struct lintfix_file {
	char *real;  /* hconf_file.real: the key */
	char *label; /* its name in the diff */
	char *orig, *cur;
	size_t orig_len, cur_len;
	struct conv_diff *diff;
	int chained; /* every pass's diff chained onto the one before */
};

/* conv_fix() on doc, its messages printed. */
static enum conv_status
fix_doc(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res, struct conv_result *r)
{
	struct conv_opts co;
	enum conv_status st;

	memset(&co, 0, sizeof(co));
	co.root = lf->root;
	co.to = co.from = res->eff.mpm;
	st = conv_fix(doc, res, &co, -1, r);
	if (!lf->quiet) {
		conv_print_msgs(stderr, r);
	}
	return st;
}

int
lintfix_apply(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res, const struct ip_lock *lk)
{
	struct conv_result r;
	enum conv_status st = fix_doc(lf, doc, res, &r);
	int rc = 0;

	if (st == CONV_FAILED) {
		rc = -1;
	} else if (st == CONV_OK) {
		ip_set_name("mpmlint");
		rc = conv_write_result(&r, lk, 0, lf->quiet);
		if (rc == 0) {
			lf->fixed += r.nmsgs;
		}
	}
	conv_result_free(&r);
	return rc;
}

static struct lintfix_file *
find_file(struct lintfix *lf, const char *real)
{
	size_t i;

	for (i = 0; i < lf->nfiles; i++) {
		if (strcmp(lf->files[i].real, real) == 0) {
			return &lf->files[i];
		}
	}
	return NULL;
}

static char *
copy_bytes(const char *p, size_t n)
{
	char *c = hconf_xmalloc(n + 1);

	memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* Records one changed file of a pass. */
static void
keep_output(struct lintfix *lf, const struct conv_out *o)
{
	const struct hconf_file *f = hconf_doc_file(o->doc, o->file_id);
	struct lintfix_file *k = find_file(lf, f->real);
	struct conv_diff *d = conv_diff_file(o->doc, o->file_id);

	if (k == NULL) {
		lf->files = hconf_xrealloc(lf->files,
		    (lf->nfiles + 1) * sizeof(*lf->files));
		k = &lf->files[lf->nfiles++];
		memset(k, 0, sizeof(*k));
		k->real = hconf_xstrdup(f->real);
		k->label = hconf_xstrdup(o->label);
		k->orig = copy_bytes(f->buf, f->len);
		k->orig_len = f->len;
		k->diff = d;
		k->chained = 1;
	} else {
		struct conv_diff *c = conv_diff_then(k->diff, d);

		conv_diff_free(k->diff);
		conv_diff_free(d);
		k->diff = c;
		k->chained = c != NULL;
		free(k->cur);
	}
	k->cur = hconf_print_buffer(o->doc, o->file_id, &k->cur_len);
}

int
lintfix_diff_pass(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res)
{
	struct conv_result r;
	enum conv_status st = fix_doc(lf, doc, res, &r);
	size_t i;
	int rc = 0;

	if (st == CONV_FAILED) {
		rc = -1;
	} else if (st == CONV_OK && r.nout > 0) {
		for (i = 0; i < r.nout; i++) {
			keep_output(lf, &r.out[i]);
		}
		lf->fixed += r.nmsgs;
		rc = 1;
	}
	conv_result_free(&r);
	return rc;
}

const char *
lintfix_bytes(const struct lintfix *lf, const char *real, size_t *len)
{
	const struct lintfix_file *k = find_file((struct lintfix *)lf, real);

	if (k == NULL) {
		return NULL;
	}
	*len = k->cur_len;
	return k->cur;
}

int
lintfix_read(void *ctx, const char *real, const char **buf, size_t *len)
{
	const char *b = lintfix_bytes(ctx, real, len);

	if (b == NULL) {
		return 0;
	}
	*buf = b;
	return 1;
}

int
lintfix_diff_print(struct lintfix *lf)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < lf->nfiles; i++) {
		struct lintfix_file *k = &lf->files[i];

		if (!k->chained || !conv_diff_check(k->diff, k->orig,
		    k->orig_len, k->cur, k->cur_len)) {
			/* the passes' lines did not line up: diff the texts */
			conv_diff_free(k->diff);
			k->diff = conv_diff_bytes(k->orig, k->orig_len, k->cur,
			    k->cur_len);
		}
		if (conv_diff_print(lf->out, k->label, k->diff) != 0) {
			rc = -1;
		}
	}
	return rc;
}

void
lintfix_free(struct lintfix *lf)
{
	size_t i;

	for (i = 0; i < lf->nfiles; i++) {
		struct lintfix_file *k = &lf->files[i];

		free(k->real);
		free(k->label);
		free(k->orig);
		free(k->cur);
		conv_diff_free(k->diff);
	}
	free(lf->files);
	lf->files = NULL;
	lf->nfiles = 0;
}
