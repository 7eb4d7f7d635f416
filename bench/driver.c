/*
 * driver.c - the timer of `make bench`: runs commands interleaved (one
 * run of each in turn, RUNS rounds, after one untimed warm-up round)
 * and prints, per command, the median CPU time (user + system, from
 * wait4), the median wall time and the peak RSS (largest ru_maxrss
 * seen), so that every command meets the same machine load.
 *
 *   driver RUNS 'LABEL CMD ARG...' ...
 *
 * Each argument is a label and a command split at spaces (no quoting:
 * the bench's paths have none).  Standard output and error of the
 * commands go to /dev/null.  Output, one line per command:
 *
 *   LABEL CPU_MS WALL_MS PEAK_KIB EXIT_STATUS
 *
 * A command killed by a signal or that cannot be run makes the driver
 * exit 1.  A non-zero exit status is reported, not an error (mpmlint
 * exits 1 when it has findings).
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	char *label;
	char **argv;
	double *cpu, *wall;
	long peak;
	int status;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
run(struct cmd *c, int slot)
{
	struct rusage ru;
	double t0 = now_ms();
	int st;
	pid_t pid = fork();

	if (pid == -1) {
		perror("driver: fork");
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1) {
		perror("driver: wait4");
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) >= 126) {
		fprintf(stderr, "driver: %s: %s %d\n", c->argv[0],
		    WIFEXITED(st) ? "exit status" : "killed by signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -1;
	}
	c->status = WEXITSTATUS(st);
	if (slot >= 0) {
		c->wall[slot] = now_ms() - t0;
		c->cpu[slot] = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
		    ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
		if (ru.ru_maxrss > c->peak) {
			c->peak = ru.ru_maxrss;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int runs, ncmd = argc - 2, i, r;
	struct cmd *cmds;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: driver RUNS 'LABEL CMD ARG...' ...\n");
		return 2;
	}
	cmds = calloc((size_t)ncmd, sizeof(*cmds));
	if (cmds == NULL) {
		return 2;
	}
	for (i = 0; i < ncmd; i++) {
		char *s = argv[i + 2], *w;
		int n = 0;

		cmds[i].argv = calloc(strlen(s) + 1, sizeof(char *));
		cmds[i].cpu = calloc((size_t)runs, sizeof(double));
		cmds[i].wall = calloc((size_t)runs, sizeof(double));
		if (!cmds[i].argv || !cmds[i].cpu || !cmds[i].wall) {
			return 2;
		}
		cmds[i].label = strtok(s, " ");
		while ((w = strtok(NULL, " ")) != NULL) {
			cmds[i].argv[n++] = w;
		}
		if (cmds[i].label == NULL || n == 0) {
			fprintf(stderr, "driver: no command in '%s'\n", argv[i + 2]);
			return 2;
		}
	}
	for (r = -1; r < runs; r++) {
		for (i = 0; i < ncmd; i++) {
			if (run(&cmds[i], r) != 0) {
				return 1;
			}
		}
	}
	for (i = 0; i < ncmd; i++) {
		printf("%s %.2f %.2f %ld %d\n", cmds[i].label,
		    median(cmds[i].cpu, runs), median(cmds[i].wall, runs),
		    cmds[i].peak, cmds[i].status);
	}
	return 0;
}
