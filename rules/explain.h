/*
 * explain.h - the long explanation of every rule, data next to the rule
 * catalogue (rules/, cli/ and tests/unit).  One entry per rule id in
 * rules_catalogue(); --explain, SARIF's rule help and the DIAGNOSTICS
 * section of mpmlint(1) all read it.  The unit test fails when an id
 * has no entry.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>

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

#endif
