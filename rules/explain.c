/*
 * explain.c - the table of rule explanations, built from
 * explain_parser.def (HC rules) and explain_rules.def (MPM rules), and
 * its look-ups.  Text only: nothing here decides about findings or
 * prints (cli/explain.c prints).
 */
#include <string.h>
#include <strings.h>

#include "explain.h"

static const struct explain table[] = {
#define EXPLAIN(id, what, why, fix, example) {id, what, why, fix, example},
#include "explain_parser.def"
#include "explain_rules.def"
#undef EXPLAIN
};

const struct explain_part explain_parts[EXPLAIN_NPARTS] = {
	{"what", "What httpd does"}, {"why", "Why it matters"},
	{"fix", "How to fix it"}, {"example", "Example"},
};

const struct explain *
explain_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const char *
explain_part(const struct explain *e, size_t i)
{
	const char *const part[EXPLAIN_NPARTS] = {e->what, e->why, e->fix,
	    e->example};

	return i < EXPLAIN_NPARTS ? part[i] : NULL;
}

const struct explain *
explain_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcasecmp(table[i].id, id) == 0) {
			return &table[i];
		}
	}
	return NULL;
}
