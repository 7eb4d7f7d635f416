/*
 * memory.c - peak memory before and after a conversion, through the
 * resource model of mpmlint (rules/resource.h: one implementation).
 * When the result runs more processes at peak than the source (event
 * -> prefork at the same capacity), a note gives both peaks; with --ram
 * a result whose peak exceeds the RAM (what mpmlint reports as MPM042)
 * is refused unless --force.  Edits nothing.
 */
#include <stdio.h>
#include <string.h>

#include "conv_int.h"
#include "resource.h"

/* The sizes of one side, as mpmlint would take them. */
void
conv_mem_inputs(const struct conv *c, enum rules_mpm mpm,
    struct rules_res_in *in)
{
	const struct conv_opts *o = c->o;

	memset(in, 0, sizeof(*in));
	in->process_size = o->process_size != 0 ? o->process_size :
	    rules_res_default_process_size(c->doc, mpm);
	in->process_src = o->process_size == 0 ? RULES_SRC_DEFAULT :
	    o->process_src != 0 ? (enum rules_res_src)o->process_src :
	    RULES_SRC_OPTION;
	in->thread_size = o->thread_size != 0 ? o->thread_size :
	    RULES_RES_THREAD_SIZE;
	in->thread_src = o->thread_size == 0 ? RULES_SRC_DEFAULT :
	    o->thread_src != 0 ? (enum rules_res_src)o->thread_src :
	    RULES_SRC_OPTION;
	in->reserve = o->reserve;
	in->threshold = o->threshold;
	in->measured = o->measured;
	if (o->ram != 0) {
		in->memory = 1;
		in->ram = o->ram;
		in->ram_src = RULES_SRC_OPTION;
		in->ram_what = "--ram";
	}
}

/* Processes and peak of one side; out->peak set even without --ram. */
static void
peak_of(const struct conv *c, const struct rules_mpm_eff *e,
    struct rules_res_in *in, struct rules_resource *out)
{
	conv_mem_inputs(c, e->mpm, in);
	rules_resource_compute(e, in, out);
	if (!out->memory) {
		out->peak = rules_res_peak(out->processes, out->threads,
		    in->process_size, in->thread_size, in->reserve);
	}
}

/* A size as an option takes it: "16M", "1536K", "100". */
static const char *
opt_size(unsigned long long b, char *buf, size_t len)
{
	static const char unit[] = "KMGT";
	int u = -1;

	while (b != 0 && b % 1024 == 0 && u < 3) {
		b /= 1024;
		u++;
	}
	if (u < 0) {
		snprintf(buf, len, "%llu", b);
	} else {
		snprintf(buf, len, "%llu%c", b, unit[u]);
	}
	return buf;
}

/* " with the default sizes (--process-size 16M --thread-size 1M)". */
static void
size_words(const struct conv *c, const struct rules_res_in *bi,
    const struct rules_res_in *ai, char *buf, size_t len)
{
	char p0[32], p1[32], t[32], both[80];

	opt_size(bi->process_size, p0, sizeof(p0));
	opt_size(ai->process_size, p1, sizeof(p1));
	if (strcmp(p0, p1) != 0) {
		/* prefork with mod_php: a larger child by default */
		snprintf(both, sizeof(both), "%s -> %s", p0, p1);
	} else {
		snprintf(both, sizeof(both), "%s", p0);
	}
	snprintf(buf, len, "with the %s sizes (--process-size %s "
	    "--thread-size %s)", c->o->process_size == 0 &&
	    c->o->thread_size == 0 ? "default" : c->o->process_size != 0 &&
	    c->o->thread_size != 0 ? "given" : "given and default", both,
	    opt_size(ai->thread_size, t, sizeof(t)));
}

/*
 * The note on peak memory, and the --ram check of the result.  -1 when
 * the result does not fit and --force was not given (r->status is then
 * CONV_REFUSED).
 */
int
conv_check_memory(struct conv *c)
{
	struct conv_result *r = c->r;
	struct rules_res_in bi, ai;
	struct rules_resource b, a;
	char bp[32], ap[32], ram[32], how[160];

	peak_of(c, &r->before, &bi, &b);
	peak_of(c, &r->after, &ai, &a);
	rules_res_human(b.peak, bp, sizeof(bp));
	rules_res_human(a.peak, ap, sizeof(ap));
	size_words(c, &bi, &ai, how, sizeof(how));
	if (a.processes > b.processes) {
		conv_msgf(c, CONV_NOTE, NULL, NULL, "peak processes %llu -> "
		    "%llu: peak memory about %s -> %s %s", b.processes,
		    a.processes, bp, ap, how);
	}
	if (!a.memory || a.peak <= a.ram) {
		return 0;
	}
	rules_res_human(a.ram, ram, sizeof(ram));
	conv_refuse(c, NULL, NULL, "the result does not fit in --ram %s: "
	    "%llu processes and %llu threads at peak take about %s %s, over "
	    "the %s of RAM (mpmlint reports MPM042)%s", opt_size(c->o->ram,
	    bp, sizeof(bp)), a.processes, a.threads, ap, how, ram,
	    c->o->force ? "; converted anyway (--force)" : "");
	if (c->o->force) {
		return 0;
	}
	r->status = CONV_REFUSED;
	return -1;
}
