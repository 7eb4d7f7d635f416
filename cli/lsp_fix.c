/*
 * lsp_fix.c - quick fixes for codeAction: the edits of mpmlint --fix
 * (conv_fix() in libconv), each changed file turned into one TextEdit
 * (the bytes between the common prefix and the common suffix of the old
 * and the new text).  Compiled in with HAVE_CONV_FIX, once conv/fix.c
 * exists; without it there are no quick fixes besides the suppression
 * comments of lsp_feat.c.
 */
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

#ifdef HAVE_CONV_FIX
#include "conv.h"

/* One WorkspaceEdit entry: old -> new as the smallest single edit. */
static void
text_edit(struct jb *r, const char *uri, const char *old, size_t olen,
    const char *new, size_t nlen)
{
	size_t pre = 0, suf = 0;

	while (pre < olen && pre < nlen && old[pre] == new[pre]) {
		pre++;
	}
	while (suf < olen - pre && suf < nlen - pre &&
	    old[olen - 1 - suf] == new[nlen - 1 - suf]) {
		suf++;
	}
	jb_cstr(r, uri);
	jb_raw(r, ":[{\"range\":{\"start\":");
	lsp_jpos(r, old, olen, pre);
	jb_raw(r, ",\"end\":");
	lsp_jpos(r, old, olen, olen - suf);
	jb_raw(r, "},\"newText\":");
	jb_str(r, new + pre, nlen - pre - suf);
	jb_raw(r, "}]");
}

/* The index in raw of the finding f of another lint of the same text. */
static long
same_finding(const struct rules_result *raw, const struct rules_finding *f)
{
	size_t k;

	for (k = 0; k < raw->n; k++) {
		if (raw->f[k].info == f->info && raw->f[k].file_id ==
		    f->file_id && raw->f[k].off == f->off) {
			return (long)k;
		}
	}
	return -1;
}

/* Each changed file of cr as one TextEdit of a CodeAction. */
static void
fix_action(struct jb *r, const struct rules_finding *f,
    const struct conv_result *cr, int *first)
{
	size_t i, len;

	jb_raw(r, *first ? "{\"title\":" : ",{\"title\":");
	*first = 0;
	jb_raw(r, "\"Fix ");
	jb_raw(r, f->info->id);
	jb_raw(r, "\",\"kind\":\"quickfix\",\"isPreferred\":true,"
	    "\"edit\":{\"changes\":{");
	for (i = 0; i < cr->nout; i++) {
		const struct hconf_file *hf = hconf_doc_file(cr->out[i].doc,
		    cr->out[i].file_id);
		char *nb = conv_render(&cr->out[i], &len);
		char *fu = lsp_path_uri(hf->real ? hf->real : hf->path);

		jb_raw(r, i > 0 ? "," : "");
		text_edit(r, fu, hf->buf, hf->len, nb, len);
		free(fu);
		free(nb);
	}
	jb_raw(r, "}}}");
}

/*
 * conv_fix() edits the document it is given: it gets a fresh parse of
 * the configuration, so that the project's tree (hover, diagnostics)
 * stays as read.
 */
void
lsp_fix_actions(struct lsp *s, struct lsp_proj *p, uint32_t fid,
    size_t finding, const char *uri, struct jb *r, int *first)
{
	const struct rules_finding *f = &p->fr.res.f[finding];
	struct hconf_doc *doc;
	struct rules_result raw;
	struct conv_opts o;
	struct conv_result cr;
	long idx;

	(void)fid;
	(void)uri;
	if (!conv_fixable(f)) {
		return;
	}
	memset(&raw, 0, sizeof(raw));
	lsp_proj_parse(s, p, &doc, &raw);
	memset(&o, 0, sizeof(o));
	memset(&cr, 0, sizeof(cr));
	if ((idx = same_finding(&raw, f)) >= 0 &&
	    conv_fix(doc, &raw, &o, idx, &cr) == CONV_OK && cr.nout > 0) {
		fix_action(r, f, &cr, first);
	}
	conv_result_free(&cr);
	rules_result_free(&raw);
	hconf_doc_free(doc);
}

#else

void
lsp_fix_actions(struct lsp *s, struct lsp_proj *p, uint32_t fid,
    size_t finding, const char *uri, struct jb *r, int *first)
{
	(void)s;
	(void)p;
	(void)fid;
	(void)finding;
	(void)uri;
	(void)r;
	(void)first;
}

#endif
