/*
 * fuzz_lint.c - libFuzzer target for the rules engine and every output
 * format of mpmlint: any byte string is parsed, linted (rules, resource
 * checks, inline suppressions), then written as text (plain and
 * coloured), JSON, YAML, SARIF, GitHub workflow commands and checkstyle
 * into memory streams.  Every output must be valid UTF-8; JSON and YAML
 * must load again; text and github must hold no control character but
 * the newline that ends each line, and every github line must be one
 * workflow command.  It aborts on a broken property; it never exits.
 */
#include "fuzz_common.h"
#include "filter.h"
#include "output.h"
#include "resource.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char T[] = "fuzz_lint";

/* Every line "::error|warning|notice file=...::..." with nothing raw. */
static void
check_github(const char *buf, size_t len)
{
	size_t i = 0;

	fz_check_text(T, "github output", buf, len, 1);
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;

		if (!(n > 9 && (strncmp(buf + i, "::error ", 8) == 0 ||
		    strncmp(buf + i, "::warning ", 10) == 0 ||
		    strncmp(buf + i, "::notice ", 9) == 0))) {
			fz_fail(T, "github line is not a command", buf, len, i);
		}
		i += n + 1;
	}
}

/* Colour escapes are ours; remove them, then nothing raw may remain. */
static void
check_color(const char *buf, size_t len)
{
	static const char *const ours[] = {"\033[1m", "\033[0m", "\033[2m",
	    "\033[1;31m", "\033[1;35m", "\033[1;36m", "\033[32m", NULL};
	char *c = malloc(len + 1);
	size_t i = 0, o = 0, k;

	if (c == NULL) {
		abort();
	}
	while (i < len) {
		for (k = 0; ours[k] != NULL; k++) {
			size_t n = strlen(ours[k]);

			if (len - i >= n && memcmp(buf + i, ours[k], n) == 0) {
				i += n;
				break;
			}
		}
		if (ours[k] == NULL) {
			c[o++] = buf[i++];
		}
	}
	fz_check_text(T, "coloured text output", c, o, 1);
	free(c);
}

/* The output formats, in the order they are written. */
enum format {
	F_TEXT, F_COLOR, F_JSON, F_YAML, F_SARIF, F_GITHUB, F_CHECKSTYLE,
	F_CODECLIMATE, F__COUNT
};

static const char *const format_name[F__COUNT] = {
	[F_TEXT] = "text output", [F_JSON] = "JSON output",
	[F_YAML] = "YAML output", [F_SARIF] = "SARIF output",
	[F_CHECKSTYLE] = "checkstyle output",
	[F_CODECLIMATE] = "Code Climate output",
};

static void
write_format(enum format f, FILE *fp, const struct out_file *of)
{
	/* the formats written with the same call */
	static void (*const doc[F__COUNT])(FILE *, const struct out_file *,
	    size_t) = {
		[F_JSON] = out_json, [F_SARIF] = out_sarif,
		[F_CHECKSTYLE] = out_checkstyle, [F_CODECLIMATE] = out_codeclimate,
	};

	if (f == F_TEXT || f == F_COLOR) {
		out_text(fp, of, f == F_COLOR);
	} else if (f == F_YAML) {
		if (out_yaml(fp, of, 1) != 0) {
			fprintf(stderr, "%s: out_yaml failed\n", T);
			abort();
		}
	} else if (f == F_GITHUB) {
		out_github(fp, of);
	} else {
		doc[f](fp, of, 1);
	}
}

static void
check_format(enum format f, const char *buf, size_t len)
{
	if (f == F_COLOR) {
		check_color(buf, len);
	} else if (f == F_GITHUB) {
		check_github(buf, len);
	} else if (f == F_JSON || f == F_YAML || f == F_CODECLIMATE) {
		fz_check_yaml(T, format_name[f], buf, len);
	} else {
		/* SARIF repeats the whole rule catalogue: the text only */
		fz_check_text(T, format_name[f], buf, len, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hconf_doc *doc = fz_parse("fuzz.conf", data, size);
	struct rules_config rc;
	struct rules_result raw;
	struct rules_res_in rin;
	struct rules_resource rsrc;
	struct filter_opts fo;
	struct filter_result fr;
	struct out_file of;
	struct fz_mem m, warn;
	enum format f;

	memset(&rc, 0, sizeof(rc));
	memset(&raw, 0, sizeof(raw));
	memset(&rin, 0, sizeof(rin));
	memset(&rsrc, 0, sizeof(rsrc));
	/* the first byte picks the memory comparison and an MPM override */
	if (size > 0 && (data[0] & 1)) {
		rin.memory = 1;
		rin.ram = 1ull << 30;
		rin.ram_src = RULES_SRC_OPTION;
		rin.ram_what = "--ram";
	}
	if (size > 0 && (data[0] & 6)) {
		rc.force_mpm = (data[0] & 6) == 2 ? RULES_MPM_PREFORK :
		    (data[0] & 6) == 4 ? RULES_MPM_WORKER : RULES_MPM_EVENT;
	}
	rules_lint(doc, &rc, &raw);
	rules_resource_check(doc, &rin, &raw, &rsrc);
	if (raw.n > 0) {
		rules_sort(&raw);
	}
	fz_open(&warn);
	memset(&fo, 0, sizeof(fo));
	fo.inline_suppress = 1;
	fo.warn = warn.fp;
	filter_run(doc, "fuzz.conf", &raw, &fo, &fr);
	fz_close(&warn);
	fz_check_text(T, "suppression warnings", warn.buf, warn.len, 1);
	free(warn.buf);

	memset(&of, 0, sizeof(of));
	of.name = "fuzz.conf";
	of.doc = doc;
	of.res = &fr.res;
	of.lhash = fr.lhash;
	of.fp = fr.fp;
	of.rsrc = &rsrc;
	out_file_paths(&of, NULL);

	for (f = 0; f < F__COUNT; f++) {
		fz_open(&m);
		write_format(f, m.fp, &of);
		fz_close(&m);
		check_format(f, m.buf, m.len);
		free(m.buf);
	}

	out_file_free(&of);
	filter_free(&fr);
	rules_result_free(&raw);
	hconf_doc_free(doc);
	return 0;
}
