/*
 * print.c - write a file's tree back out.  Clean nodes are copied from
 * the source buffer; only DIRTY and SYNTH nodes use their new text, and
 * DELETED nodes are dropped, so an unmodified tree prints its input
 * byte for byte.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

struct sink {
	FILE *fp;
	char *buf;
	size_t len, cap;
	int err;
	const char *pa, *pb; /* a pending run of source bytes */
};

static void
put(struct sink *s, const char *p, size_t n)
{
	if (n == 0 || s->err) {
		return;
	}
	if (s->fp != NULL) {
		if (fwrite(p, 1, n, s->fp) != n) {
			s->err = errno ? errno : EIO;
		}
		return;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (cap < s->len + n + 1) {
			cap *= 2;
		}
		s->buf = hconf_xrealloc(s->buf, cap);
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

/*
 * Source spans of clean nodes follow each other, so runs of them are
 * merged and written at once: an unmodified file is a single write.
 */
static void
flush(struct sink *s)
{
	if (s->pa != NULL) {
		put(s, s->pa, (size_t)(s->pb - s->pa));
		s->pa = s->pb = NULL;
	}
}

static void
put_span(struct sink *s, const struct hconf_file *f, struct hconf_span sp)
{
	const char *a = f->buf + sp.off;

	if (sp.len == 0) {
		return;
	}
	if (s->pa != NULL && s->pb == a) {
		s->pb = a + sp.len;
		return;
	}
	flush(s);
	s->pa = a;
	s->pb = a + sp.len;
}

static void
print_tree(struct sink *s, const struct hconf_file *f,
    const struct hconf_node *root)
{
	const struct hconf_node *n = root->first;

	while (n != NULL) {
		int skip = (n->flags & HCONF_NODE_DELETED) != 0;

		if (!skip) {
			if (n->flags & (HCONF_NODE_DIRTY | HCONF_NODE_SYNTH)) {
				flush(s);
				if (n->text != NULL) {
					put(s, n->text, n->text_len);
				}
			} else {
				put_span(s, f, n->full);
			}
		}
		if (n->kind == HCONF_SECTION && n->first != NULL && !skip) {
			n = n->first;
			continue;
		}
		for (;;) {
			if (n->kind == HCONF_SECTION &&
			    !(n->flags & HCONF_NODE_DELETED)) {
				put_span(s, f, n->close);
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

int
hconf_print_file(const struct hconf_doc *doc, uint32_t file_id, FILE *fp)
{
	const struct hconf_file *f = doc_file(doc, file_id);
	struct sink s;

	if (f == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.fp = fp;
	errno = 0;
	print_tree(&s, f, f->root);
	flush(&s);
	if (s.err) {
		errno = s.err;
		return -1;
	}
	return 0;
}

char *
hconf_print_buffer(const struct hconf_doc *doc, uint32_t file_id,
    size_t *len)
{
	const struct hconf_file *f = doc_file(doc, file_id);
	struct sink s;

	memset(&s, 0, sizeof(s));
	if (f != NULL) {
		/* most printed files are about as long as their source */
		s.cap = (size_t)f->len + 1;
		s.buf = hconf_xmalloc(s.cap);
		s.buf[0] = '\0';
	}
	if (f != NULL) {
		print_tree(&s, f, f->root);
		flush(&s);
	}
	if (s.buf == NULL) {
		s.buf = hconf_xcalloc(1, 1);
	}
	*len = s.len;
	return s.buf;
}
