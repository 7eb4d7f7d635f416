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

/*
 * What the checks need to know of a node's name, worked out once per
 * name of the table (when the index first finds it) and looked up once
 * per node by the walk, so that no check compares the name itself.
 */
enum rules_dn {
	DN_NONE,
#define DNAME(e, s) e,
#include "dnames.def"
#undef DNAME
	DN__COUNT
};

enum {
	DP_REWRITE = 1 << 0,    /* "Rewrite..." (mod_rewrite) */
	DP_REMOTEIP = 1 << 1,   /* "RemoteIP..." */
	DP_EXPIRES = 1 << 2,    /* "Expires..." */
	DP_FILTER = 1 << 3,     /* "Filter..." */
	DG_VALUE = 1 << 4,      /* rules_value_name(): readtime.c checks it */
	DG_MODULE = 1 << 5,     /* rules_module_check() may say something */
	DG_REGEX = 1 << 6       /* rules_check_regex() may compile an argument */
};

/* engine_regex.c: 1 when a name of that DN_* may take a regex. */
int rules_regex_named(unsigned dn);

struct rules_dname {
	int row;                /* the first row of the name, -1: none */
	unsigned char dn;       /* enum rules_dn */
	unsigned char bits;     /* DP_* and DG_* */
	signed char mpmkey;     /* rules_mpm_key_lookup() + 1, 0: none */
	unsigned char loaded;   /* rules_dirindex_row()'s *is_loaded */
	unsigned char mphases;  /* rules_module_phases(): bit p set when
	                         * rules_module_check() may say something
	                         * in phase p */
	size_t len;             /* strlen() of the name */
	const struct rules_directive *d; /* rules_dirindex_row() of row */
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
/*
 * The walk's one lookup per node: the row of name (as rules_dirindex_find
 * finds it, -1 when no module has it), what the checks dispatch on, and
 * the row rules_dirindex_row() picks (of a loaded module when one has
 * it), each worked out once per row of the table.
 */
void rules_dirindex_name(struct rules_dirindex *, const char *name,
    int section, struct rules_dname *);
const struct rules_directive *rules_dirindex_row(struct rules_dirindex *,
    int row, int *is_loaded);
const char *rules_args_message(int shape);
int rules_module_known(const char *ident);
int rules_module_misnamed(const char *name, char *fix, size_t size);

#endif
