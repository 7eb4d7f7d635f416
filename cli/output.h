/*
 * output.h - mpmlint's output formats (cli/ only).
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "rules.h"

enum out_format { OUT_TEXT, OUT_JSON };

struct out_file {
	const char *name;          /* as given on the command line */
	const struct hconf_doc *doc;
	const struct rules_result *res;
};

const char *out_severity(enum hconf_severity);
void out_json_string(FILE *, const char *);
void out_text(FILE *, const struct out_file *);
void out_json(FILE *, const struct out_file *, int compact);
void out_effective_json(FILE *, const struct rules_result *);

#endif
