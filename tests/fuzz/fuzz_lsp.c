/*
 * fuzz_lsp.c - libFuzzer target for mpmlint --lsp: the bytes are both a
 * JSON text for the reader (which must write back what it read, and
 * read that again) and the input stream of a whole server session
 * (framing, JSON-RPC, documents, edits, lint, every request).  Every
 * message the server writes must be framed by a correct Content-Length
 * and be strict UTF-8 JSON.  Include is not followed, so that no input
 * walks the file system.  It aborts on a broken property.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "cli.h"
#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char T[] = "fuzz_lsp";

static void
check_json(const char *buf, size_t len)
{
	struct lj *v = lj_parse(buf, len), *w;
	struct jb b = {NULL, 0, 0};

	if (v == NULL) {
		return;
	}
	jb_value(&b, v);
	if ((w = lj_parse(b.p, b.n)) == NULL) {
		fz_fail(T, "written JSON does not read back", b.p, b.n, 0);
	}
	lj_free(w);
	lj_free(v);
	jb_free(&b);
}

/* Each message: "Content-Length: N\r\n\r\n" then N bytes of JSON. */
static void
check_output(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned long n;
		char *end;
		struct lj *v;

		if (len - i < 16 || memcmp(buf + i, "Content-Length: ", 16) != 0) {
			fz_fail(T, "no Content-Length header", buf, len, i);
		}
		n = strtoul(buf + i + 16, &end, 10);
		if ((size_t)(end - buf) + 4 > len || memcmp(end, "\r\n\r\n", 4)) {
			fz_fail(T, "bad header", buf, len, i);
		}
		i = (size_t)(end - buf) + 4;
		if (n > len - i) {
			fz_fail(T, "short body", buf, len, i);
		}
		if (!hconf_utf8_valid(buf + i, n) ||
		    (v = lj_parse(buf + i, n)) == NULL) {
			fz_fail(T, "message is not UTF-8 JSON", buf, len, i);
		}
		lj_free(v);
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_parse cp;
	int fd = memfd_create("fuzz_lsp", 0);
	off_t len;
	char *out;

	if (fd < 0) {
		abort();
	}
	check_json((const char *)data, size);
	cli_parse_init(&cp);
	cp.opts.no_includes = 1;
	cp.opts.check_modules = 0;
	lsp_run_buffer(&cp, (const char *)data, size, fd);
	cli_parse_free(&cp);
	len = lseek(fd, 0, SEEK_END);
	if (len > 0) {
		out = malloc((size_t)len);
		if (out == NULL || pread(fd, out, (size_t)len, 0) != len) {
			abort();
		}
		check_output(out, (size_t)len);
		free(out);
	}
	close(fd);
	return 0;
}
