/*
 * export.h - the configuration as YAML or JSON, and back (cli/ only;
 * mpmconv's --export and --import).  The schema is hconf-export(5).
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdio.h>

#include "hconf.h"
#include "rules.h"

/**
 * Write doc as one YAML document (json 0) or JSON object on out: every
 * file in read order with its nodes, then the effective MPM values and
 * the findings of res (both null when res is NULL).  With lossless, also
 * comments, blank lines and each node's exact text, so that cli_import()
 * rebuilds every file byte for byte.  Returns 0, or -1 with errno set on
 * a write error.
 */
int cli_export(FILE *out, const struct hconf_doc *doc,
    const struct rules_result *res, int json, int lossless);

/**
 * Build the files a document written by cli_export() describes (JSON
 * too, being YAML).  yaml_path "-" reads stdin.  With outdir, each file
 * goes to its path re-rooted under outdir, through a temporary file and
 * rename(); without it, a single file goes to stdout.  Everything is
 * built in memory first, so a bad document writes nothing.
 * Returns 0; 1 for a bad document, after printing
 * "FILE:LINE:COL: error: MESSAGE" on err; 2 for an I/O error (also
 * printed on err).
 */
int cli_import(const char *yaml_path, const char *outdir, FILE *err);

/**
 * cli_import() of the document buf[0..len) with no output directory:
 * the first file's bytes in *out (NUL-terminated, the caller frees) and
 * their length in *outlen.  0, or 1 when the document is refused (then
 * *out is NULL and err says why).  For the fuzz targets.
 */
int cli_import_mem(const char *buf, size_t len, char **out, size_t *outlen,
    FILE *err);

#endif
