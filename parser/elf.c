/*
 * elf.c - does a shared object define a symbol?  mod_so's LoadModule
 * opens the file with dlopen() and looks the module structure up with
 * dlsym(); a file that holds another module fails there ("Can't locate
 * API module structure").  This reads the same answer from the file's
 * dynamic symbol table (the SHT_DYNSYM section and its string table)
 * without loading anything: no code of the file runs.  Only ELF shared
 * objects of this machine's class and byte order are judged; anything
 * else (another architecture, a truncated or garbled file, no section
 * headers) is "cannot tell", which reports nothing.  Every offset and
 * size read from the file is checked against the file's length.
 * Part of libhconf; files.c calls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hconf_int.h"

#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2
#define ET_DYN		3
#define SHT_DYNAMIC	6
#define SHT_DYNSYM	11
#define DT_FLAGS_1	0x6ffffffbu
#define DF_1_PIE	0x08000000u
#define SHN_UNDEF	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STB_GNU_UNIQUE	10

/* a file larger than this is not judged (no module is near it) */
#define ELF_MAX_SIZE	((uint64_t)256 << 20)

struct elf {
	const unsigned char *p;
	uint64_t size;
	int is64, msb;
};

/* Bytes [off, off + len) are inside the file. */
static int
in_file(const struct elf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

static uint64_t
get(const struct elf *e, uint64_t off, unsigned len)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < len; i++) {
		unsigned b = e->p[off + (e->msb ? i : len - 1 - i)];

		v = v << 8 | b;
	}
	return v;
}

/* A word of the file's class: 4 bytes in ELF32, 8 in ELF64. */
static uint64_t
addr(const struct elf *e, uint64_t off)
{
	return get(e, off, e->is64 ? 8 : 4);
}

static int
host_msb(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 0;
}

/* The SHT_DYNAMIC section at header sh says DF_1_PIE. */
static int
pie(const struct elf *e, uint64_t sh)
{
	uint64_t off = addr(e, sh + (e->is64 ? 24 : 16));
	uint64_t size = addr(e, sh + (e->is64 ? 32 : 20));
	uint64_t ent = e->is64 ? 16 : 8, j;

	if (!in_file(e, off, size)) {
		return 0;
	}
	for (j = 0; j < size / ent; j++) {
		uint64_t tag = addr(e, off + j * ent);

		if (tag == 0) {
			break;
		}
		if (tag == DT_FLAGS_1) {
			return (addr(e, off + j * ent + ent / 2) & DF_1_PIE) != 0;
		}
	}
	return 0;
}

/*
 * Look sym up in the dynamic symbol table of the mapped file.  Returns
 * 1 when a global, weak or unique symbol of that name is defined, 0 when
 * the table has no such definition, -1 when the file cannot be judged.
 */
static int
lookup(const struct elf *e, const char *sym)
{
	uint64_t shoff, shentsize, shnum, i;
	size_t symlen = strlen(sym);
	int found_table = 0;

	if (get(e, 16, 2) != ET_DYN) {
		return -1;
	}
	shoff = addr(e, e->is64 ? 40 : 32);
	shentsize = get(e, e->is64 ? 58 : 46, 2);
	shnum = get(e, e->is64 ? 60 : 48, 2);
	if (shoff == 0 || shentsize < (e->is64 ? 64u : 40u) ||
	    !in_file(e, shoff, shentsize)) {
		return -1;
	}
	if (shnum == 0) {
		/* extended numbering: the count is section 0's sh_size */
		shnum = addr(e, shoff + (e->is64 ? 32 : 20));
	}
	if (shnum > e->size / shentsize || !in_file(e, shoff,
	    shnum * shentsize)) {
		return -1;
	}
	for (i = 0; i < shnum; i++) {
		uint64_t sh = shoff + i * shentsize, off, size, entsize, link;
		uint64_t stroff, strsize, lsh, j;

		if (get(e, sh + 4, 4) == SHT_DYNAMIC && pie(e, sh)) {
			/* dlopen() refuses a position-independent executable
			 * before it looks for any symbol */
			return -1;
		}
		if (get(e, sh + 4, 4) != SHT_DYNSYM) {
			continue;
		}
		off = addr(e, sh + (e->is64 ? 24 : 16));
		size = addr(e, sh + (e->is64 ? 32 : 20));
		link = get(e, sh + (e->is64 ? 40 : 24), 4);
		entsize = addr(e, sh + (e->is64 ? 56 : 36));
		if (entsize < (e->is64 ? 24u : 16u) || !in_file(e, off, size) ||
		    link >= shnum) {
			return -1;
		}
		lsh = shoff + link * shentsize;
		stroff = addr(e, lsh + (e->is64 ? 24 : 16));
		strsize = addr(e, lsh + (e->is64 ? 32 : 20));
		if (!in_file(e, stroff, strsize)) {
			return -1;
		}
		found_table = 1;
		for (j = 0; j < size / entsize; j++) {
			uint64_t s = off + j * entsize, name;
			unsigned info, bind, shndx;

			name = get(e, s, 4);
			info = (unsigned)e->p[s + (e->is64 ? 4 : 12)];
			shndx = (unsigned)get(e, s + (e->is64 ? 6 : 14), 2);
			bind = info >> 4;
			if (name >= strsize || symlen >= strsize - name ||
			    memcmp(e->p + stroff + name, sym, symlen + 1) != 0) {
				continue;
			}
			if (shndx != SHN_UNDEF && (bind == STB_GLOBAL ||
			    bind == STB_WEAK || bind == STB_GNU_UNIQUE)) {
				return 1;
			}
		}
	}
	return found_table ? 0 : -1;
}

int
elf_defines_mem(const unsigned char *buf, size_t len, const char *sym)
{
	struct elf e;

	e.p = buf;
	e.size = len;
	e.is64 = len > 5 && e.p[4] == ELFCLASS64;
	e.msb = len > 5 && e.p[5] == ELFDATA2MSB;
	/* only what this machine's dynamic linker would load */
	if (len >= 64 && memcmp(e.p, "\177ELF", 4) == 0 &&
	    (e.p[4] == ELFCLASS32 || e.p[4] == ELFCLASS64) &&
	    (e.p[5] == ELFDATA2LSB || e.p[5] == ELFDATA2MSB) &&
	    e.is64 == (sizeof(void *) == 8) && e.msb == host_msb()) {
		return lookup(&e, sym);
	}
	return -1;
}

int
elf_defines(const char *path, const char *sym)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < 64 || (uint64_t)st.st_size > ELF_MAX_SIZE) {
		close(fd);
		return -1;
	}
	/* read, not mmap: a file cut short meanwhile is no SIGBUS */
	buf = hconf_xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n == -1 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	r = elf_defines_mem(buf, got, sym);
	free(buf);
	return r;
}
