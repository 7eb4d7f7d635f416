/*
 * lintfix.c - mpmlint --fix on one linted file: conv_fix() edits the
 * tree, then either conv_print_diff() shows the result or ip_write()
 * replaces the changed files all or nothing, with the journal of
 * mpmconv -i.  What each fix did goes to stderr as "file:line: note:
 * fixed RULE: ...".
 */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "lintfix.h"

int
lintfix_apply(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res, const struct ip_lock *lk)
{
	struct conv_opts co;
	struct conv_result r;
	enum conv_status st;
	int rc = 0;

	memset(&co, 0, sizeof(co));
	co.root = lf->root;
	co.to = co.from = res->eff.mpm;
	st = conv_fix(doc, res, &co, -1, &r);
	if (!lf->quiet) {
		conv_print_msgs(stderr, &r);
	}
	if (st == CONV_FAILED) {
		rc = -1;
	} else if (st == CONV_OK) {
		if (lf->diff) {
			rc = conv_print_diff(lf->out, &r);
		} else {
			ip_set_name("mpmlint");
			rc = conv_write_result(&r, lk, 0, lf->quiet);
		}
		if (rc == 0) {
			lf->fixed += r.nmsgs;
		}
	}
	conv_result_free(&r);
	return rc;
}
