/*
 * parse_test.h - what test_parse.c and test_cond.c share: the node flags
 * they compare, and the truth of a conditional section.  Include after
 * "hconf.h" and "../hconf_test.h".
 */
#ifndef PARSE_TEST_H
#define PARSE_TEST_H

#define FLAGS_OF(n) ((n)->flags & (HCONF_NODE_ACTIVE | HCONF_NODE_COND | \
	HCONF_NODE_TRUE | HCONF_NODE_UNCLOSED))
#define A HCONF_NODE_ACTIVE
#define C HCONF_NODE_COND
#define T HCONF_NODE_TRUE
#define U HCONF_NODE_UNCLOSED

#define LOAD_EVENT "LoadModule mpm_event_module modules/mod_mpm_event.so\n"

/* The section's test result: 1 true, 0 false; fails if not a conditional. */
static inline int
cond_true(const struct hconf_node *n)
{
	assert_int_equal(n->kind, HCONF_SECTION);
	assert_true(n->flags & HCONF_NODE_COND);
	return (n->flags & HCONF_NODE_TRUE) != 0;
}

#endif
