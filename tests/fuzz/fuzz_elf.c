/*
 * fuzz_elf.c - libFuzzer target for parser/elf.c, which reads the
 * dynamic symbol table of the file a LoadModule line names (a file under
 * --root is whatever the checked-out tree holds).  Any bytes must give
 * 1, 0 or -1 for a few module names, reading nothing outside the input
 * (ASan); the answer must not depend on the name asked before it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const syms[] = {"rewrite_module", "alias_module",
	    "", "x"};
	unsigned char *copy;
	size_t i;

	/* a private copy of exactly size bytes: ASan sees any overread */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL) {
		abort();
	}
	memcpy(copy, data, size);
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		int r = elf_defines_mem(copy, size, syms[i]);

		if (r < -1 || r > 1 ||
		    r != elf_defines_mem(copy, size, syms[i])) {
			fprintf(stderr, "fuzz_elf: %s: answer %d\n", syms[i], r);
			abort();
		}
	}
	free(copy);
	return 0;
}
