/*
 * output.c - what every mpmlint output format shares (the format names,
 * severities, JSON strings, the path each file is named by) and the
 * text format (FILE:LINE:COL: SEVERITY: MESSAGE [RULE]).  The other
 * formats are output_json.c (JSON, YAML) and output_ci.c (SARIF, GitHub,
 * checkstyle).  Output order is deterministic: findings arrive sorted;
 * nothing here filters or changes them.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conv.h"
#include "esc.h"
#include "output.h"

int
out_format_parse(const char *s, enum out_format *f)
{
	static const struct {
		const char *name;
		enum out_format f;
	} fmts[] = {
		{"text", OUT_TEXT}, {"json", OUT_JSON}, {"yaml", OUT_YAML},
		{"sarif", OUT_SARIF}, {"github", OUT_GITHUB},
		{"checkstyle", OUT_CHECKSTYLE},
		{"codeclimate", OUT_CODECLIMATE},
	};
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (strcmp(s, fmts[i].name) == 0) {
			*f = fmts[i].f;
			return 0;
		}
	}
	return -1;
}

const char *
out_severity(enum hconf_severity s)
{
	switch (s) {
	case HCONF_SEV_NOTE:
	case HCONF_SEV_STYLE:
		return "info";
	case HCONF_SEV_WARNING:
		return "warning";
	default:
		return "error";
	}
}

const char *
out_escape(const struct out_esc *map, unsigned char c)
{
	for (; map->s != NULL; map++) {
		if (map->c == c) {
			return map->s;
		}
	}
	return NULL;
}

void
out_json_string(FILE *fp, const char *s)
{
	static const struct out_esc esc[] = {
		{'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\t', "\\t"},
		{'\r', "\\r"}, {0, NULL}
	};

	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = out_escape(esc, c);

		if (e != NULL) {
			fputs(e, fp);
		} else if (c < 0x20 || c >= 0x7f) {
			/* bytes from 0x80 are not valid UTF-8 in general:
			 * escaped as Latin-1 code points, the JSON stays
			 * valid */
			fprintf(fp, "\\u%04x", c);
		} else {
			fputc(c, fp);
		}
	}
	fputc('"', fp);
}

/* Lexically drop ".", "..", and repeated slashes from an absolute path. */
static void
norm_abs(char *p)
{
	char *o = p, *s = p;

	while (*s) {
		while (*s == '/') {
			s++;
		}
		if (*s == '\0') {
			break;
		}
		if (s[0] == '.' && (s[1] == '/' || s[1] == '\0')) {
			s++;
			continue;
		}
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0')) {
			s += 2;
			while (o > p && *--o != '/') {
			}
			continue;
		}
		*o++ = '/';
		while (*s && *s != '/') {
			*o++ = *s++;
		}
	}
	if (o == p) {
		*o++ = '/';
	}
	*o = '\0';
}

char *
out_abs_path(const char *path)
{
	char cwd[PATH_MAX], *r = realpath(path, NULL), *a;
	size_t n;

	if (r != NULL) {
		return r;
	}
	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL) {
		a = hconf_xstrdup(path);
	} else {
		n = strlen(cwd) + strlen(path) + 2;
		a = hconf_xmalloc(n);
		snprintf(a, n, "%s/%s", cwd, path);
	}
	norm_abs(a);
	return a;
}

char *
out_display_path(const char *path, const char *base)
{
	char *a, *b, *res;
	size_t n;

	if (strcmp(path, "-") == 0 || path[0] == '\0') {
		return hconf_xstrdup(path);
	}
	a = out_abs_path(path);
	b = out_abs_path(base != NULL ? base : ".");
	n = strlen(b);
	if (strcmp(b, "/") == 0) {
		res = hconf_xstrdup(a[1] ? a + 1 : ".");
	} else if (strncmp(a, b, n) == 0 && a[n] == '/') {
		res = hconf_xstrdup(a + n + 1);
	} else {
		res = hconf_xstrdup(a);
	}
	free(a);
	free(b);
	return res;
}

void
out_file_paths(struct out_file *of, const char *base)
{
	uint32_t n = of->doc != NULL ? hconf_doc_nfiles(of->doc) : 0, i;

	of->base = base;
	of->npaths = n;
	of->paths = hconf_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		const struct hconf_file *f = hconf_doc_file(of->doc, i);

		if (i == 0 && of->name == NULL) {
			/* stdin: "-", or what --stdin-filename named it */
			of->paths[i] = out_display_path(f->path, base);
		} else {
			of->paths[i] = out_display_path(f->real != NULL ?
			    f->real : f->path, base);
		}
	}
}

void
out_file_free(struct out_file *of)
{
	cli_free_strings(of->paths, of->npaths);
	of->paths = NULL;
	of->npaths = 0;
}

/*
 * File id's path, the same in every format: see out_display_path().
 * Without out_file_paths(), the main file as named on the command line
 * and the others as the configuration names them.
 */
const char *
out_file_path(const struct out_file *of, uint32_t id)
{
	const struct hconf_file *f;

	if (of->paths != NULL && id < of->npaths) {
		return of->paths[id];
	}
	if (id == 0 && of->name != NULL) {
		return of->name;
	}
	/* stdin's is "-", or what --stdin-filename named it */
	f = hconf_doc_file(of->doc, id);
	return f != NULL ? f->path : id == 0 ? "-" : "?";
}

/* The server path of file id (as httpd names it), or NULL for stdin. */
const char *
out_server_path(const struct out_file *of, uint32_t id)
{
	const struct hconf_file *f = hconf_doc_file(of->doc, id);

	if (f == NULL || (id == 0 && of->name == NULL)) {
		return NULL;
	}
	return f->path;
}

/* The Include lines that read file id, innermost first; n of them. */
size_t
out_include_chain(const struct out_file *of, uint32_t id,
    const struct hconf_node **v, size_t max)
{
	size_t n = 0;
	const struct hconf_file *f = hconf_doc_file(of->doc, id);

	while (f != NULL && f->incl_node != NULL && n < max) {
		v[n++] = f->incl_node;
		f = hconf_doc_file(of->doc, f->incl_node->file_id);
	}
	return n;
}

/* ---- text -------------------------------------------------------------- */

void
out_text(FILE *fp, const struct out_file *of, int color)
{
	size_t i;

	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];
		const char *sev = out_severity(f->sev);

		/*
		 * File names and messages quote the configuration: their
		 * control characters are escaped (esc.h), so that a file
		 * cannot write to the terminal or forge a line of the log.
		 */
		if (!color) {
			esc_puts(fp, out_file_path(of, f->file_id));
			fprintf(fp, ":%u:%u: %s: ", f->line, f->col, sev);
			esc_puts(fp, f->msg);
			fprintf(fp, "%s [%s]\n", out_fixable(of, f) ?
			    " (fixable)" : "", f->info->id);
			continue;
		}
		/* the colours of gcc and clang: bold place, red error,
		 * magenta warning, cyan info */
		fputs("\033[1m", fp);
		esc_puts(fp, out_file_path(of, f->file_id));
		fprintf(fp, ":%u:%u:\033[0m \033[1;%sm%s:\033[0m ", f->line,
		    f->col, sev[0] == 'e' ? "31" : sev[0] == 'w' ? "35" : "36",
		    sev);
		esc_puts(fp, f->msg);
		fprintf(fp, "%s \033[2m[%s]\033[0m\n", out_fixable(of, f) ?
		    " \033[32m(fixable)\033[0m" : "", f->info->id);
	}
}

/*
 * The last line of a file's text: what httpd runs, at a glance, e.g.
 * "FILE: event: 6 processes x 25 threads = 150 workers, ServerLimit 16,
 * up to 450 connections", then the peak memory when the sizes are
 * known.  ASCII "x", as in the messages, whatever the locale.
 */
static void
out_summary(FILE *fp, const struct out_file *of)
{
	const struct rules_result *r = of->res;
	const struct rules_mpm_eff *e = &r->eff;
	const struct rules_resource *rs = of->rsrc;
	char peak[32], ram[32];

	if (!r->have_eff || e->mpm == RULES_MPM_NONE) {
		return; /* MPM001 says why */
	}
	esc_puts(fp, out_file_path(of, 0));
	fprintf(fp, ": %s: %lld process%s", rules_mpm_name(e->mpm),
	    e->processes, e->processes == 1 ? "" : "es");
	if (e->mpm != RULES_MPM_PREFORK) {
		fprintf(fp, " x %lld thread%s", e->v[RULES_K_ThreadsPerChild],
		    e->v[RULES_K_ThreadsPerChild] == 1 ? "" : "s");
	}
	fprintf(fp, " = %lld worker%s, ServerLimit %lld", e->capacity,
	    e->capacity == 1 ? "" : "s", e->v[RULES_K_ServerLimit]);
	if (rs != NULL) {
		fprintf(fp, ", up to %llu connection%s", rs->connections,
		    rs->connections == 1 ? "" : "s");
	}
	if (rs != NULL && rs->memory) {
		fprintf(fp, "; peak memory %s of %s RAM",
		    rules_res_human(rs->peak, peak, sizeof(peak)),
		    rules_res_human(rs->ram, ram, sizeof(ram)));
	}
	fputc('\n', fp);
}

int
out_fixable(const struct out_file *of, const struct rules_finding *f)
{
	struct conv_fix_plan p;
	int r;

	if (of->doc == NULL || !conv_fixable(f)) {
		return 0;
	}
	r = conv_fix_plan(of->doc, of->res, f, &p);
	conv_fix_plan_free(&p);
	return r;
}

size_t
out_count_fixable(const struct out_file *of, size_t n)
{
	size_t i, k, count = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < of[i].res->n; k++) {
			count += (size_t)out_fixable(&of[i], &of[i].res->f[k]);
		}
	}
	return count;
}

int
out_write(FILE *fp, enum out_format format, const struct out_file *of,
    size_t n, int color)
{
	size_t i;

	switch (format) {
	case OUT_SARIF:
		out_sarif(fp, of, n);
		break;
	case OUT_CHECKSTYLE:
		out_checkstyle(fp, of, n);
		break;
	case OUT_CODECLIMATE:
		out_codeclimate(fp, of, n);
		break;
	case OUT_JSON:
		out_json(fp, of, n);
		break;
	case OUT_YAML:
		return out_yaml(fp, of, n);
	default:
		for (i = 0; i < n; i++) {
			if (format == OUT_GITHUB) {
				out_github(fp, &of[i]);
			} else {
				out_text(fp, &of[i], color);
			}
		}
		for (i = 0; format == OUT_TEXT && i < n; i++) {
			out_summary(fp, &of[i]);
		}
	}
	return 0;
}
