/*
 * dumptree.c - print the tree libhconf builds for one file, for the
 * golden tests in fixtures/parse: hconf_dump() output on stdout, then
 * the tree checker.  Built by tests/run-fixtures.sh; not installed.
 * The process environment and Debian's envvars are ignored, so the
 * output depends only on the file.
 */
#include <stdio.h>
#include <string.h>

#include "hconf.h"

int
main(int argc, char *argv[])
{
	struct hconf_options opts;
	struct hconf_doc *doc;
	const char *why = NULL;
	int rc = 0;

	if (argc != 2) {
		fputs("usage: dumptree FILE\n", stderr);
		return 2;
	}
	memset(&opts, 0, sizeof(opts));
	opts.no_env = 1;
	opts.no_envvars = 1;
	opts.no_includes = 1;
	doc = hconf_parse_file(argv[1], &opts);
	if (hconf_dump(doc, stdout) != 0) {
		perror("dumptree: stdout");
		rc = 2;
	}
	if (hconf_node_check(doc, &why) != 0) {
		fprintf(stderr, "dumptree: %s: tree check failed: %s\n",
		    argv[1], why);
		rc = 1;
	}
	hconf_doc_free(doc);
	if (fflush(stdout) != 0) {
		rc = 2;
	}
	return rc;
}
