/*
 * output_ci.c - mpmlint's findings for CI tools: SARIF 2.1.0 (with each
 * rule's help from rules/explain_*.def), GitHub workflow commands,
 * checkstyle XML and Code Climate JSON (GitLab code quality).  Findings arrive sorted and filtered; nothing here
 * changes them.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conv.h"
#include "esc.h"
#include "explain.h"
#include "output.h"

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
		fprintf(fp, "},\n           \"helpUri\": \"%s%s.md\",\n"
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
	size_t n = out_include_chain(of, f->file_id, chain, OUT_CHAIN_MAX), k;
	const char *sp = out_server_path(of, f->file_id);

	if (n > 0) {
		fputs(",\n         \"relatedLocations\": [", fp);
		for (k = 0; k < n; k++) {
			fprintf(fp, "%s{\"id\": %zu, \"message\": {\"text\": ",
			    k ? ", " : "", k + 1);
			out_json_string(fp, k == 0 ? "included from here" :
			    "which is included from here");
			fputs("}, \"physicalLocation\": {\"artifactLocation\": ",
			    fp);
			sarif_uri(fp, of, out_file_path(of, chain[k]->file_id));
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

/* SARIF's fixes (3.55): the edits of mpmlint --fix, as replacements. */
static void
sarif_fixes(FILE *fp, const struct out_file *of, const struct rules_finding *f)
{
	struct conv_fix_plan p;
	size_t k;

	if (of->doc == NULL || !conv_fixable(f) ||
	    !conv_fix_plan(of->doc, of->res, f, &p)) {
		return;
	}
	fputs(",\n         \"fixes\": [{\"description\": {\"text\": ", fp);
	out_json_string(fp, p.desc);
	fputs("},\n          \"artifactChanges\": [{\"artifactLocation\": ",
	    fp);
	sarif_uri(fp, of, out_file_path(of, p.e[0].file_id));
	fputs(", \"replacements\": [", fp);
	for (k = 0; k < p.n; k++) {
		const struct conv_fix_edit *e = &p.e[k];
		uint32_t l0, c0, l1, c1;

		hconf_linecol(of->doc, e->file_id, e->off, &l0, &c0);
		hconf_linecol(of->doc, e->file_id, e->off + e->len, &l1, &c1);
		fprintf(fp, "%s\n           {\"deletedRegion\": "
		    "{\"startLine\": %u, \"startColumn\": %u, \"endLine\": %u, "
		    "\"endColumn\": %u}, \"insertedContent\": {\"text\": ",
		    k ? "," : "", l0, c0, l1, c1);
		out_json_string(fp, e->text);
		fputs("}}", fp);
	}
	fputs("]}]}]", fp);
	conv_fix_plan_free(&p);
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
			const char *uri = out_file_path(of, f->file_id);

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
			sarif_fixes(fp, of, f);
			fputs("}", fp);
		}
	}
	fputs("\n      ]", fp);
	if (nf > 0 && files[0].base != NULL) {
		char *b = out_abs_path(files[0].base);

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
	/* a message escapes the last three; a property all five */
	static const struct out_esc esc[] = {
		{':', "%3A"}, {',', "%2C"}, {'%', "%25"}, {'\r', "%0D"},
		{'\n', "%0A"}, {0, NULL}
	};
	const char *run = s;

	for (;; s++) {
		const char *rep = out_escape(property ? esc : esc + 2,
		    (unsigned char)*s);

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
		const char *file = out_file_path(of, f->file_id);

		fprintf(fp, "::%s file=", sev[0] == 'i' ? "notice" : sev);
		gh_escape(fp, file, 1);
		fprintf(fp, ",line=%u,col=%u,title=", f->line, f->col);
		gh_escape(fp, f->info->id, 1);
		fputs("::", fp);
		gh_escape(fp, f->msg, 0);
		if (out_fixable(of, f)) {
			fputs(" (fixable with mpmlint --fix)", fp);
		}
		fputc('\n', fp);
	}
}

/* ---- checkstyle ----------------------------------------------------------- */

static void
xml_attr(FILE *fp, const char *s)
{
	static const struct out_esc esc[] = {
		{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"},
		{'\'', "&apos;"}, {'\t', "&#9;"}, {'\n', "&#10;"},
		{'\r', "&#13;"}, {0, NULL}
	};
	char *u = esc_latin1(s), *p;

	for (p = u; *p; p++) {
		unsigned char c = (unsigned char)*p;
		const char *e = out_escape(esc, c);

		if (e != NULL) {
			fputs(e, fp);
		} else if (c < 0x20 || c == 0x7f) {
			/* other control characters are not allowed in XML 1.0 */
			fputc('?', fp);
		} else if (c == 0xc2 && (unsigned char)p[1] < 0xa0) {
			/* C1 controls: allowed, but as references, so that
			 * XML 1.1 readers take them too */
			fprintf(fp, "&#x%x;", (unsigned char)*++p);
		} else {
			fputc(c, fp);
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
			xml_attr(fp, out_file_path(of, 0));
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
				xml_attr(fp, out_file_path(of, cur));
				fputs("\">\n", fp);
			}
			fprintf(fp, "<error line=\"%u\" column=\"%u\" "
			    "severity=\"%s\" message=\"", f->line, f->col,
			    out_severity(f->sev));
			xml_attr(fp, f->msg);
			if (out_fixable(of, f)) {
				fputs(" (fixable with mpmlint --fix)", fp);
			}
			fprintf(fp, "\" source=\"mpmlint.%s\"/>\n", f->info->id);
		}
		fputs("</file>\n", fp);
	}
	fputs("</checkstyle>\n", fp);
}

/* ---- Code Climate (GitLab code quality) ---------------------------------- */

/* Code Climate's five severities, as GitLab's code-quality report reads them. */
static const char *
cc_severity(enum hconf_severity s)
{
	static const char *const name[] = {
		[HCONF_SEV_NOTE] = "info", [HCONF_SEV_STYLE] = "minor",
		[HCONF_SEV_WARNING] = "major", [HCONF_SEV_ERROR] = "critical",
		[HCONF_SEV_FATAL] = "blocker",
	};

	return (size_t)s < sizeof(name) / sizeof(name[0]) ? name[s] : "major";
}

/*
 * Finding i's fingerprint: the baseline's (rule, file, line text,
 * occurrence: it survives moved lines), else the file's path, the rule
 * and the SARIF line hash (or the line).
 */
static void
cc_fingerprint(FILE *fp, const struct out_file *of, size_t i,
    const char *path)
{
	const struct rules_finding *f = &of->res->f[i];
	const char *lh = of->lhash != NULL ? of->lhash[i] : "";
	size_t len;
	char *buf;

	if (of->fp != NULL) {
		out_json_string(fp, of->fp[i]);
		return;
	}
	len = strlen(path) + strlen(f->info->id) + strlen(lh) + 16;
	buf = hconf_xmalloc(len);
	snprintf(buf, len, "%s:%s:%s:%u", path, f->info->id, lh, f->line);
	out_json_string(fp, buf);
	free(buf);
}

/* One JSON array of Code Climate issues for all files. */
void
out_codeclimate(FILE *fp, const struct out_file *files, size_t nf)
{
	size_t k, i, nres = 0;

	fputs("[", fp);
	for (k = 0; k < nf; k++) {
		const struct out_file *of = &files[k];

		for (i = 0; i < of->res->n; i++) {
			const struct rules_finding *f = &of->res->f[i];
			const char *path = out_file_path(of, f->file_id);

			fprintf(fp, "%s\n  {\"type\": \"issue\", \"check_name\": "
			    "\"%s\", \"description\": ", nres++ ? "," : "",
			    f->info->id);
			out_json_string(fp, f->msg);
			fprintf(fp, ",\n   \"categories\": [\"%s\"], "
			    "\"severity\": \"%s\", \"fingerprint\": ",
			    f->sev <= HCONF_SEV_STYLE ? "Style" : "Bug Risk",
			    cc_severity(f->sev));
			cc_fingerprint(fp, of, i, path);
			fputs(",\n   \"location\": {\"path\": ", fp);
			out_json_string(fp, path);
			fprintf(fp, ", \"lines\": {\"begin\": %u}}",
			    f->line ? f->line : 1);
			if (out_fixable(of, f)) {
				fputs(",\n   \"content\": {\"body\": \"Fixable: "
				    "`mpmlint --fix` makes the edit, which "
				    "cannot change what httpd runs.\"}", fp);
			}
			fputc('}', fp);
		}
	}
	fputs(nres ? "\n]\n" : "]\n", fp);
}
