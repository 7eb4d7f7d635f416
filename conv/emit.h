/*
 * emit.h - writing pieces shared by mpmlint's JSON and YAML findings
 * (cli/output_json.c) and mpmconv's report (conv/report.c); the only
 * header above parser/ that includes <yaml.h>.  Each writer keeps its own rules for
 * quoting strings: only what both do the same way lives here.
 */
#ifndef EMIT_H
#define EMIT_H

#include <stddef.h>
#include <stdio.h>

#include <yaml.h>

#include "rules.h"

/* One integer member of an object. */
struct emit_kv {
	const char *k;
	long long v;
};

/**
 * The integer members of mpmlint's "effective" object for e, in the
 * order of the JSON contract (mpmlint(1)); kv holds at least 16.
 * Returns how many were set.
 */
size_t emit_eff_pairs(const struct rules_mpm_eff *e, struct emit_kv *kv);

/* A libyaml emitter; ok falls to 0 at the first error and stays there. */
struct emit_yaml {
	yaml_emitter_t em;
	yaml_event_t ev;
	int ok;
	const char *problem; /* after emit_yaml_close(): libyaml's, or NULL */
};

/**
 * Start a UTF-8 stream on fp and one document: "---" unless implicit;
 * fold long lines unless nofold.  0, or -1 when libyaml cannot be
 * initialised (then there is nothing to close).
 */
int emit_yaml_open(struct emit_yaml *, FILE *fp, int nofold, int implicit);
/** Emit y->ev, which the caller has just initialised, if still ok. */
void emit_yaml_event(struct emit_yaml *);
/**
 * A scalar (yaml_scalar_event_initialize()'s arguments) with the bytes of
 * s as Latin-1 code points (esc_latin1()), so that any input is valid.
 */
void emit_yaml_scalar(struct emit_yaml *, const char *tag, const char *s,
    int plain_implicit, int quoted_implicit, yaml_scalar_style_t style);
/** Start (start 1) or end a block mapping (map 1) or sequence. */
void emit_yaml_nest(struct emit_yaml *, int map, int start);
/** A plain scalar without a tag, for numbers and null. */
void emit_yaml_plain(struct emit_yaml *, const char *s);
/** End the document and the stream, flush, free; 0, or -1 on an error. */
int emit_yaml_close(struct emit_yaml *);

#endif
