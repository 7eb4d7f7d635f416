/*
 * readtime.h - the argument checks httpd makes while it reads the
 * configuration (apache2 -t), for engine.c: the Error directive, Listen.
 * rules/ only.  The functions decide and format; they never record.
 */
#ifndef RULES_READTIME_H
#define RULES_READTIME_H

#include <stddef.h>
#include <stdint.h>

#include "hconf.h"

/**
 * The text an active Error directive stops httpd with (core's
 * generate_error()): its arguments as written, one pair of enclosing
 * quotes removed.  Written to buf.
 */
void rules_error_text(const struct hconf_doc *, const struct hconf_node *,
    char *buf, size_t size);

/**
 * Listen's arguments as ap_set_listener() checks them.  Returns httpd's
 * message, or NULL when httpd accepts them; *argi is the argument at
 * fault (nargs when it is the directive itself).
 */
const char *rules_listen_refusal(const struct hconf_node *, uint32_t *argi);

/**
 * The host a Listen line names, as ap_set_listener() passes it to
 * alloc_listener() (no brackets, no scope id), written to buf; NULL for
 * none or "*" (every address) or arguments httpd refuses.
 */
const char *rules_listen_host(const struct hconf_node *, char *buf,
    size_t size);



/**
 * 1 when name (any case) is one rules_value_refusal() may refuse: the
 * walk works it out once per name and calls that only for these.
 */
int rules_value_name(const char *name);
/**
 * The refusal of a core directive's value by its handler (ListenBacklog,
 * KeepAliveTimeout, LimitRequest*, Options, FileETag, MaxRange*, the
 * keyword directives).  Returns 1 with httpd's message in buf and the
 * argument at fault in *argi, or 0 when httpd accepts the value (or we
 * do not model that directive).
 */
int rules_value_refusal(const struct hconf_node *, uint32_t *argi,
    char *buf, size_t size);
#endif
