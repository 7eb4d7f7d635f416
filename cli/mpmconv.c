/*
 * mpmconv.c - convert MPM settings between prefork, worker and event.
 * With no conversion requested it prints the configuration back
 * unchanged, byte for byte, which is the parser's round-trip check.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *fp)
{
	fputs("usage: mpmconv [--no-includes] [--root DIR] [-d SERVERROOT] "
	    "[-D NAME[=VALUE]] [-o FILE] [FILE|-]\n", fp);
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
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct cli_parse cp;
	struct hconf_doc *doc;
	const char *out = NULL, *file;
	FILE *fp = stdout;
	int c, unreadable, rc = EXIT_CLEAN;

	cli_parse_init(&cp);
	while ((c = getopt_long(argc, argv, "d:D:o:hV", longopts, NULL)) != -1) {
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
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case 'V':
			puts("mpmconv " HCONF_VERSION);
			return EXIT_CLEAN;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	file = optind < argc ? argv[optind] : NULL;
	doc = cli_load(&cp, file, &unreadable);
	if (unreadable) {
		size_t n;
		const struct hconf_diag *d = hconf_doc_diags(doc, &n);

		fprintf(stderr, "mpmconv: %s\n", n ? d[0].msg : "cannot read input");
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return EXIT_UNREADABLE;
	}
	if (out != NULL && (fp = fopen(out, "wb")) == NULL) {
		perror(out);
		rc = EXIT_UNREADABLE;
	} else if (hconf_print_file(doc, 0, fp) == -1 || fflush(fp) == EOF) {
		perror("mpmconv: write");
		rc = EXIT_UNREADABLE;
	}
	if (out != NULL && fp != NULL && fclose(fp) == EOF) {
		perror(out);
		rc = EXIT_UNREADABLE;
	}
	hconf_doc_free(doc);
	cli_parse_free(&cp);
	return rc;
}
