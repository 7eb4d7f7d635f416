/*
 * fuzz_yaml.c - libFuzzer target for the YAML reader behind
 * mpmconv --import (hconf_yaml_load): any byte string must either load
 * into a well-formed node tree or fail with a located message.  It
 * aborts on a broken property; it never exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Walk the tree without recursion; check counts and positions. */
static void
check_tree(const struct hconf_ynode *root)
{
	const struct hconf_ynode **stack;
	size_t n = 0, cap = 64;

	stack = malloc(cap * sizeof(*stack));
	if (stack == NULL) {
		abort();
	}
	stack[n++] = root;
	while (n > 0) {
		const struct hconf_ynode *y = stack[--n];
		size_t i;

		if (y == NULL || y->line == 0 || y->col == 0) {
			abort();
		}
		if (y->kind == HCONF_YSCALAR) {
			if (y->s == NULL || y->s[y->len] != '\0') {
				abort();
			}
			continue;
		}
		if (y->kind == HCONF_YMAP && y->n % 2 != 0) {
			abort();
		}
		for (i = 0; i < y->n; i++) {
			if (n == cap) {
				cap *= 2;
				stack = realloc(stack, cap * sizeof(*stack));
				if (stack == NULL) {
					abort();
				}
			}
			stack[n++] = y->v[i];
		}
	}
	free(stack);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hconf_yerr err;
	struct hconf_ydoc *doc;

	memset(&err, 0, sizeof(err));
	doc = hconf_yaml_load((const char *)data, size, &err);
	if (doc == NULL) {
		/* a refusal must say where and why */
		if (err.line == 0 || err.col == 0 || err.msg[0] == '\0') {
			fprintf(stderr, "fuzz_yaml: refusal without a location\n");
			abort();
		}
		return 0;
	}
	check_tree(hconf_ydoc_root(doc));
	hconf_ydoc_free(doc);
	return 0;
}
