/*
 * emit.c - what mpmlint's findings (output.c) and mpmconv's report
 * (conv.c) write the same way: the members of the "effective" object
 * and the libyaml plumbing (stream, document, collections, plain
 * scalars).  It does not quote strings: each writer has its own rules.
 */
#include <stdint.h>
#include <string.h>

#include "emit.h"

size_t
emit_eff_pairs(const struct rules_mpm_eff *e, struct emit_kv *kv)
{
	size_t n = 0;

#define KV(name, val) (kv[n].k = (name), kv[n].v = (val), n++)
	KV("ServerLimit", e->v[RULES_K_ServerLimit]);
	if (e->mpm != RULES_MPM_PREFORK) {
		KV("ThreadLimit", e->v[RULES_K_ThreadLimit]);
		KV("ThreadsPerChild", e->v[RULES_K_ThreadsPerChild]);
	}
	KV("MaxRequestWorkers", e->capacity);
	KV("processes", e->processes);
	KV("StartServers", e->v[RULES_K_StartServers]);
	if (e->mpm == RULES_MPM_PREFORK) {
		KV("MinSpareServers", e->v[RULES_K_MinSpareServers]);
		KV("MaxSpareServers", e->v[RULES_K_MaxSpareServers]);
	} else {
		KV("MinSpareThreads", e->v[RULES_K_MinSpareThreads]);
		KV("MaxSpareThreads", e->v[RULES_K_MaxSpareThreads]);
	}
	KV("MaxConnectionsPerChild", e->v[RULES_K_MaxConnectionsPerChild]);
	if (e->mpm == RULES_MPM_EVENT) {
		KV("AsyncRequestWorkerFactor", e->arwf_used);
	}
#undef KV
	return n;
}

void
emit_yaml_event(struct emit_yaml *y)
{
	if (y->ok && !yaml_emitter_emit(&y->em, &y->ev)) {
		y->ok = 0;
	}
}

int
emit_yaml_open(struct emit_yaml *y, FILE *fp, int nofold, int implicit)
{
	memset(y, 0, sizeof(*y));
	if (!yaml_emitter_initialize(&y->em)) {
		return -1;
	}
	y->ok = 1;
	yaml_emitter_set_output_file(&y->em, fp);
	yaml_emitter_set_unicode(&y->em, 1);
	if (nofold) {
		yaml_emitter_set_width(&y->em, -1);
	}
	yaml_stream_start_event_initialize(&y->ev, YAML_UTF8_ENCODING);
	emit_yaml_event(y);
	if (y->ok) {
		yaml_document_start_event_initialize(&y->ev, NULL, NULL, NULL,
		    implicit);
		emit_yaml_event(y);
	}
	return 0;
}

void
emit_yaml_nest(struct emit_yaml *y, int map, int start)
{
	if (!y->ok) {
		return;
	}
	/* implicit: libyaml writes no tag, so none is given */
	if (map && start) {
		yaml_mapping_start_event_initialize(&y->ev, NULL, NULL, 1,
		    YAML_BLOCK_MAPPING_STYLE);
	} else if (map) {
		yaml_mapping_end_event_initialize(&y->ev);
	} else if (start) {
		yaml_sequence_start_event_initialize(&y->ev, NULL, NULL, 1,
		    YAML_BLOCK_SEQUENCE_STYLE);
	} else {
		yaml_sequence_end_event_initialize(&y->ev);
	}
	emit_yaml_event(y);
}

void
emit_yaml_plain(struct emit_yaml *y, const char *s)
{
	if (y->ok) {
		yaml_scalar_event_initialize(&y->ev, NULL, NULL,
		    (yaml_char_t *)(uintptr_t)s, (int)strlen(s), 1, 1,
		    YAML_PLAIN_SCALAR_STYLE);
		emit_yaml_event(y);
	}
}

int
emit_yaml_close(struct emit_yaml *y)
{
	if (y->ok) {
		yaml_document_end_event_initialize(&y->ev, 1);
		emit_yaml_event(y);
	}
	if (y->ok) {
		yaml_stream_end_event_initialize(&y->ev);
		emit_yaml_event(y);
	}
	if (y->ok && !yaml_emitter_flush(&y->em)) {
		y->ok = 0;
	}
	y->problem = y->em.problem; /* a static string: it outlives em */
	yaml_emitter_delete(&y->em);
	return y->ok ? 0 : -1;
}
