/*
 * fuzz_common.h - what the libFuzzer targets share: a parse that depends
 * on the input bytes alone, memory streams, and the checks every output
 * must pass (valid UTF-8; in the line-oriented formats, no control
 * character but the newline).  Each check aborts with a message: a
 * fuzz target never exits.  Header-only (static functions): each target
 * is one translation unit.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "hconf.h"
#include "rules.h"

/* A memory stream that aborts when it cannot be made. */
struct fz_mem {
	FILE *fp;
	char *buf;
	size_t len;
};

static void
fz_open(struct fz_mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	if (m->fp == NULL) {
		abort();
	}
}

static void
fz_close(struct fz_mem *m)
{
	if (fclose(m->fp) != 0) {
		abort();
	}
	m->fp = NULL;
}

static void
fz_fail(const char *target, const char *what, const char *buf, size_t len,
    size_t at)
{
	size_t from = at > 40 ? at - 40 : 0, to = at + 40 < len ? at + 40 : len;

	fprintf(stderr, "%s: %s at byte %zu of %zu: \"", target, what, at, len);
	esc_write(stderr, buf + from, to - from);
	fprintf(stderr, "\"\n");
	abort();
}

/* Strict UTF-8 throughout; with lines, no control but '\n'. */
static void
fz_check_text(const char *target, const char *what, const char *buf,
    size_t len, int lines)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			if (lines && p[i] != '\n' && (p[i] < 0x20 || p[i] == 0x7f)) {
				fz_fail(target, what, buf, len, i);
			}
			i++;
			continue;
		}
		n = esc_utf8_len(p + i, len - i);
		if (n == 0) {
			fz_fail(target, what, buf, len, i);
		}
		if (lines && n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			fz_fail(target, what, buf, len, i);
		}
		i += n;
	}
}

/* A JSON or YAML document that libhconf's YAML reader must take. */
static void
fz_check_yaml(const char *target, const char *what, const char *buf,
    size_t len)
{
	struct hconf_yerr e;
	struct hconf_ydoc *y;

	fz_check_text(target, what, buf, len, 0);
	y = hconf_yaml_load(buf, len, &e);
	if (y == NULL) {
		fprintf(stderr, "%s: %s does not load: %u:%u: %s\n", target,
		    what, e.line, e.col, e.msg);
		fz_fail(target, what, buf, len, 0);
	}
	hconf_ydoc_free(y);
}

/* Parse with nothing from outside the input: no includes, no env. */
static struct hconf_doc *
fz_parse(const char *name, const uint8_t *data, size_t size)
{
	struct hconf_options opts;
	struct hconf_doc *doc;

	memset(&opts, 0, sizeof(opts));
	opts.no_includes = 1;
	opts.no_env = 1;
	opts.no_envvars = 1;
	opts.regex = rules_regex_match;
	doc = hconf_parse_buffer(name, (const char *)data, size, &opts);
	if (doc == NULL) {
		fprintf(stderr, "fuzz: hconf_parse_buffer returned NULL\n");
		abort();
	}
	return doc;
}

#endif
