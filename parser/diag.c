/*
 * diag.c - the diagnostic catalogue and the function that records a
 * diagnostic in a document.  It never prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hconf_int.h"

static const struct hconf_diag_info catalogue[] = {
#define HCONF_DIAG(e, id, name, sev, sum) {id, name, sev, sum},
#include "diag.def"
#undef HCONF_DIAG
};

const struct hconf_diag_info *
diag_info(enum hconf_diag_code c)
{
	return &catalogue[c];
}

const struct hconf_diag_info *
hconf_diag_catalogue(size_t *n)
{
	*n = sizeof(catalogue) / sizeof(catalogue[0]);
	return catalogue;
}

const char *
hconf_severity_name(enum hconf_severity s)
{
	static const char *const names[] = {"note", "style", "warning",
	    "error", "fatal"};

	return (unsigned)s < 5 ? names[s] : "?";
}

struct hconf_diag *
diag_add(struct hconf_doc *doc, enum hconf_diag_code code, uint32_t file_id,
    uint32_t off, uint32_t line, const char *fmt, ...)
{
	struct hconf_diag d;
	va_list ap;
	char small[256], *msg;
	int n;

	memset(&d, 0, sizeof(d));
	d.info = &catalogue[code];
	d.sev = d.info->sev;
	d.file_id = file_id;
	d.off = off;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
		small[0] = '\0';
	}
	if ((size_t)n < sizeof(small)) {
		msg = arena_strndup(&doc->a, small, (size_t)n);
	} else {
		msg = arena_alloc(&doc->a, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	d.msg = msg;
	if (doc_file(doc, file_id) != NULL &&
	    doc_file(doc, file_id)->macro != NULL) {
		const struct hconf_node *use = NULL;
		const struct hconf_file *f = doc_file(doc, file_id);
		uint32_t bf, bo;

		/* reported at the Use line, the body line beside it */
		hconf_macro_origin(doc, file_id, off, &use, &bf, &bo);
		d.has_ctx = 1;
		d.ctx_file = bf;
		hconf_linecol(doc, bf, bo, &d.ctx_line, &d.ctx_col);
		d.msg = arena_printf(&doc->a, "%s (in macro '%s', %s:%u)", msg,
		    f->macro, doc_file(doc, bf) ? doc_file(doc, bf)->path : "?",
		    d.ctx_line);
		d.file_id = use->file_id;
		d.off = use->name.off;
		hconf_linecol(doc, d.file_id, d.off, &d.line, &d.col);
		d.line = use->line_last;
	} else if (doc_file(doc, file_id) != NULL) {
		hconf_linecol(doc, file_id, off, &d.line, &d.col);
		if (line != 0) {
			d.line = line;
		}
	} else {
		d.line = line;
	}
	vec_push(&doc->diags, &d);
	return &((struct hconf_diag *)doc->diags.v)[doc->diags.n - 1];
}
