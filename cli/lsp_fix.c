/*
 * lsp_fix.c - quick fixes for codeAction: the edits mpmlint --fix makes
 * for one finding (conv_fix_plan() in libconv, the one implementation),
 * as the TextEdits of a CodeAction.  The plan's offsets are bytes of the
 * file as last linted, which is the open buffer the client edits.
 */
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "lsp.h"

void
lsp_fix_actions(struct lsp *s, struct lsp_proj *p, uint32_t fid,
    size_t finding, const char *uri, struct jb *r, int *first)
{
	const struct rules_finding *f = &p->fr.res.f[finding];
	struct conv_fix_plan plan;
	size_t i, k = 0;

	(void)s;
	memset(&plan, 0, sizeof(plan));
	if (!conv_fixable(f) || !conv_fix_plan(p->doc, &p->raw, f, &plan)) {
		return;
	}
	jb_raw(r, *first ? "{\"title\":" : ",{\"title\":");
	*first = 0;
	jb_cstr(r, plan.desc != NULL ? plan.desc : f->info->id);
	jb_raw(r, ",\"kind\":\"quickfix\",\"isPreferred\":true,"
	    "\"edit\":{\"changes\":{");
	jb_cstr(r, uri);
	jb_raw(r, ":[");
	for (i = 0; i < plan.n; i++) {
		const struct conv_fix_edit *e = &plan.e[i];

		/* the plan edits f's own file only */
		if (e->file_id != fid) {
			continue;
		}
		jb_raw(r, k++ > 0 ? ",{\"range\":" : "{\"range\":");
		lsp_jrange(r, p->doc, fid, e->off, e->off + e->len);
		jb_raw(r, ",\"newText\":");
		jb_cstr(r, e->text != NULL ? e->text : "");
		jb_raw(r, "}");
	}
	jb_raw(r, "]}}}");
	conv_fix_plan_free(&plan);
}
