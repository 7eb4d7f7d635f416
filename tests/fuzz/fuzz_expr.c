/*
 * fuzz_expr.c - libFuzzer target for the ap_expr check (rules/expr.c and
 * the generated grammar): any byte string, cut at its first NUL, must be
 * either accepted or refused with a message and an offset inside the
 * string, without a sanitizer report.  It aborts on a broken property.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct rules_expr_err e;
	unsigned flags;

	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	/* the first byte picks the modules, so every lookup path runs */
	flags = size > 0 ? (unsigned)data[0] & 7u : 0;
	if (rules_expr_check(s, flags, &e) != 0) {
		if (e.msg[0] == '\0' || e.off > strlen(s)) {
			fprintf(stderr, "fuzz_expr: refused without a message or "
			    "with offset %zu past %zu\n", e.off, strlen(s));
			abort();
		}
	}
	free(s);
	return 0;
}
