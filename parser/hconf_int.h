/*
 * hconf_int.h - internal interface of libhconf.  Only files in parser/
 * include it.  It holds the document layout, the arena, the lexer, and
 * the reader that parse.c runs with doc.c, vars.c, cond.c and include.c.
 */
#ifndef HCONF_INT_H
#define HCONF_INT_H

#include <sys/stat.h>
#include <sys/types.h>

#include <string.h>

#include "hconf.h"

/* Arena: a list of chunks; large requests get a chunk of their own. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	int mapped;
	/* max_align_t alignment for the payload that follows */
	union {
		long double ld;
		void *p;
		long long ll;
	} data[];
};

struct arena {
	struct arena_chunk *head;
	size_t total;
};

void *arena_alloc_slow(struct arena *, size_t);

/* The bump allocation itself, inline: most calls never leave here. */
static inline void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + 7u) & ~(size_t)7u;

	if (c != NULL && need != 0 && c->size - c->used >= need) {
		void *p = (char *)c->data + c->used;

		c->used += need;
		return p;
	}
	return arena_alloc_slow(a, n);
}
void *arena_calloc(struct arena *, size_t);
char *arena_tail(struct arena *, size_t *avail);
void arena_commit(struct arena *, size_t);
char *arena_strndup(struct arena *, const char *, size_t);
char *arena_strdup(struct arena *, const char *);
char *arena_printf(struct arena *, const char *, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void arena_free(struct arena *);

/* Growable array of pointers / u32 backed by the heap. */
struct vec {
	void *v;
	size_t n, cap, size;
};
void vec_push(struct vec *, const void *elem);
void vec_free(struct vec *);

/* Diagnostic catalogue, generated from diag.def. */
enum hconf_diag_code {
#define HCONF_DIAG(e, id, name, sev, sum) e,
#include "diag.def"
#undef HCONF_DIAG
	HCONF_D__COUNT
};

struct define {
	char *name;
	char *value; /* NULL: flag only */
	uint64_t hash; /* in a struct defmap */
	int set;       /* in a struct defmap: 0 after UnDefine */
};

/* Defines by name (defines.c): open addressing, never shrinks. */
struct defmap {
	struct define *slot; /* cap slots; name NULL: empty */
	size_t cap, used;
};
const struct define *defmap_get(const struct defmap *, const char *name);
/* Define NAME [VALUE]: value NULL for a flag; both copied to the arena. */
void defmap_set(struct defmap *, struct arena *, const char *name,
    const char *value);
void defmap_unset(struct defmap *, const char *name);
void defmap_free(struct defmap *);

struct hconf_doc {
	struct arena a;
	struct vec files;   /* struct hconf_file * */
	struct vec diags;   /* struct hconf_diag */
	struct vec modules; /* struct hconf_module */
	size_t nstatic;     /* modules[0 .. nstatic): compiled in */
	size_t npreload;    /* modules[nstatic .. npreload): opts.modules */
	struct defmap defines;
	struct vec envvars; /* struct define, from Debian's envvars */
	struct hconf_options opts;
	const char *root;   /* --root made absolute and canonical, or NULL */
	const char *server_root;
	const char *version;
	int vmaj, vmin, vpatch;
	uint32_t include_depth;
	struct vec include_stack; /* const char * real paths of open files */
	size_t include_files;     /* files read through Include so far */
	size_t include_bytes;     /* and their bytes */
	size_t input_bytes;       /* bytes of every file read */
	size_t expand_bytes;      /* bytes of every line ${VAR} expanded */
	int include_capped;       /* HCONF_D_INC_LIMIT reported */
	int expand_capped;        /* HCONF_D_EXPAND_LIMIT (total) reported */
	struct vec xfiles;        /* struct hconf_file *: macro expansions */
	struct vec macros;        /* struct macro_def *, see macro.c */
	int macros_init;          /* a <Macro> was read (httpd's ap_macros) */
	int macro_ignore_empty;   /* MacroIgnoreEmptyArgs */
	int macro_ignore_nesting; /* MacroIgnoreBadNesting */
	size_t macro_bytes;       /* bytes of expansion so far */
	uint32_t macro_depth;     /* Use inside expansions, now */
	uint32_t macro_uses;      /* expansions so far */
	int macro_stopped;        /* a limit was hit: no more expansion */
	struct vec logs;          /* const struct hconf_node *: files.c */
	int suexec_off;           /* "Suexec Off" was read: files.c */
	struct dirlist *dirlist;  /* dirlist.c */
	struct reader *reading;   /* the innermost file being read, or NULL */
};

/*
 * A logical line: one or more physical lines joined as httpd's
 * ap_cfg_getline does.  text is the joined, NUL-truncated, trimmed
 * content; pos[] maps each byte of text back to its source offset.
 */
struct lseg {
	uint32_t tpos; /* index in the joined text */
	uint32_t soff; /* source offset of that byte */
};

struct lline {
	uint32_t start, end;   /* source span, newline(s) included */
	uint32_t first_line, last_line;
	char *text;            /* the line in place, or hbuf; trimmed at + lead */
	char *hbuf;            /* heap buffer for joined lines, reused */
	size_t len, cap;       /* joined length before trimming; hbuf size */
	uint32_t lead, tlen;   /* trimmed text: text[lead .. lead + tlen) */
	struct lseg *seg;      /* one per physical line */
	uint32_t nseg, segcap;
	int inplace;           /* text is in the lexer's scratch copy */
	int continued;         /* joined from several physical lines */
	int too_long;          /* over httpd's 16 MiB line limit */
	int nul;               /* a NUL byte cut a physical line short */
	int cont_ws;           /* ends in '\' plus whitespace */
	int dollar;            /* 0: the line holds no '$' (no ${VAR}) */
};

struct lexer {
	const char *buf;
	char *work;     /* a writable copy of buf: in-place lines and words */
	uint32_t len, off;
	uint32_t line; /* lines consumed so far */
	uint32_t nul;  /* offset of the first NUL byte, or len: none */
	uint32_t *lines; /* heap: the start of every physical line read */
	uint32_t nlines, lcap;
};

int lex_next(struct lexer *, struct lline *);
void lex_line_grow(struct lexer *);

/* The lexer records where each physical line starts: the line index. */
static inline void
lex_line_start(struct lexer *lx, uint32_t off)
{
	if (lx->nlines == lx->lcap) {
		lex_line_grow(lx);
	}
	lx->lines[lx->nlines++] = off;
}
void lline_free(struct lline *);
uint32_t lline_src_slow(const struct lline *, uint32_t i);

/* Source offset of byte i of the trimmed text. */
static inline uint32_t
lline_src(const struct lline *ll, uint32_t i)
{
	if (ll->nseg == 1) {
		return ll->seg[0].soff + ll->lead + i;
	}
	return lline_src_slow(ll, i);
}

/* httpd's ap_getword_conf on text starting at *p; returns heap string. */
struct word {
	const char *start, *end; /* in the input text (end exclusive) */
	char *value;             /* unescaped, arena */
	size_t len;              /* strlen(value) */
	char quote;
};
int lex_word(struct arena *, const char **p, struct word *);
int lex_word_inplace(char **p, struct word *);
uint32_t lex_args_inplace(char **pp, const char *tt, uint32_t base,
    struct hconf_arg *out, uint32_t max);
#define LEX_PAD 16 /* readable zero bytes after the scratch copy */
int lex_isspace(int c);

/*
 * The reader of one file (parse.c): its line, and a stack of frames,
 * one per open section.  A frame's kind is its reading mode: an
 * ordinary section, a true conditional, a false one whose lines are
 * skipped (soaked), or a <Macro> body being collected.
 */
enum frame_kind { F_ORD, F_COND, F_SOAK, F_MACRO };

struct frame {
	enum frame_kind kind;
	struct hconf_node *node;
	const char *name; /* section name without '<' */
	struct macro_def *mdef; /* F_MACRO: the definition being read */
};

struct reader {
	struct hconf_doc *doc;
	uint32_t fid;
	struct hconf_file *f;
	struct lexer lx;
	struct lline ll;
	uint32_t macro_open; /* sections a Use left open, for close tags */
	struct vec frames; /* struct frame */
	size_t nconds;     /* F_COND frames among them */
	size_t nsoak;      /* F_SOAK frames among them */
	int warned_deep;
	struct reader *up; /* the reader of the file that included this one */
	struct hconf_node nb; /* an open or close tag's node, being built */
};

/* A file open through Include, in doc->include_stack. */
struct inc_id {
	dev_t dev;
	ino_t ino;
	const char *path;
};

/* parse.c: read file fid into its tree; returns the sections a macro
 * expansion leaves open (0 for a file) */
uint32_t parse_file(struct hconf_doc *, uint32_t fid);

/* doc.c: files and server paths (arena-owned results) */
uint32_t doc_add_file(struct hconf_doc *, const char *path, const char *real,
    const char *link, const char *buf, size_t len,
    const struct hconf_node *incl, uint32_t depth);
const char *doc_real_path_flags(struct hconf_doc *, const char *path,
    int flags);
const char *doc_real_path(struct hconf_doc *, const char *path);
int doc_stat_server(struct hconf_doc *, const char *path, struct stat *);
/* dirlist.c: 1 and the d_type, 0 (absent) or -1 (unknown: stat it) */
int doc_dirlist_lookup(struct hconf_doc *, const char *path,
    unsigned char *type);
void doc_dirlist_free(struct hconf_doc *);
const char *doc_edit_path(struct hconf_doc *, const char *opened);
const char *doc_root_relative(struct hconf_doc *, const char *name);
int doc_slurp(struct hconf_doc *, const char *path, const char *real,
    char **bufp, size_t *lenp, struct stat *stp, const char **why);
void doc_serverroot(struct reader *, struct hconf_node *);

/* vars.c: Define, UnDefine, ${VAR} and Debian's envvars */
char *vars_resolve_slow(struct reader *, const char *s, const char *dollar,
    int warn);
/* ap_resolve_env on a line: NULL when nothing changed, else a heap
 * string the caller frees.  Most lines have no '$': that test is inline. */
static inline char *
vars_resolve(struct reader *rd, const char *s, int warn)
{
	const char *dollar = strchr(s, '$');

	if (dollar == NULL) {
		return NULL;
	}
	return vars_resolve_slow(rd, s, dollar, warn);
}
int vars_is_defined(struct hconf_doc *, const char *name);
void vars_define(struct reader *, struct hconf_node *, int undef);
void vars_load_envvars(struct hconf_doc *, const char *real);

/* cond.c: the conditional sections */
int cond_module_loaded(struct hconf_doc *, const char *name);
const char *cond_canon(const char *word);
int cond_test(struct reader *, struct hconf_node *, const char *canon,
    const char *rest);

/* include.c: Include, IncludeOptional and LoadModule */
void inc_include(struct reader *, struct hconf_node *, int optional);
void inc_loadmodule(struct reader *, struct hconf_node *);

/* files.c: module dependencies, mod_ssl's files, log directories */
int files_loadmodule(struct hconf_doc *, uint32_t fid,
    const struct hconf_node *);
void files_module_symbol(struct hconf_doc *, uint32_t fid,
    const struct hconf_node *);

/* elf.c: 1 when the shared object at a host path defines the symbol,
 * 0 when its dynamic symbol table lacks it, -1 when it cannot tell */
int elf_defines(const char *path, const char *sym);
/* The same on len bytes in memory (fuzz_elf): 1, 0 or -1. */
int elf_defines_mem(const unsigned char *buf, size_t len, const char *sym);
void files_directive(struct hconf_doc *, uint32_t fid,
    const struct hconf_node *);
void files_finish(struct hconf_doc *);

/* diag.c */
struct hconf_diag *diag_add(struct hconf_doc *, enum hconf_diag_code,
    uint32_t file_id, uint32_t off, uint32_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
const struct hconf_diag_info *diag_info(enum hconf_diag_code);

/* A diagnostic at offset off of the reader's file and line. */
static inline struct hconf_diag *
diag_at(struct reader *rd, enum hconf_diag_code c, uint32_t off,
    const char *fmt, const char *a, const char *b)
{
	return diag_add(rd->doc, c, rd->fid, off, rd->ll.last_line, fmt, a, b);
}

/* node.c */
struct hconf_node *node_new(struct hconf_doc *, enum hconf_kind,
    uint32_t file_id);
void node_append(struct hconf_node *parent, struct hconf_node *child);
struct hconf_file *doc_file(const struct hconf_doc *, uint32_t id);
void file_index_lines(struct hconf_file *);

/* macro.c: mod_macro's <Macro>, Use and UndefMacro */
struct macro_def;
struct macro_use {
	char *buf;          /* the expansion, a line per body line */
	size_t len;
	uint32_t *body_off; /* per line: its body line's offset */
	uint32_t nlines;
	uint32_t body_file; /* the file of the body */
	const char *where;  /* httpd's name for the expansion */
	const char *name;   /* the macro's name */
};
struct macro_def *macro_open(struct hconf_doc *, uint32_t fid,
    const struct hconf_node *n, const char *rest);
int macro_line(struct hconf_doc *, struct macro_def *, uint32_t fid,
    const char *text, uint32_t len, uint32_t src_off, uint32_t line);
void macro_eof(struct hconf_doc *, struct macro_def *, uint32_t fid);
int macro_use(struct hconf_doc *, uint32_t fid, const struct hconf_node *n,
    struct macro_use *out);
void macro_undef(struct hconf_doc *, uint32_t fid, const struct hconf_node *n);
void macro_flag(struct hconf_doc *, const struct hconf_node *n);
void macro_free(struct hconf_doc *);

/* modules.c */
const char *modules_source(struct arena *, const char *ident);
int modules_static(size_t i, const char **ident, const char **source);

#endif /* HCONF_INT_H */
