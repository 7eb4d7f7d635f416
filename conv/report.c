/*
 * report.c - the result of a conversion as text: messages, the ledger,
 * and the before/after report in text, JSON or YAML (libyaml through
 * emit.h).  Reads the result only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_int.h"
#include "emit.h"
#include "esc.h"

/* ---- printing -------------------------------------------------------------
 */

static const char *
sev_name(enum conv_sev s)
{
	return s == CONV_ERROR  ? "error"
	    : s == CONV_WARNING ? "warning"
	                        : "note";
}

void
conv_print_msgs(FILE *fp, const struct conv_result *r)
{
	size_t i;

	for (i = 0; i < r->nmsgs; i++) {
		const struct conv_msg *m = &r->msgs[i];

		esc_printf(fp, "%s: %s: %s\n", m->where ? m->where : "mpmconv",
		    sev_name(m->sev), m->text);
	}
}

static void
print_eff(FILE *fp, const char *label, const struct rules_mpm_eff *e)
{
	struct emit_kv kv[16];
	size_t n = emit_eff_pairs(e, kv), i;

	fprintf(fp, "  %-7s %s:", label, rules_mpm_name(e->mpm));
	for (i = 0; i < n; i++) {
		fprintf(fp, " %s %lld", kv[i].k, kv[i].v);
	}
	fputc('\n', fp);
}

void
conv_print_ledger(FILE *fp, const struct conv_result *r)
{
	size_t i;

	if (!r->have_eff) {
		return;
	}
	fprintf(fp, "mpmconv: %s -> %s", rules_mpm_name(r->from),
	    rules_mpm_name(r->to));
	if (r->threads > 0) {
		fprintf(fp, ", T = ThreadsPerChild = %lld", r->threads);
	}
	fputc('\n', fp);
	print_eff(fp, "before", &r->before);
	if (r->status == CONV_OK || r->status == CONV_NOOP) {
		print_eff(fp, "after", &r->after);
	}
	for (i = 0; i < r->nmemory; i++) {
		esc_printf(fp, "  memory: %s\n", r->memory[i]);
	}
	for (i = 0; i < r->nled; i++) {
		const struct conv_ledger *l = &r->led[i];
		char v[32];

		if (l->has_value) {
			snprintf(v, sizeof(v), "%lld", l->value);
		} else {
			strcpy(v, "-");
		}
		esc_printf(fp, "  %-24s %8s  = %s  [%s]\n", l->key, v,
		    l->formula, l->action);
	}
	for (i = 0; i < r->ncmds; i++) {
		esc_printf(fp, "  run: %s\n", r->cmds[i]);
	}
}

/* A tiny writer for the report: JSON by hand, YAML through libyaml. */
struct rw {
	FILE *fp;
	int yaml;
	struct emit_yaml y; /* YAML */
	int depth;          /* JSON, from here on */
	int first[16];
	int after_key;
};

static void
j_sep(struct rw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		fprintf(w->fp, "%s\n%*s", w->first[w->depth] ? "" : ",",
		    2 * w->depth, "");
		w->first[w->depth] = 0;
	}
}

static void
j_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			fprintf(fp, "\\%c", ch);
		} else if (ch == '\n') {
			fputs("\\n", fp);
		} else if (ch == '\t') {
			fputs("\\t", fp);
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* bytes as Latin-1 code points, as mpmlint's JSON:
			 * valid whatever the input holds */
			fprintf(fp, "\\u%04x", ch);
		} else {
			fputc(ch, fp);
		}
	}
	fputc('"', fp);
}

static void
rw_open(struct rw *w, int map)
{
	if (w->yaml) {
		emit_yaml_nest(&w->y, map, 1);
		return;
	}
	j_sep(w);
	fputc(map ? '{' : '[', w->fp);
	if (w->depth < 15) {
		w->depth++;
	}
	w->first[w->depth] = 1;
}

static void
rw_close(struct rw *w, int map)
{
	if (w->yaml) {
		emit_yaml_nest(&w->y, map, 0);
		return;
	}
	w->depth--;
	if (!w->first[w->depth + 1]) {
		fprintf(w->fp, "\n%*s", 2 * w->depth, "");
	}
	fputc(map ? '}' : ']', w->fp);
}

/* A string YAML would read back as something else when left plain. */
static int
yaml_special(const char *s)
{
	static const char *const words[] = {"null", "Null", "NULL", "~", "true",
	    "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
	    "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "", NULL};
	char *end;
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(s, words[i]) == 0) {
			return 1;
		}
	}
	(void)strtod(s, &end);
	return end != s && *end == '\0';
}

static void
rw_scalar(struct rw *w, const char *s, int plain)
{
	if (w->yaml && plain) {
		emit_yaml_plain(&w->y, s);
		return;
	}
	if (w->yaml) {
		emit_yaml_scalar(&w->y, NULL, s, 1, 1,
		    yaml_special(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
		                    : YAML_ANY_SCALAR_STYLE);
		return;
	}
	j_sep(w);
	if (plain) {
		fputs(s, w->fp);
	} else {
		j_str(w->fp, s);
	}
}

static void
rw_key(struct rw *w, const char *k)
{
	rw_scalar(w, k, 0);
	if (!w->yaml) {
		fputs(": ", w->fp);
		w->after_key = 1;
	}
}

static void
rw_num(struct rw *w, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	rw_scalar(w, b, 1);
}

static void
rw_kstr(struct rw *w, const char *k, const char *v)
{
	rw_key(w, k);
	if (v == NULL) {
		rw_scalar(w, "null", 1);
	} else {
		rw_scalar(w, v, 0);
	}
}

static void
rw_eff(struct rw *w, const char *k, const struct rules_mpm_eff *e)
{
	struct emit_kv kv[16];
	size_t n = emit_eff_pairs(e, kv), i;

	rw_key(w, k);
	rw_open(w, 1);
	rw_kstr(w, "mpm", rules_mpm_name(e->mpm));
	for (i = 0; i < n; i++) {
		rw_key(w, kv[i].k);
		rw_num(w, kv[i].v);
	}
	rw_close(w, 1);
}

static const char *
status_name(enum conv_status s)
{
	return s == CONV_OK     ? "converted"
	    : s == CONV_NOOP    ? "unchanged"
	    : s == CONV_REFUSED ? "refused"
	                        : "failed";
}

int
conv_print_report(FILE *fp, const struct conv_result *r, int yaml)
{
	struct rw w;
	size_t i;
	int ok = 1;

	memset(&w, 0, sizeof(w));
	w.fp = fp;
	w.yaml = yaml;
	/* folded at libyaml's width; no "---" */
	if (yaml && emit_yaml_open(&w.y, fp, 0, 1) != 0) {
		return -1;
	}
	rw_open(&w, 1);
	rw_kstr(&w, "tool", "mpmconv");
	rw_kstr(&w, "version", HCONF_VERSION);
	rw_kstr(&w, "status", status_name(r->status));
	rw_kstr(&w, "from", r->have_eff ? rules_mpm_name(r->from) : NULL);
	rw_kstr(&w, "to", rules_mpm_name(r->to));
	rw_key(&w, "threads_per_child");
	if (r->threads > 0) {
		rw_num(&w, r->threads);
	} else {
		rw_scalar(&w, "null", 1);
	}
	if (r->have_eff) {
		rw_eff(&w, "before", &r->before);
		if (r->status == CONV_OK || r->status == CONV_NOOP) {
			rw_eff(&w, "after", &r->after);
		}
	}
	rw_key(&w, "ledger");
	rw_open(&w, 0);
	for (i = 0; i < r->nled; i++) {
		const struct conv_ledger *l = &r->led[i];

		rw_open(&w, 1);
		rw_kstr(&w, "directive", l->key);
		rw_key(&w, "value");
		if (l->has_value) {
			rw_num(&w, l->value);
		} else {
			rw_scalar(&w, "null", 1);
		}
		rw_kstr(&w, "formula", l->formula);
		rw_kstr(&w, "action", l->action);
		rw_close(&w, 1);
	}
	rw_close(&w, 0);
	rw_key(&w, "files");
	rw_open(&w, 0);
	for (i = 0; i < r->nout; i++) {
		rw_scalar(&w, r->out[i].label, 0);
	}
	rw_close(&w, 0);
	rw_key(&w, "commands");
	rw_open(&w, 0);
	for (i = 0; i < r->ncmds; i++) {
		rw_scalar(&w, r->cmds[i], 0);
	}
	rw_close(&w, 0);
	if (r->nmemory > 0) {
		/* --tune only: conversion reports keep their shape */
		rw_key(&w, "memory");
		rw_open(&w, 0);
		for (i = 0; i < r->nmemory; i++) {
			rw_scalar(&w, r->memory[i], 0);
		}
		rw_close(&w, 0);
	}
	rw_key(&w, "messages");
	rw_open(&w, 0);
	for (i = 0; i < r->nmsgs; i++) {
		rw_open(&w, 1);
		rw_kstr(&w, "severity", sev_name(r->msgs[i].sev));
		rw_kstr(&w, "where", r->msgs[i].where);
		rw_kstr(&w, "message", r->msgs[i].text);
		rw_close(&w, 1);
	}
	rw_close(&w, 0);
	rw_close(&w, 1);
	if (yaml) {
		ok = emit_yaml_close(&w.y) == 0;
	} else {
		fputc('\n', fp);
	}
	return ok && !ferror(fp) ? 0 : -1;
}

