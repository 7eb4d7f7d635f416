/*
 * export.c - mpmconv --export: the whole configuration as one YAML or
 * JSON document (hconf-export(5)): the files and their nodes from
 * libhconf, then the effective MPM block and the findings of mpmlint.
 * It reads a parsed tree and a lint result; it changes neither.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "output.h"

#define EXPORT_VERSION 1

static void
emit_string(struct hconf_emit *w, const char *s)
{
	hconf_emit_str(w, s, strlen(s));
}

static int
is_int(const char *s)
{
	if (*s == '-' || *s == '+') {
		s++;
	}
	if (*s == '\0') {
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return 0;
		}
	}
	return 1;
}

/* Copy a loaded node (the effective block) to the writer, keeping types. */
static void
emit_ynode(struct hconf_emit *w, const struct hconf_ynode *y)
{
	size_t i;

	switch (y->kind) {
	case HCONF_YMAP:
		hconf_emit_map(w);
		for (i = 0; i + 1 < y->n; i += 2) {
			hconf_emit_key(w, y->v[i]->s);
			emit_ynode(w, y->v[i + 1]);
		}
		hconf_emit_end(w);
		break;
	case HCONF_YSEQ:
		hconf_emit_seq(w);
		for (i = 0; i < y->n; i++) {
			emit_ynode(w, y->v[i]);
		}
		hconf_emit_end(w);
		break;
	default:
		if (!y->plain) {
			hconf_emit_str(w, y->s, y->len);
		} else if (strcmp(y->s, "null") == 0 || y->len == 0) {
			hconf_emit_null(w);
		} else if (strcmp(y->s, "true") == 0 ||
		    strcmp(y->s, "false") == 0) {
			hconf_emit_bool(w, y->s[0] == 't');
		} else if (is_int(y->s)) {
			hconf_emit_int(w, strtoll(y->s, NULL, 10));
		} else {
			hconf_emit_str(w, y->s, y->len);
		}
	}
}

/*
 * The effective block, with exactly the keys of mpmlint's JSON: it is
 * taken from out_effective_json() itself, so the two cannot drift apart.
 */
static int
emit_effective(struct hconf_emit *w, const struct rules_result *res)
{
	struct hconf_ydoc *y;
	struct hconf_yerr e;
	char *buf = NULL;
	size_t len = 0;
	FILE *mf;

	if (res == NULL || !res->have_eff) {
		hconf_emit_null(w);
		return 0;
	}
	mf = open_memstream(&buf, &len);
	if (mf == NULL) {
		return -1;
	}
	out_effective_json(mf, res);
	if (fclose(mf) != 0) {
		free(buf);
		return -1;
	}
	y = hconf_yaml_load(buf, len, &e);
	free(buf);
	if (y == NULL) {
		errno = EINVAL;
		return -1;
	}
	emit_ynode(w, hconf_ydoc_root(y));
	hconf_ydoc_free(y);
	return 0;
}

/* Findings in the order mpmlint prints them: file, line, column, seq. */
static int
cmp_finding(const void *a, const void *b)
{
	const struct rules_finding *x = *(const struct rules_finding *const *)a;
	const struct rules_finding *y = *(const struct rules_finding *const *)b;

	if (x->file_id != y->file_id) {
		return x->file_id < y->file_id ? -1 : 1;
	}
	if (x->line != y->line) {
		return x->line < y->line ? -1 : 1;
	}
	if (x->col != y->col) {
		return x->col < y->col ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
emit_findings(struct hconf_emit *w, const struct hconf_doc *doc,
    const struct rules_result *res)
{
	const struct rules_finding **v;
	size_t i;

	if (res == NULL) {
		hconf_emit_null(w);
		return;
	}
	v = hconf_xcalloc(res->n ? res->n : 1, sizeof(*v));
	for (i = 0; i < res->n; i++) {
		v[i] = &res->f[i];
	}
	qsort(v, res->n, sizeof(*v), cmp_finding);
	hconf_emit_seq(w);
	for (i = 0; i < res->n; i++) {
		const struct rules_finding *f = v[i];
		const struct hconf_file *file = hconf_doc_file(doc, f->file_id);

		hconf_emit_map(w);
		hconf_emit_key(w, "rule");
		emit_string(w, f->info->id);
		hconf_emit_key(w, "severity");
		emit_string(w, out_severity(f->sev));
		hconf_emit_key(w, "file");
		emit_string(w, file != NULL ? file->path : "");
		hconf_emit_key(w, "line");
		hconf_emit_int(w, f->line);
		hconf_emit_key(w, "column");
		hconf_emit_int(w, f->col);
		hconf_emit_key(w, "message");
		emit_string(w, f->msg != NULL ? f->msg : "");
		hconf_emit_key(w, "httpd");
		if (f->httpd != NULL) {
			emit_string(w, f->httpd);
		} else {
			hconf_emit_null(w);
		}
		hconf_emit_end(w);
	}
	hconf_emit_end(w);
	free(v);
}

int
cli_export(FILE *out, const struct hconf_doc *doc,
    const struct rules_result *res, int json, int lossless)
{
	struct hconf_emit *w = hconf_emit_new(out, json);
	int rc = 0, saved = 0;

	hconf_emit_map(w);
	hconf_emit_key(w, "version");
	hconf_emit_int(w, EXPORT_VERSION);
	hconf_emit_key(w, "lossless");
	hconf_emit_bool(w, lossless != 0);
	hconf_emit_key(w, "files");
	hconf_export_files(w, doc, lossless);
	hconf_emit_key(w, "effective");
	if (emit_effective(w, res) != 0) {
		/* keep the document well formed; report the failure */
		saved = errno;
		hconf_emit_null(w);
		rc = -1;
	}
	hconf_emit_key(w, "findings");
	emit_findings(w, doc, res);
	hconf_emit_end(w);
	if (hconf_emit_finish(w) != 0) {
		return -1;
	}
	if (rc != 0) {
		errno = saved;
	}
	return rc;
}
