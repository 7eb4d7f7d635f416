/*
 * node.c - node allocation and links, line/column lookup, tree walking,
 * the tree checker and the small editing API used by mpmconv.  The
 * printer lives in print.c.  Nothing here reads files.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hconf_int.h"
#include "ieq.h"

struct hconf_node *
node_new(struct hconf_doc *doc, enum hconf_kind kind, uint32_t file_id)
{
	struct hconf_node *n = arena_calloc(&doc->a, sizeof(*n));

	n->kind = kind;
	n->file_id = file_id;
	return n;
}

void
node_append(struct hconf_node *parent, struct hconf_node *child)
{
	child->parent = parent;
	child->prev = parent->last;
	child->next = NULL;
	if (parent->last != NULL) {
		parent->last->next = child;
	} else {
		parent->first = child;
	}
	parent->last = child;
}

struct hconf_file *
doc_file(const struct hconf_doc *doc, uint32_t id)
{
	if (id & HCONF_FILE_MACRO) {
		id &= ~HCONF_FILE_MACRO;
		return id < doc->xfiles.n ?
		    ((struct hconf_file **)doc->xfiles.v)[id] : NULL;
	}
	if (id >= doc->files.n) {
		return NULL;
	}
	return ((struct hconf_file **)doc->files.v)[id];
}

uint32_t
hconf_doc_nfiles(const struct hconf_doc *doc)
{
	return (uint32_t)doc->files.n;
}

const struct hconf_file *
hconf_doc_file(const struct hconf_doc *doc, uint32_t id)
{
	return doc_file(doc, id);
}

const struct hconf_diag *
hconf_doc_diags(const struct hconf_doc *doc, size_t *n)
{
	*n = doc->diags.n;
	return doc->diags.v;
}

const struct hconf_module *
hconf_doc_modules(const struct hconf_doc *doc, size_t *n)
{
	*n = doc->modules.n;
	return doc->modules.v;
}

const char *
hconf_doc_define(const struct hconf_doc *doc, const char *name)
{
	const struct define *d = defmap_get(&doc->defines, name);

	if (d == NULL) {
		return NULL;
	}
	return d->value != NULL ? d->value : "";
}

const char *
hconf_strdup(struct hconf_doc *doc, const char *s)
{
	return arena_strdup(&doc->a, s);
}

/* Build the line-start table lazily: most files are never reported on. */
void
file_index_lines(struct hconf_file *f)
{
	uint32_t n = 1, cap = 1024, *lines = hconf_xmalloc(cap * sizeof(*lines));
	const char *p = f->buf, *end = f->buf + f->len;

	lines[0] = 0;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		if (n == cap) {
			cap *= 2;
			lines = hconf_xrealloc(lines, cap * sizeof(*lines));
		}
		lines[n++] = (uint32_t)(p - f->buf);
	}
	/* on the heap, as the lexer's: hconf_doc_free() frees it */
	f->lines = hconf_xrealloc(lines, n * sizeof(*lines));
	f->nlines = n;
}

void
hconf_linecol(const struct hconf_doc *doc, uint32_t file_id, uint32_t off,
    uint32_t *line, uint32_t *col)
{
	struct hconf_file *f = doc_file(doc, file_id);
	const uint32_t *lines;
	uint32_t lo = 0, hi;

	*line = *col = 1;
	if (f == NULL) {
		return;
	}
	lines = f->lines;
	hi = f->nlines;
	if (lines == NULL) {
		/* A file being read: the lexer's index holds every line
		 * that starts before where it is. */
		const struct reader *rd = doc->reading;

		while (rd != NULL && rd->f != f) {
			rd = rd->up;
		}
		if (rd != NULL && off < rd->lx.off && rd->lx.nlines > 0) {
			lines = rd->lx.lines;
			hi = rd->lx.nlines;
		} else {
			/* The index is a cache: const in spirit. */
			file_index_lines(f);
			lines = f->lines;
			hi = f->nlines;
		}
	}
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if (lines[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*line = lo + 1;
	*col = off - lines[lo] + 1;
}

const struct hconf_node *
hconf_node_walk(const struct hconf_node *n)
{
	if (n->first != NULL) {
		return n->first;
	}
	while (n != NULL) {
		if (n->next != NULL) {
			return n->next;
		}
		n = n->parent;
	}
	return NULL;
}

const struct hconf_node *
hconf_node_up(const struct hconf_doc *doc, const struct hconf_node *n)
{
	if (n->parent != NULL && n->parent->kind != HCONF_DOC) {
		return n->parent;
	}
	if (n->kind == HCONF_DOC || n->parent != NULL) {
		const struct hconf_file *f = doc_file(doc, n->file_id);

		return f ? f->incl_node : NULL;
	}
	return NULL;
}

int
hconf_node_is(const struct hconf_node *n, const char *name)
{
	return n->word != NULL && hconf_ieq(n->word, name);
}

void
hconf_node_set_text(struct hconf_doc *doc, struct hconf_node *n,
    const char *text)
{
	hconf_node_set_bytes(doc, n, text, strlen(text));
}

void
hconf_node_set_bytes(struct hconf_doc *doc, struct hconf_node *n,
    const char *text, size_t len)
{
	n->text = arena_strndup(&doc->a, text, len);
	n->text_len = len;
	n->flags |= HCONF_NODE_DIRTY;
}

struct hconf_node *
hconf_node_insert_after(struct hconf_doc *doc, struct hconf_node *parent,
    struct hconf_node *after, const char *text)
{
	struct hconf_node *n = node_new(doc, HCONF_DIRECTIVE, parent->file_id);

	n->flags = HCONF_NODE_SYNTH | HCONF_NODE_ACTIVE;
	n->text = arena_strdup(&doc->a, text);
	n->text_len = strlen(text);
	if (after == parent->last) {
		node_append(parent, n);
		return n;
	}
	/* between after (NULL: none) and the node that followed it */
	n->parent = parent;
	n->prev = after;
	n->next = after != NULL ? after->next : parent->first;
	n->next->prev = n;
	if (after != NULL) {
		after->next = n;
	} else {
		parent->first = n;
	}
	return n;
}

/*
 * The span invariant: in document order, the line-level spans of the
 * nodes of one file (leaf full spans, section open and close spans)
 * follow each other without gap or overlap from 0 to the file's length.
 */
int
hconf_node_check(const struct hconf_doc *doc, const char **why)
{
	uint32_t id, k;

	/* the files read, then the macro expansions */
	for (k = 0; k < doc->files.n + doc->xfiles.n; k++) {
		const struct hconf_file *f;
		const struct hconf_node *n, *up;
		uint32_t at = 0;

		id = k < doc->files.n ? k :
		    (uint32_t)(k - doc->files.n) | HCONF_FILE_MACRO;
		f = doc_file(doc, id);

		if (f->root == NULL || f->root->kind != HCONF_DOC) {
			*why = "file without a DOC root";
			return -1;
		}
		n = f->root->first;
		while (n != NULL) {
			if (n->parent == NULL || n->file_id != id) {
				*why = "node with a bad parent or file id";
				return -1;
			}
			if ((n->prev ? n->prev->next : n->parent->first) != n ||
			    (n->next ? n->next->prev : n->parent->last) != n) {
				*why = "broken sibling links";
				return -1;
			}
			if (!(n->flags & HCONF_NODE_SYNTH)) {
				if (n->full.off != at) {
					*why = "gap or overlap between spans";
					return -1;
				}
				at += n->full.len;
			}
			if (n->kind == HCONF_SECTION && n->first != NULL) {
				n = n->first;
				continue;
			}
			if (n->kind != HCONF_SECTION && n->first != NULL) {
				*why = "a leaf with children";
				return -1;
			}
			/* leave finished sections, emitting their close spans */
			for (;;) {
				if (n->kind == HCONF_SECTION &&
				    !(n->flags & HCONF_NODE_SYNTH)) {
					if (n->close.len && n->close.off != at) {
						*why = "close span out of place";
						return -1;
					}
					at += n->close.len;
				}
				if (n->next != NULL) {
					n = n->next;
					break;
				}
				up = n->parent;
				if (up == NULL || up->kind == HCONF_DOC) {
					n = NULL;
					break;
				}
				n = up;
			}
		}
		if (at != f->len) {
			*why = "spans do not cover the whole file";
			return -1;
		}
	}
	return 0;
}
