/*
 * explain.c - the rule catalogue printed: --list-rules (a table, or with
 * -f json every rule with its explanation, which the DIAGNOSTICS section
 * of mpmlint(1) is generated from) and --explain RULE, paragraphs
 * wrapped at 72 columns.  The text itself is rules/explain_*.def.
 */
#include <string.h>

#include "explain.h"
#include "output.h"

/* Print text wrapped at 72 columns, each line indented by two spaces. */
static void
wrap(FILE *fp, const char *s)
{
	size_t col = 0;

	while (*s != '\0') {
		size_t w = strcspn(s, " ");

		if (col > 0 && col + 1 + w > 72) {
			fputc('\n', fp);
			col = 0;
		}
		if (col == 0) {
			fputs("  ", fp);
			col = 2;
		} else {
			fputc(' ', fp);
			col++;
		}
		fwrite(s, 1, w, fp);
		col += w;
		s += w;
		while (*s == ' ') {
			s++;
		}
	}
	fputc('\n', fp);
}

int
explain_print(FILE *fp, const struct rules_info *r)
{
	const struct explain *e = explain_find(r->id);
	const char *p;
	size_t i;

	if (e == NULL) {
		return -1;
	}
	fprintf(fp, "%s %s (%s)\n", r->id, r->name, out_severity(r->sev));
	wrap(fp, r->summary);
	for (i = 0; i < EXPLAIN_NPARTS; i++) {
		fprintf(fp, "\n%s\n", explain_parts[i].heading);
		if (i + 1 < EXPLAIN_NPARTS) {
			wrap(fp, explain_part(e, i));
		}
	}
	/* the example, last, keeps its lines */
	for (p = e->example; *p != '\0';) {
		size_t len = strcspn(p, "\n");

		fprintf(fp, "  %.*s\n", (int)len, p);
		p += len;
		if (*p == '\n') {
			p++;
		}
	}
	return 0;
}

void
explain_list(FILE *fp)
{
	size_t n, i, w = 0;
	const struct rules_info *c = rules_catalogue(&n);

	for (i = 0; i < n; i++) {
		if (strlen(c[i].name) > w) {
			w = strlen(c[i].name);
		}
	}
	for (i = 0; i < n; i++) {
		fprintf(fp, "%-6s  %-7s  %-*s  %s\n", c[i].id,
		    out_severity(c[i].sev), (int)w, c[i].name, c[i].summary);
	}
}

void
explain_list_json(FILE *fp)
{
	size_t n, i, k;
	const struct rules_info *c = rules_catalogue(&n);

	fputs("[", fp);
	for (i = 0; i < n; i++) {
		const struct explain *e = explain_find(c[i].id);

		fprintf(fp, "%s\n {\"id\": \"%s\", \"name\": ", i ? "," : "",
		    c[i].id);
		out_json_string(fp, c[i].name);
		fprintf(fp, ", \"severity\": \"%s\", \"summary\": ",
		    out_severity(c[i].sev));
		out_json_string(fp, c[i].summary);
		for (k = 0; e != NULL && k < EXPLAIN_NPARTS; k++) {
			fprintf(fp, ", \"%s\": ", explain_parts[k].key);
			out_json_string(fp, explain_part(e, k));
		}
		fputs("}", fp);
	}
	fputs("\n]\n", fp);
}
