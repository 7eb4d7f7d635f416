/*
 * log.c - mpmref's log lines on standard error, in httpd's error-log
 * shape: "[time] [mpmref:level] [pid N] message".  One write(2) per
 * line so lines of different processes do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

static const char *const level_name[] = {"error", "warn", "notice", "info"};

void
ref_log(enum ref_level lvl, const char *fmt, ...)
{
	char line[1024];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	size_t n;
	int r;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(line, sizeof(line), "[%a %b %d %H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%06ld %d] [mpmref:%s] "
	    "[pid %ld] ", (long)tv.tv_usec, tm.tm_year + 1900,
	    level_name[lvl], (long)getpid());
	if (r > 0) {
		n += (size_t)r;
	}
	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (r > 0) {
		n += (size_t)r < sizeof(line) - n - 1 ? (size_t)r :
		    sizeof(line) - n - 2;
	}
	line[n++] = '\n';
	/* Nothing useful can be done when stderr is gone. */
	if (write(STDERR_FILENO, line, n) < 0) {
		return;
	}
}

int64_t
ref_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
