/*
 * output.c - write mpmlint's findings and effective settings as text
 * (FILE:LINE:COL: SEVERITY: MESSAGE [RULE]) or JSON (the contract in
 * mpmlint(1)).  Output order is deterministic: findings are sorted.
 */
#include <string.h>

#include "output.h"

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

static const char *
file_path(const struct out_file *of, uint32_t id)
{
	const struct hconf_file *f = hconf_doc_file(of->doc, id);

	if (id == 0 && of->name != NULL) {
		return of->name;
	}
	return f ? f->path : "?";
}

void
out_text(FILE *fp, const struct out_file *of)
{
	size_t i;

	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];

		fprintf(fp, "%s:%u:%u: %s: %s [%s]\n", file_path(of, f->file_id),
		    f->line, f->col, out_severity(f->sev), f->msg, f->info->id);
	}
}

static void
kv(FILE *fp, const char *k, long long v, int *first)
{
	fprintf(fp, "%s\"%s\": %lld", *first ? "" : ", ", k, v);
	*first = 0;
}

void
out_effective_json(FILE *fp, const struct rules_result *r)
{
	const struct rules_mpm_eff *e = &r->eff;
	int first = 1;

	if (!r->have_eff) {
		fputs("null", fp);
		return;
	}
	fprintf(fp, "{\"mpm\": \"%s\"", rules_mpm_name(e->mpm));
	first = 0;
	kv(fp, "ServerLimit", e->v[RULES_K_ServerLimit], &first);
	if (e->mpm != RULES_MPM_PREFORK) {
		kv(fp, "ThreadLimit", e->v[RULES_K_ThreadLimit], &first);
		kv(fp, "ThreadsPerChild", e->v[RULES_K_ThreadsPerChild], &first);
	}
	kv(fp, "MaxRequestWorkers", e->capacity, &first);
	kv(fp, "processes", e->processes, &first);
	kv(fp, "StartServers", e->v[RULES_K_StartServers], &first);
	if (e->mpm == RULES_MPM_PREFORK) {
		kv(fp, "MinSpareServers", e->v[RULES_K_MinSpareServers], &first);
		kv(fp, "MaxSpareServers", e->v[RULES_K_MaxSpareServers], &first);
	} else {
		kv(fp, "MinSpareThreads", e->v[RULES_K_MinSpareThreads], &first);
		kv(fp, "MaxSpareThreads", e->v[RULES_K_MaxSpareThreads], &first);
	}
	kv(fp, "MaxConnectionsPerChild", e->v[RULES_K_MaxConnectionsPerChild],
	    &first);
	if (e->mpm == RULES_MPM_EVENT) {
		kv(fp, "AsyncRequestWorkerFactor", e->arwf_used, &first);
	}
	fputs("}", fp);
}

void
out_json(FILE *fp, const struct out_file *of, int compact)
{
	const char *nl = compact ? "" : "\n", *ind = compact ? "" : "  ";
	size_t i, count[3] = {0, 0, 0};

	fprintf(fp, "{\"tool\": \"mpmlint\", \"version\": \"%s\",%s",
	    HCONF_VERSION, nl);
	fprintf(fp, " \"findings\": [");
	for (i = 0; i < of->res->n; i++) {
		const struct rules_finding *f = &of->res->f[i];
		const char *sev = out_severity(f->sev);

		count[sev[0] == 'e' ? 0 : sev[0] == 'w' ? 1 : 2]++;
		fprintf(fp, "%s%s%s{\"rule\": \"%s\", \"severity\": \"%s\", "
		    "\"file\": ", i ? "," : "", nl, ind, f->info->id, sev);
		out_json_string(fp, file_path(of, f->file_id));
		fprintf(fp, ", \"line\": %u, \"column\": %u, \"message\": ",
		    f->line, f->col);
		out_json_string(fp, f->msg);
		if (f->httpd != NULL) {
			fprintf(fp, ", \"httpd\": \"%s\"", f->httpd);
		}
		fputs("}", fp);
	}
	fprintf(fp, "],%s \"effective\": ", nl);
	out_effective_json(fp, of->res);
	fprintf(fp, ",%s \"summary\": {\"error\": %zu, \"warning\": %zu, "
	    "\"info\": %zu}}\n", nl, count[0], count[1], count[2]);
}
