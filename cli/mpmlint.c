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
#include "output.h"
#include "rules.h"

static void
usage(FILE *fp)
{
	fputs("usage: mpmlint [--no-includes] [--root DIR] [-d SERVERROOT] "
	    "[-D NAME[=VALUE]] FILE...\n", fp);
}

struct lint_opts {
	struct rules_config rc;
	enum out_format format;
	int fail_on;   /* lowest severity that fails; > FATAL: never */
	int nfiles;
};

static int
lint_one(struct cli_parse *cp, struct lint_opts *lo, const char *file)
{
	struct hconf_doc *doc;
	struct rules_result res;
	struct out_file of;
	size_t i;
	int unreadable, rc = EXIT_CLEAN;

	cp->opts.regex = rules_regex_match;
	doc = cli_load(cp, file, &unreadable);
	rules_lint(doc, &lo->rc, &res);
	rules_sort(&res);
	of.name = file ? file : "-";
	of.doc = doc;
	of.res = &res;
	if (lo->format == OUT_JSON) {
		out_json(stdout, &of, lo->nfiles > 1);
	} else {
		out_text(stdout, &of);
	}
	for (i = 0; i < res.n; i++) {
		int sev = res.f[i].sev == HCONF_SEV_STYLE ? HCONF_SEV_NOTE :
		    (int)res.f[i].sev;

		if (sev >= lo->fail_on) {
			rc = EXIT_FINDINGS;
		}
	}
	if (unreadable) {
		rc = EXIT_UNREADABLE;
	}
	rules_result_free(&res);
	hconf_doc_free(doc);
	return rc;
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
		{"mpm", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{"fail-on", required_argument, NULL, 'F'},
		{"buckets", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0}
	};
	struct cli_parse cp;
	struct lint_opts lo;
	int c, i, rc = EXIT_CLEAN;

	cli_parse_init(&cp);
	memset(&lo, 0, sizeof(lo));
	lo.fail_on = HCONF_SEV_WARNING;
	while ((c = getopt_long(argc, argv, "d:D:f:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "prefork") == 0) {
				lo.rc.force_mpm = RULES_MPM_PREFORK;
			} else if (strcmp(optarg, "worker") == 0) {
				lo.rc.force_mpm = RULES_MPM_WORKER;
			} else if (strcmp(optarg, "event") == 0) {
				lo.rc.force_mpm = RULES_MPM_EVENT;
			} else {
				fprintf(stderr, "mpmlint: --mpm takes prefork, "
				    "worker or event\n");
				return EXIT_USAGE;
			}
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0) {
				lo.format = OUT_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				lo.format = OUT_JSON;
			} else {
				fprintf(stderr, "mpmlint: unknown format '%s'\n",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'F':
			if (strcmp(optarg, "error") == 0) {
				lo.fail_on = HCONF_SEV_ERROR;
			} else if (strcmp(optarg, "warning") == 0) {
				lo.fail_on = HCONF_SEV_WARNING;
			} else if (strcmp(optarg, "info") == 0) {
				lo.fail_on = HCONF_SEV_NOTE;
			} else if (strcmp(optarg, "never") == 0) {
				lo.fail_on = HCONF_SEV_FATAL + 1;
			} else {
				fprintf(stderr, "mpmlint: --fail-on takes error, "
				    "warning, info or never\n");
				return EXIT_USAGE;
			}
			break;
		case 'b':
			lo.rc.buckets = atoi(optarg);
			break;
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
	lo.nfiles = argc - optind;
	if (optind == argc) {
		rc = lint_one(&cp, &lo, NULL);
	}
	for (i = optind; i < argc; i++) {
		int r = lint_one(&cp, &lo, argv[i]);

		if (r > rc) {
			rc = r;
		}
	}
	cli_parse_free(&cp);
	return rc;
}
