/*
 * conv_int.h - what the files of conv/ share and nothing outside conv/
 * may include: the state of one conversion (struct conv) and the steps
 * conv_run() calls, by file.  The public interface is conv.h.
 */
#ifndef CONV_INT_H
#define CONV_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"

struct rules_res_in;

#define NOKEY (-1)
#define PREFORK_SL_DEFAULT 256
#define PREFORK_SL_MAX 200000
#define THREADED_SL_DEFAULT 16
#define THREADED_SL_MAX 20000
#define THREADED_TL_DEFAULT 64
#define WORKER_TL_MAX 20000
#define EVENT_TL_MAX 100000
#define TPC_DEFAULT 25

/* One MPM directive, in reading order. */
struct ent {
	struct hconf_doc *doc;
	struct hconf_node *n;
	enum rules_mpm_key k; /* as read; 2.2 names already mapped */
	int tk;               /* key in the target MPM, or NOKEY */
	int post;             /* httpd reads it after the conversion */
	int bad;              /* not understood: never edited */
	int deleted;
	const char *val; /* new value (arena), NULL: unchanged */
};

/* An <IfModule> naming prefork, worker or event. */
struct guard {
	struct hconf_node *n;
	struct hconf_doc *doc;
	enum rules_mpm m;
	int neg;
	int after_load; /* read after the MPM's LoadModule line */
	int has_keys;   /* holds MPM directives itself */
	int rename;     /* renamed to the target MPM */
	int cur, post;  /* read before / after (ancestors included) */
};

/* What the conversion wants for one key of the target MPM. */
struct want {
	int managed;
	int drop;   /* remove every setter */
	int insert; /* write it when no setter exists */
	long long v;
	char val[40]; /* text to write */
	char formula[320];
	char *action;
};

/* A section pass 1 walked: nothing happened inside (pass 2 skips it). */
struct secmark {
	int inert;
	size_t below; /* marks of the sections inside it */
};

struct touched {
	struct hconf_doc *doc;
	uint32_t fid;
};

struct conv {
	const struct conv_opts *o;
	struct conv_result *r;
	struct hconf_doc *doc;
	struct rules_result res;
	enum rules_mpm from, to;
	int pass;
	int load_seen;
	size_t gnext;
	struct guard *g;
	size_t ng, capg;
	struct ent *e;
	size_t ne, cape;
	int switching; /* target guards exist: do not rename */
	size_t events; /* what the walk did: see walk_inside() */
	struct secmark *sm;
	size_t nsm, capsm, smnext;
	int refusals;
	/* mod_php */
	const struct hconf_node *php;
	const char *php_ident;
	int php_post;
	/* Debian mods-enabled */
	int debian;
	char *deb_dead[2]; /* real paths no longer read */
	size_t splice_at;
	int have_splice;
	const char *deb_mods[2];
	/* every LoadModule of the source MPM httpd reads (AH01574 repeats) */
	struct hconf_node **loads;
	size_t nloads, caploads;
	/* plan */
	long long T, M0;
	struct want w[RULES_K__COUNT];
	char *removed[RULES_K__COUNT];
	struct touched *t;
	size_t nt, capt;
	struct {
		enum rules_mpm_key k;
		const char *val;
	} ins[RULES_K__COUNT];
	size_t nins;
};


/* conv.c: messages and small helpers */

/** printf into a new string (caller frees). */
char *conv_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/**
 * Room for one more element in p, an array of *cap elements of size
 * bytes holding n: doubled when full, first at the start.  Returns p,
 * moved or not.
 */
void *conv_grow(void *p, size_t n, size_t *cap, size_t size, size_t first);
/** Append sep and add to *s (NULL: add alone). */
void conv_append(char **s, const char *sep, const char *add);
/** The path a message names for file fid. */
const char *conv_fpath(const struct hconf_doc *doc, uint32_t fid);
/** The file an edit of fid writes: symlinks resolved, inside --root. */
const char *conv_fedit(const struct hconf_doc *doc, uint32_t fid);
/** "file:line" of n (caller frees). */
char *conv_where(const struct hconf_doc *doc, const struct hconf_node *n);
/** A message on the result, at n when not NULL. */
void conv_msgf(struct conv *c, enum conv_sev sev, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/** A reason to refuse: an error, or a warning under --force. */
void conv_refuse(struct conv *c, const struct hconf_doc *doc,
    const struct hconf_node *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/** An error that stops the conversion (CONV_FAILED). */
void conv_fail(struct conv *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** 1 for a plain decimal integer, as the conversion writes them. */
int conv_clean_int(const char *s);

/* walk.c: the two passes over the configuration in httpd's order */
void conv_walk(struct conv *c);
/** 1 when httpd no longer reads file fid after the conversion. */
int conv_dead_file(const struct conv *c, const struct hconf_doc *doc,
    uint32_t fid);

/* layout.c: Debian's mods-enabled, the files to write */
int conv_debian_setup(struct conv *c);
void conv_collect_outputs(struct conv *c);
void conv_drop_unused_conf_link(struct conv *c);

/* plan.c: the target values, per direction */
struct ent *conv_last_setter(struct conv *c, int tk);
const char *conv_ent_value(const struct ent *e);
/** Each entry's target key, then c->w[] for the direction; 0 or -1. */
int conv_plan(struct conv *c);
/** What the target wants for key k: value v, inserted when unset. */
void conv_want(struct conv *c, enum rules_mpm_key k, long long v, int insert,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/** Remove every setter of key k. */
void conv_want_drop(struct conv *c, enum rules_mpm_key k, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/** ServerLimit and ThreadLimit of a threaded target: P processes of c->T. */
void conv_want_limits(struct conv *c, long long P, long long mrw,
    long long maxtl);

/* edit.c: the edits on the tree */

/* A byte range of a line's source and what replaces it. */
struct conv_repl {
	uint32_t off, len;
	const char *with;
};

/** Record that file fid of doc changes (an output of the run). */
void conv_touch(struct conv *c, struct hconf_doc *doc, uint32_t fid);
/**
 * Rebuild n's line from its source bytes with the ranges r[0..nr)
 * replaced (sorted, not overlapping, inside the line or at its end),
 * and store it.
 */
void conv_rewrite(struct conv *c, struct hconf_doc *doc, struct hconf_node *n,
    const struct conv_repl *r, size_t nr);
/** val as argument a writes it: in a's quotes, if any (caller frees). */
char *conv_quote_value(const struct hconf_arg *a, const char *val);
/**
 * A new line "name val" laid out like the directive n (indentation,
 * spacing, newline); with eol_first, the newline comes first and none
 * ends it (after a last line that has none).  Caller frees.
 */
char *conv_line_like(const struct hconf_doc *doc, const struct hconf_node *n,
    const char *name, const char *val, int eol_first);
void conv_delete_ent(struct conv *c, struct ent *e);
void conv_note_removed(struct conv *c, struct ent *e);
void conv_apply_key(struct conv *c, enum rules_mpm_key tk);
void conv_do_inserts(struct conv *c);
void conv_edit_loadmodule(struct conv *c);
void conv_rename_guards(struct conv *c);
void conv_fix_mutexes(struct conv *c, struct hconf_doc *doc, uint32_t fid);

/* verify.c: mod_php, the check of the result, the ledger */
void conv_check_php(struct conv *c);
void conv_report_php(struct conv *c);
int conv_verify(struct conv *c);
void conv_build_ledger(struct conv *c);

/* memory.c: peak memory before and after, --ram */
int conv_check_memory(struct conv *c);
/** The resource inputs mpmlint would take for a server of MPM mpm. */
void conv_mem_inputs(const struct conv *c, enum rules_mpm mpm,
    struct rules_res_in *in);

/* tune.c: mpmconv --tune, the largest capacity the RAM holds */
/**
 * c->w[] for the capacity keys, after the plan of a conversion or alone
 * (the same MPM), and the memory arithmetic in c->r->memory.  0, or -1
 * after conv_fail() (not even one child fits).
 */
int conv_tune(struct conv *c);

/* inplace.c: path helpers (caller frees) */
/** The directory of p: "." without a slash, "/" for the root. */
char *conv_dir_of(const char *p);
/** The target of the symlink at p, or NULL. */
char *conv_read_link(const char *p);

/* import.c, impword.c and impio.c: mpmconv --import */

struct buf {
	char *p;
	size_t len, cap;
};

struct ofile {
	const struct hconf_ynode *at; /* its path, for messages */
	char *path;                   /* heap, NUL-free */
	struct buf b;
	int skip;                     /* same target as an earlier file */
};

/* A string field read from the document. */
struct str {
	const char *s;
	size_t len;
};

struct ictx {
	const char *name; /* the document, for messages */
	FILE *err;
	size_t nfiles;
	char **owned;     /* decoded base64 strings to free */
	size_t nowned;
};

/* impword.c: one word of a regenerated line */
/** apr_isspace() in the C locale, where httpd splits words. */
int conv_word_space(int ch);
/** 1 when httpd reads raw as one word giving exactly val. */
int conv_word_spells(const struct str *raw, const struct str *val);
/** 1 when s[0..n) is one quoted word (open: also one never closed). */
int conv_word_quoted(const char *s, size_t n, int open);
/** val as one word httpd reads back exactly, quoted when needed. */
void conv_word_put(struct buf *b, const struct str *val);
/** 1 when s holds a NUL or a line feed (no word can). */
int conv_word_has_break(const struct str *s);
/** 1 when s holds a ${VAR} reference. */
int conv_word_has_ref(const struct str *s);
/** 1 when the relative path p has a ".." component. */
int conv_import_escapes(const char *p);
/** p's one spelling under the output directory (caller frees). */
char *conv_import_norm(const char *p);
/** 1 when a file can be written at p (not empty, no final /, . or ..). */
int conv_import_names_file(const char *p);
/** Append n bytes to b, keeping a NUL after them. */
void conv_put(struct buf *b, const char *s, size_t n);
/** Print "PATH: error: strerror(errno)" on c->err; returns -1. */
int conv_import_ioerr(struct ictx *c, const char *path);
/** The document at path ("-": stdin) into b; 0, or -1 (printed). */
int conv_import_read(struct ictx *c, const char *path, struct buf *b);
/** Write the n files of of under outdir; 0, or -1 (printed). */
int conv_import_write(struct ictx *c, const char *outdir, struct ofile *of,
    size_t n);

#endif
