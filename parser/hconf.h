/*
 * hconf.h - the only public header of libhconf, a lossless reader for
 * Apache httpd 2.4 configuration files.  Any module may include it;
 * parser/ internals live in hconf_int.h, which only parser/ includes.
 *
 * The library reads configuration the way httpd 2.4 does (continuation
 * lines, word splitting, ${VAR}, Define, Include, conditional sections)
 * and keeps a concrete syntax tree whose spans cover every input byte,
 * so that printing an unmodified tree gives back the input exactly.
 * It never prints and never exits, except through hconf_xmalloc() and
 * friends, which abort on allocation failure.
 */
#ifndef HCONF_H
#define HCONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HCONF_VERSION "0.1.0"

/* A byte range in one file's buffer. */
struct hconf_span {
	uint32_t off;
	uint32_t len;
};

enum hconf_kind {
	HCONF_DOC,       /* root of one file */
	HCONF_DIRECTIVE, /* one logical line holding a directive */
	HCONF_SECTION,   /* <Name ...> children </Name> */
	HCONF_COMMENT,   /* a line whose first non-blank byte is '#' */
	HCONF_BLANK,     /* an empty or all-blank line */
	HCONF_ERROR      /* a line kept verbatim that could not be placed */
};

/* Node flags. */
#define HCONF_NODE_ACTIVE   0x01u /* httpd reads this node (not in a false conditional) */
#define HCONF_NODE_DIRTY    0x02u /* changed: the printer regenerates it */
#define HCONF_NODE_SYNTH    0x04u /* synthetic: has no source bytes */
#define HCONF_NODE_COND     0x08u /* a conditional section (<IfModule> ...) */
#define HCONF_NODE_TRUE     0x10u /* with COND: its test was true */
#define HCONF_NODE_CONTINUED 0x20u /* spans several physical lines */
#define HCONF_NODE_EXPANDED 0x40u /* ${VAR} expansion changed the line */
#define HCONF_NODE_UNCLOSED 0x80u /* SECTION: no closing line in its file */
#define HCONF_NODE_DELETED  0x100u /* printer omits it (set by editors) */

enum hconf_severity {
	HCONF_SEV_NOTE,
	HCONF_SEV_STYLE,
	HCONF_SEV_WARNING,
	HCONF_SEV_ERROR,
	HCONF_SEV_FATAL
};

/*
 * An argument.  raw is the word as written (quotes included) and is what
 * the printer copies; value is the word as httpd's splitter returns it,
 * unescaped, after ${VAR} expansion.  quote is '"', '\'' or 0.
 * For a line changed by ${VAR} expansion, raw is the best source range
 * available (it may cover several words).
 */
struct hconf_arg {
	struct hconf_span raw;
	const char *value; /* arena-owned, NUL-terminated */
	uint8_t quote;
};

struct hconf_node {
	struct hconf_node *parent, *first, *last, *next, *prev;
	enum hconf_kind kind;
	unsigned flags;
	uint32_t file_id;
	uint32_t nincl;         /* Include*: how many files it read */
	/*
	 * Leaf: every byte of the logical line, from the first byte of its
	 * first physical line through the final newline.  SECTION: the
	 * opening line.  Line and column come from hconf_linecol().
	 */
	struct hconf_span full;
	struct hconf_span close; /* SECTION: closing line; len 0 if none */
	struct hconf_span name;  /* the first word as written */
	/*
	 * The directive name as httpd sees it, after expansion: for a
	 * section "IfModule" (no '<' and no '>'), for a close tag never set.
	 */
	const char *word;
	struct hconf_arg *args; /* for a section: the words before the last '>' */
	uint32_t nargs;
	uint32_t line_last;     /* httpd's line number: last physical line */
	const uint32_t *incl;   /* Include*: ids of the files it read */
	const char *text;       /* SYNTH or DIRTY: replacement text, or NULL */
	size_t text_len;        /* its length in bytes; it may hold NUL bytes */
};

/* A diagnostic; see the catalogue in diag.def and hconf.3. */
struct hconf_diag_info {
	const char *id;       /* stable id, e.g. "HC012" */
	const char *name;     /* short name, e.g. "section-not-closed" */
	enum hconf_severity sev;
	const char *summary;
};

struct hconf_diag {
	const struct hconf_diag_info *info;
	enum hconf_severity sev;
	uint32_t file_id;
	uint32_t off;          /* primary location in that file */
	uint32_t line;         /* httpd's line number (1-based) */
	uint32_t col;          /* 1-based byte column */
	const char *msg;       /* full message, arena-owned */
	const char *httpd;     /* AH id httpd prints, or NULL */
	int has_ctx;
	uint32_t ctx_file, ctx_line, ctx_col; /* e.g. "section opened here" */
};

struct hconf_file {
	const char *path;      /* as httpd resolved it (the in-server path) */
	/*
	 * The file actually read, on this machine: every symlink resolved
	 * (inside --root when one is given: see hconf_path_resolve()).
	 * This is the file a change to the configuration edits.
	 */
	const char *real;
	/*
	 * Where the name lives on this machine: like real, but the last
	 * component is not followed, so it may name a symlink (Debian's
	 * mods-enabled/x.load).  Without --root: path as given.
	 */
	const char *link;
	const char *buf;       /* the unmodified bytes */
	uint32_t len;
	struct hconf_node *root;
	const struct hconf_node *incl_node; /* Include that read it, or NULL */
	uint32_t depth;        /* include depth, 0 for the main file */
	const uint32_t *lines; /* offsets of line starts (internal use) */
	uint32_t nlines;
	/*
	 * mod_macro: a file made by a Use line (incl_node) has an id with
	 * HCONF_FILE_MACRO set and is not counted by hconf_doc_nfiles().
	 * path is httpd's name for it ("macro 'x' (defined on line 1 of
	 * "f") used on line 9 of "f""), buf the substituted body.  Line k
	 * of buf came from the body line at body_off[k - 1] of body_file.
	 */
	const char *macro;          /* the macro's name; NULL: a real file */
	uint32_t body_file;
	const uint32_t *body_off;   /* body_lines + 1 entries */
	uint32_t body_lines;
};

#define HCONF_FILE_MACRO 0x80000000u

/* A module loaded with LoadModule, or compiled in. */
struct hconf_module {
	const char *ident;  /* "mpm_event_module" */
	const char *source; /* "event.c" */
	const char *path;   /* the .so path as written, NULL if static */
	const struct hconf_node *node; /* LoadModule line, NULL if static */
};

struct hconf_doc;

/* Returns 1 on a match, 0 on none, -1 with *error set when re is bad. */
typedef int (*hconf_regex_fn)(void *ctx, const char *re, const char *subject,
    const char **error);
/* <IfDirective name> (section 0) and <IfSection name> (section 1). */
typedef int (*hconf_known_fn)(void *ctx, const char *name, int section,
    const struct hconf_doc *doc);
/*
 * Bytes to read in place of a file's: real is the file opened (as
 * hconf_file.real names it), after it was found a regular file.
 * Returns 1 with *buf and *len set (the bytes are copied), or 0 to
 * read the file.  An editor passes its unsaved buffers this way.
 */
typedef int (*hconf_read_fn)(void *ctx, const char *real, const char **buf,
    size_t *len);

struct hconf_options {
	const char *server_root;   /* default ServerRoot; NULL: "/etc/apache2" */
	/*
	 * --root: the server's files are under this directory and are
	 * resolved in it as in a chroot (hconf_path_resolve()); the main
	 * file is named as hconf_path_server() maps it.
	 */
	const char *root;
	const char *version;       /* httpd version for <IfVersion>; "2.4.71" */
	const char *const *defines; /* -D NAME[=VALUE], NULL-terminated */
	const char *const *modules; /* extra modules taken as loaded */
	int no_includes;           /* do not follow Include */
	int no_env;                /* ignore the process environment */
	int no_envvars;            /* do not read Debian's envvars */
	int check_modules;         /* LoadModule: report a missing .so (HC070) */
	hconf_regex_fn regex;      /* <IfVersion ~ re>; NULL: never matches */
	void *regex_ctx;
	hconf_known_fn known;      /* NULL: <IfDirective>/<IfSection> false */
	void *known_ctx;
	hconf_read_fn read;        /* NULL: every file from disk */
	void *read_ctx;
};

/**
 * Parse the file at path, and everything it includes.  opts may be NULL.
 * Never returns NULL: an unreadable file gives a document with a FATAL
 * diagnostic.  The caller frees the result with hconf_doc_free().
 */
struct hconf_doc *hconf_parse_file(const char *path,
    const struct hconf_options *opts);

/**
 * Parse len bytes at buf as a file named name.  The bytes are copied.
 * The caller frees the result with hconf_doc_free().
 */
struct hconf_doc *hconf_parse_buffer(const char *name, const char *buf,
    size_t len, const struct hconf_options *opts);

/* path.c: the one resolver for --root, shared by every tool */

#define HCONF_PATH_MAXLINKS 40 /* symlinks one resolution follows (ELOOP) */
#define HCONF_PATH_NOFOLLOW 1  /* do not follow a symlink in the last component */

/**
 * Resolve path (a server path: absolute, or relative to the server's
 * "/") under root the way the kernel resolves it inside a chroot: one
 * component at a time with lstat() and readlink(); ".." at the root
 * stays at the root; an absolute symlink target starts again at root,
 * a relative one at the link's directory; more than HCONF_PATH_MAXLINKS
 * links fail with ELOOP.  Nothing outside root is looked at.  A missing
 * last component is not an error (the result names where it would be).
 * Returns a malloc'd host path (root, then the resolved components), or
 * NULL with errno set (ENOENT, ENOTDIR, ELOOP, EACCES...).  root NULL:
 * a copy of path, unresolved (no --root).
 */
char *hconf_path_resolve(const char *root, const char *path, int flags);

/**
 * open(2) path resolved under root, with O_NOFOLLOW and O_CLOEXEC added
 * when root is set (so a symlink swapped in after the walk is refused).
 * Returns the descriptor, or -1 with errno set; the resolved path goes
 * to *realp (caller frees) when realp is not NULL and the open worked.
 */
int hconf_path_open(const char *root, const char *path, int flags,
    char **realp);

/**
 * The server path of a file named on a command line with --root: a
 * path that names something inside root (relative to the working
 * directory, or absolute and starting with root's real path or with
 * root as given) is taken from root ("/" plus the rest); any other
 * absolute path is already a server path and is looked up under root
 * (no host directory is looked at for it).  Returns a malloc'd path,
 * or NULL with errno set (EXDEV: a relative path that is not inside
 * root).
 */
char *hconf_path_server(const char *root, const char *arg);

/** Release a document and everything allocated from its arena. */
void hconf_doc_free(struct hconf_doc *);

/** Number of files read; file 0 is the main file.  Macro expansions
 * (ids with HCONF_FILE_MACRO) are not counted. */
uint32_t hconf_doc_nfiles(const struct hconf_doc *);
/** File id (a macro expansion too); NULL for no such file; arena-owned,
 * valid until hconf_doc_free(). */
const struct hconf_file *hconf_doc_file(const struct hconf_doc *, uint32_t id);

/**
 * For a location in a macro expansion: the Use line in a real file that
 * (at the outermost level) expanded it, and the <Macro> body line the
 * text came from.  Returns 0, touching nothing, for a real file.
 */
int hconf_macro_origin(const struct hconf_doc *, uint32_t file_id,
    uint32_t off, const struct hconf_node **use, uint32_t *body_file,
    uint32_t *body_off);

/** Diagnostics in the order they were found; arena-owned. */
const struct hconf_diag *hconf_doc_diags(const struct hconf_doc *, size_t *n);

/** Modules loaded at the end of the read, static ones first. */
const struct hconf_module *hconf_doc_modules(const struct hconf_doc *,
    size_t *n);

/** A Define in force at the end of the read, or NULL. */
const char *hconf_doc_define(const struct hconf_doc *, const char *name);

/** Byte offset to 1-based line and byte column. */
void hconf_linecol(const struct hconf_doc *, uint32_t file_id, uint32_t off,
    uint32_t *line, uint32_t *col);

/**
 * Write file id's tree to fp.  Clean nodes are copied byte for byte;
 * DIRTY and SYNTH nodes print their text; DELETED nodes print nothing.
 * Returns 0, or -1 on a write error (errno set).
 */
int hconf_print_file(const struct hconf_doc *, uint32_t file_id, FILE *fp);

/**
 * Append the printed form of file id to a malloc'd buffer.  Returns the
 * buffer (caller frees) and sets *len.
 */
char *hconf_print_buffer(const struct hconf_doc *, uint32_t file_id,
    size_t *len);

/** One line per node, for golden tests; see fixtures/parse. */
int hconf_dump(const struct hconf_doc *, FILE *fp);

/**
 * Verify links and the span invariant of every file.  Returns 0 when the
 * tree is sound, otherwise -1 and a static description in *why.
 */
int hconf_node_check(const struct hconf_doc *, const char **why);

/**
 * The node's parent as httpd sees it: its parent section, or for a file's
 * top-level node, the Include line that read the file.  NULL at the top.
 */
const struct hconf_node *hconf_node_up(const struct hconf_doc *,
    const struct hconf_node *);

/** Next node in document order, descending into sections (not includes). */
const struct hconf_node *hconf_node_walk(const struct hconf_node *);

/** 1 when name equals the node's word, ignoring case. */
int hconf_node_is(const struct hconf_node *, const char *name);

/**
 * Replace a node's whole text (a leaf's full span or a section's opening
 * line).  text is copied into the arena and must end in a newline unless
 * it replaces a line that had none.
 */
void hconf_node_set_text(struct hconf_doc *, struct hconf_node *,
    const char *text);

/** As hconf_node_set_text(), with len bytes that may include NUL bytes. */
void hconf_node_set_bytes(struct hconf_doc *, struct hconf_node *,
    const char *text, size_t len);

/** Insert a synthetic line (text copied) after node, or first in parent. */
struct hconf_node *hconf_node_insert_after(struct hconf_doc *,
    struct hconf_node *parent, struct hconf_node *after, const char *text);

/** Copy a string into the document's arena. */
const char *hconf_strdup(struct hconf_doc *, const char *);

/** The catalogue: every diagnostic the library can produce. */
const struct hconf_diag_info *hconf_diag_catalogue(size_t *n);

const char *hconf_severity_name(enum hconf_severity);

/* Allocation: abort with a message on failure. */
void *hconf_xmalloc(size_t);
void *hconf_xcalloc(size_t, size_t);
void *hconf_xrealloc(void *, size_t);
char *hconf_xstrdup(const char *);

/* httpd's atoi, for rules: glibc atoi semantics with wrapping. */
int hconf_atoi(const char *);

/* yaml.c (writer, loader) and export.c: export and import */

/*
 * The tree as data, in the schema of hconf-export(5).  A writer produces
 * YAML (through libyaml's emitter) or JSON; the calls nest like the data:
 * hconf_emit_map()/hconf_emit_seq() open a collection, hconf_emit_end()
 * closes the innermost one, and inside a mapping each value follows its
 * hconf_emit_key().  Errors are sticky: the first one is kept and
 * returned by hconf_emit_finish().  Output is deterministic.
 */
struct hconf_emit;

/**
 * Start one document on fp: YAML when json is 0, else JSON.  Never
 * returns NULL; the caller ends it with hconf_emit_finish().
 */
struct hconf_emit *hconf_emit_new(FILE *fp, int json);
void hconf_emit_map(struct hconf_emit *);
void hconf_emit_seq(struct hconf_emit *);
void hconf_emit_end(struct hconf_emit *);
/** A mapping key: a short ASCII name. */
void hconf_emit_key(struct hconf_emit *, const char *key);
/**
 * A string of len bytes.  Bytes that are not UTF-8, or hold a NUL, are
 * written as base64: a !!binary scalar in YAML, {"base64": "..."} in JSON.
 * Other strings are quoted whenever a reader could take them for a
 * number, a boolean or null.
 */
void hconf_emit_str(struct hconf_emit *, const char *s, size_t len);
void hconf_emit_int(struct hconf_emit *, long long);
void hconf_emit_bool(struct hconf_emit *, int);
void hconf_emit_null(struct hconf_emit *);
/**
 * End the document, flush fp and free the writer.  Returns 0, or -1 with
 * errno set when a write failed or the calls did not nest.
 */
int hconf_emit_finish(struct hconf_emit *);

/**
 * Write the value of the files key: every file of doc in read order, each
 * {path, nodes}.  Comments and blank lines, and each node's text, only
 * when lossless is set (error lines, and lines whose ${VAR} expansion
 * changed the number of words, always carry their text).  Nodes flagged
 * DELETED are left out.
 */
void hconf_export_files(struct hconf_emit *, const struct hconf_doc *,
    int lossless);

/* A YAML node read by hconf_yaml_load(). */
enum hconf_ykind {
	HCONF_YSCALAR,
	HCONF_YSEQ,
	HCONF_YMAP
};

struct hconf_ynode {
	enum hconf_ykind kind;
	uint32_t line, col;      /* where it starts, 1-based */
	int plain;               /* scalar: plain and untagged, or tagged
				    !!int/!!bool/!!null/!!float */
	int binary;              /* scalar: a !!binary, decoded */
	const char *s;           /* scalar: the bytes, NUL-terminated */
	size_t len;              /* (s may hold NULs: use len) */
	struct hconf_ynode **v;  /* SEQ: the items; MAP: key, value, ... */
	size_t n;                /* entries in v (twice the pairs for MAP) */
};

/* Where and why hconf_yaml_load() failed. */
struct hconf_yerr {
	uint32_t line, col;      /* 1-based */
	char msg[256];
};

struct hconf_ydoc;

/**
 * Read the single YAML document in len bytes at buf with libyaml's
 * parser.  !!binary scalars are decoded; aliases, unknown tags, several
 * documents and nesting deeper than 65536 levels are refused.  Returns
 * the document (caller frees with hconf_ydoc_free()), or NULL with *err
 * filled in.
 */
struct hconf_ydoc *hconf_yaml_load(const char *buf, size_t len,
    struct hconf_yerr *err);
/** The root node; owned by the document. */
const struct hconf_ynode *hconf_ydoc_root(const struct hconf_ydoc *);
void hconf_ydoc_free(struct hconf_ydoc *);

/** 1 when the len bytes at s are strict UTF-8 (no overlongs, no surrogates). */
int hconf_utf8_valid(const char *s, size_t len);
/**
 * The length (1 to 4) of the strict UTF-8 sequence that starts at s, of
 * the avail bytes there, or 0 when none starts there.
 */
size_t hconf_utf8_len(const char *s, size_t avail);
/** Base64 of len bytes, NUL-terminated; caller frees.  outlen may be NULL. */
char *hconf_base64_encode(const void *, size_t len, size_t *outlen);
/**
 * Decode base64 (white space ignored).  Returns 0 and a NUL-terminated
 * buffer in *out (caller frees), or -1 when s is not base64.
 */
int hconf_base64_decode(const char *s, size_t len, char **out,
    size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif /* HCONF_H */
