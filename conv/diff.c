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
