/*
 * fuzz_parse.c - libFuzzer target for the parser: any byte string must
 * parse into a sound tree (hconf_node_check) that prints back as exactly
 * the input.  Includes and the environment are off, so a run depends on
 * the input bytes alone.  It aborts on a broken property; it never exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Print where the round trip first went wrong, then die. */
static void
roundtrip_fail(const uint8_t *in, size_t inlen, const char *out,
    size_t outlen)
{
	size_t i, n;

	n = inlen < outlen ? inlen : outlen;
	for (i = 0; i < n; i++) {
		if ((unsigned char)out[i] != in[i]) {
			break;
		}
	}
	fprintf(stderr, "fuzz_parse: round trip differs at byte %zu "
	    "(input %zu bytes, printed %zu bytes)\n", i, inlen, outlen);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hconf_options opts;
	struct hconf_doc *doc;
	const struct hconf_file *f;
	const struct hconf_diag *d;
	const char *why = NULL;
	char *out;
	size_t len = 0, nd, i;

	memset(&opts, 0, sizeof(opts));
	opts.no_includes = 1;
	opts.no_env = 1;
	/* Debian's envvars would make the result depend on the machine. */
	opts.no_envvars = 1;

	doc = hconf_parse_buffer("fuzz.conf", (const char *)data, size, &opts);
	if (doc == NULL) {
		fprintf(stderr, "fuzz_parse: hconf_parse_buffer returned NULL\n");
		abort();
	}
	if (hconf_node_check(doc, &why) != 0) {
		fprintf(stderr, "fuzz_parse: hconf_node_check: %s\n",
		    why != NULL ? why : "(no reason given)");
		abort();
	}

	/*
	 * Every diagnostic must point into a file that exists, inside its
	 * buffer (the end of the buffer counts: "not closed at end of file").
	 */
	d = hconf_doc_diags(doc, &nd);
	for (i = 0; i < nd; i++) {
		f = NULL;
		if (d[i].file_id < hconf_doc_nfiles(doc)) {
			f = hconf_doc_file(doc, d[i].file_id);
		}
		if (f == NULL || d[i].off > f->len || d[i].msg == NULL) {
			fprintf(stderr, "fuzz_parse: diagnostic %zu: file %u "
			    "offset %u is out of range\n", i,
			    (unsigned)d[i].file_id, (unsigned)d[i].off);
			abort();
		}
	}

	out = hconf_print_buffer(doc, 0, &len);
	if (len != size || (size > 0 && (out == NULL ||
	    memcmp(out, data, size) != 0))) {
		roundtrip_fail(data, size, out != NULL ? out : "",
		    out != NULL ? len : 0);
	}
	free(out);
	hconf_doc_free(doc);
	return 0;
}
