/*
 * mpmconv.c - convert MPM settings between prefork, worker and event.
 * conv.c decides and edits the tree; this file reads the options and
 * does the output: standard output, -o, --diff, or -i, which writes each
 * file atomically (temporary file in the same directory, fsync, rename)
 * so that the original is never truncated or lost.  With no --to it
 * prints the configuration back unchanged, byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "esc.h"
#include "config.h"
#include "conv.h"
#include "rules.h"

#ifdef __has_include
#if __has_include("export.h")
#include "export.h"
#define HAVE_EXPORT 1
#endif
#endif

static void
usage(FILE *fp)
{
	fputs(
	    "usage: mpmconv --to MPM [options] [FILE|-]\n"
	    "       mpmconv [reading options] [-o FILE] [FILE|-]\n"
#ifdef HAVE_EXPORT
	    "       mpmconv --export yaml|json [--lossless] [FILE|-]\n"
	    "       mpmconv --import FILE.yaml [-o DIR]\n"
#endif
	    "Convert the MPM settings of an httpd 2.4 configuration, keeping "
	    "its capacity;\nwithout --to, print it back unchanged.\n\n"
	    "Conversion:\n"
	    "  -t, --to MPM              prefork, worker or event\n"
	    "      --mpm MPM             the MPM the file runs under when "
	    "it loads none\n                            itself (a fragment): "
	    "as if its LoadModule came first\n"
	    "      --threads-per-child N threads per process when leaving "
	    "prefork (25)\n"
	    "      --force               convert even when it is unsafe\n"
	    "      --explain             print every derived value and its "
	    "formula (stderr)\n"
	    "  -f, --format FMT          conf (default), yaml or json: the "
	    "before/after report\nOutput:\n"
	    "      --diff                a unified diff of every changed "
	    "file, for git apply\n"
	    "  -i, --in-place            rewrite the files atomically, "
	    "keeping FILE.bak\n"
	    "      --no-backup           with -i: keep no .bak\n"
	    "  -o, --output FILE         write to FILE instead of standard "
	    "output\nReading:\n"
	    "      --root DIR            the server's / is DIR (a checked-out tree)\n"
	    "  -d, --server-root DIR     default ServerRoot\n"
	    "  -D, --define NAME[=VALUE] as httpd -D\n"
	    "      --no-includes         do not follow Include\n"
	    "      --httpd-version V     version for <IfVersion> (2.4.71)\n"
	    "  -h, --help                this text\n"
	    "  -V, --version             print the version\n\n"
	    "Exit status: 0 done, 1 refused or impossible, 2 a file could not "
	    "be read or\nwritten (nothing is lost), 3 usage error.  See "
	    "mpmconv(1).\n",
	    fp);
}

/* ---- atomic writes ---------------------------------------------------------
 */

struct job {
	const char *path; /* the file to replace or create */
	char *buf;
	size_t len;
	int created;
	int have_st;
	struct stat st;
	char tmp[PATH_MAX + 64];  /* the new content, until renamed */
	char keep[PATH_MAX + 64]; /* a hard link to the original */
	int keep_is_bak;
	int renamed;
};

/* For the signal handler: temporary files to remove on SIGINT/SIGTERM. */
static struct job *volatile g_jobs;
static volatile size_t g_njobs;

static void
on_signal(int sig)
{
	size_t i;

	for (i = 0; g_jobs != NULL && i < g_njobs; i++) {
		if (g_jobs[i].tmp[0] != '\0' && !g_jobs[i].renamed) {
			unlink(g_jobs[i].tmp);
		}
		if (g_jobs[i].keep[0] != '\0' && !g_jobs[i].keep_is_bak &&
		    !g_jobs[i].renamed) {
			unlink(g_jobs[i].keep);
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Test-only: MPMCONV_TEST_STALL=write stops halfway through writing the
 * first temporary file, =rename after every temporary file is complete
 * and before the first rename, so that a test can kill the process there.
 */
static void
stall(const char *where)
{
	const char *s = getenv("MPMCONV_TEST_STALL");

	if (s == NULL || strcmp(s, where) != 0) {
		return;
	}
	esc_printf(stderr, "mpmconv: test stall (%s)\n", where);
	fflush(stderr);
	for (;;) {
		pause();
	}
}

static void
split_path(const char *path, char *dir, size_t dn, const char **base)
{
	const char *s = strrchr(path, '/');

	if (s == NULL) {
		snprintf(dir, dn, ".");
		*base = path;
	} else if (s == path) {
		snprintf(dir, dn, "/");
		*base = s + 1;
	} else {
		snprintf(dir, dn, "%.*s", (int)(s - path), path);
		*base = s + 1;
	}
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *base;
	int fd;

	split_path(path, dir, sizeof(dir), &base);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Write j's content to a new temporary file beside j->path. */
static int
job_prepare(struct job *j, int first)
{
	char dir[PATH_MAX];
	const char *base;
	struct stat ts;
	mode_t mask;
	int fd, e;
	size_t half;

	split_path(j->path, dir, sizeof(dir), &base);
	if (!j->created) {
		if (stat(j->path, &j->st) != 0) {
			esc_printf(stderr, "mpmconv: %s: %s\n", j->path,
			    strerror(errno));
			return -1;
		}
		j->have_st = 1;
	}
	if (snprintf(j->tmp, sizeof(j->tmp), "%s/.%s.mpmconv.XXXXXX", dir,
	        base) >= (int)sizeof(j->tmp)) {
		esc_printf(stderr, "mpmconv: %s: path too long\n", j->path);
		j->tmp[0] = '\0';
		return -1;
	}
	if ((fd = mkstemp(j->tmp)) < 0) {
		esc_printf(stderr,
		    "mpmconv: cannot create a temporary file in %s: %s\n", dir,
		    strerror(errno));
		j->tmp[0] = '\0';
		return -1;
	}
	half = first ? j->len / 2 : 0;
	if (write_all(fd, j->buf, half) == -1) {
		goto bad;
	}
	if (first) {
		stall("write");
	}
	if (write_all(fd, j->buf + half, j->len - half) == -1) {
		goto bad;
	}
	if (j->have_st) {
		if (fchmod(fd, j->st.st_mode & 07777) != 0 ||
		    fstat(fd, &ts) != 0) {
			goto bad;
		}
		if ((ts.st_uid != j->st.st_uid || ts.st_gid != j->st.st_gid) &&
		    fchown(fd, j->st.st_uid, j->st.st_gid) != 0) {
			e = errno;
			esc_printf(stderr,
			    "mpmconv: %s: cannot keep its owner %ld:%ld: %s\n",
			    j->path, (long)j->st.st_uid, (long)j->st.st_gid,
			    strerror(e));
			close(fd);
			return -1;
		}
	} else {
		mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0) {
			goto bad;
		}
	}
	if (fsync(fd) != 0) {
		goto bad;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto bad;
	}
	return 0;
bad:
	e = errno;
	esc_printf(stderr, "mpmconv: %s: cannot write %s: %s\n", j->path, j->tmp,
	    strerror(e));
	if (fd >= 0) {
		close(fd);
	}
	return -1;
}

/* Copy a file, for a backup where hard links are not possible. */
static int
copy_file(const char *from, const char *to, const struct stat *st)
{
	char buf[65536];
	int in, out, ok = 1;
	ssize_t n;

	if ((in = open(from, O_RDONLY)) < 0) {
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		close(in);
		return -1;
	}
	while (ok && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ok = errno == EINTR;
			continue;
		}
		ok = write_all(out, buf, (size_t)n) == 0;
	}
	ok = ok && fchmod(out, st->st_mode & 07777) == 0 && fsync(out) == 0;
	close(in);
	if (close(out) != 0 || !ok) {
		unlink(to);
		return -1;
	}
	return 0;
}

/*
 * Keep the original reachable: a hard link (no copy, and it keeps mode
 * and owner) named FILE.bak, or a hidden one with --no-backup that is
 * only used to undo a half-done conversion.
 */
static int
job_keep(struct job *j, int bak)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	const char *base;

	if (j->created) {
		return 0;
	}
	split_path(j->path, dir, sizeof(dir), &base);
	snprintf(tmp, sizeof(tmp), "%s/.%s.mpmconv-keep.%ld", dir, base,
	    (long)getpid());
	unlink(tmp);
	if (link(j->path, tmp) != 0 &&
	    (!bak || copy_file(j->path, tmp, &j->st) != 0)) {
		if (bak) {
			esc_printf(stderr,
			    "mpmconv: %s: cannot make a backup: %s\n", j->path,
			    strerror(errno));
			return -1;
		}
		return 0; /* no undo possible; the rename is still atomic */
	}
	if (bak) {
		if (snprintf(j->keep, sizeof(j->keep), "%s.bak", j->path) >=
		        (int)sizeof(j->keep) ||
		    rename(tmp, j->keep) != 0) {
			esc_printf(stderr, "mpmconv: %s: %s\n", j->keep,
			    strerror(errno));
			unlink(tmp);
			j->keep[0] = '\0';
			return -1;
		}
		j->keep_is_bak = 1;
	} else {
		if (snprintf(j->keep, sizeof(j->keep), "%s", tmp) >=
		    (int)sizeof(j->keep)) {
			unlink(tmp);
			j->keep[0] = '\0';
		}
	}
	return 0;
}

/* Put the original back after a later failure. */
static void
job_undo(struct job *j)
{
	char tmp[PATH_MAX + 32];

	if (!j->renamed) {
		return;
	}
	if (j->created) {
		unlink(j->path);
		return;
	}
	if (j->keep[0] == '\0') {
		esc_printf(stderr, "mpmconv: %s: already converted; cannot undo\n",
		    j->path);
		return;
	}
	snprintf(
	    tmp, sizeof(tmp), "%s.mpmconv-undo.%ld", j->path, (long)getpid());
	if (link(j->keep, tmp) != 0 || rename(tmp, j->path) != 0) {
		esc_printf(stderr,
		    "mpmconv: %s: cannot undo (the original is %s): %s\n",
		    j->path, j->keep, strerror(errno));
		unlink(tmp);
	}
}

static void
jobs_cleanup(struct job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (jobs[i].tmp[0] != '\0' && !jobs[i].renamed) {
			unlink(jobs[i].tmp);
		}
		if (jobs[i].keep[0] != '\0' && !jobs[i].keep_is_bak) {
			unlink(jobs[i].keep);
		}
	}
}

/* Create a symlink atomically (a temporary name, then rename). */
static int
make_link(const struct conv_link *l)
{
	char tmp[PATH_MAX + 32];

	snprintf(tmp, sizeof(tmp), "%s.mpmconv.%ld", l->path, (long)getpid());
	unlink(tmp);
	if (symlink(l->target, tmp) != 0 || rename(tmp, l->path) != 0) {
		esc_printf(stderr, "mpmconv: %s: %s\n", l->path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Replace every job's file, then switch the links.  Either everything
 * is converted, or the originals are back in place; a SIGKILL can only
 * leave a temporary .NAME.mpmconv.XXXXXX file behind.
 */
static int
write_jobs(struct job *jobs, size_t n, const struct conv_link *links, size_t nl,
    int bak, int quiet)
{
	size_t i, made = 0;
	struct sigaction sa;

	signal(SIGXFSZ, SIG_IGN); /* a size limit must fail write(), not kill */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	g_jobs = jobs;
	g_njobs = n;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (i = 0; i < n; i++) {
		if (job_prepare(&jobs[i], i == 0) == -1) {
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		if (job_keep(&jobs[i], bak) == -1) {
			goto fail;
		}
	}
	stall("rename");
	for (i = 0; i < n; i++) {
		if (rename(jobs[i].tmp, jobs[i].path) != 0) {
			esc_printf(stderr, "mpmconv: %s: %s\n", jobs[i].path,
			    strerror(errno));
			goto undo;
		}
		jobs[i].renamed = 1;
		sync_dir(jobs[i].path);
	}
	for (i = 0; i < nl; i++) {
		if (links[i].create) {
			if (make_link(&links[i]) == -1) {
				goto undo;
			}
			made++;
		}
	}
	for (i = 0; i < nl; i++) {
		if (!links[i].create && unlink(links[i].path) != 0) {
			esc_printf(stderr, "mpmconv: %s: %s\n", links[i].path,
			    strerror(errno));
		}
		sync_dir(links[i].path);
	}
	jobs_cleanup(jobs, n);
	g_jobs = NULL;
	for (i = 0; i < n && !quiet; i++) {
		esc_printf(stderr, "mpmconv: wrote %s%s%s\n", jobs[i].path,
		    jobs[i].keep_is_bak ? ", backup " : "",
		    jobs[i].keep_is_bak ? jobs[i].keep : "");
	}
	return 0;
undo:
	for (i = 0; i < nl && made > 0; i++) {
		if (links[i].create) {
			unlink(links[i].path);
			made--;
		}
	}
	for (i = 0; i < n; i++) {
		job_undo(&jobs[i]);
	}
fail:
	jobs_cleanup(jobs, n);
	g_jobs = NULL;
	esc_printf(stderr, "mpmconv: nothing was changed\n");
	return -1;
}

/* -o FILE: atomically when FILE is a regular file, else plainly. */
static int
write_output(const char *path, const char *buf, size_t len)
{
	struct stat st;
	struct job j;
	FILE *fp;

	if (strcmp(path, "-") == 0 ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
		if (fp == NULL || fwrite(buf, 1, len, fp) != len ||
		    fflush(fp) == EOF) {
			esc_printf(stderr, "mpmconv: %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (fp != stdout) {
			fclose(fp);
		}
		return 0;
	}
	memset(&j, 0, sizeof(j));
	j.path = path;
	j.buf = (char *)(uintptr_t)buf;
	j.len = len;
	j.created = access(path, F_OK) != 0;
	return write_jobs(&j, 1, NULL, 0, 0, 1);
}

/* ---- main ------------------------------------------------------------------
 */

enum {
	O_TPC = CLI_O_NEXT,
	O_MPM,
	O_FORCE,
	O_EXPLAIN,
	O_DIFF,
	O_NOBAK,
	O_EXPORT,
	O_LOSSLESS,
	O_IMPORT
};

struct conv_cli {
	struct conv_opts co;
	const char *out;
	const char *format; /* conf, yaml, json */
	int diff, inplace, nobackup, explain;
	const char *export_fmt, *import_file;
	int lossless;
};

static int
bad_usage(const char *why)
{
	esc_printf(stderr, "mpmconv: %s\n", why);
	usage(stderr);
	return EXIT_USAGE;
}

/* Print the document back, or the converted main file, to -o or stdout. */
static int
print_main(struct hconf_doc *doc, const char *out)
{
	size_t len;
	char *buf;
	int rc;

	if (out == NULL || strcmp(out, "-") == 0) {
		/* stream: an unmodified file is a single write */
		if (hconf_print_file(doc, 0, stdout) == -1 ||
		    fflush(stdout) == EOF) {
			esc_printf(stderr, "mpmconv: stdout: %s\n", strerror(errno));
			return EXIT_UNREADABLE;
		}
		return EXIT_CLEAN;
	}
	buf = hconf_print_buffer(doc, 0, &len);
	rc = write_output(out, buf, len);
	free(buf);
	return rc == 0 ? EXIT_CLEAN : EXIT_UNREADABLE;
}

static FILE *
open_out(const char *out)
{
	FILE *fp;

	if (out == NULL || strcmp(out, "-") == 0) {
		return stdout;
	}
	if ((fp = fopen(out, "wb")) == NULL) {
		esc_printf(stderr, "mpmconv: %s: %s\n", out, strerror(errno));
	}
	return fp;
}

static int
close_out(FILE *fp, const char *out)
{
	if (fflush(fp) == EOF || ferror(fp) || (fp != stdout && fclose(fp))) {
		esc_printf(stderr, "mpmconv: %s: write error\n", out ? out : "stdout");
		return -1;
	}
	return 0;
}

static int
do_inplace(struct conv_result *r, int nobackup)
{
	struct job *jobs = hconf_xcalloc(r->nout ? r->nout : 1, sizeof(*jobs));
	size_t i;
	int rc;

	for (i = 0; i < r->nout; i++) {
		jobs[i].path = r->out[i].path;
		jobs[i].buf = conv_render(&r->out[i], &jobs[i].len);
		jobs[i].created = r->out[i].created;
	}
	rc = write_jobs(jobs, r->nout, r->links, r->nlinks, !nobackup, 0);
	for (i = 0; i < r->nout; i++) {
		free(jobs[i].buf);
	}
	free(jobs);
	if (rc == 0 && r->ncmds > 0) {
		esc_printf(stderr,
		    "mpmconv: switched mods-enabled as %s && %s would\n",
		    r->cmds[0], r->ncmds > 1 ? r->cmds[1] : "true");
	}
	return rc == 0 ? EXIT_CLEAN : EXIT_UNREADABLE;
}

static int
convert(struct hconf_doc *doc, struct conv_cli *o, const char *file)
{
	struct conv_result r;
	enum conv_status st;
	int rc = EXIT_CLEAN, report = strcmp(o->format, "conf") != 0;
	size_t i;
	FILE *fp;

	st = conv_run(doc, &o->co, &r);
	conv_print_msgs(stderr, &r);
	if (o->explain && !report) {
		conv_print_ledger(stderr, &r);
	}
	if (report) {
		if ((fp = open_out(o->out)) == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			if (conv_print_report(
			        fp, &r, strcmp(o->format, "yaml") == 0) == -1) {
				rc = EXIT_UNREADABLE;
			}
			if (close_out(fp, o->out) == -1) {
				rc = EXIT_UNREADABLE;
			}
		}
		if (rc == EXIT_CLEAN &&
		    (st == CONV_REFUSED || st == CONV_FAILED)) {
			rc = EXIT_FINDINGS;
		}
		conv_result_free(&r);
		return rc;
	}
	if (st == CONV_REFUSED) {
		esc_printf(stderr,
		    "mpmconv: refused to convert to %s; nothing was "
		    "changed (--force converts anyway)\n",
		    rules_mpm_name(o->co.to));
		conv_result_free(&r);
		return EXIT_FINDINGS;
	}
	if (st == CONV_FAILED) {
		conv_result_free(&r);
		return EXIT_FINDINGS;
	}
	if (o->diff) {
		if ((fp = open_out(o->out)) == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			if (conv_print_diff(fp, &r) == -1 ||
			    close_out(fp, o->out) == -1) {
				rc = EXIT_UNREADABLE;
			}
		}
		if (r.ncmds > 0) {
			esc_printf(stderr,
			    "mpmconv: note: Debian layout: the diff "
			    "switches mods-enabled like");
			for (i = 0; i < r.ncmds; i++) {
				esc_printf(stderr, "%s %s", i ? " &&" : "", r.cmds[i]);
			}
			fputc('\n', stderr);
		}
	} else if (o->inplace) {
		if (strcmp(file, "-") == 0) {
			rc = EXIT_USAGE;
		} else if (st == CONV_OK) {
			rc = do_inplace(&r, o->nobackup);
		}
	} else if (!conv_single_file(&r)) {
		esc_printf(stderr,
		    "mpmconv: error: the conversion changes more than %s:",
		    file);
		for (i = 0; i < r.nout; i++) {
			esc_printf(stderr, " %s", r.out[i].path);
		}
		for (i = 0; i < r.nlinks; i++) {
			esc_printf(stderr, " %s (symlink, %s)", r.links[i].path,
			    r.links[i].create ? "new" : "removed");
		}
		fputc('\n', stderr);
		esc_printf(stderr,
		    "mpmconv: use --diff or -i/--in-place; "
		    "nothing was written\n");
		for (i = 0; i < r.ncmds; i++) {
			esc_printf(stderr, "mpmconv: note: Debian: %s\n", r.cmds[i]);
		}
		rc = EXIT_FINDINGS;
	} else {
		rc = print_main(doc, o->out);
	}
	conv_result_free(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"to", required_argument, NULL, 't'},
	    {"threads-per-child", required_argument, NULL, O_TPC},
	    {"mpm", required_argument, NULL, O_MPM},
	    {"force", no_argument, NULL, O_FORCE},
	    {"explain", no_argument, NULL, O_EXPLAIN},
	    {"format", required_argument, NULL, 'f'},
	    {"diff", no_argument, NULL, O_DIFF},
	    {"in-place", no_argument, NULL, 'i'},
	    {"no-backup", no_argument, NULL, O_NOBAK},
	    {"export", required_argument, NULL, O_EXPORT},
	    {"lossless", no_argument, NULL, O_LOSSLESS},
	    {"import", required_argument, NULL, O_IMPORT},
	    CLI_PARSE_LONGOPTS,
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	struct cli_parse cp;
	struct conv_cli o;
	struct hconf_doc *doc;
	const char *file;
	int c, unreadable, rc, have_to = 0;
	char *end;
	long v;

	memset(&o, 0, sizeof(o));
	o.format = "conf";
	cli_parse_init(&cp);
	while ((c = getopt_long(argc, argv, "t:f:io:d:D:hV", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 't':
			if (config_parse_mpm(optarg, &o.co.to) == -1) {
				cli_parse_free(&cp);
				return bad_usage(
				    "--to takes prefork, worker or event");
			}
			have_to = 1;
			break;
		case O_MPM:
			if (config_parse_mpm(optarg, &o.co.from) == -1) {
				cli_parse_free(&cp);
				return bad_usage(
				    "--mpm takes prefork, worker or event");
			}
			break;
		case O_TPC:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    v < 1 || v > 100000) {
				cli_parse_free(&cp);
				return bad_usage("--threads-per-child takes a "
				                 "number from 1 to 100000");
			}
			o.co.threads = (int)v;
			break;
		case O_FORCE:
			o.co.force = 1;
			break;
		case O_EXPLAIN:
			o.explain = 1;
			break;
		case 'f':
			if (strcmp(optarg, "conf") != 0 &&
			    strcmp(optarg, "yaml") != 0 &&
			    strcmp(optarg, "json") != 0) {
				cli_parse_free(&cp);
				return bad_usage("--format takes conf, yaml or "
				                 "json");
			}
			o.format = optarg;
			break;
		case O_DIFF:
			o.diff = 1;
			break;
		case 'i':
			o.inplace = 1;
			break;
		case O_NOBAK:
			o.nobackup = 1;
			break;
		case O_EXPORT:
			o.export_fmt = optarg;
			break;
		case O_LOSSLESS:
			o.lossless = 1;
			break;
		case O_IMPORT:
			o.import_file = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'h':
			usage(stdout);
			cli_parse_free(&cp);
			return EXIT_CLEAN;
		case 'V':
			puts("mpmconv " HCONF_VERSION);
			cli_parse_free(&cp);
			return EXIT_CLEAN;
		default:
			if (cli_parse_option(&cp, c, optarg)) {
				break;
			}
			usage(stderr);
			cli_parse_free(&cp);
			return EXIT_USAGE;
		}
	}
	rc = EXIT_CLEAN;
	if (argc - optind > 1) {
		rc = bad_usage("one FILE at most");
	} else if (o.diff + o.inplace + (strcmp(o.format, "conf") != 0) > 1) {
		rc = bad_usage("--diff, -i and --format exclude each other");
	} else if (o.inplace && o.out != NULL) {
		rc = bad_usage("-i and -o exclude each other");
	} else if (o.nobackup && !o.inplace) {
		rc = bad_usage("--no-backup goes with -i");
	} else if (!have_to &&
	    (o.diff || o.inplace || o.explain || o.co.force || o.co.threads ||
	        strcmp(o.format, "conf") != 0)) {
		rc = bad_usage("this option needs --to");
	} else if (o.inplace &&
	    (optind == argc || strcmp(argv[optind], "-") == 0)) {
		rc = bad_usage("-i needs a FILE, not standard input");
	} else if ((o.export_fmt || o.import_file) && have_to) {
		rc = bad_usage("--export and --import do not convert");
	}
#ifdef HAVE_EXPORT
	else if (o.export_fmt != NULL && strcmp(o.export_fmt, "yaml") != 0 &&
	    strcmp(o.export_fmt, "json") != 0) {
		rc = bad_usage("--export takes yaml or json");
	} else if (o.lossless && o.export_fmt == NULL) {
		rc = bad_usage("--lossless goes with --export");
	}
#else
	else if (o.export_fmt || o.import_file || o.lossless) {
		rc = bad_usage("--export and --import are not built in");
	}
#endif
	if (rc != EXIT_CLEAN) {
		cli_parse_free(&cp);
		return rc;
	}
#ifdef HAVE_EXPORT
	if (o.import_file != NULL) {
		cli_parse_free(&cp);
		return cli_import(o.import_file, o.out, stderr);
	}
#endif
	file = optind < argc ? argv[optind] : "-";
	cli_parse_mpm(&cp, o.co.from != RULES_MPM_NONE ?
	    rules_mpm_name(o.co.from) : NULL);
	doc = cli_load(&cp, file, &unreadable);
	if (unreadable) {
		size_t n;
		const struct hconf_diag *d = hconf_doc_diags(doc, &n);

		esc_printf(stderr, "mpmconv: %s\n",
		    n ? d[0].msg : "cannot read input");
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return EXIT_UNREADABLE;
	}
#ifdef HAVE_EXPORT
	if (o.export_fmt != NULL) {
		struct rules_result res;
		struct rules_config lrc;
		FILE *fp = open_out(o.out);

		memset(&lrc, 0, sizeof(lrc));
		lrc.force_mpm = o.co.from;
		rules_lint(doc, &lrc, &res);
		if (fp == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			rc = cli_export(fp, doc, &res,
			    strcmp(o.export_fmt, "json") == 0, o.lossless);
			if (close_out(fp, o.out) == -1 && rc == 0) {
				rc = EXIT_UNREADABLE;
			}
		}
		rules_result_free(&res);
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return rc;
	}
#endif
	if (!have_to) {
		rc = print_main(doc, o.out);
	} else {
		o.co.popts = &cp.opts;
		o.co.root = cp.opts.root;
		rc = convert(doc, &o, file);
	}
	hconf_doc_free(doc);
	cli_parse_free(&cp);
	return rc;
}
