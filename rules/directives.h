/*
 * directives.h - the directive descriptor table (rules/ only).
 */
#ifndef RULES_DIRECTIVES_H
#define RULES_DIRECTIVES_H

#include "hconf.h"

enum rules_args {
#define DIRECTIVE_ARGS(s, v, m) s = v,
#include "directives.def"
#undef DIRECTIVE_ARGS
};

/* where and forbid bits (the two columns overlap: never OR them) */
enum rules_ctx {
#define DIRECTIVE_FLAG(f, v) f = v,
#include "directives.def"
#undef DIRECTIVE_FLAG
};

struct rules_directive {
	const char *name;
	const char *modules;
	int args;
	unsigned where;
	unsigned forbid;
	const char *help;
};

/*
 * The row for name: one whose module is loaded (*is_loaded = 1), else
 * the first row (*is_loaded = 0), else NULL when no module has it.
 */
const struct rules_directive *rules_directive(const struct hconf_doc *,
    const char *name, int *is_loaded);
/*
 * The same lookup through an index built once per run (rules_lint): the
 * names hashed case-folded, each row's "module loaded" worked out once
 * for doc (its module list is final once parsed).  section: name is a
 * section's word, looked up as "<name".
 */
struct rules_dirindex;
struct rules_dirindex *rules_dirindex_new(const struct hconf_doc *);
void rules_dirindex_free(struct rules_dirindex *);
const struct rules_directive *rules_dirindex_find(struct rules_dirindex *,
    const char *name, int section, int *is_loaded);
const char *rules_args_message(int shape);
int rules_module_known(const char *ident);
int rules_module_misnamed(const char *name, char *fix, size_t size);

#endif
