/*
 * explain.h - the long text behind `mpmlint --explain RULE` (cli/ and
 * tests/unit only).  One entry per rule id in rules_catalogue(); the
 * unit test test_explain.c fails when an id has no entry.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stdio.h>

#include "rules.h"

struct explain {
	const char *id;      /* "MPM006" or "HC012" */
	const char *what;    /* what httpd does with the pattern */
	const char *why;     /* why it matters */
	const char *fix;     /* how to fix it */
	const char *example; /* configuration lines, '\n'-separated */
};

/*
 * The parts of an entry after the rule's summary, in print order, with
 * their --explain heading and their member of --list-rules -f json.
 */
#define EXPLAIN_NPARTS 4
struct explain_part {
	const char *key;     /* "what", "why", "fix", "example" */
	const char *heading; /* "What httpd does", ... */
};
extern const struct explain_part explain_parts[EXPLAIN_NPARTS];

/** Part i (see explain_parts) of e; static. */
const char *explain_part(const struct explain *e, size_t i);

/** The entry for a rule id (case-insensitive), or NULL; static. */
const struct explain *explain_find(const char *id);

/** Every entry, in table order; static. */
const struct explain *explain_table(size_t *n);

/**
 * Print the explanation of rule r to fp, paragraphs wrapped at 72
 * columns.  Returns 0, or -1 when r has no entry.
 */
int explain_print(FILE *fp, const struct rules_info *r);

#endif
