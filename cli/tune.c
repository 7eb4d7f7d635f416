/*
 * tune.c - what mpmconv --tune sizes from: --profile and --measure
 * merged into struct conv_opts with mpmlint's precedence; see tune.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "esc.h"
#include "tune.h"

/* The profile's size for bit, where no option gave one. */
static void
from_profile(const struct config_profile *p, unsigned bit,
    unsigned long long v, unsigned long long *dst, int *src)
{
	if ((p->given & bit) && *dst == 0) {
		*dst = v;
		if (src != NULL) {
			*src = RULES_SRC_PROFILE;
		}
	}
}

int
tune_inputs(struct tune_in *t, struct conv_opts *co, FILE *err)
{
	struct config_profile p;
	char msg[256];

	memset(&p, 0, sizeof(p));
	if (t->profile != NULL && config_load_profile(t->profile, &p,
	    err) != 0) {
		return EXIT_UNREADABLE;
	}
	if (t->measure) {
		if (rules_res_measure(getenv("MPMLINT_PROC_ROOT"), t->pid,
		    &t->m, msg, sizeof(msg)) != 0) {
			esc_printf(err, "mpmconv: --measure: %s\n", msg);
			config_profile_free(&p);
			return EXIT_UNREADABLE;
		}
		co->measured = &t->m;
		if (co->process_size == 0) {
			/* the largest child, as apache2buddy sizes */
			co->process_size = t->m.pss_max;
			co->process_src = RULES_SRC_MEASURE;
		}
	}
	from_profile(&p, CONFIG_PROF_PROCESS, p.process_size,
	    &co->process_size, &co->process_src);
	from_profile(&p, CONFIG_PROF_THREAD, p.thread_size, &co->thread_size,
	    &co->thread_src);
	from_profile(&p, CONFIG_PROF_RESERVE, p.reserve, &co->reserve, NULL);
	from_profile(&p, CONFIG_PROF_RAM, p.ram, &co->ram, NULL);
	if (p.given & CONFIG_PROF_THRESHOLD) {
		co->threshold = p.threshold;
	}
	config_profile_free(&p);
	if (co->ram == 0) {
		esc_printf(err, "mpmconv: --tune needs the RAM: --ram SIZE, "
		    "or a --profile that gives ram\n");
		return EXIT_USAGE;
	}
	return 0;
}
