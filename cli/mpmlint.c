/*
 * mpmlint.c - lint httpd configuration for MPM mistakes.  Findings go
 * to standard output; the exit status says whether any reached the
 * fail level.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *fp)
{
	fputs("usage: mpmlint [--no-includes] [--root DIR] [-d SERVERROOT] "
	    "[-D NAME[=VALUE]] FILE...\n", fp);
}

static int
lint_one(struct cli_parse *cp, const char *file)
{
	struct hconf_doc *doc;
	const struct hconf_diag *d;
	size_t n, i;
	int unreadable, worst = -1;

	doc = cli_load(cp, file, &unreadable);
	d = hconf_doc_diags(doc, &n);
	for (i = 0; i < n; i++) {
		const struct hconf_file *f = hconf_doc_file(doc, d[i].file_id);

		printf("%s:%u:%u: %s: %s [%s]\n", f->path, d[i].line, d[i].col,
		    hconf_severity_name(d[i].sev), d[i].msg, d[i].info->id);
		if ((int)d[i].sev > worst) {
			worst = (int)d[i].sev;
		}
	}
	hconf_doc_free(doc);
	if (unreadable) {
		return EXIT_UNREADABLE;
	}
	return worst >= HCONF_SEV_WARNING ? EXIT_FINDINGS : EXIT_CLEAN;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"no-includes", no_argument, NULL, 'I'},
		{"root", required_argument, NULL, 'R'},
		{"server-root", required_argument, NULL, 'd'},
		{"define", required_argument, NULL, 'D'},
		{"httpd-version", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct cli_parse cp;
	int c, i, rc = EXIT_CLEAN;

	cli_parse_init(&cp);
	while ((c = getopt_long(argc, argv, "d:D:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'I':
			cp.opts.no_includes = 1;
			break;
		case 'R':
			cp.opts.root = optarg;
			break;
		case 'd':
			cp.opts.server_root = optarg;
			break;
		case 'D':
			cli_parse_define(&cp, optarg);
			break;
		case 'v':
			cp.opts.version = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case 'V':
			puts("mpmlint " HCONF_VERSION);
			return EXIT_CLEAN;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		rc = lint_one(&cp, NULL);
	}
	for (i = optind; i < argc; i++) {
		int r = lint_one(&cp, argv[i]);

		if (r > rc) {
			rc = r;
		}
	}
	cli_parse_free(&cp);
	return rc;
}
