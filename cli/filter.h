/*
 * filter.h - what mpmlint reports out of rules_lint()'s findings (cli/
 * only): severity overrides and disabled rules, inline suppression
 * comments, fingerprints and the baseline.  rules_lint() stays the only
 * source of findings; this module only drops them or changes severity.
 */
#ifndef FILTER_H
#define FILTER_H

#include <stdio.h>

#include "config.h"
#include "rules.h"

/* A set of fingerprints read from a baseline file. */
struct baseline {
	char **fp;     /* sorted */
	size_t n, cap;
};

struct filter_opts {
	const struct config *cfg; /* severity overrides and disabled rules */
	const int *cli_sev;       /* the same, from the command line; wins */
	int inline_suppress;      /* honour "# mpmlint ..." comments */
	const struct baseline *base; /* NULL: report everything */
	const char *base_dir;     /* --base: baseline records name files
				     relative to it (NULL: the working
				     directory), as the output formats do */
	FILE *warn;               /* bad suppression comments; NULL: quiet */
};

/* One linted file after filtering. */
struct filter_result {
	/*
	 * The findings to report: a shallow copy of the raw result whose f
	 * array is owned here; messages still belong to the raw result.
	 */
	struct rules_result res;
	char **fp;      /* per reported finding: baseline fingerprint */
	char **lhash;   /* per reported finding: SARIF line hash */
	/* every finding before the baseline filter, for --write-baseline */
	char **rec;     /* "FINGERPRINT RULE FILE:LINE" */
	size_t nrec;
};

/**
 * Filter raw, the sorted result of rules_lint() on doc; name is the
 * main file as given (NULL or "-" for standard input).  raw must
 * outlive out.  Free out with filter_free().
 */
void filter_run(const struct hconf_doc *doc, const char *name,
    const struct rules_result *raw, const struct filter_opts *opts,
    struct filter_result *out);
void filter_free(struct filter_result *);

/**
 * path relative to the directory dir, both absolute and normalized
 * ("../" where needed).  Caller frees.
 */
char *filter_relpath(const char *path, const char *dir);

/**
 * The file path names (symbolic links resolved) relative to dir, as
 * filter_relpath(); path itself when it cannot be resolved.  Caller frees.
 */
char *filter_relpath_real(const char *path, const char *dir);

/** Read a baseline file; 0, or -1 with errno set. */
int filter_baseline_load(const char *path, struct baseline *);
int filter_baseline_has(const struct baseline *, const char *fp);
void filter_baseline_free(struct baseline *);

#endif
