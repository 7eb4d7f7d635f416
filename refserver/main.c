/*
 * main.c - mpmref's command line: read the configuration, bind the
 * loopback listeners, write the pid file and hand over to the parent
 * loop.  It runs in the foreground and logs to standard error; it never
 * daemonizes and never changes user.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "ref.h"

static void
usage(FILE *fp)
{
	fputs("usage: mpmref [-tXhV] [-d SERVERROOT] [-D NAME[=VALUE]] "
	    "[--root DIR]\n"
	    "              [-l ADDR:PORT] [--allow-any-address] "
	    "[--pidfile FILE]\n"
	    "              [--mpm prefork|worker|event] [--crash-endpoint] "
	    "[-f] CONFIG\n"
	    "       mpmref --compare [--quick] [-o DIR] CONFIG\n", fp);
}

static void
add(const char ***v, size_t *n, const char *s)
{
	*v = hconf_xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

/* Allow as many descriptors as the hard limit: event holds many. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * Write the pid file.  A symbolic link at path is refused (O_NOFOLLOW),
 * so that a link planted in a shared directory cannot make mpmref
 * overwrite the file it points at.
 */
static int
write_pidfile(const char *path)
{
	char buf[32];
	int fd, n, e = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		ref_log(REF_ERR, "cannot write pid file %s: %s", path,
		    errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	errno = 0;
	if (write(fd, buf, (size_t)n) != n) {
		e = errno != 0 ? errno : EIO;
	}
	if (close(fd) != 0 && e == 0) {
		e = errno;
	}
	if (e != 0) {
		ref_log(REF_ERR, "cannot write pid file %s: %s", path,
		    strerror(e));
		return -1;
	}
	return 0;
}

/* Where the value of an option that takes a string goes; NULL for others. */
static const char **
string_opt(struct ref_opts *o, int ch)
{
	switch (ch) {
	case 'f': return &o->config;
	case 'd': return &o->server_root;
	case 'R': return &o->root;
	case 'p': return &o->pidfile;
	default: return NULL;
	}
}

/* The flag an option without a value sets; NULL for others. */
static int *
flag_opt(struct ref_opts *o, int ch, int *test)
{
	switch (ch) {
	case 'A': return &o->allow_any;
	case 't': return test;
	case 'X': return &o->one_process;
	case 'K': return &o->crash_endpoint;
	default: return NULL;
	}
}

/* --mpm NAME.  Returns 0, or -1 after saying what it takes. */
static int
mpm_opt(const char *name, enum rules_mpm *mpm)
{
	if (strcmp(name, "prefork") == 0) {
		*mpm = RULES_MPM_PREFORK;
	} else if (strcmp(name, "worker") == 0) {
		*mpm = RULES_MPM_WORKER;
	} else if (strcmp(name, "event") == 0) {
		*mpm = RULES_MPM_EVENT;
	} else {
		fprintf(stderr, "mpmref: --mpm takes prefork, worker "
		    "or event\n");
		return -1;
	}
	return 0;
}

/*
 * Read the command line into *o (and *test: -t).  Returns -1 to go on,
 * or the exit status: -h and -V print and stop, a usage error too.
 */
static int
read_opts(int argc, char *argv[], struct ref_opts *o, int *test)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'f'},
		{"server-root", required_argument, NULL, 'd'},
		{"define", required_argument, NULL, 'D'},
		{"root", required_argument, NULL, 'R'},
		{"listen", required_argument, NULL, 'l'},
		{"allow-any-address", no_argument, NULL, 'A'},
		{"pidfile", required_argument, NULL, 'p'},
		{"mpm", required_argument, NULL, 'm'},
		{"test", no_argument, NULL, 't'},
		{"crash-endpoint", no_argument, NULL, 'K'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char **str;
	int *flag, ch;

	while ((ch = getopt_long(argc, argv, "f:d:D:l:tXhV", longopts,
	    NULL)) != -1) {
		if ((str = string_opt(o, ch)) != NULL) {
			*str = optarg;
		} else if ((flag = flag_opt(o, ch, test)) != NULL) {
			*flag = 1;
		} else if (ch == 'D') {
			add(&o->defines, &o->ndefines, optarg);
		} else if (ch == 'l') {
			add(&o->listen, &o->nlisten, optarg);
		} else if (ch == 'm') {
			if (mpm_opt(optarg, &o->force_mpm) != 0) {
				return EXIT_USAGE;
			}
		} else if (ch == 'h' || ch == 'V') {
			if (ch == 'h') {
				usage(stdout);
			} else {
				puts("mpmref " REF_VERSION);
			}
			return EXIT_CLEAN;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (o->config == NULL && optind < argc) {
		o->config = argv[optind++];
	}
	if (o->config == NULL || optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* Load the configuration and run the server (or print it: -t). */
static int
run(const struct ref_opts *o, int test)
{
	struct ref_conf c;
	int rc;

	rc = ref_conf_load(o, &c, NULL);
	if (rc != 0) {
		return rc == -2 ? EXIT_UNREADABLE : 1;
	}
	if (test) {
		ref_conf_print(&c, stdout);
		ref_conf_free(&c);
		return EXIT_CLEAN;
	}
	raise_nofile();
	if (ref_listen_open(&c, NULL) != 0) {
		ref_conf_free(&c);
		return 1;
	}
	if (o->pidfile != NULL && write_pidfile(o->pidfile) != 0) {
		ref_listen_close(&c);
		ref_conf_free(&c);
		return 1;
	}
	rc = ref_server_run(o, &c);
	if (o->pidfile != NULL) {
		unlink(o->pidfile);
	}
	ref_conf_free(&c);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct ref_opts o;
	int test = 0, rc;

	if (argc > 1 && strcmp(argv[1], "--compare") == 0) {
		return ref_compare_main(argc, argv);
	}
	memset(&o, 0, sizeof(o));
	rc = read_opts(argc, argv, &o, &test);
	if (rc < 0) {
		signal(SIGPIPE, SIG_IGN);
		rc = run(&o, test);
	}
	free(o.defines);
	free(o.listen);
	return rc;
}
