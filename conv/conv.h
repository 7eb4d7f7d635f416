/*
 * conv.h - libconv, the conversion and editing engine between rules/ and
 * the front ends (cli/ includes it; parser/ and rules/ never do).
 *
 * conv_run() reads a parsed configuration, derives the target MPM's
 * settings with the capacity rules of mpmconv(1) and edits the lossless
 * tree in place (only LoadModule lines, MPM <IfModule> guards and MPM
 * directives); the conv_print_*() functions show the result.  ip_lock()
 * and ip_write() replace files all or nothing (mpmconv -i and -o).
 * cli_import() builds configuration files from the YAML or JSON of
 * hconf-export(5).
 *
 * The engine's messages and reports write through esc.h (bytes made
 * safe to print) and emit.h (the libyaml plumbing); both live here, one
 * layer below cli/, whose output formats use them too.
 */
#ifndef CONV_H
#define CONV_H

#include <stddef.h>
#include <stdio.h>

#include "hconf.h"
#include "rules.h"

struct rules_res_measure;

struct conv_opts {
	enum rules_mpm to;
	enum rules_mpm from; /* --mpm: loaded before the file, as if its
	                      * LoadModule line came first (a fragment);
	                      * RULES_MPM_NONE: the file's own LoadModule */
	int threads; /* --threads-per-child; 0: not given */
	int force;   /* --force: proceed despite refusals */
	/* --ram, --process-size, --thread-size in bytes; 0: not given
	 * (no memory check; the documented default sizes) */
	unsigned long long ram, process_size, thread_size;
	/* --tune: the largest capacity whose peak stays within the RAM
	 * threshold of mpmlint (MPM043); to may then be RULES_MPM_NONE
	 * (the file's own MPM) */
	int tune;
	unsigned long long reserve; /* a profile's reserve; 0: none */
	unsigned threshold;         /* percent; 0: mpmlint's default 80 */
	int process_src, thread_src; /* enum rules_res_src of the sizes
	                              * given; 0: --process-size etc. */
	const struct rules_res_measure *measured; /* --measure, or NULL */
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
	char *memory[8]; /* --tune: the memory arithmetic, line by line */
	size_t nmemory;
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

/*
 * The diff of several passes of edits (mpmlint --fix --diff), each on a
 * tree read from the text the one before wrote.  conv_diff_file() is the
 * diff of one file of an edited tree; conv_diff_then(x, y) chains y (a
 * diff of the text x leads to) onto x, or returns NULL when y does not
 * start from that text; neither is freed.  conv_diff_bytes() diffs two
 * texts directly (their common first and last lines kept).
 * conv_diff_check() says whether cd leads from a to b;
 * conv_diff_print() writes it as conv_print_diff() would (nothing when
 * no line changed).
 */
struct conv_diff;
struct conv_diff *conv_diff_file(const struct hconf_doc *, uint32_t file_id);
struct conv_diff *conv_diff_then(struct conv_diff *x, struct conv_diff *y);
struct conv_diff *conv_diff_bytes(const char *a, size_t al, const char *b,
    size_t bl);
int conv_diff_check(const struct conv_diff *, const char *a, size_t al,
    const char *b, size_t bl);
int conv_diff_print(FILE *fp, const char *label, struct conv_diff *);
void conv_diff_free(struct conv_diff *);

/** The new content of one output (caller frees). */
char *conv_render(const struct conv_out *o, size_t *len);

/* ---- fix.c: mpmlint --fix ---- */

/** 1 when --fix has an edit for finding f that cannot change what httpd runs. */
int conv_fixable(const struct rules_finding *f);

/* One edit: bytes [off, off + len) of file file_id replaced by text. */
struct conv_fix_edit {
	uint32_t file_id;
	uint32_t off, len;
	char *text;
};

/* What --fix does for one finding: at most two edits, in byte order. */
struct conv_fix_plan {
	struct conv_fix_edit e[2];
	size_t n;
	char *desc; /* "rename MaxClients to MaxRequestWorkers" */
};

/**
 * The plan for finding f of res (res linted doc, unedited).  Returns 1,
 * or 0 when there is nothing to do (p then holds no edit).  Release p
 * with conv_fix_plan_free().
 */
int conv_fix_plan(const struct hconf_doc *doc, const struct rules_result *res,
    const struct rules_finding *f, struct conv_fix_plan *p);
void conv_fix_plan_free(struct conv_fix_plan *p);

/**
 * Apply the safe fixes to doc (edited in place): every fixable finding of
 * res, or only res->f[only] when only >= 0.  Fills *r like conv_run()
 * (r->out: the files changed, conv_render() gives their new bytes;
 * r->msgs: one note "fixed RULE: what" per finding fixed).  res must be
 * the result of rules_lint() on doc before any edit; o->root labels the
 * diff (o may be NULL).  Returns CONV_OK, CONV_NOOP (nothing to fix)
 * or CONV_FAILED (a file to change is read twice).  The caller releases r
 * with conv_result_free() before freeing doc.
 */
enum conv_status conv_fix(struct hconf_doc *doc, const struct rules_result *res,
    const struct conv_opts *o, long only, struct conv_result *r);

/* ---- inplace.c ---- */

/*
 * Safe file replacement (inplace.c).  ip_lock() serialises the -i runs
 * on one tree and refuses to start over the journal of a run that was
 * stopped; ip_write() replaces a set of files and symlinks all or
 * nothing: a journal (a shell script that puts every original back) is
 * written before the first change and removed after the last, and every
 * signal that can be blocked waits until the tree is entirely old or
 * entirely new.
 */

/* A file to replace, or to create when created is set. */
struct ip_file {
	const char *path;
	const char *buf;
	size_t len;
	int created;
};

/* A symlink to create (pointing at target) or to remove. */
struct ip_link {
	const char *path;
	const char *target;
	int create;
};

struct ip_lock {
	int fd;        /* the locked directory, or -1 */
	char *journal; /* its journal's path (caller frees via ip_unlock) */
};

/*
 * Lock the directory of main (the main configuration file as opened)
 * against other mpmconv -i runs, waiting for them, and check that no
 * journal of a stopped run is there.  Returns 0; 1 when a journal is
 * there (the recovery command is printed; nothing may be written); -1
 * on an error (printed).
 */
int ip_lock(const char *main, struct ip_lock *lk);
void ip_unlock(struct ip_lock *lk);

/** ip_write() of every file and link of r (conv_render()).  0 or -1. */
int conv_write_result(const struct conv_result *r, const struct ip_lock *lk,
    int bak, int quiet);

/* The tool every message of inplace.c names ("mpmconv" unless set). */
void ip_set_name(const char *name);

/* When a journal is beside main, print a warning naming it.  */
void ip_warn_journal(const char *main);

/*
 * Replace the files and switch the links.  With lk (from ip_lock) the
 * run is journalled; without, the files are written one by one, each
 * atomically (for -o).  bak keeps each original as FILE.bak once the
 * run is complete.  Prints what it did or why it failed unless quiet.
 * Returns 0 when everything is converted, -1 when nothing is (the
 * originals are in place, or the printed command puts them back).
 */
int ip_write(const struct ip_lock *lk, const struct ip_file *f, size_t n,
    const struct ip_link *l, size_t nl, int bak, int quiet);

/* ---- import.c ---- */

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
