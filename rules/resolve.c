/*
 * resolve.c - does a Listen host name resolve?  httpd's ap_set_listener()
 * hands the name to apr_sockaddr_info_get() while it reads the line
 * (apache2 -t included) and refuses the line when it fails (AH00077,
 * "Listen setup failed").  getaddrinfo() has no time-out of its own, so
 * it runs in a detached thread and the caller waits on a condition
 * variable with a deadline; a lookup still running then finishes later
 * and frees its own state (the last of the two holders frees it).
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "hconf.h"
#include "resolve.h"

struct lookup {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done, refs, rc, err;
	char host[];
};

static void
release(struct lookup *l)
{
	int last;

	pthread_mutex_lock(&l->mu);
	last = --l->refs == 0;
	pthread_mutex_unlock(&l->mu);
	if (last) {
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv);
		free(l);
	}
}

static void *
run(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints, *res = NULL;
	int rc;

	/* APR's call_resolver() for APR_UNSPEC, a port given */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(l->host, "80", &hints, &res);
#ifdef EAI_ADDRFAMILY
	if (rc == EAI_BADFLAGS || rc == EAI_ADDRFAMILY) {
#else
	if (rc == EAI_BADFLAGS) {
#endif
		hints.ai_flags = 0;
		rc = getaddrinfo(l->host, "80", &hints, &res);
	}
	if (rc == 0) {
		freeaddrinfo(res);
	}
	pthread_mutex_lock(&l->mu);
	l->rc = rc;
	l->err = rc == EAI_SYSTEM ? errno : 0;
	l->done = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	release(l);
	return NULL;
}

int
rules_resolve(const char *host, unsigned timeout_ms, char *why, size_t size)
{
	size_t len = strlen(host);
	struct lookup *l = hconf_xmalloc(sizeof(*l) + len + 1);
	struct timespec dl;
	pthread_attr_t attr;
	pthread_t t;
	int r;

	memcpy(l->host, host, len + 1);
	l->done = 0;
	l->refs = 2;
	l->rc = l->err = 0;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, run, l) != 0) {
		pthread_attr_destroy(&attr);
		l->refs = 1;
		release(l);
		snprintf(why, size, "the lookup could not be started");
		return -1;
	}
	pthread_attr_destroy(&attr);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += (time_t)(timeout_ms / 1000);
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (!l->done) {
		if (pthread_cond_timedwait(&l->cv, &l->mu, &dl) == ETIMEDOUT) {
			break;
		}
	}
	if (!l->done) {
		r = -1;
		snprintf(why, size, "no answer within %u ms", timeout_ms);
	} else if (l->rc == 0) {
		r = 0;
		if (size > 0) {
			why[0] = '\0';
		}
	} else {
		/* APR's status for a resolver error: "(EAI n)text" */
		r = 1;
		if (l->rc == EAI_SYSTEM) {
			snprintf(why, size, "(%d)%s", l->err, strerror(l->err));
		} else {
			snprintf(why, size, "(EAI %d)%s", -l->rc,
			    gai_strerror(l->rc));
		}
	}
	pthread_mutex_unlock(&l->mu);
	release(l);
	return r;
}
