/*
 * cond.c - the conditional sections httpd evaluates while reading:
 * <IfModule>, <IfDefine>, <IfFile>, <IfDirective>, <IfSection> and
 * mod_version's <IfVersion>.  parse.c decides what to read from the
 * answer.  Nothing here prints.
 */
#include <sys/stat.h>

#include <string.h>

#include "hconf_int.h"
#include "ieq.h"

/* ---- conditional tests ---------------------------------------------- */

int
cond_module_loaded(struct hconf_doc *doc, const char *name)
{
	const struct hconf_module *m = doc->modules.v;
	size_t i;

	for (i = 0; i < doc->modules.n; i++) {
		if (strcmp(m[i].ident, name) == 0 ||
		    strcmp(m[i].source, name) == 0) {
			return 1;
		}
	}
	return 0;
}

static int
version_parse(const char *s, int v[3])
{
	int c = 0;

	v[0] = v[1] = v[2] = 0;
	if (!(*s >= '0' && *s <= '9')) {
		return -1;
	}
	while (*s && c < 3) {
		if (*s == '.') {
			c++;
		} else if (*s >= '0' && *s <= '9') {
			/* httpd's int arithmetic wraps; do it without UB */
			v[c] = (int)((unsigned)v[c] * 10u + (unsigned)(*s - '0'));
		} else {
			return -1;
		}
		s++;
	}
	return *s ? -1 : 0;
}

static int
version_cmp(struct hconf_doc *doc, const char *s, const char **err)
{
	int v[3], h[3], i;

	if (version_parse(s, v) == -1) {
		*err = "Version appears to be invalid. It must have the format "
		    "major[.minor[.patch]] where major, minor and patch are "
		    "numbers.";
		return 0;
	}
	version_parse(doc->version, h);
	*err = NULL;
	for (i = 0; i < 3; i++) {
		if (h[i] != v[i]) {
			return h[i] < v[i] ? -1 : 1;
		}
	}
	return 0;
}

/*
 * mod_version's start_ifversion.  Returns 1 true, 0 false, -1 error
 * (*err set).  words are the section's words with the trailing '>'
 * still attached to the last one, as httpd sees them.
 */
static int
ifversion(struct hconf_doc *doc, const char *args, const char **err)
{
	struct word w[4];
	const char *p = args, *a1, *a2, *a3 = NULL, *op, *endp;
	char *ver;
	int n = 0, reverse = 0, match = 0, cmp;
	char c;

	while (n < 4 && lex_word(&doc->a, &p, &w[n])) {
		n++;
	}
	if (n == 0 || n > 3) {
		*err = "<IfVersion takes one, two or three arguments, a "
		    "comparison operator, a version (and a delimiter)";
		return -1;
	}
	a1 = w[0].value;
	a2 = n > 1 ? w[1].value : NULL;
	a3 = n > 2 ? w[2].value : NULL;
	if (a2 == NULL) {
		a2 = a1;
		a1 = "=";
	}
	if (a3 == NULL && a2[0] == '>' && a2[1] == '\0') {
		a3 = ">";
		a2 = a1;
		a1 = "=";
	}
	endp = a2 + strlen(a2);
	if (endp == a2 || (!(a3 && a3[0] == '>' && !a3[1]) && *--endp != '>')) {
		*err = "<IfVersion> directive missing closing '>'";
		return -1;
	}
	op = a1;
	if (*op == '!') {
		reverse = 1;
		if (op[1]) {
			op++;
		}
	}
	c = *op++;
	if (!(!*op || (*op == '=' && !op[1] && c != '~'))) {
		*err = arena_printf(&doc->a, "unrecognized operator '%s'", a1);
		return -1;
	}
	ver = arena_strndup(&doc->a, a2, (size_t)(endp - a2));
	switch (c) {
	case '=':
		if (*a2 != '/') {
			cmp = version_cmp(doc, ver, err);
			if (*err) {
				return -1;
			}
			match = cmp == 0;
			break;
		}
		a2++;
		if (endp == a2 || endp[-1] != '/') {
			*err = "Missing delimiting / of regular expression.";
			return -1;
		}
		ver = arena_strndup(&doc->a, a2, (size_t)(endp - 1 - a2));
		/* FALLTHROUGH */
	case '~':
		if (doc->opts.regex == NULL) {
			match = 0;
			break;
		}
		match = doc->opts.regex(doc->opts.regex_ctx, ver, doc->version,
		    err);
		if (match < 0) {
			if (*err == NULL) {
				*err = "Unable to compile regular expression";
			}
			return -1;
		}
		break;
	case '<':
		cmp = version_cmp(doc, ver, err);
		if (*err) {
			return -1;
		}
		match = cmp == -1 || (*op && cmp == 0);
		break;
	case '>':
		cmp = version_cmp(doc, ver, err);
		if (*err) {
			return -1;
		}
		match = cmp == 1 || (*op && cmp == 0);
		break;
	default:
		*err = arena_printf(&doc->a, "unrecognized operator '%s'", a1);
		return -1;
	}
	*err = NULL;
	return reverse ? !match : match;
}

static const char *const cond_names[] = {"IfModule", "IfDefine", "IfFile",
    "IfDirective", "IfSection", "IfVersion", NULL};

/* Evaluate a conditional; returns 1/0, or -1 after a diagnostic. */
int
cond_test(struct reader *rd, struct hconf_node *n, const char *canon,
    const char *rest)
{
	struct hconf_doc *doc = rd->doc;
	const char *endp, *arg, *err;
	char *a;
	struct word w, extra;
	int not, r;

	if (strcmp(canon, "IfVersion") == 0) {
		r = ifversion(doc, rest, &err);
		if (r < 0) {
			diag_at(rd, HCONF_D_IFVERSION, n->name.off, "%s", err,
			    NULL);
		}
		return r;
	}
	endp = strrchr(rest, '>');
	if (endp == NULL) {
		diag_at(rd, HCONF_D_OPEN_BRACKET, n->name.off,
		    "<%s> directive missing closing '>'", canon, NULL);
		endp = rest + strlen(rest);
	}
	a = arena_strndup(&doc->a, rest, (size_t)(endp - rest));
	not = a[0] == '!';
	arg = not ? a + 1 : a;
	if (!lex_word(&doc->a, &arg, &w) || w.value[0] == '\0') {
		diag_at(rd, HCONF_D_SECTION_NOARG, n->name.off,
		    "<%s> directive requires additional arguments", canon,
		    NULL);
		return -1;
	}
	if (lex_word(&doc->a, &arg, &extra)) {
		uint32_t i = strcmp(n->nargs ? n->args[0].value : "", "!") == 0 ?
		    2 : 1;
		uint32_t off = n->nargs > i ? n->args[i].raw.off : n->name.off;

		diag_at(rd, HCONF_D_COND_WORDS, off,
		    "<%s> tests only its first word; '%s' and what follows "
		    "are ignored", canon, extra.value);
	}
	if (strcmp(canon, "IfModule") == 0) {
		r = cond_module_loaded(doc, w.value);
	} else if (strcmp(canon, "IfDefine") == 0) {
		r = vars_is_defined(doc, w.value);
	} else if (strcmp(canon, "IfFile") == 0) {
		struct stat st;

		r = doc_stat_server(doc, doc_root_relative(doc, w.value), &st) == 0;
	} else {
		int section = strcmp(canon, "IfSection") == 0;

		r = doc->opts.known ? doc->opts.known(doc->opts.known_ctx,
		    w.value, section, doc) : 0;
	}
	return not ? !r : r;
}

const char *
cond_canon(const char *word)
{
	size_t i;

	for (i = 0; cond_names[i] != NULL; i++) {
		if (hconf_ieq(word, cond_names[i])) {
			return cond_names[i];
		}
	}
	return NULL;
}
