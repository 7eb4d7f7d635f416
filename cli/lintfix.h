/*
 * lintfix.h - mpmlint --fix (cli/ only): the edits of conv_fix() on one
 * linted file, written as mpmconv -i writes (a lock, a journal, each
 * file replaced atomically) or shown as a unified diff.
 */
#ifndef LINTFIX_H
#define LINTFIX_H

#include <stdio.h>

#include "conv.h"
#include "rules.h"

struct lintfix {
	const char *root; /* --root, for the diff's labels; may be NULL */
	int diff;         /* --diff: print the diff on out, write nothing */
	int quiet;        /* -q: no messages on stderr */
	FILE *out;
	size_t fixed;     /* findings fixed so far, every file */
};

/*
 * Fix doc, linted as res (the findings to fix: those the run reports).
 * Without lf->diff, lk is the lock of ip_lock() on doc's main file,
 * taken before doc was read.  Returns 0 (fixed, or nothing to fix), or
 * -1 when nothing could be written (the reason printed).
 */
int lintfix_apply(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res, const struct ip_lock *lk);

#endif
