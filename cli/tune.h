/*
 * tune.h - the inputs of mpmconv --tune (cli/ only): a --profile file
 * and a --measure of the running server merged into struct conv_opts
 * the way mpmlint merges them (options first, then the measurement,
 * then the profile, then the documented defaults).
 */
#ifndef CLI_TUNE_H
#define CLI_TUNE_H

#include <stdio.h>

#include "conv.h"
#include "resource.h"

struct tune_in {
	const char *profile; /* --profile FILE, or NULL */
	int measure;         /* --measure */
	long pid;            /* --pid: the parent; 0 finds it */
	struct rules_res_measure m;
};

/**
 * Fill co's memory inputs from t.  Returns 0; 3 (usage: no RAM) or 2
 * (a profile or the server cannot be read) after a message on err.
 */
int tune_inputs(struct tune_in *t, struct conv_opts *co, FILE *err);

#endif
