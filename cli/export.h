/*
 * export.h - the configuration as YAML or JSON (cli/ only; mpmconv's
 * --export).  The schema is hconf-export(5); the way back, cli_import(),
 * is in conv.h, which this header includes for the tools that use both.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdio.h>

#include "hconf.h"
#include "conv.h"
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

#endif
