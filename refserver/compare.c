/*
 * compare.c - mpmref --compare: hand the command line to the comparison
 * driver: refserver/compare_svg.py, compare_report.py and compare.py,
 * in that order one text compiled into mpmref (the Makefile turns it
 * into $(B)/gen/compare_py.c), so that an installed mpmref needs no
 * file beside it.  The driver is Python
 * (standard library only): it opens thousands of sockets, runs wrk,
 * reads /proc and writes JSON, Markdown and HTML with inline SVG, which
 * in C would be several times the code for no gain in accuracy; the
 * servers it measures are mpmref itself and apache2.
 *
 * The driver learns where mpmref and mpmconv are from the environment
 * (MPMREF_BIN, MPMCONV_BIN): this binary, and mpmconv beside it or on
 * PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ref.h"

/* The directory of this executable into dir (cap bytes); 0 or -1. */
static int
self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	char *slash;

	if (n <= 0) {
		return -1;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		return -1;
	}
	*slash = '\0';
	return 0;
}

int
ref_compare_main(int argc, char *argv[])
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	const char **av;
	int i;

	if (self_dir(dir, sizeof(dir)) == 0) {
		snprintf(path, sizeof(path), "%s/mpmref", dir);
		setenv("MPMREF_BIN", path, 0);
		snprintf(path, sizeof(path), "%s/mpmconv", dir);
		if (access(path, X_OK) == 0) {
			setenv("MPMCONV_BIN", path, 0);
		}
	}
	av = hconf_xcalloc((size_t)argc + 4, sizeof(*av));
	av[0] = "python3";
	av[1] = "-c";
	av[2] = (const char *)ref_compare_py;
	av[3] = "mpmref --compare";
	for (i = 2; i < argc; i++) {
		av[i + 2] = argv[i];
	}
	execvp("python3", (char *const *)av);
	fprintf(stderr, "mpmref: --compare needs python3: %s\n",
	    strerror(errno));
	free(av);
	return errno == ENOENT ? 127 : 126;
}
