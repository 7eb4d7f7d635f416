/*
 * output_json.c - mpmlint's findings as JSON (the contract in
 * mpmlint(1)) and as the same data in one YAML document (libyaml's
 * emitter, emit.c).  Findings arrive sorted and filtered; nothing here
 * changes them.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "output.h"

/* ---- JSON ---------------------------------------------------------------- */

/* The members of "capacity" and "memory", shared by JSON and YAML. */
struct ukv {
	const char *k;
	unsigned long long v;
};

static size_t
capacity_pairs(const struct rules_resource *rs, struct ukv *kv)
{
	const struct ukv v[] = {
		{"connections", rs->connections},
		{"scoreboard_bytes", rs->scoreboard_bytes},
		{"connections_per_process", rs->conns_per_process},
	};

	memcpy(kv, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}

/* After "ram" and "ram_source", which the writers put first. */
static size_t
memory_pairs(const struct rules_resource *rs, struct ukv *kv)
{
	const struct ukv v[] = {
		{"reserve", rs->reserve}, {"process_size", rs->process_size},
		{"thread_size", rs->thread_size}, {"peak", rs->peak},
		{"max_safe_MaxRequestWorkers", rs->max_safe_mrw},
		{"threshold", rs->threshold}, {"processes", rs->processes},
		{"threads", rs->threads},
	};

	memcpy(kv, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
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
	size_t n = out_include_chain(of, id, chain, OUT_CHAIN_MAX), k;
	const char *sp = out_server_path(of, id);

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
		out_json_string(fp, out_file_path(of, chain[k]->file_id));
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
		out_json_string(fp, out_file_path(of, f->file_id));
		fprintf(fp, ", \"line\": %u, \"column\": %u, \"message\": ",
		    f->line, f->col);
		out_json_string(fp, f->msg);
		if (f->httpd != NULL) {
			fprintf(fp, ", \"httpd\": \"%s\"", f->httpd);
		}
		fprintf(fp, ", \"fix\": %s", out_fixable(of, f) ? "true" :
		    "false");
		json_where(fp, of, f->file_id);
		if (f->has_ctx) {
			/* e.g. the <Macro> body line of a finding at a Use */
			fputs(", \"context\": {\"file\": ", fp);
			out_json_string(fp, out_file_path(of, f->ctx_file));
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
		out_json_string(fp, files[i].name != NULL ? files[i].name :
		    out_file_path(&files[i], 0));
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
/* The members "file", "line" and, unless col is NULL, "column". */
static void
ywhere(struct emit_yaml *y, const struct out_file *of, uint32_t fid,
    uint32_t line, const uint32_t *col)
{
	ystr(y, "file");
	ystr(y, out_file_path(of, fid));
	ystr(y, "line");
	yint(y, line);
	if (col != NULL) {
		ystr(y, "column");
		yint(y, *col);
	}
}

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
		ywhere(y, of, f->file_id, f->line, &f->col);
		ystr(y, "message");
		ystr(y, f->msg);
		if (f->httpd != NULL) {
			ystr(y, "httpd");
			ystr(y, f->httpd);
		}
		ystr(y, "fix");
		emit_yaml_plain(y, out_fixable(of, f) ? "true" : "false");
		if (out_server_path(of, f->file_id) != NULL) {
			const struct hconf_node *chain[OUT_CHAIN_MAX];
			size_t nc = out_include_chain(of, f->file_id, chain,
			    OUT_CHAIN_MAX), k;

			ystr(y, "server_path");
			ystr(y, out_server_path(of, f->file_id));
			if (nc > 0) {
				ystr(y, "included_from");
				yseq(y, 1);
				for (k = 0; k < nc; k++) {
					ymap(y, 1);
					ywhere(y, of, chain[k]->file_id,
					    chain[k]->line_last, NULL);
					ymap(y, 0);
				}
				yseq(y, 0);
			}
		}
		if (f->has_ctx) {
			ystr(y, "context");
			ymap(y, 1);
			ywhere(y, of, f->ctx_file, f->ctx_line, &f->ctx_col);
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
			ystr(&y, files[i].name != NULL ? files[i].name :
			    out_file_path(&files[i], 0));
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
