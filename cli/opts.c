/*
 * opts.c - what mpmlint, mpmconv and mpmref share on their command
 * lines: reading a tool's option table (getopt_long() and --help built
 * from it, the common handlers), the parser options they all take, and
 * reading standard input.  It knows no option of any one tool.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "esc.h"
#include "rules.h"

void
cli_parse_init(struct cli_parse *p)
{
	memset(p, 0, sizeof(*p));
	p->defines = hconf_xcalloc(1, sizeof(char *));
	/* <IfVersion ~ re> with PCRE2; <IfDirective>/<IfSection> with the
	 * directive table of Debian's modules */
	p->opts.regex = rules_regex_match;
	p->opts.known = rules_known;
	/* mod_so opens each LoadModule's file at once: check it exists */
	p->opts.check_modules = 1;
}

void
cli_parse_define(struct cli_parse *p, const char *d)
{
	p->defines = hconf_xrealloc(p->defines,
	    (p->ndefines + 2) * sizeof(char *));
	p->defines[p->ndefines++] = d;
	p->defines[p->ndefines] = NULL;
	p->opts.defines = p->defines;
}

void
cli_parse_mpm(struct cli_parse *p, const char *name)
{
	if (name == NULL) {
		p->opts.modules = NULL;
		return;
	}
	snprintf(p->mpm_ident, sizeof(p->mpm_ident), "mpm_%s_module", name);
	p->mods[0] = p->mpm_ident;
	p->mods[1] = NULL;
	p->opts.modules = p->mods;
}

void
cli_parse_free(struct cli_parse *p)
{
	free(p->defines);
	p->defines = NULL;
}

void
cli_free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i]);
	}
	free(v);
}

int
cli_unreadable(const struct hconf_doc *doc)
{
	size_t n, i;
	const struct hconf_diag *d = hconf_doc_diags(doc, &n);

	for (i = 0; i < n; i++) {
		if (strcmp(d[i].info->id, "HC001") == 0 && d[i].file_id == 0) {
			return 1;
		}
	}
	return 0;
}

struct hconf_doc *
cli_load(struct cli_parse *p, const char *file, int *unreadable)
{
	struct hconf_doc *doc;

	p->opts.defines = p->defines;
	if ((file == NULL || strcmp(file, "-") == 0) && p->stdin_buf != NULL) {
		*unreadable = 0;
		return hconf_parse_buffer(p->stdin_name != NULL ?
		    p->stdin_name : "-", p->stdin_buf, p->stdin_len, &p->opts);
	}
	if (file == NULL || strcmp(file, "-") == 0) {
		size_t len = 0, cap = 65536, r;
		char *buf = hconf_xmalloc(cap);

		while ((r = fread(buf + len, 1, cap - len, stdin)) > 0) {
			len += r;
			if (len == cap) {
				cap *= 2;
				buf = hconf_xrealloc(buf, cap);
			}
		}
		*unreadable = ferror(stdin) != 0;
		doc = hconf_parse_buffer(p->stdin_name != NULL ?
		    p->stdin_name : "-", buf, len, &p->opts);
		free(buf);
		return doc;
	}
	doc = hconf_parse_file(file, &p->opts);
	*unreadable = cli_unreadable(doc);
	return doc;
}

int
cli_stdin_note(const char *tool, int nfiles, int fd, FILE *err)
{
	if (nfiles > 0 || !isatty(fd)) {
		return 0;
	}
	esc_printf(err, "%s: reading configuration from standard input "
	    "(end with Ctrl-D; give FILE or - to silence this)\n", tool);
	return 1;
}

/* ---- option tables ------------------------------------------------------ */

int
cli_opt_help(const struct cli_arg *a)
{
	cli_usage(a->tool, stdout);
	return EXIT_CLEAN;
}

int
cli_opt_version(const struct cli_arg *a)
{
	printf("%s %s\n", a->tool->name, HCONF_VERSION);
	return EXIT_CLEAN;
}

int
cli_opt_flag(const struct cli_arg *a)
{
	*(int *)a->target = 1;
	return CLI_NEXT;
}

int
cli_opt_string(const struct cli_arg *a)
{
	*(const char **)a->target = a->arg;
	return CLI_NEXT;
}

int
cli_opt_define(const struct cli_arg *a)
{
	cli_parse_define(a->target, a->arg);
	return CLI_NEXT;
}

int
cli_bad(const struct cli_arg *a, const char *fmt, ...)
{
	va_list ap;

	esc_printf(stderr, "%s: ", a->tool->name);
	va_start(ap, fmt);
	esc_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (a->tool->usage_on_error) {
		cli_usage(a->tool, stderr);
	}
	return EXIT_USAGE;
}

/* The left column of o's --help line: "  -f, --format FMT". */
static int
usage_left(FILE *fp, const struct cli_opt *o)
{
	int n;

	if (o->letter != 0) {
		n = fprintf(fp, "  -%c, --%s", o->letter, o->name);
	} else {
		n = fprintf(fp, "      --%s", o->name);
	}
	if (o->meta != NULL) {
		n += fprintf(fp, "%s%s",
		    strncmp(o->meta, "[=", 2) == 0 ? "" : " ", o->meta);
	}
	return n;
}

void
cli_usage(const struct cli_tool *t, FILE *fp)
{
	const struct cli_opt *o;

	fputs(t->head, fp);
	for (o = t->opt; o->name != NULL || o->help != NULL; o++) {
		const char *h = o->help;
		int n;

		if (o->name == NULL) {
			fprintf(fp, "%s\n", h);
			continue;
		}
		if (h == NULL) {
			continue;
		}
		n = usage_left(fp, o);
		fprintf(fp, "%*s", n + t->gap > t->col ? t->gap : t->col - n,
		    "");
		/* continuation lines start at the column */
		while (h[n = (int)strcspn(h, "\n")] == '\n') {
			fprintf(fp, "%.*s\n%*s", n, h, t->col, "");
			h += n + 1;
		}
		fprintf(fp, "%s\n", h);
	}
	fputs(t->foot, fp);
}

/*
 * getopt_long()'s val for o: its letter, else 256 + its index.  An alias
 * (unlisted, with the handler, member and argument of an earlier entry:
 * --colour) shares the val of the first, so that getopt_long() does not
 * take an abbreviation of both as ambiguous.
 */
static int
opt_val(const struct cli_tool *t, const struct cli_opt *o)
{
	const struct cli_opt *p;

	if (o->letter != 0) {
		return o->letter;
	}
	for (p = t->opt; o->help == NULL && p < o; p++) {
		if (p->name != NULL && p->fn == o->fn && p->field == o->field &&
		    p->arg == o->arg) {
			return p->letter != 0 ? p->letter :
			    256 + (int)(p - t->opt);
		}
	}
	return 256 + (int)(o - t->opt);
}

int
cli_opts_parse(const struct cli_tool *t, void *ctx, int argc, char *argv[])
{
	const struct cli_opt *o;
	struct option *lo;
	char *optstr, *s;
	size_t n = 0, i;
	int c, rc = CLI_NEXT;

	for (o = t->opt; o->name != NULL || o->help != NULL; o++) {
		n++;
	}
	lo = hconf_xcalloc(n + 1, sizeof(*lo));
	s = optstr = hconf_xcalloc(3 * n + 1, 1);
	for (i = 0; i < n; i++) {
		struct option *l;

		o = &t->opt[i];
		if (o->name == NULL) {
			continue;
		}
		/* a heading has no place in getopt's table: ranks skip it */
		l = &lo[o->rank != 0 ? (size_t)o->rank - 1 : i];
		/* two options of one rank: a table error, never a user's */
		assert(o->rank == 0 || (size_t)o->rank <= n);
		assert(l->name == NULL);
		l->name = o->name;
		l->has_arg = o->arg;
		l->val = opt_val(t, o);
		if (o->letter != 0) {
			*s++ = (char)o->letter;
			s = stpcpy(s, o->arg == required_argument ? ":" :
			    o->arg == optional_argument ? "::" : "");
		}
	}
	/* the headings left holes: close them up */
	for (i = c = 0; i < n; i++) {
		if (lo[i].name != NULL) {
			lo[c++] = lo[i];
		}
	}
	memset(&lo[c], 0, (n + 1 - (size_t)c) * sizeof(*lo));
	while (rc == CLI_NEXT &&
	    (c = getopt_long(argc, argv, optstr, lo, NULL)) != -1) {
		for (o = t->opt; o->name != NULL || o->help != NULL; o++) {
			if (o->name != NULL && opt_val(t, o) == c) {
				break;
			}
		}
		if (o->name == NULL) {
			cli_usage(t, stderr);
			rc = EXIT_USAGE;
		} else {
			struct cli_arg a = {t, o, (char *)ctx + o->field,
			    optarg, NULL};

			/* "--color never": the word after, offered */
			if (o->arg == optional_argument && optarg == NULL &&
			    optind < argc) {
				a.next = argv[optind];
			}
			if ((rc = o->fn(&a)) == CLI_TOOK) {
				optind++;
				rc = CLI_NEXT;
			}
		}
	}
	free(lo);
	free(optstr);
	return rc;
}
