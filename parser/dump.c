/*
 * dump.c - a one-line-per-node dump of the tree, for golden tests and
 * debugging: kind, span, line, flags, name and argument values.
 * Included files follow their Include line, indented one level more.
 */
#include <string.h>

#include "hconf_int.h"

static const char *const kinds[] = {"DOC", "DIRECTIVE", "SECTION",
    "COMMENT", "BLANK", "ERROR"};

static void
put_escaped(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '"') {
			fprintf(fp, "\\%c", c);
		} else if (c < 0x20 || c >= 0x7f) {
			fprintf(fp, "\\x%02x", c);
		} else {
			fputc(c, fp);
		}
	}
}

static void dump_file(const struct hconf_doc *, uint32_t, int, FILE *);

static void
dump_node(const struct hconf_doc *doc, const struct hconf_node *n, int depth,
    FILE *fp)
{
	const struct hconf_node *c;
	uint32_t i, line, col;

	hconf_linecol(doc, n->file_id, n->full.off, &line, &col);
	fprintf(fp, "%*s%s %u+%u L%u", depth * 2, "", kinds[n->kind],
	    n->full.off, n->full.len, line);
	if (n->line_last != line && n->line_last != 0) {
		fprintf(fp, "-%u", n->line_last);
	}
	if (!(n->flags & HCONF_NODE_ACTIVE)) {
		fputs(" inactive", fp);
	}
	if (n->flags & HCONF_NODE_COND) {
		fputs(n->flags & HCONF_NODE_TRUE ? " true" : " false", fp);
	}
	if (n->flags & HCONF_NODE_UNCLOSED) {
		fputs(" unclosed", fp);
	}
	if (n->word != NULL) {
		fputs(" ", fp);
		put_escaped(fp, n->word);
	}
	for (i = 0; i < n->nargs; i++) {
		fprintf(fp, " [%u+%u]\"", n->args[i].raw.off, n->args[i].raw.len);
		put_escaped(fp, n->args[i].value);
		fputs("\"", fp);
	}
	if (n->kind == HCONF_SECTION) {
		fprintf(fp, " close=%u+%u", n->close.off, n->close.len);
	}
	fputc('\n', fp);
	for (c = n->first; c != NULL; c = c->next) {
		dump_node(doc, c, depth + 1, fp);
	}
	for (i = 0; i < n->nincl; i++) {
		dump_file(doc, n->incl[i], depth + 1, fp);
	}
}

static void
dump_file(const struct hconf_doc *doc, uint32_t id, int depth, FILE *fp)
{
	const struct hconf_file *f = hconf_doc_file(doc, id);
	const struct hconf_node *c;

	fprintf(fp, "%*sFILE %u %s (%u bytes)\n", depth * 2, "", id, f->path,
	    f->len);
	for (c = f->root->first; c != NULL; c = c->next) {
		dump_node(doc, c, depth + 1, fp);
	}
}

int
hconf_dump(const struct hconf_doc *doc, FILE *fp)
{
	if (hconf_doc_nfiles(doc) > 0) {
		dump_file(doc, 0, 0, fp);
	}
	return ferror(fp) ? -1 : 0;
}
