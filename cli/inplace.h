/*
 * inplace.h - safe file replacement for mpmconv (cli/ only; mpmconv.c
 * includes it).  ip_lock() serialises the -i runs on one tree and refuses
 * to start over the journal of a run that was stopped; ip_write()
 * replaces a set of files and symlinks all or nothing: a journal (a
 * shell script that puts every original back) is written before the
 * first change and removed after the last, and every signal that can be
 * blocked waits until the tree is entirely old or entirely new.
 */
#ifndef INPLACE_H
#define INPLACE_H

#include <stddef.h>

/* A file to replace, or to create when created is set. */
struct ip_file {
	const char *path;
	const char *buf;
	size_t len;
	int created;
};

/* A symlink to create (pointing at target) or to remove. */
struct ip_link {
	const char *path;
	const char *target;
	int create;
};

struct ip_lock {
	int fd;        /* the locked directory, or -1 */
	char *journal; /* its journal's path (caller frees via ip_unlock) */
};

/*
 * Lock the directory of main (the main configuration file as opened)
 * against other mpmconv -i runs, waiting for them, and check that no
 * journal of a stopped run is there.  Returns 0; 1 when a journal is
 * there (the recovery command is printed; nothing may be written); -1
 * on an error (printed).
 */
int ip_lock(const char *main, struct ip_lock *lk);
void ip_unlock(struct ip_lock *lk);

/* When a journal is beside main, print a warning naming it.  */
void ip_warn_journal(const char *main);

/*
 * Replace the files and switch the links.  With lk (from ip_lock) the
 * run is journalled; without, the files are written one by one, each
 * atomically (for -o).  bak keeps each original as FILE.bak once the
 * run is complete.  Prints what it did or why it failed unless quiet.
 * Returns 0 when everything is converted, -1 when nothing is (the
 * originals are in place, or the printed command puts them back).
 */
int ip_write(const struct ip_lock *lk, const struct ip_file *f, size_t n,
    const struct ip_link *l, size_t nl, int bak, int quiet);

#endif
