/*
 * output.c - write mpmlint's findings as text (FILE:LINE:COL: SEVERITY:
 * MESSAGE [RULE]), JSON (the contract in mpmlint(1)), YAML (libyaml's
 * emitter), SARIF 2.1.0, GitHub workflow commands or checkstyle XML.
 * Output order is deterministic: findings arrive sorted; nothing here
 * filters or changes them.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "emit.h"
#include "esc.h"
#include "explain.h"
#include "filter.h"
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

void
out_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(fp, "\\u%04x", c);
			} else if (c >= 0x80) {
				/* not valid UTF-8 in general: escape bytes as
				 * Latin-1 code points so the JSON stays valid */
				fprintf(fp, "\\u%04x", c);
			} else {
				fputc(c, fp);
			}
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

/* path made absolute: realpath when it exists, else lexically. */
static char *
abs_path(const char *path)
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
	a = abs_path(path);
	b = abs_path(base != NULL ? base : ".");
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
			of->paths[i] = hconf_xstrdup("-");
		} else {
			of->paths[i] = out_display_path(f->real != NULL ?
			    f->real : f->path, base);
		}
	}
}

void
out_file_free(struct out_file *of)
{
	uint32_t i;

	for (i = 0; i < of->npaths; i++) {
		free(of->paths[i]);
	}
	free(of->paths);
	of->paths = NULL;
	of->npaths = 0;
}

/*
 * File id's path, the same in every format: see out_display_path().
 * Without out_file_paths(), the main file as named on the command line
 * and the others as the configuration names them.
 */
static const char *
file_path(const struct out_file *of, uint32_t id)
{
	const struct hconf_file *f;

	if (of->paths != NULL && id < of->npaths) {
		return of->paths[id];
	}
	if (id == 0) {
		return of->name != NULL ? of->name : "-";
	}
	f = hconf_doc_file(of->doc, id);
	return f != NULL ? f->path : "?";
}

/* The server path of file id (as httpd names it), or NULL for stdin. */
static const char *
server_path(const struct out_file *of, uint32_t id)
{
	const struct hconf_file *f = hconf_doc_file(of->doc, id);

	if (f == NULL || (id == 0 && of->name == NULL)) {
		return NULL;
	}
	return f->path;
}

/* The Include lines that read file id, innermost first; n of them. */
static size_t
include_chain(const struct out_file *of, uint32_t id,
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

#define OUT_CHAIN_MAX 130 /* above the include depth httpd allows */

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
			esc_puts(fp, file_path(of, f->file_id));
			fprintf(fp, ":%u:%u: %s: ", f->line, f->col, sev);
			esc_puts(fp, f->msg);
			fprintf(fp, " [%s]\n", f->info->id);
			continue;
		}
		/* the colours of gcc and clang: bold place, red error,
		 * magenta warning, cyan info */
		fputs("\033[1m", fp);
		esc_puts(fp, file_path(of, f->file_id));
		fprintf(fp, ":%u:%u:\033[0m \033[1;%sm%s:\033[0m ", f->line,
		    f->col, sev[0] == 'e' ? "31" : sev[0] == 'w' ? "35" : "36",
		    sev);
		esc_puts(fp, f->msg);
		fprintf(fp, " \033[2m[%s]\033[0m\n", f->info->id);
	}
}

/* ---- JSON ---------------------------------------------------------------- */

/* The members of "capacity" and "memory", shared by JSON and YAML. */
struct ukv {
	const char *k;
	unsigned long long v;
};

static size_t
capacity_pairs(const struct rules_resource *rs, struct ukv *kv)
{
	size_t n = 0;

	kv[n].k = "connections", kv[n++].v = rs->connections;
	kv[n].k = "scoreboard_bytes", kv[n++].v = rs->scoreboard_bytes;
	kv[n].k = "connections_per_process", kv[n++].v = rs->conns_per_process;
	return n;
}

/* After "ram" and "ram_source", which the writers put first. */
static size_t
memory_pairs(const struct rules_resource *rs, struct ukv *kv)
{
	size_t n = 0;

	kv[n].k = "reserve", kv[n++].v = rs->reserve;
	kv[n].k = "process_size", kv[n++].v = rs->process_size;
	kv[n].k = "thread_size", kv[n++].v = rs->thread_size;
	kv[n].k = "peak", kv[n++].v = rs->peak;
	kv[n].k = "max_safe_MaxRequestWorkers", kv[n++].v = rs->max_safe_mrw;
	kv[n].k = "threshold", kv[n++].v = rs->threshold;
	kv[n].k = "processes", kv[n++].v = rs->processes;
	kv[n].k = "threads", kv[n++].v = rs->threads;
	return n;
}

/* The effective object; rs NULL: capacity from r alone, memory null. */
static void
effective_json(FILE *fp, const struct rules_result *r,
    const struct rules_resource *rs)
{
	struct emit_kv kv[16];
	struct ukv u[16];
	struct rules_resource local;
	size_t n, i;

	if (!r->have_eff) {
		fputs("null", fp);
		return;
	}
	if (rs == NULL) {
		rules_resource_compute(&r->eff, NULL, &local);
		rs = &local;
	}
	fprintf(fp, "{\"mpm\": \"%s\"", rules_mpm_name(r->eff.mpm));
	n = emit_eff_pairs(&r->eff, kv);
	for (i = 0; i < n; i++) {
		fprintf(fp, ", \"%s\": %lld", kv[i].k, kv[i].v);
	}
	fputs(", \"capacity\": {", fp);
	n = capacity_pairs(rs, u);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s\"%s\": %llu", i ? ", " : "", u[i].k, u[i].v);
	}
	if (rs->nofile != 0) {
		fprintf(fp, ", \"nofile\": %llu", rs->nofile);
	} else {
		fputs(", \"nofile\": null", fp);
	}
	fputs("}, \"memory\": ", fp);
	if (!rs->memory) {
		fputs("null}", fp);
		return;
	}
	fprintf(fp, "{\"ram\": %llu, \"ram_source\": \"%s\"", rs->ram,
	    rules_res_src_name(rs->ram_src));
	n = memory_pairs(rs, u);
	for (i = 0; i < n; i++) {
		fprintf(fp, ", \"%s\": %llu", u[i].k, u[i].v);
	}
	fprintf(fp, ", \"process_size_source\": \"%s\", "
	    "\"thread_size_source\": \"%s\", \"measured\": ",
	    rules_res_src_name(rs->process_src),
	    rules_res_src_name(rs->thread_src));
	if (rs->measured != NULL) {
		fprintf(fp, "{\"pid\": %ld, \"children\": %zu, "
		    "\"pss_total\": %llu, \"pss_max\": %llu}",
		    rs->measured->pid, rs->measured->children,
		    rs->measured->pss_total, rs->measured->pss_max);
	} else {
		fputs("null", fp);
	}
	fputs("}}", fp);
}

void
out_effective_json(FILE *fp, const struct rules_result *r)
{
	effective_json(fp, r, NULL);
}

static void
count(const struct rules_result *r, size_t c[3])
{
	size_t i;

	c[0] = c[1] = c[2] = 0;
	for (i = 0; i < r->n; i++) {
		const char *sev = out_severity(r->f[i].sev);

		c[sev[0] == 'e' ? 0 : sev[0] == 'w' ? 1 : 2]++;
	}
}

/* "server_path" and "included_from" of a finding in file id. */
static void
json_where(FILE *fp, const struct out_file *of, uint32_t id)
{
	const struct hconf_node *chain[OUT_CHAIN_MAX];
	size_t n = include_chain(of, id, chain, OUT_CHAIN_MAX), k;
	const char *sp = server_path(of, id);

	if (sp == NULL) {
		return;
	}
	fputs(", \"server_path\": ", fp);
	out_json_string(fp, sp);
	if (n == 0) {
		return;
	}
	fputs(", \"included_from\": [", fp);
	for (k = 0; k < n; k++) {
		fprintf(fp, "%s{\"file\": ", k ? ", " : "");
		out_json_string(fp, file_path(of, chain[k]->file_id));
		fprintf(fp, ", \"line\": %u}", chain[k]->line_last);
	}
	fputs("]", fp);
}

/*
 * One file's "findings", "effective" and "summary" members; ind is the
 * indentation of the members (" " at the top level), sum accumulates
 * the counts.
 */
static void
json_members(FILE *fp, const struct out_file *of, const char *ind,
    size_t sum[3])
{
	size_t i, c[3];

	fprintf(fp, "%s\"findings\": [", ind);
	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];

		fprintf(fp, "%s\n%s {\"rule\": \"%s\", \"severity\": \"%s\", "
		    "\"file\": ", i ? "," : "", ind, f->info->id,
		    out_severity(f->sev));
		out_json_string(fp, file_path(of, f->file_id));
		fprintf(fp, ", \"line\": %u, \"column\": %u, \"message\": ",
		    f->line, f->col);
		out_json_string(fp, f->msg);
		if (f->httpd != NULL) {
			fprintf(fp, ", \"httpd\": \"%s\"", f->httpd);
		}
		json_where(fp, of, f->file_id);
		if (f->has_ctx) {
			/* e.g. the <Macro> body line of a finding at a Use */
			fputs(", \"context\": {\"file\": ", fp);
			out_json_string(fp, file_path(of, f->ctx_file));
			fprintf(fp, ", \"line\": %u, \"column\": %u}",
			    f->ctx_line, f->ctx_col);
		}
		fputs("}", fp);
	}
	fprintf(fp, "],\n%s\"effective\": ", ind);
	effective_json(fp, of->res, of->rsrc);
	count(of->res, c);
	fprintf(fp, ",\n%s\"summary\": {\"error\": %zu, \"warning\": %zu, "
	    "\"info\": %zu}", ind, c[0], c[1], c[2]);
	for (i = 0; i < 3; i++) {
		sum[i] += c[i];
	}
}

void
out_json(FILE *fp, const struct out_file *files, size_t nf)
{
	size_t i, sum[3] = {0, 0, 0};

	fprintf(fp, "{\"tool\": \"mpmlint\", \"version\": \"%s\",\n",
	    HCONF_VERSION);
	if (nf == 1) {
		json_members(fp, &files[0], " ", sum);
		fputs("}\n", fp);
		return;
	}
	fputs(" \"files\": [", fp);
	for (i = 0; i < nf; i++) {
		fprintf(fp, "%s\n  {\"path\": ", i ? "," : "");
		out_json_string(fp, files[i].name != NULL ? files[i].name : "-");
		fputs(",\n", fp);
		json_members(fp, &files[i], "   ", sum);
		fputs("}", fp);
	}
	fprintf(fp, "],\n \"summary\": {\"error\": %zu, \"warning\": %zu, "
	    "\"info\": %zu}}\n", sum[0], sum[1], sum[2]);
}

/* ---- YAML --------------------------------------------------------------- */

/*
 * A string scalar.  Plain style only where a YAML 1.1 reader cannot
 * take it for a number, boolean or null; otherwise libyaml quotes it.
 */
static void
ystr(struct emit_yaml *y, const char *s)
{
	static const char *const special[] = {"y", "n", "yes", "no", "true",
	    "false", "on", "off", "null", NULL};
	int plain = ((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/');
	size_t i;

	for (i = 0; plain && special[i] != NULL; i++) {
		if (strcasecmp(s, special[i]) == 0) {
			plain = 0;
		}
	}
	emit_yaml_scalar(y, YAML_STR_TAG, s, plain, 1, YAML_ANY_SCALAR_STYLE);
}

static void
yint(struct emit_yaml *y, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	emit_yaml_plain(y, buf);
}

static void
yuint(struct emit_yaml *y, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	emit_yaml_plain(y, buf);
}

#define ynull(y) emit_yaml_plain((y), "null")
#define ymap(y, start) emit_yaml_nest((y), 1, (start))
#define yseq(y, start) emit_yaml_nest((y), 0, (start))

/* "capacity" and "memory" of the effective mapping, as in JSON. */
static void
yaml_resources(struct emit_yaml *y, const struct out_file *of)
{
	struct rules_resource local;
	const struct rules_resource *rs = of->rsrc;
	struct ukv u[16];
	size_t n, i;

	if (rs == NULL) {
		rules_resource_compute(&of->res->eff, NULL, &local);
		rs = &local;
	}
	ystr(y, "capacity");
	ymap(y, 1);
	n = capacity_pairs(rs, u);
	for (i = 0; i < n; i++) {
		ystr(y, u[i].k);
		yuint(y, u[i].v);
	}
	ystr(y, "nofile");
	if (rs->nofile != 0) {
		yuint(y, rs->nofile);
	} else {
		ynull(y);
	}
	ymap(y, 0);
	ystr(y, "memory");
	if (!rs->memory) {
		ynull(y);
		return;
	}
	ymap(y, 1);
	ystr(y, "ram");
	yuint(y, rs->ram);
	ystr(y, "ram_source");
	ystr(y, rules_res_src_name(rs->ram_src));
	n = memory_pairs(rs, u);
	for (i = 0; i < n; i++) {
		ystr(y, u[i].k);
		yuint(y, u[i].v);
	}
	ystr(y, "process_size_source");
	ystr(y, rules_res_src_name(rs->process_src));
	ystr(y, "thread_size_source");
	ystr(y, rules_res_src_name(rs->thread_src));
	ystr(y, "measured");
	if (rs->measured != NULL) {
		ymap(y, 1);
		ystr(y, "pid");
		yint(y, rs->measured->pid);
		ystr(y, "children");
		yuint(y, rs->measured->children);
		ystr(y, "pss_total");
		yuint(y, rs->measured->pss_total);
		ystr(y, "pss_max");
		yuint(y, rs->measured->pss_max);
		ymap(y, 0);
	} else {
		ynull(y);
	}
	ymap(y, 0);
}

/* YAML's "summary" mapping. */
static void
yaml_summary(struct emit_yaml *y, const size_t c[3])
{
	ystr(y, "summary");
	ymap(y, 1);
	ystr(y, "error");
	yint(y, (long long)c[0]);
	ystr(y, "warning");
	yint(y, (long long)c[1]);
	ystr(y, "info");
	yint(y, (long long)c[2]);
	ymap(y, 0);
}

/* One file's "findings", "effective" and "summary", as json_members(). */
static void
yaml_members(struct emit_yaml *y, const struct out_file *of, size_t sum[3])
{
	struct emit_kv kv[16];
	size_t i, n, c[3];

	ystr(y, "findings");
	yseq(y, 1);
	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];

		ymap(y, 1);
		ystr(y, "rule");
		ystr(y, f->info->id);
		ystr(y, "severity");
		ystr(y, out_severity(f->sev));
		ystr(y, "file");
		ystr(y, file_path(of, f->file_id));
		ystr(y, "line");
		yint(y, f->line);
		ystr(y, "column");
		yint(y, f->col);
		ystr(y, "message");
		ystr(y, f->msg);
		if (f->httpd != NULL) {
			ystr(y, "httpd");
			ystr(y, f->httpd);
		}
		if (server_path(of, f->file_id) != NULL) {
			const struct hconf_node *chain[OUT_CHAIN_MAX];
			size_t nc = include_chain(of, f->file_id, chain,
			    OUT_CHAIN_MAX), k;

			ystr(y, "server_path");
			ystr(y, server_path(of, f->file_id));
			if (nc > 0) {
				ystr(y, "included_from");
				yseq(y, 1);
				for (k = 0; k < nc; k++) {
					ymap(y, 1);
					ystr(y, "file");
					ystr(y, file_path(of,
					    chain[k]->file_id));
					ystr(y, "line");
					yint(y, chain[k]->line_last);
					ymap(y, 0);
				}
				yseq(y, 0);
			}
		}
		if (f->has_ctx) {
			ystr(y, "context");
			ymap(y, 1);
			ystr(y, "file");
			ystr(y, file_path(of, f->ctx_file));
			ystr(y, "line");
			yint(y, f->ctx_line);
			ystr(y, "column");
			yint(y, f->ctx_col);
			ymap(y, 0);
		}
		ymap(y, 0);
	}
	yseq(y, 0);
	ystr(y, "effective");
	if (of->res->have_eff) {
		ymap(y, 1);
		ystr(y, "mpm");
		ystr(y, rules_mpm_name(of->res->eff.mpm));
		n = emit_eff_pairs(&of->res->eff, kv);
		for (i = 0; i < n; i++) {
			ystr(y, kv[i].k);
			yint(y, kv[i].v);
		}
		yaml_resources(y, of);
		ymap(y, 0);
	} else {
		ynull(y);
	}
	count(of->res, c);
	yaml_summary(y, c);
	for (i = 0; i < 3; i++) {
		sum[i] += c[i];
	}
}

int
out_yaml(FILE *fp, const struct out_file *files, size_t nf)
{
	struct emit_yaml y;
	size_t i, sum[3] = {0, 0, 0};

	if (emit_yaml_open(&y, fp, 1, 0) != 0) {
		return -1;
	}
	ymap(&y, 1);
	ystr(&y, "tool");
	ystr(&y, "mpmlint");
	ystr(&y, "version");
	ystr(&y, HCONF_VERSION);
	if (nf == 1) {
		yaml_members(&y, &files[0], sum);
	} else {
		ystr(&y, "files");
		yseq(&y, 1);
		for (i = 0; i < nf; i++) {
			ymap(&y, 1);
			ystr(&y, "path");
			ystr(&y, files[i].name != NULL ? files[i].name : "-");
			yaml_members(&y, &files[i], sum);
			ymap(&y, 0);
		}
		yseq(&y, 0);
		yaml_summary(&y, sum);
	}
	ymap(&y, 0);
	if (emit_yaml_close(&y) != 0) {
		fprintf(stderr, "mpmlint: YAML output: %s\n",
		    y.problem ? y.problem : "write error");
		return -1;
	}
	return 0;
}

/* ---- locations for CI tools --------------------------------------------- */

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest. */
static void
put_uri(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == '/') {
			fputc(c, fp);
		} else {
			fprintf(fp, "%%%02X", c);
		}
	}
}

/* ---- SARIF -------------------------------------------------------------- */

static const char *
sarif_level(enum hconf_severity s)
{
	const char *sev = out_severity(s);

	return sev[0] == 'i' ? "note" : sev;
}

/* Join the explanation into help text (markdown when md). */
static void
sarif_help(FILE *fp, const struct rules_info *r, const struct explain *e,
    int md)
{
	size_t len;
	char *buf;
	const char *fmt = md ?
	    "**%s**\n\n%s\n\n**Why it matters.** %s\n\n**How to fix it.** %s"
	    "\n\n```apache\n%s\n```\n\nSee `mpmlint --explain %s`." :
	    "%s\n\nWhat httpd does: %s\n\nWhy it matters: %s\n\nHow to fix "
	    "it: %s\n\nExample:\n%s\n\nSee mpmlint --explain %s.";

	if (e == NULL) {
		out_json_string(fp, r->summary);
		return;
	}
	len = strlen(fmt) + strlen(r->summary) + strlen(e->what) +
	    strlen(e->why) + strlen(e->fix) + strlen(e->example) +
	    strlen(r->id) + 1;
	buf = hconf_xmalloc(len);
	snprintf(buf, len, fmt, r->summary, e->what, e->why, e->fix,
	    e->example, r->id);
	out_json_string(fp, buf);
	free(buf);
}

static void
sarif_rules(FILE *fp)
{
	size_t n, i;
	const struct rules_info *c = rules_catalogue(&n);

	for (i = 0; i < n; i++) {
		const struct explain *e = explain_find(c[i].id);

		fprintf(fp, "%s\n          {\"id\": \"%s\", \"name\": ",
		    i ? "," : "", c[i].id);
		out_json_string(fp, c[i].name);
		fputs(",\n           \"shortDescription\": {\"text\": ", fp);
		out_json_string(fp, c[i].summary);
		fputs("},\n           \"fullDescription\": {\"text\": ", fp);
		out_json_string(fp, e != NULL ? e->what : c[i].summary);
		fputs("},\n           \"help\": {\"text\": ", fp);
		sarif_help(fp, &c[i], e, 0);
		fputs(", \"markdown\": ", fp);
		sarif_help(fp, &c[i], e, 1);
		fprintf(fp, "},\n           \"helpUri\": \"%s#%s\",\n"
		    "           \"defaultConfiguration\": {\"level\": \"%s\"},\n"
		    "           \"properties\": {\"tags\": [\"httpd\", \"%s\"]}}",
		    OUT_HELP_URI, c[i].id, sarif_level(c[i].sev),
		    c[i].id[0] == 'H' ? "syntax" : "mpm");
	}
}

static void
sarif_uri(FILE *fp, const struct out_file *of, const char *uri)
{
	fputs("{\"uri\": \"", fp);
	if (uri[0] == '/') {
		fputs("file://", fp);
	}
	put_uri(fp, uri);
	if (uri[0] != '/' && of->base != NULL) {
		fputs("\", \"uriBaseId\": \"SRCROOT", fp);
	}
	fputs("\"}", fp);
}

/*
 * The Include lines that read the finding's file (relatedLocations,
 * innermost first), and its server path beside the httpd id.
 */
static void
sarif_where(FILE *fp, const struct out_file *of, const struct rules_finding *f)
{
	const struct hconf_node *chain[OUT_CHAIN_MAX];
	size_t n = include_chain(of, f->file_id, chain, OUT_CHAIN_MAX), k;
	const char *sp = server_path(of, f->file_id);

	if (n > 0) {
		fputs(",\n         \"relatedLocations\": [", fp);
		for (k = 0; k < n; k++) {
			fprintf(fp, "%s{\"id\": %zu, \"message\": {\"text\": ",
			    k ? ", " : "", k + 1);
			out_json_string(fp, k == 0 ? "included from here" :
			    "which is included from here");
			fputs("}, \"physicalLocation\": {\"artifactLocation\": ",
			    fp);
			sarif_uri(fp, of, file_path(of, chain[k]->file_id));
			fprintf(fp, ", \"region\": {\"startLine\": %u}}}",
			    chain[k]->line_last ? chain[k]->line_last : 1);
		}
		fputs("]", fp);
	}
	if (f->httpd == NULL && sp == NULL) {
		return;
	}
	fputs(",\n         \"properties\": {", fp);
	if (f->httpd != NULL) {
		fprintf(fp, "\"httpd\": \"%s\"%s", f->httpd, sp ? ", " : "");
	}
	if (sp != NULL) {
		fputs("\"server_path\": ", fp);
		out_json_string(fp, sp);
	}
	fputs("}", fp);
}

void
out_sarif(FILE *fp, const struct out_file *files, size_t nf)
{
	size_t k, i, nres = 0;

	fputs("{\n  \"$schema\": \"https://json.schemastore.org/"
	    "sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n"
	    "    {\n      \"tool\": {\n        \"driver\": {\n"
	    "          \"name\": \"mpmlint\",\n", fp);
	fprintf(fp, "          \"version\": \"%s\",\n"
	    "          \"semanticVersion\": \"%s\",\n"
	    "          \"informationUri\": \"%s\",\n"
	    "          \"rules\": [", HCONF_VERSION, HCONF_VERSION,
	    OUT_INFO_URI);
	sarif_rules(fp);
	fputs("]\n        }\n      },\n      \"results\": [", fp);
	for (k = 0; k < nf; k++) {
		const struct out_file *of = &files[k];

		for (i = 0; i < of->res->n; i++) {
			const struct rules_finding *f = &of->res->f[i];
			const char *uri = file_path(of, f->file_id);

			fprintf(fp, "%s\n        {\"ruleId\": \"%s\", "
			    "\"ruleIndex\": %zu, \"level\": \"%s\",\n"
			    "         \"message\": {\"text\": ", nres++ ? "," : "",
			    f->info->id, config_rule_index(f->info),
			    sarif_level(f->sev));
			out_json_string(fp, f->msg);
			fputs("},\n         \"locations\": [{\"physicalLocation\": "
			    "{\"artifactLocation\": ", fp);
			sarif_uri(fp, of, uri);
			fprintf(fp, ", \"region\": {\"startLine\": %u, "
			    "\"startColumn\": %u}}}]", f->line ? f->line : 1,
			    f->col ? f->col : 1);
			if (of->lhash != NULL) {
				fprintf(fp, ",\n         \"partialFingerprints\": "
				    "{\"primaryLocationLineHash\": \"%s\"}",
				    of->lhash[i]);
			}
			sarif_where(fp, of, f);
			fputs("}", fp);
		}
	}
	fputs("\n      ]", fp);
	if (nf > 0 && files[0].base != NULL) {
		char *b = abs_path(files[0].base);

		/* where the relative URIs start (SARIF 3.14.14) */
		fputs(",\n      \"originalUriBaseIds\": {\"SRCROOT\": "
		    "{\"uri\": \"file://", fp);
		put_uri(fp, b);
		fputs(strcmp(b, "/") == 0 ? "\"}}" : "/\"}}", fp);
		free(b);
	}
	fputs("\n    }\n  ]\n}\n", fp);
}

/* ---- GitHub workflow commands ------------------------------------------- */

/*
 * Escape as GitHub's toolkit does: data escapes %, CR and LF; property
 * values also ':' and ','.  Other control characters, which the toolkit
 * passes, are written as visible \xHH escapes (esc.h), as in text.
 */
static void
gh_escape(FILE *fp, const char *s, int property)
{
	const char *run = s;

	for (;; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '%':
			rep = "%25";
			break;
		case '\r':
			rep = "%0D";
			break;
		case '\n':
			rep = "%0A";
			break;
		case ':':
			rep = property ? "%3A" : NULL;
			break;
		case ',':
			rep = property ? "%2C" : NULL;
			break;
		default:
			break;
		}
		if (rep == NULL && *s != '\0') {
			continue;
		}
		esc_write(fp, run, (size_t)(s - run));
		if (*s == '\0') {
			return;
		}
		fputs(rep, fp);
		run = s + 1;
	}
}

void
out_github(FILE *fp, const struct out_file *of)
{
	size_t i;

	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];
		const char *sev = out_severity(f->sev);
		const char *file = file_path(of, f->file_id);

		fprintf(fp, "::%s file=", sev[0] == 'i' ? "notice" : sev);
		gh_escape(fp, file, 1);
		fprintf(fp, ",line=%u,col=%u,title=", f->line, f->col);
		gh_escape(fp, f->info->id, 1);
		fputs("::", fp);
		gh_escape(fp, f->msg, 0);
		fputc('\n', fp);
	}
}

/* ---- checkstyle ----------------------------------------------------------- */

static void
xml_attr(FILE *fp, const char *s)
{
	char *u = esc_latin1(s), *p;

	for (p = u; *p; p++) {
		unsigned char c = (unsigned char)*p;

		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		case '\t':
		case '\n':
		case '\r':
			fprintf(fp, "&#%d;", c);
			break;
		default:
			/* other control characters are not allowed in XML 1.0 */
			if (c < 0x20 || c == 0x7f) {
				fputc('?', fp);
			} else if (c == 0xc2 && (unsigned char)p[1] < 0xa0) {
				/* C1 controls: allowed, but as references, so
				 * that XML 1.1 readers take them too */
				fprintf(fp, "&#x%x;", (unsigned char)*++p);
			} else {
				fputc(c, fp);
			}
		}
	}
	free(u);
}

void
out_checkstyle(FILE *fp, const struct out_file *files, size_t nf)
{
	size_t k, i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<checkstyle version=\"4.3\">\n", fp);
	for (k = 0; k < nf; k++) {
		const struct out_file *of = &files[k];
		uint32_t cur = UINT32_MAX;

		/* the main file always appears, so a clean file is listed */
		if (of->res->n == 0 || of->res->f[0].file_id != 0) {
			fputs("<file name=\"", fp);
			xml_attr(fp, file_path(of, 0));
			fputs("\">\n", fp);
			cur = 0;
		}
		for (i = 0; i < of->res->n; i++) {
			const struct rules_finding *f = &of->res->f[i];

			if (f->file_id != cur) {
				if (cur != UINT32_MAX) {
					fputs("</file>\n", fp);
				}
				cur = f->file_id;
				fputs("<file name=\"", fp);
				xml_attr(fp, file_path(of, cur));
				fputs("\">\n", fp);
			}
			fprintf(fp, "<error line=\"%u\" column=\"%u\" "
			    "severity=\"%s\" message=\"", f->line, f->col,
			    out_severity(f->sev));
			xml_attr(fp, f->msg);
			fprintf(fp, "\" source=\"mpmlint.%s\"/>\n", f->info->id);
		}
		fputs("</file>\n", fp);
	}
	fputs("</checkstyle>\n", fp);
}
