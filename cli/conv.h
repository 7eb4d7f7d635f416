/*
 * conv.h - MPM conversion for mpmconv (cli/ only; mpmconv.c includes it).
 * conv_run() reads a parsed configuration, derives the target MPM's
 * settings with the capacity rules of mpmconv(1) and edits the lossless
 * tree in place (only LoadModule lines, MPM <IfModule> guards and MPM
 * directives).  It never writes files: mpmconv.c prints, diffs or
 * rewrites what conv_result lists.
 */
#ifndef CONV_H
#define CONV_H

#include <stddef.h>
#include <stdio.h>

#include "hconf.h"
#include "rules.h"

struct conv_opts {
	enum rules_mpm to;
	enum rules_mpm from; /* --mpm: loaded before the file, as if its
	                      * LoadModule line came first (a fragment);
	                      * RULES_MPM_NONE: the file's own LoadModule */
	int threads; /* --threads-per-child; 0: not given */
	int force;   /* --force: proceed despite refusals */
	const struct hconf_options *popts; /* to read a Debian target .conf */
	const char *root; /* --root, for diff labels; may be NULL */
};

enum conv_status {
	CONV_OK,      /* converted */
	CONV_NOOP,    /* already the target MPM: nothing changed */
	CONV_REFUSED, /* unsafe without --force: nothing changed */
	CONV_FAILED   /* cannot convert (no MPM, limits, ...) */
};

enum conv_sev { CONV_NOTE, CONV_WARNING, CONV_ERROR };

struct conv_msg {
	enum conv_sev sev;
	char *where; /* "file:line", or NULL */
	char *text;
};

/* One derived value: what it is, how it was computed, what was done. */
struct conv_ledger {
	const char *key; /* directive name (static) */
	long long value;
	int has_value; /* 0: the directive is removed */
	char *formula;
	char *action;
};

/* A file the conversion changes or creates. */
struct conv_out {
	struct hconf_doc *doc;
	uint32_t file_id;
	char *path;  /* where to write it (symlinks resolved) */
	char *label; /* its path in the diff, relative */
	int created; /* a new file */
};

/* A mods-enabled symlink to create or remove (Debian layout). */
struct conv_link {
	char *path; /* the link itself */
	char *label;
	char *target; /* the link's value */
	int create;
};

struct conv_result {
	enum conv_status status;
	enum rules_mpm from, to;
	long long threads; /* T used, 0 for prefork targets */
	int have_eff;
	struct rules_mpm_eff before, after;
	/* refusals --force went past: what mpmconv refused to edit is
	 * left as written, and may run other values than after */
	size_t forced;
	struct conv_msg *msgs;
	size_t nmsgs;
	struct conv_ledger *led;
	size_t nled;
	struct conv_out *out;
	size_t nout;
	struct conv_link *links;
	size_t nlinks;
	char **cmds; /* a2dismod/a2enmod commands (Debian) */
	size_t ncmds;
	struct hconf_doc *extra; /* the Debian target .conf, owned */
};

/**
 * Convert doc (edited in place) to o->to.  Fills *r, which the caller
 * releases with conv_result_free() before freeing doc.  Returns r->status.
 */
enum conv_status conv_run(
    struct hconf_doc *doc, const struct conv_opts *o, struct conv_result *r);
void conv_result_free(struct conv_result *r);

/** 1 when the only change is to the main file (stdout and -o can hold it). */
int conv_single_file(const struct conv_result *r);

/** Messages as "file:line: severity: text" (or "mpmconv: ..."). */
void conv_print_msgs(FILE *fp, const struct conv_result *r);

/** The ledger as text: one derived value a line, with its formula. */
void conv_print_ledger(FILE *fp, const struct conv_result *r);

/** The before/after settings and the ledger; yaml via libyaml. 0 or -1. */
int conv_print_report(FILE *fp, const struct conv_result *r, int yaml);

/** A unified diff of every change, ready for git apply.  0 or -1. */
int conv_print_diff(FILE *fp, const struct conv_result *r);

/** The new content of one output (caller frees). */
char *conv_render(const struct conv_out *o, size_t *len);

#endif
