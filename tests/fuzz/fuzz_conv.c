/*
 * fuzz_conv.c - libFuzzer target for mpmconv in every direction: each
 * input is converted to prefork, worker and event (with and without
 * --force, as the first byte says).  The messages and the ledger must
 * be inert text, the JSON and YAML reports must load, the diff must be
 * written.  A converted file must parse again into a sound tree and
 * print back byte for byte (the identity print); when httpd would run
 * the input (no error finding) and --force went past no refusal, it
 * must also run the MPM it was converted to with the capacity the
 * report promised, and convert again to the same MPM as a no-op.  It aborts on a broken property; it never exits.
 */
#include "conv.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char T[] = "fuzz_conv";

static void
die(const char *what, enum rules_mpm to)
{
	fprintf(stderr, "%s: to %s: %s\n", T, rules_mpm_name(to), what);
	abort();
}

/* The parsed output: sound, printed back exactly; lint and convert it. */
static void
check_output(const char *buf, size_t len, const struct conv_result *r,
    int force, int valid)
{
	struct hconf_doc *doc = fz_parse("fuzz.conf", (const uint8_t *)buf,
	    len);
	struct rules_config rc;
	struct rules_result res;
	struct conv_opts co;
	struct conv_result r2;
	const char *why = NULL;
	char *again;
	size_t alen = 0;

	if (hconf_node_check(doc, &why) != 0) {
		fprintf(stderr, "%s: %s\n", T, why ? why : "?");
		die("the converted file parses into an unsound tree", r->to);
	}
	again = hconf_print_buffer(doc, 0, &alen);
	if (alen != len || (len > 0 && memcmp(again, buf, len) != 0)) {
		die("the converted file does not print back as itself", r->to);
	}
	free(again);
	if (!valid || r->forced > 0) {
		/*
		 * httpd refuses the input: nothing runs to compare with.
		 * Or --force went past a refusal (an MPM directive in a
		 * macro body, say): that part is left as written, and the
		 * report's values leave it out, as its warning says.
		 */
		hconf_doc_free(doc);
		return;
	}

	memset(&rc, 0, sizeof(rc));
	memset(&res, 0, sizeof(res));
	rules_lint(doc, &rc, &res);
	if (!res.have_eff || res.eff.mpm != r->to) {
		die("the converted file does not load the MPM", r->to);
	}
	if (res.eff.capacity != r->after.capacity ||
	    res.eff.processes != r->after.processes) {
		fprintf(stderr, "%s: capacity %lld, processes %lld; the report "
		    "said %lld, %lld\n", T, (long long)res.eff.capacity,
		    (long long)res.eff.processes,
		    (long long)r->after.capacity,
		    (long long)r->after.processes);
		die("the converted file runs another capacity", r->to);
	}
	rules_result_free(&res);

	memset(&co, 0, sizeof(co));
	co.to = r->to;
	co.force = force;
	if (conv_run(doc, &co, &r2) != CONV_NOOP) {
		die("converting the result again is not a no-op", r->to);
	}
	conv_result_free(&r2);
	hconf_doc_free(doc);
}

/* No error from the parser or the rules: httpd would run the input. */
static int
runs(const struct hconf_doc *doc)
{
	struct rules_config rc;
	struct rules_result res;
	size_t i;
	int ok = 1;

	memset(&rc, 0, sizeof(rc));
	memset(&res, 0, sizeof(res));
	rules_lint(doc, &rc, &res);
	for (i = 0; i < res.n; i++) {
		if (res.f[i].sev >= HCONF_SEV_ERROR) {
			ok = 0;
		}
	}
	rules_result_free(&res);
	return ok;
}

static void
one(const uint8_t *data, size_t size, enum rules_mpm to, int force)
{
	struct hconf_doc *doc = fz_parse("fuzz.conf", data, size);
	struct conv_opts co;
	struct conv_result r;
	struct fz_mem m;
	enum conv_status st;
	size_t i;
	int valid, yaml;

	memset(&co, 0, sizeof(co));
	co.to = to;
	co.force = force;
	valid = runs(doc);
	st = conv_run(doc, &co, &r);

	fz_open(&m);
	conv_print_msgs(m.fp, &r);
	conv_print_ledger(m.fp, &r);
	fz_close(&m);
	fz_check_text(T, "messages and ledger", m.buf, m.len, 1);
	free(m.buf);

	/* the report as JSON, then as YAML */
	for (yaml = 0; yaml <= 1; yaml++) {
		fz_open(&m);
		if (conv_print_report(m.fp, &r, yaml) != 0) {
			die(yaml ? "the YAML report failed" :
			    "the JSON report failed", to);
		}
		fz_close(&m);
		fz_check_yaml(T, yaml ? "YAML report" : "JSON report", m.buf,
		    m.len);
		free(m.buf);
	}

	if (st == CONV_OK) {
		fz_open(&m);
		if (conv_print_diff(m.fp, &r) != 0) {
			die("the diff failed", to);
		}
		fz_close(&m);
		free(m.buf);
		for (i = 0; i < r.nout; i++) {
			size_t len = 0;
			char *out = conv_render(&r.out[i], &len);

			if (r.out[i].file_id == 0) {
				check_output(out, len, &r, force, valid);
			}
			free(out);
		}
	}
	conv_result_free(&r);
	hconf_doc_free(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int force = size > 0 && (data[0] & 1);

	one(data, size, RULES_MPM_PREFORK, force);
	one(data, size, RULES_MPM_WORKER, force);
	one(data, size, RULES_MPM_EVENT, force);
	return 0;
}
