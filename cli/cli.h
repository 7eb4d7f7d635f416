/*
 * cli.h - helpers shared by the command-line tools (cli/, and refserver/
 * for mpmref, which reads its configuration the same way): option
 * tables and their reading, input loading with the parser options every
 * tool takes, and exit codes.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

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
	const char *stdin_name;    /* --stdin-filename: the name standard
	                            * input's findings carry; NULL: "-" */
	const char *stdin_buf;     /* non-NULL: read these stdin_len bytes
	                            * in place of standard input */
	size_t stdin_len;
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
 * The options of a tool as data: one table that getopt_long()'s tables
 * and the --help text are both built from (cli_opts_parse(), cli_usage()).
 * Each option calls its handler with the member of the tool's context
 * it sets (ctx + field); the handler returns CLI_NEXT to go on, or the
 * exit status to stop with (cli_bad() for a bad value).
 */
#define CLI_NEXT (-1)
/*
 * An option with an optional argument (--color[=WHEN]) given without
 * '=' sees the word after it in next; a handler that takes that word as
 * its argument (one of the values it knows) returns CLI_TOOK, which
 * goes on past the word.  It takes only a value it knows, so that
 * "--color FILE" still reads FILE.
 */
#define CLI_TOOK (-2)

struct cli_tool;
struct cli_opt;

/* What a handler gets: the option met, its target and argument. */
struct cli_arg {
	const struct cli_tool *tool;
	const struct cli_opt *opt;
	void *target;              /* the tool's context + opt->field */
	const char *arg;           /* optarg: NULL when none was given */
	const char *next;          /* optional argument not given: the
	                            * next word, or NULL (see CLI_TOOK) */
};
typedef int cli_opt_fn(const struct cli_arg *);

struct cli_opt {
	const char *name;   /* long form; NULL: help is a --help heading */
	int letter;         /* short form, or 0 */
	int arg;            /* no_argument, required_ or optional_argument */
	const char *meta;   /* "FMT" in "--format FMT"; "[=WHEN]" sticks
	                     * to the name, "[WHEN]" does not */
	cli_opt_fn *fn;
	size_t field;       /* offsetof() the context member fn sets */
	const char *help;   /* --help text ('\n' continues); NULL: unlisted */
	int rank;           /* 1-based place in getopt_long()'s table, which
	                     * orders the candidates of an ambiguous
	                     * abbreviation; 0: the table's order.  Every
	                     * option of a table has one, or none does */
};

struct cli_tool {
	const char *name;          /* "mpmlint"; -V prints it and the version */
	const char *head, *foot;   /* --help before and after the options */
	const struct cli_opt *opt; /* ends with neither name nor help */
	int col, gap;              /* --help column; least gap before it */
	int usage_on_error;        /* cli_bad() prints the usage too */
};

/*
 * getopt_long() over argv with t's table: CLI_NEXT, optind at the first
 * operand, or the exit status a handler (or a bad option: the usage on
 * stderr, EXIT_USAGE) stopped with.
 */
int cli_opts_parse(const struct cli_tool *t, void *ctx, int argc,
    char *argv[]);
/** The --help text of t. */
void cli_usage(const struct cli_tool *t, FILE *fp);
/**
 * "TOOL: MESSAGE" on stderr (through esc_printf()), then the usage when
 * the tool asks for it; returns EXIT_USAGE.
 */
int cli_bad(const struct cli_arg *, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Handlers every tool uses. */
cli_opt_fn cli_opt_help;    /* the usage on stdout, EXIT_CLEAN */
cli_opt_fn cli_opt_version; /* "NAME 0.1.0", EXIT_CLEAN */
cli_opt_fn cli_opt_flag;    /* int target = 1 */
cli_opt_fn cli_opt_string;  /* const char * target = arg (kept) */
cli_opt_fn cli_opt_define;  /* struct cli_parse target: -D */

/* A --help heading, and the end of a table. */
#define CLI_HEADING(text) {NULL, 0, 0, NULL, NULL, 0, text, 0}
#define CLI_END {NULL, 0, 0, NULL, NULL, 0, NULL, 0}
#define CLI_REQ required_argument
#define CLI_NO no_argument
/* An option without argument that sets the int at offset F to 1. */
#define CLI_FLAG(name, letter, F, help, rank)                            \
	{name, letter, CLI_NO, NULL, cli_opt_flag, F, help, rank}

/* The reading options, for a context type T whose member P is a struct
 * cli_parse; R is the rank (see struct cli_opt). */
#define CLI_OPT_ROOT(T, P, R) {"root", 0, required_argument, "DIR",      \
	cli_opt_string, offsetof(T, P.opts.root),                          \
	"the server's / is DIR (a checked-out tree)", R}
#define CLI_OPT_SERVER_ROOT(T, P, R) {"server-root", 'd',                \
	required_argument, "DIR", cli_opt_string,                          \
	offsetof(T, P.opts.server_root), "default ServerRoot", R}
#define CLI_OPT_DEFINE(T, P, R) {"define", 'D', required_argument,       \
	"NAME[=VALUE]", cli_opt_define, offsetof(T, P), "as httpd -D", R}
#define CLI_OPT_NO_INCLUDES(T, P, R) {"no-includes", 0, no_argument,     \
	NULL, cli_opt_flag, offsetof(T, P.opts.no_includes),               \
	"do not follow Include", R}
#define CLI_OPT_HTTPD_VERSION(T, P, R) {"httpd-version", 0,              \
	required_argument, "V", cli_opt_string,                            \
	offsetof(T, P.opts.version), "version for <IfVersion> (2.4.71)", R}
#define CLI_OPT_HELP(R) {"help", 'h', no_argument, NULL, cli_opt_help, 0, \
	"this text", R}
#define CLI_OPT_VERSION(R) {"version", 'V', no_argument, NULL,            \
	cli_opt_version, 0, "print the version", R}

/*
 * Parse FILE, or standard input for NULL or "-", which findings name
 * stdin_name (a label only: Include and ServerRoot read as for "-").
 * Returns the document (caller frees) and sets *unreadable when the
 * main file could not be read.
 */
struct hconf_doc *cli_load(struct cli_parse *, const char *file,
    int *unreadable);

/*
 * Before reading standard input that no FILE named (nfiles 0): when fd
 * is a terminal, one line on err saying so, as "TOOL: reading
 * configuration from standard input (end with Ctrl-D; give FILE or -
 * to silence this)".  Returns 1 when it printed.
 */
int cli_stdin_note(const char *tool, int nfiles, int fd, FILE *err);

/** Free v[0..n) and v. */
void cli_free_strings(char **v, size_t n);

/* 1 when the document's main file could not be read. */
int cli_unreadable(const struct hconf_doc *);

#endif
