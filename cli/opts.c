/*
 * opts.c - input loading shared by mpmlint, mpmconv and mpmref: the
 * parser options they all take and reading standard input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

int
cli_parse_option(struct cli_parse *p, int c, const char *arg)
{
	switch (c) {
	case CLI_O_NOINC:
		p->opts.no_includes = 1;
		break;
	case CLI_O_ROOT:
		p->opts.root = arg;
		break;
	case 'd':
		p->opts.server_root = arg;
		break;
	case 'D':
		cli_parse_define(p, arg);
		break;
	case CLI_O_HVER:
		p->opts.version = arg;
		break;
	default:
		return 0;
	}
	return 1;
}

void
cli_parse_free(struct cli_parse *p)
{
	free(p->defines);
	p->defines = NULL;
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
		doc = hconf_parse_buffer("-", buf, len, &p->opts);
		free(buf);
		return doc;
	}
	doc = hconf_parse_file(file, &p->opts);
	*unreadable = cli_unreadable(doc);
	return doc;
}
