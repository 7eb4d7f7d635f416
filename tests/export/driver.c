/*
 * driver.c - a small stand-in for mpmconv --export/--import, so that
 * tests/export/run.sh depends only on libcli's export.h:
 *   driver export [-j] [-l] [-n] FILE   (-j JSON, -l lossless, -n no includes)
 *   driver import FILE.yaml [DIR]
 * The environment and Debian's envvars are ignored, so the output depends
 * only on the files.  Built by run.sh; not installed.
 */
#include <stdio.h>
#include <string.h>

#include "export.h"

static int
do_export(int argc, char *argv[])
{
	struct hconf_options opts;
	struct rules_config rc;
	struct rules_result res;
	struct hconf_doc *doc;
	int json = 0, lossless = 0, i, rv;

	memset(&opts, 0, sizeof(opts));
	opts.no_env = 1;
	opts.no_envvars = 1;
	opts.regex = rules_regex_match;
	for (i = 2; i < argc - 1; i++) {
		if (strcmp(argv[i], "-j") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "-l") == 0) {
			lossless = 1;
		} else if (strcmp(argv[i], "-n") == 0) {
			opts.no_includes = 1;
		} else {
			return 2;
		}
	}
	if (i != argc - 1) {
		return 2;
	}
	doc = hconf_parse_file(argv[i], &opts);
	memset(&rc, 0, sizeof(rc));
	memset(&res, 0, sizeof(res));
	rules_lint(doc, &rc, &res);
	rv = cli_export(stdout, doc, &res, json, lossless);
	if (rv != 0) {
		perror("driver: export");
	}
	rules_result_free(&res);
	hconf_doc_free(doc);
	return rv != 0 ? 2 : 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 3 && strcmp(argv[1], "export") == 0) {
		return do_export(argc, argv);
	}
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "import") == 0) {
		return cli_import(argv[2], argc == 4 ? argv[3] : NULL, stderr);
	}
	fputs("usage: driver export [-j] [-l] [-n] FILE | "
	    "driver import FILE.yaml [DIR]\n", stderr);
	return 2;
}
