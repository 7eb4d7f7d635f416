/*
 * listen.c - Listen arguments to sockets.  mpmref binds loopback
 * addresses only (127.0.0.0/8, ::1) unless --allow-any-address is given;
 * it refuses anything else before binding.  A reload keeps the sockets
 * whose address did not change.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ref.h"

static int
is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		const uint8_t *b = in6->sin6_addr.s6_addr;
		static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0xff, 0xff};

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
			return 1;
		}
		return memcmp(b, v4mapped, 12) == 0 && b[12] == 127;
	}
	return 0;
}

static char *
addr_name(const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN], out[INET6_ADDRSTRLEN + 16];
	int port;

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(out, sizeof(out), "[%s]:%d", host, port);
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(out, sizeof(out), "%s:%d", host, port);
	}
	return hconf_xstrdup(out);
}

static int
same_addr(const struct ref_listen *a, const struct ref_listen *b)
{
	return a->addrlen == b->addrlen &&
	    memcmp(&a->addr, &b->addr, a->addrlen) == 0;
}

int
ref_listen_parse(const char *spec, int allow_any, const char *where,
    struct ref_listen **ls, size_t *n)
{
	char host[256], port[16];
	const char *colon;
	struct addrinfo hints, *res = NULL, *ai;
	long pn;
	char *end;
	int rc;

	/* [v6]:port, host:port, or a bare port (every address). */
	host[0] = '\0';
	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (rb == NULL || rb[1] != ':' || (size_t)(rb - spec - 1) >=
		    sizeof(host)) {
			ref_log(REF_ERR, "%s: Listen %s: bad address", where, spec);
			return -1;
		}
		memcpy(host, spec + 1, (size_t)(rb - spec - 1));
		host[rb - spec - 1] = '\0';
		colon = rb + 1;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		if ((size_t)(colon - spec) >= sizeof(host)) {
			ref_log(REF_ERR, "%s: Listen %s: bad address", where, spec);
			return -1;
		}
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
	}
	snprintf(port, sizeof(port), "%.15s", colon ? colon + 1 : spec);
	pn = strtol(port, &end, 10);
	if (port[0] == '\0' || *end != '\0' || pn < 1 || pn > 65535) {
		ref_log(REF_ERR, "%s: Listen %s: port must be 1 to 65535",
		    where, spec);
		return -1;
	}
	if (host[0] == '\0' || strcmp(host, "*") == 0) {
		if (!allow_any) {
			ref_log(REF_ERR, "%s: Listen %s binds every address; mpmref "
			    "serves loopback only: write Listen 127.0.0.1:%ld, use "
			    "--listen, or pass --allow-any-address", where, spec,
			    pn);
			return -1;
		}
		snprintf(host, sizeof(host), "0.0.0.0");
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		ref_log(REF_ERR, "%s: Listen %s: %s", where, spec,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct ref_listen l;
		size_t i;
		int dup = 0;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) {
			continue;
		}
		if (!allow_any && !is_loopback(ai->ai_addr)) {
			char *nm = addr_name(ai->ai_addr);

			ref_log(REF_ERR, "%s: Listen %s: %s is not a loopback "
			    "address; mpmref refuses it unless "
			    "--allow-any-address is given", where, spec, nm);
			free(nm);
			freeaddrinfo(res);
			return -1;
		}
		memset(&l, 0, sizeof(l));
		memcpy(&l.addr, ai->ai_addr, ai->ai_addrlen);
		l.addrlen = ai->ai_addrlen;
		l.fd = -1;
		for (i = 0; i < *n; i++) {
			dup |= same_addr(&(*ls)[i], &l);
		}
		if (dup) {
			continue;
		}
		l.name = addr_name(ai->ai_addr);
		*ls = hconf_xrealloc(*ls, (*n + 1) * sizeof(**ls));
		(*ls)[(*n)++] = l;
	}
	freeaddrinfo(res);
	return 0;
}

static int
open_one(struct ref_listen *l)
{
	int fd, one = 1;

	fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ref_log(REF_ERR, "socket for %s: %s", l->name, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l->addr.ss_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&l->addr, l->addrlen) != 0) {
		ref_log(REF_ERR, "could not bind to address %s: %s", l->name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, REF_BACKLOG) != 0) {
		ref_log(REF_ERR, "listen on %s: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	l->fd = fd;
	return 0;
}

int
ref_listen_open(struct ref_conf *c, struct ref_conf *old)
{
	size_t i, j;

	for (i = 0; i < c->nls; i++) {
		if (old != NULL) {
			for (j = 0; j < old->nls; j++) {
				if (old->ls[j].fd >= 0 &&
				    same_addr(&old->ls[j], &c->ls[i])) {
					c->ls[i].fd = old->ls[j].fd;
					old->ls[j].fd = -1;
					break;
				}
			}
		}
		if (c->ls[i].fd < 0 && open_one(&c->ls[i]) != 0) {
			/* Give the borrowed sockets back to old. */
			for (j = 0; j < c->nls && old != NULL; j++) {
				size_t k;

				for (k = 0; k < old->nls; k++) {
					if (c->ls[j].fd >= 0 && old->ls[k].fd < 0 &&
					    same_addr(&old->ls[k], &c->ls[j])) {
						old->ls[k].fd = c->ls[j].fd;
						c->ls[j].fd = -1;
					}
				}
			}
			ref_listen_close(c);
			return -1;
		}
	}
	return 0;
}

void
ref_listen_close(struct ref_conf *c)
{
	size_t i;

	for (i = 0; i < c->nls; i++) {
		if (c->ls[i].fd >= 0) {
			close(c->ls[i].fd);
			c->ls[i].fd = -1;
		}
	}
}

int
ref_listen_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE ||
	    errno == ENOBUFS || errno == ENOMEM)) {
		struct timespec ts = {0, 100 * 1000 * 1000};

		ref_log(REF_ERR, "accept: %s", strerror(errno));
		nanosleep(&ts, NULL);
	}
	return fd;
}
