/*
 * macro.c - mod_macro as httpd 2.4.71 runs it: <Macro name $arg ...>
 * definitions, Use name value ..., UndefMacro name, and the two global
 * switches MacroIgnoreEmptyArgs and MacroIgnoreBadNesting.
 *
 * parse.c calls in here only while macro_module is loaded.  A <Macro>
 * body is kept raw, a line per logical line, comments dropped, exactly
 * as mod_macro's get_lines_till_end_token() collects it; Use substitutes
 * the arguments (earliest occurrence first, the longest name on a tie,
 * '@' names double-quoted) into a buffer that parse.c reads as a file of
 * its own, named the way httpd names it ("macro 'x' (defined on line 1
 * of "f") used on line 9 of "f"").  The messages and AH ids are
 * mod_macro's.  Nothing here prints.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hconf_int.h"
#include "ieq.h"

#define MAX_STRING_LEN 8192             /* HUGE_STRING_LEN */
#define MACRO_BYTES_MAX (16u << 20)     /* expansion budget per document */
#define MACRO_USES_MAX 100000u          /* and expansions per document */
#define ARG_PREFIX "$%@"

struct body_line {
	const char *text;  /* trimmed logical line, then "\n" */
	uint32_t off;      /* its first byte in the defining file */
};

struct macro_def {
	char *name;              /* lower case; NULL once undefined */
	char **args;
	uint32_t nargs;
	struct vec body;         /* struct body_line */
	const char *location;    /* defined on line N of "F" */
	const char *where;       /* macro 'x' (location) */
	uint32_t file;           /* where the <Macro> line is */
	uint32_t line;
	uint32_t off;
	int ignore_empty, ignore_nesting;
	int macro_nesting, any_nesting;
	int failed;              /* refused: read the body, keep nothing */
};

static struct hconf_diag *
mdiag(struct hconf_doc *doc, enum hconf_diag_code c, uint32_t fid,
    uint32_t off, uint32_t line, const char *httpd, const char *msg)
{
	struct hconf_diag *d = diag_add(doc, c, fid, off, line, "%s", msg);

	d->httpd = httpd;
	return d;
}

static void
lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			*s = (char)(*s - 'A' + 'a');
		}
	}
}

static struct macro_def *
find(struct hconf_doc *doc, const char *name)
{
	struct macro_def **m = doc->macros.v;
	size_t i;

	for (i = 0; i < doc->macros.n; i++) {
		if (m[i]->name != NULL && strcmp(m[i]->name, name) == 0) {
			return m[i];
		}
	}
	return NULL;
}

static const char *
fname(struct hconf_doc *doc, uint32_t fid)
{
	const struct hconf_file *f = hconf_doc_file(doc, fid);

	return f != NULL ? f->path : "?";
}

/* get_arguments(): the words of s, as ap_getword_conf splits them. */
static char **
words(struct hconf_doc *doc, const char *s, uint32_t *np)
{
	struct vec v = {NULL, 0, 0, sizeof(char *)};
	struct word w;
	char **out;

	while (lex_word(&doc->a, &s, &w)) {
		vec_push(&v, &w.value);
	}
	*np = (uint32_t)v.n;
	out = arena_alloc(&doc->a, (v.n ? v.n : 1) * sizeof(char *));
	if (v.n > 0) {
		memcpy(out, v.v, v.n * sizeof(char *));
	}
	vec_free(&v);
	return out;
}

/* warn_if_non_blank(): text after a closing '>' up to a '#'. */
static int
non_blank(const char *p)
{
	for (; *p && *p != '#'; p++) {
		if (*p != ' ' && *p != '\t') {
			return 1;
		}
	}
	return 0;
}

/*
 * check_macro_arguments(): refuse empty and repeated names, warn about
 * names without a prefix, names like ${...} and shared prefixes.
 */
static const char *
check_args(struct hconf_doc *doc, struct macro_def *m)
{
	uint32_t i, j;

	for (i = 0; i < m->nargs; i++) {
		const char *a = m->args[i];
		size_t la = strlen(a);

		if (la == 0) {
			return arena_printf(&doc->a, "macro '%s' (%s): empty "
			    "argument #%u name", m->name, m->location, i + 1);
		}
		if (strchr(ARG_PREFIX, a[0]) == NULL) {
			mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off, m->line,
			    "AH02796", arena_printf(&doc->a, "AH02796: macro "
			    "'%s' (%s) argument name '%s' (#%u) without "
			    "expected prefix, better prefix argument names "
			    "with one of '%s'.", m->name, m->location, a,
			    i + 1, ARG_PREFIX));
		}
		if (a[0] == '$' && a[1] == '{') {
			mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off, m->line,
			    "AH02805", arena_printf(&doc->a, "AH02805: macro "
			    "'%s' (%s) argument name '%s' (#%u) clashes with "
			    "'Define' syntax '${...}', better use '$(...)'.",
			    m->name, m->location, a, i + 1));
		}
		for (j = i + 1; j < m->nargs; j++) {
			const char *b = m->args[j];
			size_t lb = strlen(b);

			if (strcmp(a, b) == 0) {
				return arena_printf(&doc->a, "argument name "
				    "conflict in macro '%s' (%s): argument "
				    "'%s': #%u and #%u, change argument names!",
				    m->name, m->location, a, i + 1, j + 1);
			}
			if (lb && strncmp(a, b, la < lb ? la : lb) == 0) {
				mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off,
				    m->line, "AH02797", arena_printf(&doc->a,
				    "AH02797: macro '%s' (%s): argument name "
				    "prefix conflict (%s #%u and %s #%u), be "
				    "careful about your macro definition!",
				    m->name, m->location, a, i + 1, b, j + 1));
			}
		}
	}
	return NULL;
}

/*
 * The "/IgnoreEmptyArgs" and "/IgnoreBadNesting" flags before the
 * argument names, parsed character by character as mod_macro does
 * (an unknown flag is skipped up to the next space, AH02804).
 */
static const char *
flags(struct hconf_doc *doc, struct macro_def *m, char *arg)
{
	static const char ie[] = "/IgnoreEmptyArgs", ib[] = "/IgnoreBadNesting";

	while (*arg == '/') {
		if (strncasecmp(arg, ie, sizeof(ie) - 1) == 0) {
			m->ignore_empty = 1;
			arg += sizeof(ie) - 1;
			if (*arg == '\0') {
				break;
			}
		}
		if (strncasecmp(arg, ib, sizeof(ib) - 1) == 0) {
			m->ignore_nesting = 1;
			arg += sizeof(ib) - 1;
			if (*arg == '\0') {
				break;
			}
		}
		if (*arg != ' ') {
			char *c = strchr(arg, ' ');

			if (c != NULL) {
				*c = '\0';
			}
			mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off, m->line,
			    "AH02804", arena_printf(&doc->a, "AH02804: %s: "
			    "unknown flag '%s'", m->where, arg));
			if (c != NULL) {
				*c = ' ';
				arg = c;
			}
		}
		arg++;
	}
	return arg;
}

struct macro_def *
macro_open(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n,
    const char *rest)
{
	struct macro_def *m = arena_calloc(&doc->a, sizeof(*m));
	char *arg = arena_strdup(&doc->a, rest), *endp, *name;
	const char *err = NULL, *p;
	struct macro_def *old;
	struct word w;

	m->file = fid;
	m->line = n->line_last;
	m->off = n->name.off;
	m->body.size = sizeof(struct body_line);
	m->macro_nesting = m->any_nesting = 1;
	m->name = NULL;
	doc->macros_init = 1;
	m->failed = 1;
	endp = strrchr(arg, '>');
	if (endp == NULL) {
		err = "<Macro> directive missing closing '>'";
	} else if (endp == arg) {
		err = "<Macro macro definition: empty name";
	}
	if (err != NULL) {
		mdiag(doc, HCONF_D_MACRO_DEF, fid, m->off, m->line, NULL, err);
		return m;
	}
	if (non_blank(endp + 1)) {
		mdiag(doc, HCONF_D_MACRO_WARN, fid, m->off, m->line, "AH02989",
		    arena_printf(&doc->a, "AH02989: AH02801: non blank chars "
		    "found after <Macro closing '>' on line %u of %s: %s",
		    m->line, fname(doc, fid), endp + 1));
	}
	*endp = '\0';
	p = arg;
	if (!lex_word(&doc->a, &p, &w) || w.value[0] == '\0') {
		mdiag(doc, HCONF_D_MACRO_DEF, fid, m->off, m->line, NULL,
		    "<Macro macro definition: name not found");
		return m;
	}
	name = w.value;
	lower(name);
	m->name = name;
	old = find(doc, name);
	if (old != NULL) {
		mdiag(doc, HCONF_D_MACRO_WARN, fid, m->off, m->line, "AH02802",
		    arena_printf(&doc->a, "AH02802: macro '%s' multiply "
		    "defined: %s, redefined on line %u of \"%s\"", name,
		    old->location, m->line, fname(doc, fid)));
	}
	m->location = arena_printf(&doc->a, "defined on line %u of \"%s\"",
	    m->line, fname(doc, fid));
	m->where = arena_printf(&doc->a, "macro '%s' (%s)", name, m->location);
	if (strchr(ARG_PREFIX, name[0]) != NULL) {
		mdiag(doc, HCONF_D_MACRO_WARN, fid, m->off, m->line, "AH02803",
		    arena_printf(&doc->a, "AH02803: %s better prefix a macro "
		    "name with any of '%s'", m->where, ARG_PREFIX));
	}
	p = flags(doc, m, (char *)p);
	m->args = words(doc, p, &m->nargs);
	err = check_args(doc, m);
	if (err != NULL) {
		mdiag(doc, HCONF_D_MACRO_DEF, fid, m->off, m->line, NULL, err);
		return m;
	}
	m->failed = 0;
	return m;
}

/* next_substitution(): the earliest name in buf, the longest on a tie. */
static char *
next_subst(char *buf, char *const *names, uint32_t n, uint32_t *which)
{
	char *chosen = NULL;
	size_t lchosen = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		char *found = strstr(buf, names[i]);
		size_t l = strlen(names[i]);

		if (found != NULL && (chosen == NULL || found < chosen ||
		    (found == chosen && lchosen < l))) {
			chosen = found;
			lchosen = l;
			*which = i;
		}
	}
	return chosen;
}

/*
 * substitute_macro_args() on one line in a MAX_STRING_LEN buffer.  As in
 * httpd, the scan resumes strlen(replacement) bytes after the match,
 * which for a quoted '@' argument is inside the inserted text.
 */
static const char *
subst_line(char *buf, char *const *names, char *const *values, uint32_t n,
    char *used)
{
	char *ptr = buf;
	uint32_t k = 0;

	while ((ptr = next_subst(ptr, names, n, &k)) != NULL) {
		const char *name = names[k], *repl = values[k];
		int esc = name[0] == '@';
		size_t lname = strlen(name), lrepl = strlen(repl), lbuf,
		    lsubs = lrepl, i, j;
		long shift;

		if (esc) {
			lsubs += 2;
			for (i = 0; i < lrepl; i++) {
				lsubs += repl[i] == '"' || repl[i] == '\\';
			}
		}
		if (strcmp(name, repl) != 0) {
			lbuf = strlen(ptr);
			shift = (long)lsubs - (long)lname;
			if ((long)lbuf + shift >= (long)(MAX_STRING_LEN -
			    (size_t)(ptr - buf))) {
				return "cannot substitute, buffer size too "
				    "small";
			}
			if (shift != 0) {
				memmove(ptr + lname + shift, ptr + lname,
				    lbuf - lname + 1);
			}
			j = 0;
			if (esc) {
				ptr[j++] = '"';
			}
			for (i = 0; i < lrepl; i++, j++) {
				if (esc && (repl[i] == '"' || repl[i] == '\\')) {
					ptr[j++] = '\\';
				}
				ptr[j] = repl[i];
			}
			if (esc) {
				ptr[j++] = '"';
			}
		}
		ptr += lrepl;
		if (used != NULL) {
			used[k] = 1;
		}
	}
	return NULL;
}

/* process_content(): every body line, substituted; NULL or an error. */
static const char *
process(struct hconf_doc *doc, const struct macro_def *m,
    char *const *values, char *used, struct vec *out)
{
	const struct body_line *b = m->body.v;
	char *line = hconf_xmalloc(MAX_STRING_LEN);
	size_t i;

	for (i = 0; i < m->body.n; i++) {
		const char *err;
		size_t l = strlen(b[i].text);

		if (l >= MAX_STRING_LEN) {
			l = MAX_STRING_LEN - 1;  /* apr_cpystrn truncates */
		}
		memcpy(line, b[i].text, l);
		line[l] = '\0';
		err = subst_line(line, m->args, values, m->nargs, used);
		if (err != NULL) {
			free(line);
			return arena_printf(&doc->a, "while processing line %zu "
			    "of macro '%s' (%s) %s", i + 1, m->name, m->location,
			    err);
		}
		if (out != NULL) {
			char *s = arena_strdup(&doc->a, line);

			vec_push(out, &s);
		}
	}
	free(line);
	return NULL;
}

/* The end of the body: check_macro_contents(), then keep the macro. */
static void
macro_close(struct hconf_doc *doc, struct macro_def *m)
{
	struct macro_def **all = doc->macros.v;
	size_t i;

	if (m->failed) {
		vec_free(&m->body);
		return;
	}
	if (m->body.n == 0) {
		mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off, m->line,
		    "AH02799", arena_printf(&doc->a, "AH02799: macro '%s' "
		    "(%s): empty contents!", m->name, m->location));
	} else {
		char *used = arena_calloc(&doc->a, m->nargs + 1);
		const char *err = process(doc, m, m->args, used, NULL);
		uint32_t k;

		if (err != NULL) {
			mdiag(doc, HCONF_D_MACRO_SUBST, m->file, m->off, m->line,
			    NULL, arena_printf(&doc->a, "%s contents checking "
			    "error: %s", m->where, err));
			vec_free(&m->body);
			return;
		}
		for (k = 0; k < m->nargs; k++) {
			if (!used[k]) {
				mdiag(doc, HCONF_D_MACRO_WARN, m->file, m->off,
				    m->line, "AH02800", arena_printf(&doc->a,
				    "AH02800: macro '%s' (%s): argument '%s' "
				    "(#%u) never used", m->name, m->location,
				    m->args[k], k + 1));
			}
		}
	}
	for (i = 0; i < doc->macros.n; i++) {
		if (all[i]->name != NULL && strcmp(all[i]->name, m->name) == 0) {
			vec_free(&all[i]->body);
			all[i] = m;
			return;
		}
	}
	vec_push(&doc->macros, &m);
}

int
macro_line(struct hconf_doc *doc, struct macro_def *m, uint32_t fid,
    const char *text, uint32_t len, uint32_t src_off, uint32_t line)
{
	const char *p = text;
	struct word w;
	struct body_line b;
	int ignore = doc->macro_ignore_nesting || m->ignore_nesting;

	if (len > 0 && text[0] == '#') {
		return 0;
	}
	if (lex_word(&doc->a, &p, &w)) {
		const char *first = w.value;

		if (strncmp(first, "</", 2) == 0) {
			m->any_nesting--;
			if (!ignore && m->any_nesting < 0 && !m->failed) {
				mdiag(doc, HCONF_D_MACRO_WARN, fid, src_off, line,
				    "AH02793", arena_printf(&doc->a, "AH02793: "
				    "bad (negative) nesting on line %u of %s",
				    line - m->line, m->where));
			}
		} else if (first[0] == '<') {
			m->any_nesting++;
		}
		if (hconf_ieq(first, "</Macro>")) {
			const char *endp = strrchr(text, '>');

			if (non_blank(endp + 1) && !m->failed) {
				mdiag(doc, HCONF_D_MACRO_WARN, fid, src_off, line,
				    "AH02989", arena_printf(&doc->a, "AH02989: "
				    "AH02794: non blank chars found after "
				    "directive closing on line %u of %s: %s",
				    line, fname(doc, fid), endp + 1));
			}
			if (--m->macro_nesting == 0) {
				if (!ignore && m->any_nesting && !m->failed) {
					mdiag(doc, HCONF_D_MACRO_WARN, m->file,
					    m->off, m->line, "AH02795",
					    arena_printf(&doc->a, "AH02795: bad "
					    "cumulated nesting (%+d) in %s",
					    m->any_nesting, m->where));
				}
				macro_close(doc, m);
				return 1;
			}
		} else if (hconf_ieq(first, "<Macro")) {
			m->macro_nesting++;
		}
	}
	b.text = arena_printf(&doc->a, "%.*s\n", (int)len, text);
	b.off = src_off;
	vec_push(&m->body, &b);
	return 0;
}

void
macro_eof(struct hconf_doc *doc, struct macro_def *m, uint32_t fid)
{
	if (!m->failed) {
		mdiag(doc, HCONF_D_MACRO_DEF, fid, m->off, m->line, NULL,
		    arena_printf(&doc->a, "%s contents error: expected token "
		    "not found: </Macro>", m->where));
	}
	vec_free(&m->body);
}

static void
use_error(struct hconf_doc *doc, enum hconf_diag_code c, uint32_t fid,
    const struct hconf_node *n, const char *msg)
{
	mdiag(doc, c, fid, n->name.off, n->line_last, NULL, msg);
}

/*
 * The macro a Use or UndefMacro line (what) names, or NULL after
 * mod_macro's error; an unknown name is reported between pre and post.
 */
static struct macro_def *
named_macro(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n,
    const char *what, const char *pre, const char *post)
{
	struct macro_def *m;
	char *name;

	if (!doc->macros_init) {
		use_error(doc, HCONF_D_MACRO_UNDEF, fid, n, arena_printf(
		    &doc->a, "no macro defined before %s", what));
		return NULL;
	}
	if (n->nargs == 0 || n->args[0].value[0] == '\0') {
		use_error(doc, HCONF_D_MACRO_UNDEF, fid, n, arena_printf(
		    &doc->a, "no macro name specified with %s", what));
		return NULL;
	}
	name = arena_strdup(&doc->a, n->args[0].value);
	lower(name);
	m = find(doc, name);
	if (m == NULL) {
		use_error(doc, HCONF_D_MACRO_UNDEF, fid, n, arena_printf(
		    &doc->a, "%s%s%s", pre, name, post));
	}
	return m;
}

int
macro_use(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n,
    struct macro_use *out)
{
	struct macro_def *m;
	char **values;
	const char *where, *err;
	uint32_t nvals, i, k;
	struct vec lines = {NULL, 0, 0, sizeof(char *)};
	const struct body_line *b;
	size_t len;

	if (doc->macro_stopped) {
		return 0;
	}
	m = named_macro(doc, fid, n, "Use", "macro '", "' undefined");
	if (m == NULL) {
		return 0;
	}
	if (strstr(fname(doc, fid), arena_printf(&doc->a, "macro '%s'",
	    m->name)) != NULL) {
		use_error(doc, HCONF_D_MACRO_RECURSION, fid, n, arena_printf(
		    &doc->a, "recursive use of macro '%s' is invalid", m->name));
		return 0;
	}
	/* the words ap_getword_conf splits, as the node has them */
	nvals = n->nargs - 1;
	values = arena_alloc(&doc->a, (nvals + 1) * sizeof(char *));
	for (i = 0; i < nvals; i++) {
		values[i] = (char *)n->args[i + 1].value;
	}
	if (nvals != m->nargs) {
		use_error(doc, HCONF_D_MACRO_ARGS, fid, n, arena_printf(&doc->a,
		    "macro '%s' (%s) used with %u arguments instead of %u",
		    m->name, m->location, nvals, m->nargs));
		return 0;
	}
	where = arena_printf(&doc->a, "macro '%s' (%s) used on line %u of "
	    "\"%s\"", m->name, m->location, n->line_last, fname(doc, fid));
	if (!doc->macro_ignore_empty && !m->ignore_empty) {
		for (i = 0; i < nvals; i++) {
			if (values[i][0] == '\0') {
				mdiag(doc, HCONF_D_MACRO_WARN, fid, n->name.off,
				    n->line_last, "AH02798", arena_printf(
				    &doc->a, "AH02798: %s: empty argument #%u",
				    where, i + 1));
			}
		}
	}
	err = process(doc, m, values, NULL, &lines);
	if (err != NULL) {
		use_error(doc, HCONF_D_MACRO_SUBST, fid, n, arena_printf(
		    &doc->a, "%s error while substituting: %s", where, err));
		vec_free(&lines);
		return 0;
	}
	len = 0;
	for (i = 0; i < lines.n; i++) {
		len += strlen(((char **)lines.v)[i]);
	}
	/*
	 * The expansion's name (where) counts too: it holds the names of
	 * the expansions around it, and grows with the depth of nesting.
	 */
	if (doc->macro_bytes + len + strlen(where) > MACRO_BYTES_MAX ||
	    doc->macro_uses >= MACRO_USES_MAX) {
		/* said once; no Use is expanded after this one */
		use_error(doc, HCONF_D_MACRO_LIMIT, fid, n, arena_printf(
		    &doc->a, "macro '%s': expansions exceed %u MiB or %u uses "
		    "in all; mpmlint expands no macro from here on", m->name,
		    MACRO_BYTES_MAX >> 20, MACRO_USES_MAX));
		doc->macro_stopped = 1;
		vec_free(&lines);
		return 0;
	}
	doc->macro_bytes += len + strlen(where);
	doc->macro_uses++;
	out->buf = arena_alloc(&doc->a, len + 1);
	out->body_off = arena_alloc(&doc->a, (lines.n + 1) * sizeof(uint32_t));
	b = m->body.v;
	for (i = 0, k = 0; i < lines.n; i++) {
		const char *s = ((char **)lines.v)[i];
		size_t l = strlen(s);

		memcpy(out->buf + k, s, l);
		k += (uint32_t)l;
		out->body_off[i] = b[i].off;
	}
	out->body_off[lines.n] = lines.n ? b[lines.n - 1].off : m->off;
	out->buf[len] = '\0';
	out->len = len;
	out->nlines = (uint32_t)lines.n;
	out->body_file = m->file;
	out->where = where;
	out->name = m->name;
	vec_free(&lines);
	return 1;
}

void
macro_undef(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n)
{
	struct macro_def *m;

	if (n->nargs != 1) {
		return; /* the rules report the argument count */
	}
	m = named_macro(doc, fid, n, "UndefMacro",
	    "cannot remove undefined macro '", "'");
	if (m == NULL) {
		return;
	}
	m->name = NULL;
}

void
macro_flag(struct hconf_doc *doc, const struct hconf_node *n)
{
	if (hconf_ieq(n->word, "MacroIgnoreEmptyArgs")) {
		doc->macro_ignore_empty = 1;
	} else {
		doc->macro_ignore_nesting = 1;
	}
}

void
macro_free(struct hconf_doc *doc)
{
	struct macro_def **m = doc->macros.v;
	size_t i;

	for (i = 0; i < doc->macros.n; i++) {
		vec_free(&m[i]->body);
	}
	vec_free(&doc->macros);
}

int
hconf_macro_origin(const struct hconf_doc *doc, uint32_t file_id,
    uint32_t off, const struct hconf_node **use, uint32_t *body_file,
    uint32_t *body_off)
{
	const struct hconf_file *f = hconf_doc_file(doc, file_id);
	uint32_t bf = file_id, bo = off;
	int hops = 0;

	if (f == NULL || f->macro == NULL) {
		return 0;
	}
	/* the body line: through expansions that defined macros */
	while ((f = hconf_doc_file(doc, bf)) != NULL && f->macro != NULL &&
	    hops++ < 100000) {
		uint32_t line, col;

		hconf_linecol(doc, bf, bo, &line, &col);
		bo = f->body_off[line - 1 < f->body_lines ? line - 1 :
		    f->body_lines];
		bf = f->body_file;
	}
	*body_file = bf;
	*body_off = bo;
	/* the Use line in a real file */
	f = hconf_doc_file(doc, file_id);
	while (f != NULL && f->macro != NULL && f->incl_node != NULL) {
		*use = f->incl_node;
		f = hconf_doc_file(doc, f->incl_node->file_id);
	}
	return 1;
}
