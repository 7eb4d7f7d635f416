/*
 * rules.h - the mpmlint rule engine (rules/; used by cli/ and refserver/).
 * rules_lint() turns a parsed document into findings and the MPM
 * settings httpd will really run with.  It never prints.
 */
#ifndef RULES_H
#define RULES_H

#include "hconf.h"
#include "mpm.h"

struct rules_info {
	const char *id;      /* "MPM006" or a parser id "HC012" */
	const char *name;    /* "workers-not-multiple-of-threads" */
	enum hconf_severity sev;
	const char *summary;
};

struct rules_finding {
	const struct rules_info *info;
	enum hconf_severity sev;
	uint32_t file_id;
	uint32_t off;
	uint32_t line, col;
	char *msg;           /* heap, owned by the result */
	const char *httpd;   /* AH id httpd prints, or NULL */
	const struct hconf_node *node; /* the directive, or NULL */
	size_t seq;          /* order found, the last sort key */
	/*
	 * Context: for a finding inside a macro expansion, the location
	 * above is the Use line and this is the <Macro> body line.
	 */
	int has_ctx;
	uint32_t ctx_file, ctx_line, ctx_col;
	/*
	 * A finding of the MPM model and of the settings taken together
	 * (engine_mpm.c): the rules_mpm_key it is about (for an adjustment
	 * httpd makes at start, the one it changes), plus one; 0 for every
	 * other finding.
	 */
	int key;
};

struct rules_config {
	enum rules_mpm force_mpm; /* --mpm; RULES_MPM_NONE: from LoadModule */
	int buckets;              /* listener buckets; 0 means 1 */
	int keepalive_max;        /* seconds; prefork threshold (default 5) */
	int resolve;              /* Listen host names: 0 not looked up, 1
	                           * on this machine (httpd's verdict), 2 on
	                           * this machine for a server elsewhere
	                           * (--root: a failure is a note) */
	int mpm_only;             /* only have_eff, eff, in, set_at and
	                           * mpm_node (mpmconv): findings are few */
};

struct rules_result {
	struct rules_finding *f;
	size_t n, cap;
	int have_eff;             /* an MPM was determined */
	struct rules_mpm_eff eff;
	struct rules_mpm_in in;
	const struct hconf_node *set_at[RULES_K__COUNT]; /* last setter */
	const struct hconf_node *mpm_node; /* its LoadModule line */
};

/** Lint doc.  The caller frees res with rules_result_free(). */
void rules_lint(const struct hconf_doc *doc, const struct rules_config *cfg,
    struct rules_result *res);
void rules_result_free(struct rules_result *);

/** Sort findings by file, line, column (stable). */
void rules_sort(struct rules_result *);

/** Every rule, parser ones included; static. */
const struct rules_info *rules_catalogue(size_t *n);
const struct rules_info *rules_find(const char *id_or_name);

/** 1 when the directive takes a regular expression; *argi its index. */
int rules_regex_arg(const struct hconf_node *, uint32_t *argi);

/** hconf_options.known: <IfDirective>/<IfSection> against loaded modules. */
int rules_known(void *ctx, const char *name, int section,
    const struct hconf_doc *doc);

/** PCRE2 matcher for hconf_options.regex (<IfVersion ~ re>). */
int rules_regex_match(void *ctx, const char *re, const char *subject,
    const char **error);

#endif
