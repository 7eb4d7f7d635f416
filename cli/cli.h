/*
 * cli.h - helpers shared by the command-line tools (cli/, and refserver/
 * for mpmref, which reads its configuration the same way): input
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
	const char *mods[2];       /* opts.modules for --mpm */
	char mpm_ident[32];        /* "mpm_event_module" */
};

void cli_parse_init(struct cli_parse *);
void cli_parse_define(struct cli_parse *, const char *);
void cli_parse_free(struct cli_parse *);

/*
 * --mpm NAME (prefork, worker or event; NULL: none): the MPM's module is
 * loaded from the start of the read, exactly as if its LoadModule line
 * came first, so <IfModule mpm_NAME_module>, <IfModule NAME.c> and the
 * negated guards of the other MPMs follow.  A LoadModule of the same
 * module in the file is AH01574 as a note (it may be the line --mpm
 * stands for); one of another MPM is AH00534, as in httpd.
 */
void cli_parse_mpm(struct cli_parse *, const char *name);

/*
 * The getopt_long() values of the reading options that have no short
 * form (-d and -D have); a tool numbers its own from CLI_O_NEXT.
 */
enum { CLI_O_NOINC = 256, CLI_O_ROOT, CLI_O_HVER, CLI_O_NEXT };

/* The reading options in a struct option table; "d:D:" in optstring. */
#define CLI_PARSE_LONGOPTS                                              \
	{"no-includes", no_argument, NULL, CLI_O_NOINC},                 \
	{"root", required_argument, NULL, CLI_O_ROOT},                   \
	{"server-root", required_argument, NULL, 'd'},                   \
	{"define", required_argument, NULL, 'D'},                        \
	{"httpd-version", required_argument, NULL, CLI_O_HVER}

/*
 * Apply getopt_long()'s result c, with its argument arg, if it is a
 * reading option: 1 when it was (arg is kept, not copied), else 0.
 */
int cli_parse_option(struct cli_parse *, int c, const char *arg);

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
