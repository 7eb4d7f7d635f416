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

struct lintfix_file;

struct lintfix {
	const char *root; /* --root, for the diff's labels; may be NULL */
	int diff;         /* --diff: print the diff on out, write nothing */
	int quiet;        /* -q: no messages on stderr */
	FILE *out;
	size_t fixed;     /* findings fixed so far, every file */
	struct lintfix_file *files; /* --diff: the files changed so far */
	size_t nfiles;
};

/*
 * Fix doc, linted as res (the findings to fix: those the run reports).
 * Without lf->diff, lk is the lock of ip_lock() on doc's main file,
 * taken before doc was read.  Returns 0 (fixed, or nothing to fix), or
 * -1 when nothing could be written (the reason printed).
 */
int lintfix_apply(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res, const struct ip_lock *lk);

/*
 * --diff: one pass of fixes on doc, in memory.  Returns 1 when it changed
 * a file (its bytes are then what lintfix_read() serves to the next read
 * of the configuration), 0 when there was nothing to fix, -1 on failure.
 * lintfix_diff_print() prints one diff per file changed, from its bytes
 * before the first pass to its bytes after the last; lintfix_free()
 * releases the files.
 */
int lintfix_diff_pass(struct lintfix *lf, struct hconf_doc *doc,
    const struct rules_result *res);
int lintfix_read(void *ctx, const char *real, const char **buf, size_t *len);
/* The bytes of file real after the passes so far, or NULL: unchanged. */
const char *lintfix_bytes(const struct lintfix *lf, const char *real,
    size_t *len);
int lintfix_diff_print(struct lintfix *lf);
void lintfix_free(struct lintfix *lf);

#endif
