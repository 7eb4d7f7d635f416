/*
 * output.h - mpmlint's output formats (cli/ only).  Each writer takes
 * findings already filtered by filter.c and never decides what to show.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "resource.h"
#include "rules.h"

enum out_format {
	OUT_TEXT,
	OUT_JSON,
	OUT_YAML,
	OUT_SARIF,
	OUT_GITHUB,
	OUT_CHECKSTYLE,
	OUT_CODECLIMATE
};

/* Where --help points, and SARIF's informationUri. */
#define OUT_INFO_URI "https://github.com/mpmlint/mpmlint"
/* SARIF helpUri: OUT_HELP_URI "<ID>.md", one page per rule (docs/rules/) */
#define OUT_HELP_URI OUT_INFO_URI "/blob/main/docs/rules/"

struct out_file {
	const char *name;          /* as given on the command line; NULL: stdin */
	const struct hconf_doc *doc;
	const struct rules_result *res;
	char *const *lhash;        /* per finding: SARIF line hash, or NULL */
	char *const *fp;           /* per finding: baseline fingerprint, or NULL */
	const struct rules_resource *rsrc; /* resource checks, or NULL */
	/*
	 * Set by out_file_paths(): per file of doc, the path every format
	 * prints, and --base (NULL: the working directory).
	 */
	char **paths;
	uint32_t npaths;
	const char *base;
};

/**
 * The path a finding names in every format: the file actually read
 * (hconf_file.real: inside --root, every symlink resolved), relative to
 * base (NULL: the working directory) when it is inside it, else
 * absolute.  "-" stays "-".  Caller frees.
 */
char *out_display_path(const char *path, const char *base);
/** path made absolute: realpath when it exists, else lexically; caller frees. */
char *out_abs_path(const char *path);
/** Fill of->paths for of->doc, relative to base; out_file_free() frees. */
void out_file_paths(struct out_file *, const char *base);
void out_file_free(struct out_file *);

/** text|json|yaml|sarif|github|checkstyle|codeclimate; 0, or -1 when unknown. */
int out_format_parse(const char *, enum out_format *);

/* ---- for the writers (output*.c) ---- */

/*
 * File id's path, the same in every format: see out_display_path().
 * Without out_file_paths(), the main file as named on the command line
 * and the others as the configuration names them.
 */
const char *out_file_path(const struct out_file *, uint32_t id);
/** The server path of file id (as httpd names it), or NULL for stdin. */
const char *out_server_path(const struct out_file *, uint32_t id);
/** The Include lines that read file id, innermost first; n of them. */
size_t out_include_chain(const struct out_file *, uint32_t id,
    const struct hconf_node **v, size_t max);
#define OUT_CHAIN_MAX 130 /* above the include depth httpd allows */

/* A byte and the text a format writes for it; {0, NULL} ends a map. */
struct out_esc {
	unsigned char c;
	const char *s;
};
/** The text map gives for c, or NULL. */
const char *out_escape(const struct out_esc *map, unsigned char c);

/** 1 when mpmlint --fix fixes f (conv_fix_plan() has an edit for it). */
int out_fixable(const struct out_file *, const struct rules_finding *f);
/** How many findings of the n files are fixable. */
size_t out_count_fixable(const struct out_file *, size_t n);

/** "error", "warning" or "info". */
const char *out_severity(enum hconf_severity);
void out_json_string(FILE *, const char *);

/**
 * The n files' findings in format (color: ANSI colours in text); 0, or
 * -1 when the writer failed.
 */
int out_write(FILE *, enum out_format, const struct out_file *, size_t n,
    int color);

/** FILE:LINE:COL: SEVERITY: MESSAGE [RULE], with ANSI colour if color. */
void out_text(FILE *, const struct out_file *, int color);
/**
 * The JSON contract of mpmlint(1): one document.  For one file, its
 * findings, effective values and summary at the top level; for several,
 * a "files" array of {path, findings, effective, summary} and the
 * summed "summary".
 */
void out_json(FILE *, const struct out_file *, size_t n);
/**
 * The "effective" object: the MPM values, "capacity" (from them alone)
 * and "memory" (null: out_json() fills it from the resource checks).
 */
void out_effective_json(FILE *, const struct rules_result *);
/** The JSON data as one YAML document, with libyaml; 0 or -1. */
int out_yaml(FILE *, const struct out_file *, size_t n);
/** One SARIF 2.1.0 log with one run holding every file's results. */
void out_sarif(FILE *, const struct out_file *, size_t n);
/** GitHub Actions workflow commands, one line per finding. */
void out_github(FILE *, const struct out_file *);
/** One checkstyle XML document for all files. */
void out_checkstyle(FILE *, const struct out_file *, size_t n);
/**
 * One Code Climate JSON array for all files, as GitLab's code-quality
 * report reads it (check_name, description, severity, fingerprint,
 * location.path, location.lines.begin).
 */
void out_codeclimate(FILE *, const struct out_file *, size_t n);

/* ---- the rule catalogue (explain.c; text from rules/explain.h) ---- */

/** --list-rules: one line per rule, id, severity, name, summary. */
void explain_list(FILE *);
/**
 * --list-rules -f json: the catalogue with each explanation, for tools
 * (the DIAGNOSTICS section of mpmlint(1) is generated from it).
 */
void explain_list_json(FILE *);
/**
 * Print the explanation of rule r to fp, paragraphs wrapped at 72
 * columns.  Returns 0, or -1 when r has no entry.
 */
int explain_print(FILE *fp, const struct rules_info *r);

#endif
