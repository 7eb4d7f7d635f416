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
	    "              [--mpm prefork|worker|event] [-f] CONFIG\n", fp);
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

int
main(int argc, char *argv[])
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
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct ref_opts o;
	struct ref_conf c;
	int ch, test = 0, rc;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "f:d:D:l:tXhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.config = optarg;
			break;
		case 'd':
			o.server_root = optarg;
			break;
		case 'D':
			add(&o.defines, &o.ndefines, optarg);
			break;
		case 'R':
			o.root = optarg;
			break;
		case 'l':
			add(&o.listen, &o.nlisten, optarg);
			break;
		case 'A':
			o.allow_any = 1;
			break;
		case 'p':
			o.pidfile = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "prefork") == 0) {
				o.force_mpm = RULES_MPM_PREFORK;
			} else if (strcmp(optarg, "worker") == 0) {
				o.force_mpm = RULES_MPM_WORKER;
			} else if (strcmp(optarg, "event") == 0) {
				o.force_mpm = RULES_MPM_EVENT;
			} else {
				fprintf(stderr, "mpmref: --mpm takes prefork, worker "
				    "or event\n");
				return EXIT_USAGE;
			}
			break;
		case 't':
			test = 1;
			break;
		case 'X':
			o.one_process = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case 'V':
			puts("mpmref " REF_VERSION);
			return EXIT_CLEAN;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (o.config == NULL && optind < argc) {
		o.config = argv[optind++];
	}
	if (o.config == NULL || optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	signal(SIGPIPE, SIG_IGN);
	rc = ref_conf_load(&o, &c, NULL);
	if (rc != 0) {
		free(o.defines);
		free(o.listen);
		return rc == -2 ? EXIT_UNREADABLE : 1;
	}
	if (test) {
		ref_conf_print(&c, stdout);
		ref_conf_free(&c);
		free(o.defines);
		free(o.listen);
		return EXIT_CLEAN;
	}
	raise_nofile();
	if (ref_listen_open(&c, NULL) != 0) {
		ref_conf_free(&c);
		free(o.defines);
		free(o.listen);
		return 1;
	}
	if (o.pidfile != NULL && write_pidfile(o.pidfile) != 0) {
		ref_listen_close(&c);
		ref_conf_free(&c);
		free(o.defines);
		free(o.listen);
		return 1;
	}
	rc = ref_server_run(&o, &c);
	if (o.pidfile != NULL) {
		unlink(o.pidfile);
	}
	ref_conf_free(&c);
	free(o.defines);
	free(o.listen);
	return rc;
}
