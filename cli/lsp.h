/*
 * lsp.h - the language server of mpmlint --lsp (cli/lsp*.c only): the
 * server's state, open documents, lint results per configuration, and
 * the functions each part offers the others.
 */
#ifndef LSP_H
#define LSP_H

#include <stddef.h>

#include "cli.h"
#include "config.h"
#include "filter.h"
#include "lsp_json.h"
#include "rules.h"

#define LSP_DEBOUNCE_MS 50
#define LSP_MAX_MESSAGE (32u << 20) /* Content-Length above: refused */

/* An open document: the client's text, which overrides the disk. */
struct lsp_doc {
	char *uri;
	char *path;     /* the file the URI names */
	char *real;     /* realpath() of it, or path */
	char *text;
	size_t len, cap;
	long version;
	int dirty;      /* changed since the last lint */
	struct lsp_doc *next;
};

/* One configuration linted: a main file and the options it is read with. */
struct lsp_proj {
	char *main;
	char *config;              /* its .mpmlint.yaml, or NULL */
	struct config cfg;
	struct hconf_doc *doc;
	struct rules_result raw;
	struct filter_result fr;
	char **uris;               /* files published with diagnostics */
	size_t nuris;
	int dirty;
	int fresh;                 /* linted, not yet published */
	struct lsp_proj *next;
};

/* The command line's options the server takes over. */
struct lsp_opts {
	enum rules_mpm mpm;        /* --mpm */
	const int *cli_sev;        /* --disable, --severity */
	int no_inline;             /* --no-inline-suppress */
	int no_config;             /* --no-config */
	const char *config;        /* --config */
};

struct lsp {
	struct cli_parse *cp;
	struct lsp_opts o;
	char *init_main, *init_root; /* initializationOptions */
	enum rules_mpm init_mpm;
	int initialized, shutdown;
	long long due;             /* relint at this time (ms), 0: none */
	long debounce;             /* ms after a change (LSP_DEBOUNCE_MS) */
	long long last_change;     /* when the last didChange came (ms) */
	struct lsp_doc *docs;
	struct lsp_proj *projs;
	char *in;                  /* bytes read and not yet handled */
	size_t inlen, incap;
	unsigned long long skip;   /* body bytes of a refused message still
	                            * to come */
	int out_fd;
};

/* lsp.c */
int lsp_main(struct cli_parse *cp, const struct lsp_opts *o);
/**
 * A whole session from len bytes at buf, as if read from standard input
 * (for the fuzzer), answers on out_fd; then one relint if one is due.
 * Returns 1 when it ended with exit.
 */
int lsp_run_buffer(struct cli_parse *cp, const char *buf, size_t len,
    int out_fd);
void lsp_send(struct lsp *, struct jb *);
void lsp_log(struct lsp *, int type, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
long long lsp_now(void);

/* lsp_doc.c: documents and positions */
struct lsp_doc *lsp_doc_find(struct lsp *, const char *uri);
struct lsp_doc *lsp_doc_by_real(struct lsp *, const char *real);
/** 1 when an open document has the base name of path (then worth a
 * realpath() to compare). */
int lsp_doc_maybe(struct lsp *, const char *path);
/** didOpen, didChange, didClose; 0, or -1 for bad params. */
int lsp_did_open(struct lsp *, const struct lj *params);
int lsp_did_change(struct lsp *, const struct lj *params);
int lsp_did_close(struct lsp *, const struct lj *params);
void lsp_docs_free(struct lsp *);
/** file:// URI to a path (malloc'd), NULL when not a file URI. */
char *lsp_uri_path(const char *uri);
/** A path to a file:// URI, malloc'd. */
char *lsp_path_uri(const char *path);
/** {line, character} (UTF-16) to a byte offset of buf; -1 when bad. */
long lsp_offset(const char *buf, size_t len, const struct lj *pos);
/** A byte offset to "{"line":L,"character":C}". */
void lsp_jpos(struct jb *, const char *buf, size_t len, size_t off);
/** The UTF-16 length of len bytes. */
size_t lsp_u16len(const char *s, size_t len);
/** The hook of hconf_options.read: open buffers. */
int lsp_read_hook(void *ctx, const char *real, const char **buf,
    size_t *len);

/* lsp_lint.c: lint and diagnostics */
/** Relint what changed and publish diagnostics. */
void lsp_relint(struct lsp *);
void lsp_projs_free(struct lsp *);
/** The configuration a document was last linted in, and its file id. */
struct lsp_proj *lsp_proj_of(struct lsp *, const struct lsp_doc *,
    uint32_t *fid);
/**
 * Parse and lint p's configuration afresh (p->cfg already read), with
 * the options of p and the open buffers: a document the caller may edit
 * (quick fixes) and frees, with its sorted raw result.
 */
void lsp_proj_parse(struct lsp *, const struct lsp_proj *,
    struct hconf_doc **docp, struct rules_result *raw);
/** The file's bytes in that configuration (the buffer read). */
const struct hconf_file *lsp_proj_file(const struct lsp_proj *, uint32_t fid);

/** A range of file fid of doc in LSP positions. */
void lsp_jrange(struct jb *, const struct hconf_doc *, uint32_t fid,
    uint32_t off, uint32_t end);

/* lsp_feat.c: requests about a document; each writes the result value */
int lsp_hover(struct lsp *, const struct lj *params, struct jb *);
int lsp_symbols(struct lsp *, const struct lj *params, struct jb *);
int lsp_folding(struct lsp *, const struct lj *params, struct jb *);
int lsp_completion(struct lsp *, const struct lj *params, struct jb *);
int lsp_code_action(struct lsp *, const struct lj *params, struct jb *);
/** The document, configuration and file a textDocument param names. */
struct lsp_doc *lsp_param_doc(struct lsp *, const struct lj *params);

/* lsp_fix.c: quick fixes, the edits of mpmlint --fix (conv_fix_plan()) */
void lsp_fix_actions(struct lsp *, struct lsp_proj *, uint32_t fid,
    size_t finding, const char *uri, struct jb *, int *first);

#endif
