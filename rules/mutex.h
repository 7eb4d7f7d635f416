/*
 * mutex.h - the mutex types a Mutex line names, as ap_set_mutex() checks
 * them against the types the loaded modules register.  rules/ only.
 */
#ifndef RULES_MUTEX_H
#define RULES_MUTEX_H

#include <stddef.h>
#include <stdint.h>

#include "hconf.h"

/**
 * httpd's refusal of the mutex types of a Mutex line whose mechanism it
 * accepts: a type no loaded module registered ("Mutex type X is not
 * valid"), or "none" for a type that does not allow it (none does in
 * 2.4).  mpm_accept: the MPM registers mpm-accept (prefork, worker), or
 * leaves it to another check (event); third_party: a module we have no
 * table for is loaded, so an unknown type is not judged.  Returns the
 * message in buf and the argument at fault in *argi, or NULL.
 */
const char *rules_mutex_type_refusal(const struct hconf_doc *,
    const struct hconf_node *, int mpm_accept, int third_party,
    uint32_t *argi, char *buf, size_t size);
#endif
