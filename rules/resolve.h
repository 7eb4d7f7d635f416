/*
 * resolve.h - host name resolution as httpd's Listen does it
 * (apr_sockaddr_info_get), bounded in time.  rules/ only.
 */
#ifndef RULES_RESOLVE_H
#define RULES_RESOLVE_H

#include <stddef.h>

/**
 * Resolve host as apr_sockaddr_info_get(APR_UNSPEC) does for Listen
 * (getaddrinfo, AI_ADDRCONFIG, retried without it), waiting at most
 * timeout_ms.  Returns 0 when it resolves; 1 when it does not, with
 * httpd's status text in why ("(EAI 2)Name or service not known"); -1
 * when no answer came in time (why says so).  The lookup runs in a
 * thread of its own, left to finish by itself after a time-out.
 */
int rules_resolve(const char *host, unsigned timeout_ms, char *why,
    size_t size);
#endif
