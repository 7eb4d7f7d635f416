/*
 * diff.c - a unified diff of every change a conversion made (files,
 * new files, symlinks), ready for git apply: the lines come from a walk
 * of the tree like the printer's, grouped into hunks with 3 lines of
 * context.  Reads the result only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"

/* ---- the unified diff ------------------------------------------------------
 */

struct dline {
	char type; /* ' ', '-', '+' */
	const char *p;
	size_t len; /* with its newline, if any */
};

struct dvec {
	struct dline *v;
	size_t n, cap;
};

static void
dpush(struct dvec *d, char type, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (p + i)) + 1 : len - i;

		d->v = conv_grow(d->v, d->n, &d->cap, sizeof(*d->v), 256);
		d->v[d->n].type = type;
		d->v[d->n].p = p + i;
		d->v[d->n].len = l;
		d->n++;
		i += l;
	}
}

/* Length of the first line of p[0..len), with its newline. */
static size_t
line_len(const char *p, size_t len)
{
	const char *nl = memchr(p, '\n', len);

	return nl ? (size_t)(nl - p) + 1 : len;
}

/*
 * A node whose bytes changed: the physical lines both versions begin or
 * end with stay context (a line added after a directive, one value in a
 * continued line), the others are removed and added.
 */
static void
dirty_lines(struct dvec *d, const char *a, size_t al, const char *b,
    size_t bl)
{
	size_t l, ta, tb;

	while (al > 0 && bl > 0 && (l = line_len(a, al)) == line_len(b, bl) &&
	    a[l - 1] == '\n' && memcmp(a, b, l) == 0) {
		dpush(d, ' ', a, l);
		a += l, al -= l, b += l, bl -= l;
	}
	ta = al, tb = bl;
	while (ta > 0 && tb > 0) {
		size_t sa = ta - 1, sb = tb - 1;

		/* the start of the last line of each */
		while (sa > 0 && a[sa - 1] != '\n') {
			sa--;
		}
		while (sb > 0 && b[sb - 1] != '\n') {
			sb--;
		}
		if (ta - sa != tb - sb ||
		    memcmp(a + sa, b + sb, ta - sa) != 0 || a[ta - 1] != '\n') {
			break;
		}
		ta = sa, tb = sb;
	}
	dpush(d, '-', a, ta);
	dpush(d, '+', b, tb);
	dpush(d, ' ', a + ta, al - ta);
}

/* The same walk as the printer, recording which lines stay or change. */
static void
diff_lines(
    struct dvec *d, const struct hconf_file *f, const struct hconf_node *root)
{
	const struct hconf_node *n = root->first;

	while (n != NULL) {
		int del = (n->flags & HCONF_NODE_DELETED) != 0;

		if (del) {
			if (!(n->flags & HCONF_NODE_SYNTH)) {
				uint32_t end =
				    n->kind == HCONF_SECTION && n->close.len
				    ? n->close.off + n->close.len
				    : n->full.off + n->full.len;

				dpush(d, '-', f->buf + n->full.off,
				    end - n->full.off);
			}
		} else if (n->flags & HCONF_NODE_SYNTH) {
			if (n->text != NULL) {
				dpush(d, '+', n->text, n->text_len);
			}
		} else if ((n->flags & HCONF_NODE_DIRTY) && n->text != NULL &&
		    (n->text_len != n->full.len ||
		        memcmp(n->text, f->buf + n->full.off, n->full.len) !=
		            0)) {
			dirty_lines(d, f->buf + n->full.off, n->full.len,
			    n->text, n->text_len);
		} else {
			dpush(d, ' ', f->buf + n->full.off, n->full.len);
		}
		if (n->kind == HCONF_SECTION && n->first != NULL && !del) {
			n = n->first;
			continue;
		}
		for (;;) {
			if (n->kind == HCONF_SECTION &&
			    !(n->flags & HCONF_NODE_DELETED)) {
				dpush(d, ' ', f->buf + n->close.off,
				    n->close.len);
			}
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == NULL || n == root) {
				return;
			}
		}
	}
}

/* In each run of changed lines, the removed ones first, as diff(1) does. */
static void
group_changes(struct dvec *d)
{
	size_t i = 0, j, k;

	while (i < d->n) {
		if (d->v[i].type == ' ') {
			i++;
			continue;
		}
		for (j = i; j < d->n && d->v[j].type != ' '; j++) {
			;
		}
		if (j - i > 1) {
			struct dline *tmp =
			    hconf_xmalloc((j - i) * sizeof(*tmp));
			size_t n = 0;

			for (k = i; k < j; k++) {
				if (d->v[k].type == '-') {
					tmp[n++] = d->v[k];
				}
			}
			for (k = i; k < j; k++) {
				if (d->v[k].type == '+') {
					tmp[n++] = d->v[k];
				}
			}
			memcpy(d->v + i, tmp, (j - i) * sizeof(*tmp));
			free(tmp);
		}
		i = j;
	}
}

static void
put_line(FILE *fp, const struct dline *l)
{
	fputc(l->type, fp);
	fwrite(l->p, 1, l->len, fp);
	if (l->len == 0 || l->p[l->len - 1] != '\n') {
		fputs("\n\\ No newline at end of file\n", fp);
	}
}

static void
range(FILE *fp, char sign, size_t start, size_t len)
{
	if (len == 1) {
		fprintf(fp, "%c%zu", sign, start);
	} else {
		fprintf(fp, "%c%zu,%zu", sign, len ? start : start - 1, len);
	}
}

#define CTX 3

static void
hunks(FILE *fp, const struct dvec *d)
{
	size_t *oldno = hconf_xmalloc((d->n + 1) * sizeof(size_t));
	size_t *newno = hconf_xmalloc((d->n + 1) * sizeof(size_t));
	size_t i, o = 0, nw = 0, at = 0;

	for (i = 0; i < d->n; i++) {
		oldno[i] = o;
		newno[i] = nw;
		o += d->v[i].type != '+';
		nw += d->v[i].type != '-';
	}
	oldno[d->n] = o;
	newno[d->n] = nw;
	while (at < d->n) {
		size_t c = at, s, e, last;

		while (c < d->n && d->v[c].type == ' ') {
			c++;
		}
		if (c == d->n) {
			break;
		}
		s = c > at + CTX ? c - CTX : at;
		last = c;
		for (e = c; e < d->n; e++) {
			if (d->v[e].type != ' ') {
				last = e;
			} else if (e - last > 2 * CTX) {
				break;
			}
		}
		e = last + 1 + CTX < d->n ? last + 1 + CTX : d->n;
		fputs("@@ ", fp);
		range(fp, '-', oldno[s] + 1, oldno[e] - oldno[s]);
		fputc(' ', fp);
		range(fp, '+', newno[s] + 1, newno[e] - newno[s]);
		fputs(" @@\n", fp);
		for (i = s; i < e; i++) {
			put_line(fp, &d->v[i]);
		}
		at = e;
	}
	free(oldno);
	free(newno);
}

int
conv_print_diff(FILE *fp, const struct conv_result *r)
{
	size_t i;

	for (i = 0; i < r->nout; i++) {
		const struct conv_out *o = &r->out[i];
		const struct hconf_file *f = hconf_doc_file(o->doc, o->file_id);
		struct dvec d;

		memset(&d, 0, sizeof(d));
		diff_lines(&d, f, f->root);
		group_changes(&d);
		fprintf(fp, "diff --git a/%s b/%s\n", o->label, o->label);
		if (o->created) {
			fprintf(fp, "new file mode 100644\n--- /dev/null\n");
		} else {
			fprintf(fp, "--- a/%s\n", o->label);
		}
		fprintf(fp, "+++ b/%s\n", o->label);
		hunks(fp, &d);
		free(d.v);
	}
	for (i = 0; i < r->nlinks; i++) {
		const struct conv_link *l = &r->links[i];

		fprintf(fp, "diff --git a/%s b/%s\n", l->label, l->label);
		if (l->create) {
			fprintf(fp,
			    "new file mode 120000\n--- /dev/null\n"
			    "+++ b/%s\n@@ -0,0 +1 @@\n+%s\n",
			    l->label, l->target);
		} else {
			fprintf(fp,
			    "deleted file mode 120000\n--- a/%s\n"
			    "+++ /dev/null\n@@ -1 +0,0 @@\n-%s\n",
			    l->label, l->target);
		}
		fputs("\\ No newline at end of file\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

/* ---- a diff over several passes (mpmlint --fix --diff) ---------------------
 * Each pass edits a tree read from the text the pass before wrote; the
 * diff of pass k (its tree against its bytes) is chained onto the diff so
 * far through the text they share: the lines the first adds or keeps are
 * the lines the second removes or keeps, one for one.
 */

struct conv_diff {
	struct dvec d;
	char *bytes; /* every line's bytes, owned */
};

/* Takes d; its lines are copied into one buffer of the result's. */
static struct conv_diff *
diff_own(struct dvec *d)
{
	struct conv_diff *cd = hconf_xcalloc(1, sizeof(*cd));
	size_t i, total = 0, at = 0;

	for (i = 0; i < d->n; i++) {
		total += d->v[i].len;
	}
	cd->bytes = hconf_xmalloc(total + 1);
	for (i = 0; i < d->n; i++) {
		memcpy(cd->bytes + at, d->v[i].p, d->v[i].len);
		d->v[i].p = cd->bytes + at;
		at += d->v[i].len;
	}
	cd->d = *d;
	return cd;
}

struct conv_diff *
conv_diff_file(const struct hconf_doc *doc, uint32_t file_id)
{
	const struct hconf_file *f = hconf_doc_file(doc, file_id);
	struct dvec d;

	memset(&d, 0, sizeof(d));
	diff_lines(&d, f, f->root);
	return diff_own(&d);
}

struct conv_diff *
conv_diff_bytes(const char *a, size_t al, const char *b, size_t bl)
{
	struct dvec d;

	memset(&d, 0, sizeof(d));
	dirty_lines(&d, a, al, b, bl);
	return diff_own(&d);
}

/* The lines of one side: ' ' and sign. */
static int
on_side(const struct dline *l, char sign)
{
	return l->type == ' ' || l->type == sign;
}

struct conv_diff *
conv_diff_then(struct conv_diff *x, struct conv_diff *y)
{
	const struct dvec *a = &x->d, *b = &y->d;
	struct dvec d;
	size_t i = 0, j = 0;

	memset(&d, 0, sizeof(d));
	while (i < a->n || j < b->n) {
		if (i < a->n && a->v[i].type == '-') {
			dpush(&d, '-', a->v[i].p, a->v[i].len);
			i++;
		} else if (j < b->n && b->v[j].type == '+') {
			dpush(&d, '+', b->v[j].p, b->v[j].len);
			j++;
		} else if (i < a->n && j < b->n && on_side(&a->v[i], '+') &&
		    on_side(&b->v[j], '-') && a->v[i].len == b->v[j].len &&
		    memcmp(a->v[i].p, b->v[j].p, a->v[i].len) == 0) {
			/* a line of the text between the two passes */
			if (a->v[i].type == ' ' && b->v[j].type == ' ') {
				dpush(&d, ' ', a->v[i].p, a->v[i].len);
			} else if (a->v[i].type == ' ') {
				dpush(&d, '-', a->v[i].p, a->v[i].len);
			} else if (b->v[j].type == ' ') {
				dpush(&d, '+', a->v[i].p, a->v[i].len);
			}
			i++, j++;
		} else {
			free(d.v);
			return NULL; /* the two do not share their text */
		}
	}
	return diff_own(&d);
}

/* Does side sign of cd read text[0 .. len)? */
static int
side_is(const struct conv_diff *cd, char sign, const char *text, size_t len)
{
	size_t i, at = 0;

	for (i = 0; i < cd->d.n; i++) {
		const struct dline *l = &cd->d.v[i];

		if (!on_side(l, sign)) {
			continue;
		}
		if (l->len > len - at || memcmp(text + at, l->p, l->len) != 0) {
			return 0;
		}
		at += l->len;
	}
	return at == len;
}

int
conv_diff_check(const struct conv_diff *cd, const char *a, size_t al,
    const char *b, size_t bl)
{
	return side_is(cd, '-', a, al) && side_is(cd, '+', b, bl);
}

int
conv_diff_print(FILE *fp, const char *label, struct conv_diff *cd)
{
	size_t i;

	for (i = 0; i < cd->d.n && cd->d.v[i].type == ' '; i++) {
		;
	}
	if (i == cd->d.n) {
		return 0; /* the passes undid each other */
	}
	group_changes(&cd->d);
	fprintf(fp, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", label,
	    label, label, label);
	hunks(fp, &cd->d);
	return ferror(fp) ? -1 : 0;
}

void
conv_diff_free(struct conv_diff *cd)
{
	if (cd != NULL) {
		free(cd->d.v);
		free(cd->bytes);
		free(cd);
	}
}
