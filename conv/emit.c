/*
 * emit.c - what mpmlint's findings (cli/output_json.c) and mpmconv's
 * report (conv/report.c) write the same way: the members of the "effective" object
 * and the libyaml plumbing (stream, document, collections, plain
 * scalars).  It does not quote strings: each writer has its own rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "esc.h"

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
	/*
	 * The emitter owns the event from here, whether it succeeds or
	 * not (a failed event stays queued and yaml_emitter_delete() frees
	 * it): forget it, so that nothing can free it a second time.
	 */
	if (y->ok && !yaml_emitter_emit(&y->em, &y->ev)) {
		y->ok = 0;
	}
	memset(&y->ev, 0, sizeof(y->ev));
}

void
emit_yaml_scalar(struct emit_yaml *y, const char *tag, const char *s,
    int plain_implicit, int quoted_implicit, yaml_scalar_style_t style)
{
	char *u;

	if (!y->ok) {
		return;
	}
	/*
	 * libyaml refuses a scalar that is not valid UTF-8 and then leaves
	 * the event as it was; the Latin-1 mapping is always valid.
	 */
	u = esc_latin1(s);
	if (!yaml_scalar_event_initialize(&y->ev, NULL, (yaml_char_t *)tag,
	    (yaml_char_t *)u, (int)strlen(u), plain_implicit, quoted_implicit,
	    style)) {
		memset(&y->ev, 0, sizeof(y->ev));
		y->ok = 0;
	} else {
		emit_yaml_event(y);
	}
	free(u);
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
	emit_yaml_scalar(y, NULL, s, 1, 1, YAML_PLAIN_SCALAR_STYLE);
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
