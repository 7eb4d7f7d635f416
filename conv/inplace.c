/*
 * inplace.c - replace a set of files all or nothing, for mpmconv -i.
 *
 * A run, with the tree locked (flock on the main file's directory):
 *  1. block every signal that would end the process (only SIGKILL and
 *     faults still can), so a signal takes effect between steps, when
 *     the tree is entirely old or entirely new;
 *  2. write the journal beside the main file: a shell script that puts
 *     every original back (fsync, rename, fsync of the directory);
 *  3. write each new file beside its original (fsync) and keep each
 *     original under a hidden hard link;
 *     a pending signal now stops the run: the new files, the links and
 *     the journal go, nothing was changed;
 *  4. rename every new file over its original and switch the symlinks;
 *  5. remove the journal: the run is complete; then each hidden link
 *     becomes FILE.bak, or goes with --no-backup.
 * A SIGKILL, crash or power cut between 2 and 5 leaves the journal; the
 * next -i run refuses to start and prints "sh JOURNAL", which restores
 * the old tree.  The original of every file stays reachable throughout:
 * at its path, or at its hidden link until the journal is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conv_int.h"

/* The tool the messages name (ip_set_name()). */
static const char *ip_name = "mpmconv";

void
ip_set_name(const char *name)
{
	ip_name = name;
}
#include "esc.h"

struct fent {
	const struct ip_file *f;
	char *path; /* absolute */
	char *tmp;  /* the new content until renamed */
	char *keep; /* a hard link to (or copy of) the original */
	struct stat st;
	int have_st, wrote, kept, renamed;
};

struct lent {
	const struct ip_link *l;
	char *path, *tmp;
	char *old; /* its target before the run, NULL: no symlink there */
	int done;
};

struct run {
	struct fent *f;
	size_t nf;
	struct lent *l;
	size_t nl;
	const char *journal; /* NULL: no journal (-o) */
	int jwritten;
	sigset_t blocked, saved;
};

/* ---- small helpers ------------------------------------------------------ */

static char *
abs_path(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL) {
		return hconf_xstrdup(p);
	}
	return conv_asprintf("%s/%s", cwd, p);
}

char *
conv_dir_of(const char *p)
{
	const char *s = strrchr(p, '/');

	if (s == NULL) {
		return hconf_xstrdup(".");
	}
	if (s == p) {
		return hconf_xstrdup("/");
	}
	return conv_asprintf("%.*s", (int)(s - p), p);
}

/* DIR/.BASE<suffix> beside p. */
static char *
beside(const char *p, const char *suffix)
{
	const char *s = strrchr(p, '/');

	if (s == NULL) {
		return conv_asprintf(".%s%s", p, suffix);
	}
	return conv_asprintf("%.*s/.%s%s", (int)(s - p), p, s + 1, suffix);
}

static void
sync_dir(const char *path)
{
	char *d = conv_dir_of(path);
	int fd;

	if ((fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(d);
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

/* Single-quoted for sh: ' becomes '\''. */
static void
shq(FILE *fp, const char *s)
{
	fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			fputs("'\\''", fp);
		} else {
			fputc(*s, fp);
		}
	}
	fputc('\'', fp);
}

/* ---- signals ------------------------------------------------------------- */

/* Every signal that would end the process, except faults. */
static void
block_signals(struct run *r)
{
	static const int keep[] = {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE,
	    SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGTSTP, SIGTTIN, SIGTTOU,
	    SIGCONT, SIGCHLD, SIGWINCH, SIGURG};
	size_t i;

	sigfillset(&r->blocked);
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		sigdelset(&r->blocked, keep[i]);
	}
	sigprocmask(SIG_BLOCK, &r->blocked, &r->saved);
}

/* A blocked signal arrived: the run should stop (before step 4). */
static int
interrupted(const struct run *r)
{
	sigset_t p;
	int s;

	if (sigpending(&p) != 0) {
		return 0;
	}
	for (s = 1; s < NSIG; s++) {
		if (sigismember(&p, s) == 1 &&
		    sigismember(&r->blocked, s) == 1 && s != SIGXFSZ) {
			return 1;
		}
	}
	return 0;
}

/* Deliver what arrived meanwhile: the default action ends the process. */
static void
unblock_signals(struct run *r)
{
	sigprocmask(SIG_SETMASK, &r->saved, NULL);
}

/*
 * Test-only: MPMCONV_TEST_STALL=POINT prints "mpmconv: test stall
 * (POINT)" there and waits (60 s at most) until a signal is pending, so
 * that a test can signal the process at that point.  POINT is write
 * (halfway through the first new file), rename (everything written and
 * kept, before the first rename), rename-N (after N renames), links
 * (every file renamed, before the symlinks), commit (everything done,
 * the journal still there) or cleanup (the journal gone, before the
 * .bak files).
 */
static void
stall(const struct run *r, const char *where, int k)
{
	const char *s = getenv("MPMCONV_TEST_STALL");
	char name[64];
	struct timespec ts = {0, 10000000};
	int i;

	if (s == NULL) {
		return;
	}
	if (k > 0) {
		snprintf(name, sizeof(name), "%s-%d", where, k);
	} else {
		snprintf(name, sizeof(name), "%s", where);
	}
	if (strcmp(s, name) != 0) {
		return;
	}
	esc_printf(stderr, "%s: test stall (%s)\n", ip_name, name);
	fflush(stderr);
	for (i = 0; i < 6000 && !interrupted(r); i++) {
		nanosleep(&ts, NULL);
	}
}

/* ---- steps --------------------------------------------------------------- */

static int
write_journal(struct run *r)
{
	char *tmp = conv_asprintf("%s.new", r->journal);
	size_t i;
	FILE *fp;
	int fd, ok;

	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		esc_printf(stderr, "%s: cannot write %s: %s\n", ip_name, tmp,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	fprintf(fp,
	    "#!/bin/sh\n"
	    "# mpmconv -i journal (process %ld).  mpmconv wrote it before "
	    "changing any\n"
	    "# file and removes it once every file is converted.  If it is "
	    "still here,\n"
	    "# that run was stopped (SIGKILL, a crash, a power cut) and the "
	    "files below\n"
	    "# may be half converted.  Run\n"
	    "#\tsh THIS-FILE\n"
	    "# to put every original back and remove mpmconv's temporary "
	    "files; then\n"
	    "# run mpmconv again.\n"
	    "fail=0\n"
	    "# restore FILE NEW KEEP: KEEP is the original of FILE\n"
	    "restore() { rm -f -- \"$2\"; if [ \"$3\" -ef \"$1\" ]; then "
	    "rm -f -- \"$3\"; elif [ -f \"$3\" ]; then "
	    "mv -f -- \"$3\" \"$1\" || fail=1; fi; }\n"
	    "# unmake FILE NEW: FILE did not exist before\n"
	    "unmake() { if [ -f \"$2\" ]; then rm -f -- \"$2\"; "
	    "else rm -f -- \"$1\" || fail=1; fi; }\n"
	    "# relink LINK NEW [TARGET]: LINK pointed at TARGET, or did not "
	    "exist\n"
	    "relink() { rm -f -- \"$2\"; if [ $# -eq 3 ]; then "
	    "ln -s -- \"$3\" \"$2\" && mv -f -- \"$2\" \"$1\" || fail=1; "
	    "else rm -f -- \"$1\" || fail=1; fi; }\n",
	    (long)getpid());
	for (i = 0; i < r->nf; i++) {
		const struct fent *e = &r->f[i];

		fputs(e->f->created ? "unmake " : "restore ", fp);
		shq(fp, e->path);
		fputc(' ', fp);
		shq(fp, e->tmp);
		if (!e->f->created) {
			fputc(' ', fp);
			shq(fp, e->keep);
		}
		fputc('\n', fp);
	}
	for (i = 0; i < r->nl; i++) {
		const struct lent *e = &r->l[i];

		fputs("relink ", fp);
		shq(fp, e->path);
		fputc(' ', fp);
		shq(fp, e->tmp);
		if (e->old != NULL) {
			fputc(' ', fp);
			shq(fp, e->old);
		}
		fputc('\n', fp);
	}
	fputs("if [ \"$fail\" = 0 ]; then\n\trm -f -- ", fp);
	shq(fp, r->journal);
	fputs("\n\techo 'mpmconv: the original files are back'\nelse\n"
	      "\techo 'mpmconv: some files could not be put back; this "
	      "journal is kept' >&2\n\texit 1\nfi\n",
	    fp);
	ok = fflush(fp) == 0 && !ferror(fp) && fsync(fd) == 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, r->journal) != 0) {
		esc_printf(stderr, "%s: cannot write %s: %s\n", ip_name,
		    r->journal, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	r->jwritten = 1;
	sync_dir(r->journal);
	return 0;
}

/* Write e's new content beside it (fsync); mode and owner as before. */
static int
write_new(struct run *r, struct fent *e, int first)
{
	struct stat ts;
	mode_t mask;
	size_t half;
	int fd, err;

	unlink(e->tmp);
	fd = open(e->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		char *d = conv_dir_of(e->path);

		esc_printf(stderr,
		    "%s: cannot create a temporary file in %s: %s\n", ip_name,
		    d, strerror(errno));
		free(d);
		return -1;
	}
	e->wrote = 1;
	half = first ? e->f->len / 2 : 0;
	if (write_all(fd, e->f->buf, half) == -1) {
		goto bad;
	}
	if (first) {
		stall(r, "write", 0);
	}
	if (write_all(fd, e->f->buf + half, e->f->len - half) == -1) {
		goto bad;
	}
	if (e->have_st) {
		if (fchmod(fd, e->st.st_mode & 07777) != 0 ||
		    fstat(fd, &ts) != 0) {
			goto bad;
		}
		if ((ts.st_uid != e->st.st_uid || ts.st_gid != e->st.st_gid) &&
		    fchown(fd, e->st.st_uid, e->st.st_gid) != 0) {
			err = errno;
			esc_printf(stderr,
			    "%s: %s: cannot keep its owner %ld:%ld: %s\n",
			    ip_name, e->path, (long)e->st.st_uid,
			    (long)e->st.st_gid, strerror(err));
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
	err = errno;
	esc_printf(stderr, "%s: %s: cannot write %s: %s\n", ip_name, e->path,
	    e->tmp, strerror(err));
	if (fd >= 0) {
		close(fd);
	}
	return -1;
}

/* Copy a file, where a hard link is not possible. */
static int
copy_file(const char *from, const char *to, const struct stat *st)
{
	char buf[65536];
	int in, out, ok = 1;
	ssize_t n;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0) {
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
	    0) {
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
	/* the owner as well, where allowed: the copy may be put back */
	if (fchown(out, st->st_uid, st->st_gid) != 0) {
		errno = 0;
	}
	ok = ok && fchmod(out, st->st_mode & 07777) == 0 && fsync(out) == 0;
	close(in);
	if (close(out) != 0 || !ok) {
		unlink(to);
		return -1;
	}
	return 0;
}

/* The original stays reachable under e->keep until the run is done. */
static int
make_keep(struct fent *e)
{
	if (e->f->created) {
		return 0;
	}
	unlink(e->keep);
	if (link(e->path, e->keep) != 0 &&
	    copy_file(e->path, e->keep, &e->st) != 0) {
		esc_printf(stderr,
		    "%s: %s: cannot keep the original as %s: %s\n", ip_name,
		    e->path, e->keep, strerror(errno));
		return -1;
	}
	e->kept = 1;
	return 0;
}

/* Before anything was renamed: remove what the run made. */
static void
discard(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		if (r->f[i].wrote && !r->f[i].renamed) {
			unlink(r->f[i].tmp);
		}
		if (r->f[i].kept) {
			unlink(r->f[i].keep);
		}
	}
	for (i = 0; i < r->nl; i++) {
		unlink(r->l[i].tmp);
	}
	if (r->jwritten) {
		unlink(r->journal);
		sync_dir(r->journal);
		r->jwritten = 0;
	}
}

/* A symlink, atomically: a new name, then rename. */
static int
put_link(const struct lent *e, const char *target)
{
	unlink(e->tmp);
	if (symlink(target, e->tmp) != 0 || rename(e->tmp, e->path) != 0) {
		unlink(e->tmp);
		return -1;
	}
	return 0;
}

/* A step of the rename phase failed: put the originals back. */
static int
undo(struct run *r)
{
	size_t i;
	int ok = 1;

	for (i = 0; i < r->nl; i++) {
		struct lent *e = &r->l[i];

		if (!e->done) {
			continue;
		}
		if (e->old != NULL ? put_link(e, e->old) != 0
		                   : unlink(e->path) != 0 && errno != ENOENT) {
			esc_printf(stderr, "%s: %s: cannot undo: %s\n", ip_name,
			    e->path, strerror(errno));
			ok = 0;
		}
	}
	for (i = 0; i < r->nf; i++) {
		struct fent *e = &r->f[i];

		if (!e->renamed) {
			continue;
		}
		if (e->f->created ? unlink(e->path) != 0
		                  : rename(e->keep, e->path) != 0) {
			esc_printf(stderr, "%s: %s: cannot undo: %s\n", ip_name,
			    e->path, strerror(errno));
			ok = 0;
			continue;
		}
		e->renamed = 0;
		e->kept = 0;
	}
	return ok ? 0 : -1;
}

static void
print_recovery(const char *journal)
{
	char *q = NULL;
	size_t qn = 0;
	FILE *fp = open_memstream(&q, &qn);

	if (fp != NULL) {
		shq(fp, journal);
		fclose(fp);
	}
	esc_printf(stderr,
	    "%s: the files may be half converted; put the originals "
	    "back with:\n",
	    ip_name);
	fputc('\t', stderr);
	esc_printf(stderr, "sh %s\n", q ? q : journal);
	free(q);
}

static void
run_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		free(r->f[i].path);
		free(r->f[i].tmp);
		free(r->f[i].keep);
	}
	for (i = 0; i < r->nl; i++) {
		free(r->l[i].path);
		free(r->l[i].tmp);
		free(r->l[i].old);
	}
	free(r->f);
	free(r->l);
}

char *
conv_read_link(const char *p)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	if (n < 0) {
		return NULL;
	}
	buf[n] = '\0';
	return hconf_xstrdup(buf);
}

/* p's temporary name for this run: .BASE.mpmconv-WHAT.PID beside it. */
static char *
run_name(const char *p, const char *what)
{
	char sfx[64];

	snprintf(sfx, sizeof(sfx), ".mpmconv-%s.%ld", what, (long)getpid());
	return beside(p, sfx);
}

static void
run_init(struct run *r, const struct ip_lock *lk, const struct ip_file *f,
    size_t n, const struct ip_link *l, size_t nl)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->f = hconf_xcalloc(n ? n : 1, sizeof(*r->f));
	r->l = hconf_xcalloc(nl ? nl : 1, sizeof(*r->l));
	r->nf = n;
	r->nl = nl;
	r->journal = lk != NULL ? lk->journal : NULL;
	for (i = 0; i < n; i++) {
		r->f[i].f = &f[i];
		r->f[i].path = abs_path(f[i].path);
		r->f[i].tmp = run_name(r->f[i].path, "new");
		r->f[i].keep = run_name(r->f[i].path, "keep");
	}
	for (i = 0; i < nl; i++) {
		r->l[i].l = &l[i];
		r->l[i].path = abs_path(l[i].path);
		r->l[i].tmp = run_name(r->l[i].path, "new");
		r->l[i].old = conv_read_link(r->l[i].path);
	}
}

/*
 * Steps 1-3: the journal, the new files beside the originals, the
 * hidden links to the originals.  -1 on an error or a signal: nothing
 * was changed yet.
 */
static int
prepare(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		if (r->f[i].f->created) {
			continue;
		}
		if (stat(r->f[i].path, &r->f[i].st) != 0) {
			esc_printf(stderr, "%s: %s: %s\n", ip_name,
			    r->f[i].path, strerror(errno));
			return -1;
		}
		r->f[i].have_st = 1;
	}
	if (r->journal != NULL && write_journal(r) == -1) {
		return -1;
	}
	for (i = 0; i < r->nf; i++) {
		if (interrupted(r) || write_new(r, &r->f[i], i == 0) == -1) {
			return -1;
		}
	}
	for (i = 0; i < r->nf; i++) {
		if (interrupted(r) || make_keep(&r->f[i]) == -1) {
			return -1;
		}
	}
	stall(r, "rename", 0);
	return interrupted(r) ? -1 : 0;
}

/* Step 4: the renames and the links; signals wait.  -1: undo it. */
static int
commit(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		if (rename(r->f[i].tmp, r->f[i].path) != 0) {
			esc_printf(stderr, "%s: %s: %s\n", ip_name,
			    r->f[i].path, strerror(errno));
			return -1;
		}
		r->f[i].renamed = 1;
		sync_dir(r->f[i].path);
		stall(r, "rename", (int)i + 1);
	}
	stall(r, "links", 0);
	for (i = 0; i < r->nl; i++) {
		struct lent *e = &r->l[i];

		if (e->l->create ? put_link(e, e->l->target) != 0
		                 : unlink(e->path) != 0 && errno != ENOENT) {
			esc_printf(stderr, "%s: %s: %s\n", ip_name, e->path,
			    strerror(errno));
			return -1;
		}
		e->done = 1;
		sync_dir(e->path);
	}
	stall(r, "commit", 0);
	return 0;
}

/* Step 5: the journal goes; each original becomes FILE.bak or goes. */
static void
complete(struct run *r, int bak)
{
	size_t i;

	if (r->jwritten) {
		if (unlink(r->journal) != 0) {
			esc_printf(stderr, "%s: %s: %s\n", ip_name, r->journal,
			    strerror(errno));
		}
		sync_dir(r->journal);
		r->jwritten = 0;
	}
	stall(r, "cleanup", 0);
	for (i = 0; i < r->nf; i++) {
		struct fent *e = &r->f[i];
		char *b;

		if (!e->kept) {
			continue;
		}
		if (!bak) {
			unlink(e->keep);
			continue;
		}
		b = conv_asprintf("%s.bak", e->path);
		if (rename(e->keep, b) != 0) {
			esc_printf(stderr,
			    "%s: %s: cannot make a backup: %s; the "
			    "original is %s\n",
			    ip_name, b, strerror(errno), e->keep);
		} else {
			sync_dir(b);
		}
		free(b);
	}
}

int
ip_write(const struct ip_lock *lk, const struct ip_file *f, size_t n,
    const struct ip_link *l, size_t nl, int bak, int quiet)
{
	struct run r;
	size_t i;
	int rc = -1;

	signal(SIGXFSZ, SIG_IGN); /* a size limit must fail write(), not kill */
	run_init(&r, lk, f, n, l, nl);
	block_signals(&r);
	if (prepare(&r) == 0) {
		if (commit(&r) == 0) {
			complete(&r, bak);
			for (i = 0; i < n && !quiet; i++) {
				esc_printf(stderr, "%s: wrote %s%s%s%s\n",
				    ip_name, f[i].path,
				    bak && r.f[i].kept ? ", backup " : "",
				    bak && r.f[i].kept ? f[i].path : "",
				    bak && r.f[i].kept ? ".bak" : "");
			}
			rc = 0;
			goto out;
		}
		if (undo(&r) == -1) {
			/* the journal, the new files and the kept originals
			 * stay */
			if (r.jwritten) {
				print_recovery(r.journal);
			}
			goto out;
		}
	}
	discard(&r);
	if (interrupted(&r)) {
		esc_printf(
		    stderr, "%s: interrupted; nothing was changed\n", ip_name);
	} else {
		esc_printf(stderr, "%s: nothing was changed\n", ip_name);
	}
out:
	fflush(stderr);
	unblock_signals(&r);
	run_free(&r);
	return rc;
}

/* ---- the lock ------------------------------------------------------------ */

int
ip_lock(const char *main, struct ip_lock *lk)
{
	char *abs = abs_path(main), *dir = conv_dir_of(abs);
	struct stat st;
	int rc = 0;

	lk->journal = beside(abs, ".mpmconv-journal");
	lk->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lk->fd < 0) {
		esc_printf(
		    stderr, "%s: %s: %s\n", ip_name, dir, strerror(errno));
		rc = -1;
	} else if (flock(lk->fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK) {
			esc_printf(stderr, "%s: cannot lock %s: %s\n", ip_name,
			    dir, strerror(errno));
			rc = -1;
		} else {
			esc_printf(stderr,
			    "%s: waiting for another mpmconv -i on %s\n",
			    ip_name, dir);
			while (flock(lk->fd, LOCK_EX) != 0) {
				if (errno != EINTR) {
					esc_printf(stderr,
					    "%s: cannot lock %s: %s\n", ip_name,
					    dir, strerror(errno));
					rc = -1;
					break;
				}
			}
		}
	}
	if (rc == 0 && lstat(lk->journal, &st) == 0) {
		esc_printf(stderr,
		    "%s: error: %s is there: an earlier mpmconv -i on "
		    "this tree was stopped before it finished (SIGKILL, a "
		    "crash, a power cut)\n",
		    ip_name, lk->journal);
		print_recovery(lk->journal);
		esc_printf(stderr,
		    "%s: then run mpmconv again; nothing was "
		    "changed\n",
		    ip_name);
		rc = 1;
	}
	free(abs);
	free(dir);
	return rc;
}

void
ip_unlock(struct ip_lock *lk)
{
	if (lk->fd >= 0) {
		close(lk->fd); /* releases the lock */
	}
	lk->fd = -1;
	free(lk->journal);
	lk->journal = NULL;
}

void
ip_warn_journal(const char *main)
{
	char *abs = abs_path(main), *j = beside(abs, ".mpmconv-journal");
	struct stat st;

	if (lstat(j, &st) == 0) {
		esc_printf(stderr,
		    "%s: warning: %s is there: an earlier mpmconv -i was "
		    "stopped before it finished, and this tree may be half "
		    "converted (sh %s puts the originals back)\n",
		    ip_name, j, j);
	}
	free(abs);
	free(j);
}

int
conv_write_result(
    const struct conv_result *r, const struct ip_lock *lk, int bak, int quiet)
{
	struct ip_file *f = hconf_xcalloc(r->nout ? r->nout : 1, sizeof(*f));
	struct ip_link *l =
	    hconf_xcalloc(r->nlinks ? r->nlinks : 1, sizeof(*l));
	size_t i;
	int rc;

	for (i = 0; i < r->nout; i++) {
		size_t len;

		f[i].path = r->out[i].path;
		f[i].buf = conv_render(&r->out[i], &len);
		f[i].len = len;
		f[i].created = r->out[i].created;
	}
	for (i = 0; i < r->nlinks; i++) {
		l[i].path = r->links[i].path;
		l[i].target = r->links[i].target;
		l[i].create = r->links[i].create;
	}
	rc = ip_write(lk, f, r->nout, l, r->nlinks, bak, quiet);
	for (i = 0; i < r->nout; i++) {
		free((char *)(uintptr_t)f[i].buf);
	}
	free(f);
	free(l);
	return rc;
}
