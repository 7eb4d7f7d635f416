/*
 * fuzz_export.c - libFuzzer target for mpmconv --export and --import:
 * each input is parsed, linted and exported as YAML and JSON, plain and
 * lossless.  Every export must be valid UTF-8 and load again; a lossless
 * export must import back into exactly the input bytes, and a plain one
 * must import into a file that parses and keeps every directive with its
 * arguments.  It aborts on a broken property; it never exits.
 */
#include "export.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char T[] = "fuzz_export";

/* The words of every directive and section opening, in order. */
static void
words(const struct hconf_doc *doc, struct fz_mem *m)
{
	const struct hconf_file *f = hconf_doc_file(doc, 0);
	const struct hconf_node *stack[256], *n;
	size_t sp = 0;
	uint32_t i;

	n = f->root->first;
	for (;;) {
		while (n == NULL && sp > 0) {
			n = stack[--sp];
		}
		if (n == NULL) {
			break;
		}
		if (n->kind == HCONF_DIRECTIVE || n->kind == HCONF_SECTION) {
			fprintf(m->fp, "%s", n->word != NULL ? n->word : "");
			for (i = 0; i < n->nargs; i++) {
				fprintf(m->fp, "\x1f%s", n->args[i].value);
			}
			fputc('\n', m->fp);
		}
		if (n->first != NULL && sp < 256) {
			stack[sp++] = n->next;
			n = n->first;
		} else {
			n = n->next;
		}
	}
}

/*
 * A file httpd refuses to read (a syntax error libhconf reports as an
 * error) has no reading for the plain export to keep: only the lossless
 * one must come back, byte for byte.
 */
static int
syntax_error(const struct hconf_doc *doc)
{
	const struct hconf_diag *d;
	size_t n, i;

	d = hconf_doc_diags(doc, &n);
	for (i = 0; i < n; i++) {
		if (d[i].sev >= HCONF_SEV_ERROR) {
			return 1;
		}
	}
	return 0;
}

/*
 * Sections nested more than 147 deep make a JSON export deeper than the
 * loader's flow cap (hconf-export(5)): refused by design.
 */
static int
too_deep(const char *buf, size_t len)
{
	struct hconf_yerr e;
	struct hconf_ydoc *y = hconf_yaml_load(buf, len, &e);

	if (y != NULL) {
		hconf_ydoc_free(y);
		return 0;
	}
	return strstr(e.msg, "flow collections") != NULL;
}

static void
one(const uint8_t *data, size_t size, struct hconf_doc *doc,
    const struct rules_result *res, int json, int lossless)
{
	struct fz_mem m, w1, w2;
	struct hconf_doc *back;
	char *out = NULL;
	size_t outlen = 0;
	FILE *err;
	char *ebuf = NULL;
	size_t elen = 0;

	fz_open(&m);
	if (cli_export(m.fp, doc, res, json, lossless) != 0) {
		fprintf(stderr, "%s: cli_export failed\n", T);
		abort();
	}
	fz_close(&m);
	fz_check_text(T, "export", m.buf, m.len, 0);
	if (json && too_deep(m.buf, m.len)) {
		free(m.buf);
		return;
	}
	fz_check_yaml(T, json ? "JSON export" : "YAML export", m.buf, m.len);

	if (!lossless && syntax_error(doc)) {
		free(m.buf);
		return;
	}
	err = open_memstream(&ebuf, &elen);
	if (err == NULL) {
		abort();
	}
	if (cli_import_mem(m.buf, m.len, &out, &outlen, err) != 0) {
		fclose(err);
		fprintf(stderr, "%s: the %s%s export does not import: %s\n", T,
		    lossless ? "lossless " : "", json ? "JSON" : "YAML", ebuf);
		abort();
	}
	fclose(err);
	free(ebuf);
	if (lossless) {
		if (outlen != size || (size > 0 && memcmp(out, data, size))) {
			fprintf(stderr, "%s: the lossless %s export imports "
			    "into other bytes\n", T, json ? "JSON" : "YAML");
			fz_fail(T, "import", out, outlen, 0);
		}
	} else {
		back = fz_parse("fuzz.conf", (const uint8_t *)out, outlen);
		fz_open(&w1);
		words(doc, &w1);
		fz_close(&w1);
		fz_open(&w2);
		words(back, &w2);
		fz_close(&w2);
		if (w1.len != w2.len || memcmp(w1.buf, w2.buf, w1.len) != 0) {
			fprintf(stderr, "%s: the %s export imports into other "
			    "directives\n", T, json ? "JSON" : "YAML");
			fz_fail(T, "import", w2.buf, w2.len, 0);
		}
		free(w1.buf);
		free(w2.buf);
		hconf_doc_free(back);
	}
	free(out);
	free(m.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hconf_doc *doc = fz_parse("fuzz.conf", data, size);
	struct rules_config rc;
	struct rules_result res;

	memset(&rc, 0, sizeof(rc));
	memset(&res, 0, sizeof(res));
	rules_lint(doc, &rc, &res);
	one(data, size, doc, &res, 0, 0);
	one(data, size, doc, &res, 1, 0);
	one(data, size, doc, &res, 0, 1);
	one(data, size, doc, &res, 1, 1);
	rules_result_free(&res);
	hconf_doc_free(doc);
	return 0;
}
