/*
 * cli.h - helpers shared by the command-line tools (cli/ only): input
 * loading with the parser options every tool takes, and exit codes.
 */
#ifndef CLI_H
#define CLI_H

#include "hconf.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_UNREADABLE 2
#define EXIT_USAGE 3

/* Options every tool shares: --root, -d, -D, --no-includes, --httpd-version. */
struct cli_parse {
	struct hconf_options opts;
	const char **defines;
	size_t ndefines;
};

void cli_parse_init(struct cli_parse *);
void cli_parse_define(struct cli_parse *, const char *);
void cli_parse_free(struct cli_parse *);

/*
 * Parse FILE, or standard input for NULL or "-".  Returns the document
 * (caller frees) and sets *unreadable when the main file could not be
 * read.
 */
struct hconf_doc *cli_load(struct cli_parse *, const char *file,
    int *unreadable);

/* 1 when the document's main file could not be read. */
int cli_unreadable(const struct hconf_doc *);

#endif
