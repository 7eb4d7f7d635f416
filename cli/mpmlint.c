/*
 * mpmlint.c - lint httpd configuration for MPM mistakes.  Findings go
 * to standard output (or -o FILE); the exit status says whether any
 * reached the fail level.  This file only reads options and project
 * files and wires the modules together: rules_lint() finds, filter.c
 * chooses, output.c writes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "explain.h"
#include "filter.h"
#include "output.h"
#include "rules.h"

static void
usage(FILE *fp)
{
	fputs("usage: mpmlint [options] [FILE ...]\n"
	    "Lint Apache httpd 2.4 configuration for MPM mistakes; no FILE "
	    "or - reads stdin.\n"
	    "\n"
	    "Output:\n"
	    "  -f, --format FMT        text, json, yaml, sarif, github or "
	    "checkstyle\n"
	    "  -o, --output FILE       write findings to FILE\n"
	    "      --color[=WHEN]      auto, always (the default for --color) "
	    "or never\n"
	    "  -q, --quiet             print nothing; only the exit status\n"
	    "      --fail-on LEVEL     error, warning (default), info or "
	    "never\n"
	    "Rules:\n"
	    "      --list-rules        list every rule: id, severity, name, "
	    "summary\n"
	    "      --explain RULE      what httpd does, why, how to fix, an "
	    "example\n"
	    "      --disable RULE[,RULE]  do not report these rules\n"
	    "      --severity RULE=LEVEL  error, warning, info or off\n"
	    "      --config FILE       read FILE instead of looking for "
	    ".mpmlint.yaml\n"
	    "      --no-config         do not look for .mpmlint.yaml\n"
	    "      --no-inline-suppress  ignore # mpmlint comments\n"
	    "      --baseline FILE     report only findings not in FILE\n"
	    "      --write-baseline FILE  record today's findings in FILE\n"
	    "Reading:\n"
	    "      --mpm MPM           prefork, worker or event, as if "
	    "loaded\n"
	    "      --httpd-version V   version for <IfVersion> (2.4.71)\n"
	    "      --root DIR          look up absolute paths under DIR\n"
	    "  -d, --server-root DIR   default ServerRoot\n"
	    "  -D, --define NAME[=VALUE]  as httpd -D\n"
	    "      --no-includes       do not follow Include\n"
	    "      --buckets N         listener buckets (default 1)\n"
	    "  -h, --help              this text\n"
	    "  -V, --version           print the version\n"
	    "\n"
	    "Exit status: 0 clean, 1 findings at the fail level, 2 a file "
	    "could not be\nread, 3 usage or configuration error.  See "
	    "mpmlint(1).\n", fp);
}

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct lint_opts {
	struct rules_config rc;
	enum out_format format;
	enum color_mode color;
	int fail_on;               /* -1: from the config, else warning */
	int quiet;
	int inline_suppress;
	int no_config;
	const char *config;        /* --config */
	const char *output;        /* -o */
	const char *baseline, *write_baseline;
	const char *version;       /* --httpd-version */
	int *cli_sev;              /* --disable, --severity */
};

/* One linted file. */
struct job {
	const char *name;          /* NULL: stdin */
	struct config *cfg;        /* shared; not owned */
	struct hconf_doc *doc;
	struct rules_result raw;
	struct filter_result fr;
	int unreadable;
};

/* Configurations found so far, each read once. */
struct configs {
	struct config **c;
	size_t n;
};

static struct config *
configs_get(struct configs *cs, const char *path, int *rc)
{
	struct config *c;
	size_t i;
	int r;

	for (i = 0; i < cs->n; i++) {
		if (cs->c[i]->path != NULL && strcmp(cs->c[i]->path, path) == 0) {
			return cs->c[i];
		}
	}
	c = hconf_xmalloc(sizeof(*c));
	config_init(c);
	r = config_load(path, c, stderr);
	if (r != 0) {
		*rc = r == -2 ? EXIT_UNREADABLE : EXIT_USAGE;
		config_free(c);
		free(c);
		return NULL;
	}
	cs->c = hconf_xrealloc(cs->c, (cs->n + 1) * sizeof(*cs->c));
	cs->c[cs->n++] = c;
	return c;
}

/* The directory to search upward from for a file (or stdin). */
static char *
start_dir(const char *name)
{
	char buf[PATH_MAX], *d, *slash;

	if (name != NULL && strcmp(name, "-") != 0) {
		d = realpath(name, NULL);
		if (d == NULL) {
			/* unreadable: search from where it would be */
			if (name[0] == '/' || getcwd(buf, sizeof(buf)) == NULL) {
				d = hconf_xstrdup(name);
			} else {
				size_t len = strlen(buf) + strlen(name) + 2;

				d = hconf_xmalloc(len);
				snprintf(d, len, "%s/%s", buf, name);
			}
		}
		slash = strrchr(d, '/');
		if (slash == d) {
			d[1] = '\0';
		} else if (slash != NULL) {
			*slash = '\0';
		}
		return d;
	}
	if (getcwd(buf, sizeof(buf)) == NULL) {
		return hconf_xstrdup("/");
	}
	return hconf_xstrdup(buf);
}

static int
list_rules(FILE *fp)
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
	return EXIT_CLEAN;
}

/* --list-rules -f json: the catalogue with each explanation, for tools
 * (the DIAGNOSTICS section of mpmlint(1) is generated from it). */
static int
list_rules_json(FILE *fp)
{
	size_t n, i;
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
		if (e != NULL) {
			fputs(", \"what\": ", fp);
			out_json_string(fp, e->what);
			fputs(", \"why\": ", fp);
			out_json_string(fp, e->why);
			fputs(", \"fix\": ", fp);
			out_json_string(fp, e->fix);
			fputs(", \"example\": ", fp);
			out_json_string(fp, e->example);
		}
		fputs("}", fp);
	}
	fputs("\n]\n", fp);
	return EXIT_CLEAN;
}

static int
set_rules(int *sev, const char *list, int value)
{
	char *copy = hconf_xstrdup(list), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		const struct rules_info *r = rules_find(tok);

		if (r == NULL) {
			fprintf(stderr, "mpmlint: unknown rule '%s' (see "
			    "--list-rules)\n", tok);
			rc = -1;
			break;
		}
		sev[config_rule_index(r)] = value;
	}
	free(copy);
	return rc;
}

static int
fail_level(const struct lint_opts *lo, const struct job *j)
{
	if (lo->fail_on >= 0) {
		return lo->fail_on;
	}
	if (j->cfg != NULL && j->cfg->fail_on >= 0) {
		return j->cfg->fail_on;
	}
	return HCONF_SEV_WARNING;
}

static void
lint_one(struct cli_parse *cp, const struct lint_opts *lo,
    const struct baseline *base, struct job *j)
{
	struct rules_config rc = lo->rc;
	struct filter_opts fo;

	cp->opts.regex = rules_regex_match;
	cp->opts.version = lo->version != NULL ? lo->version :
	    j->cfg != NULL ? j->cfg->httpd_version : NULL;
	if (rc.force_mpm == RULES_MPM_NONE && j->cfg != NULL) {
		rc.force_mpm = j->cfg->mpm;
	}
	j->doc = cli_load(cp, j->name, &j->unreadable);
	rules_lint(j->doc, &rc, &j->raw);
	if (j->raw.n > 0) {
		/* qsort(NULL, 0) is undefined: rules_sort passes f as is */
		rules_sort(&j->raw);
	}
	memset(&fo, 0, sizeof(fo));
	fo.cfg = j->cfg;
	fo.cli_sev = lo->cli_sev;
	fo.inline_suppress = lo->inline_suppress;
	fo.base = base;
	fo.warn = lo->quiet ? NULL : stderr;
	filter_run(j->doc, j->name, &j->raw, &fo, &j->fr);
}

static int
write_baseline(const char *path, const struct job *jobs, size_t n)
{
	FILE *fp = fopen(path, "w");
	size_t i, k;

	if (fp == NULL) {
		fprintf(stderr, "mpmlint: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs("# mpmlint baseline: one finding per line, FINGERPRINT RULE "
	    "FILE:LINE.\n# Only the first word is read; the rest is for "
	    "reviewers.  See mpmlint(1).\n", fp);
	for (k = 0; k < n; k++) {
		for (i = 0; i < jobs[k].fr.nrec; i++) {
			fprintf(fp, "%s\n", jobs[k].fr.rec[i]);
		}
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "mpmlint: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
use_color(enum color_mode m, FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (m != COLOR_AUTO) {
		return m == COLOR_ALWAYS;
	}
	if (nc != NULL && nc[0] != '\0') {
		return 0;
	}
	if (term != NULL && strcmp(term, "dumb") == 0) {
		return 0;
	}
	return isatty(fileno(out));
}

/* Write every job's findings; 0, or -1 when a writer failed. */
static int
output(FILE *out, const struct lint_opts *lo, struct job *jobs, size_t n)
{
	struct out_file *of = hconf_xcalloc(n ? n : 1, sizeof(*of));
	int color = lo->format == OUT_TEXT && use_color(lo->color, out);
	int rc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		of[i].name = jobs[i].name;
		of[i].doc = jobs[i].doc;
		of[i].res = &jobs[i].fr.res;
		of[i].lhash = jobs[i].fr.lhash;
	}
	switch (lo->format) {
	case OUT_SARIF:
		out_sarif(out, of, n);
		break;
	case OUT_CHECKSTYLE:
		out_checkstyle(out, of, n);
		break;
	default:
		for (i = 0; i < n; i++) {
			if (lo->format == OUT_JSON) {
				out_json(out, &of[i], n > 1);
			} else if (lo->format == OUT_YAML) {
				if (out_yaml(out, &of[i]) != 0) {
					rc = -1;
				}
			} else if (lo->format == OUT_GITHUB) {
				out_github(out, &of[i]);
			} else {
				out_text(out, &of[i], color);
			}
		}
	}
	free(of);
	return rc;
}

int
main(int argc, char *argv[])
{
	enum {
		O_NOINC = 256, O_ROOT, O_HVER, O_MPM, O_FAILON, O_BUCKETS,
		O_COLOR, O_LIST, O_EXPLAIN, O_CONFIG, O_NOCONFIG, O_NOINLINE,
		O_BASE, O_WBASE, O_DISABLE, O_SEVERITY
	};
	static const struct option longopts[] = {
		{"no-includes", no_argument, NULL, O_NOINC},
		{"root", required_argument, NULL, O_ROOT},
		{"server-root", required_argument, NULL, 'd'},
		{"define", required_argument, NULL, 'D'},
		{"httpd-version", required_argument, NULL, O_HVER},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"mpm", required_argument, NULL, O_MPM},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"fail-on", required_argument, NULL, O_FAILON},
		{"buckets", required_argument, NULL, O_BUCKETS},
		{"color", optional_argument, NULL, O_COLOR},
		{"colour", optional_argument, NULL, O_COLOR},
		{"list-rules", no_argument, NULL, O_LIST},
		{"explain", required_argument, NULL, O_EXPLAIN},
		{"config", required_argument, NULL, O_CONFIG},
		{"no-config", no_argument, NULL, O_NOCONFIG},
		{"no-inline-suppress", no_argument, NULL, O_NOINLINE},
		{"baseline", required_argument, NULL, O_BASE},
		{"write-baseline", required_argument, NULL, O_WBASE},
		{"disable", required_argument, NULL, O_DISABLE},
		{"severity", required_argument, NULL, O_SEVERITY},
		{NULL, 0, NULL, 0}
	};
	struct cli_parse cp;
	struct lint_opts lo;
	struct configs cs = {NULL, 0};
	struct baseline base = {NULL, 0, 0};
	struct job *jobs = NULL;
	const char *explain = NULL;
	size_t nrules, njobs = 0, i;
	int c, list = 0, rc = EXIT_CLEAN;
	FILE *out = stdout;

	cli_parse_init(&cp);
	memset(&lo, 0, sizeof(lo));
	lo.fail_on = -1;
	lo.inline_suppress = 1;
	rules_catalogue(&nrules);
	lo.cli_sev = hconf_xcalloc(nrules, sizeof(int));
	for (i = 0; i < nrules; i++) {
		lo.cli_sev[i] = CONFIG_SEV_UNSET;
	}
	while ((c = getopt_long(argc, argv, "d:D:f:ho:qV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case O_MPM:
			if (config_parse_mpm(optarg, &lo.rc.force_mpm) != 0) {
				fprintf(stderr, "mpmlint: --mpm takes prefork, "
				    "worker or event\n");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'f':
			if (out_format_parse(optarg, &lo.format) != 0) {
				fprintf(stderr, "mpmlint: unknown format '%s' "
				    "(text, json, yaml, sarif, github, "
				    "checkstyle)\n", optarg);
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'o':
			lo.output = optarg;
			break;
		case 'q':
			lo.quiet = 1;
			break;
		case O_FAILON:
			if (config_parse_fail_on(optarg, &lo.fail_on) != 0) {
				fprintf(stderr, "mpmlint: --fail-on takes error, "
				    "warning, info or never\n");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case O_COLOR:
			if (optarg == NULL || strcmp(optarg, "always") == 0) {
				lo.color = COLOR_ALWAYS;
			} else if (strcmp(optarg, "auto") == 0) {
				lo.color = COLOR_AUTO;
			} else if (strcmp(optarg, "never") == 0) {
				lo.color = COLOR_NEVER;
			} else {
				fprintf(stderr, "mpmlint: --color takes auto, "
				    "always or never\n");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case O_LIST:
			list = 1;
			break;
		case O_EXPLAIN:
			explain = optarg;
			break;
		case O_CONFIG:
			lo.config = optarg;
			break;
		case O_NOCONFIG:
			lo.no_config = 1;
			break;
		case O_NOINLINE:
			lo.inline_suppress = 0;
			break;
		case O_BASE:
			lo.baseline = optarg;
			break;
		case O_WBASE:
			lo.write_baseline = optarg;
			break;
		case O_DISABLE:
			if (set_rules(lo.cli_sev, optarg, CONFIG_SEV_OFF) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case O_SEVERITY: {
			char *eq = strchr(optarg, '=');
			int sev;

			if (eq == NULL ||
			    config_parse_severity(eq + 1, &sev) != 0) {
				fprintf(stderr, "mpmlint: --severity takes "
				    "RULE=error|warning|info|off\n");
				rc = EXIT_USAGE;
				goto done;
			}
			*eq = '\0';
			if (set_rules(lo.cli_sev, optarg, sev) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		}
		case O_BUCKETS: {
			char *end;
			long b = strtol(optarg, &end, 10);

			if (*optarg == '\0' || *end != '\0' || b < 1 ||
			    b > 1024) {
				fprintf(stderr, "mpmlint: --buckets takes a "
				    "number from 1 to 1024\n");
				rc = EXIT_USAGE;
				goto done;
			}
			lo.rc.buckets = (int)b;
			break;
		}
		case O_NOINC:
			cp.opts.no_includes = 1;
			break;
		case O_ROOT:
			cp.opts.root = optarg;
			break;
		case 'd':
			cp.opts.server_root = optarg;
			break;
		case 'D':
			cli_parse_define(&cp, optarg);
			break;
		case O_HVER:
			lo.version = optarg;
			break;
		case 'h':
			usage(stdout);
			rc = EXIT_CLEAN;
			goto done;
		case 'V':
			puts("mpmlint " HCONF_VERSION);
			rc = EXIT_CLEAN;
			goto done;
		default:
			usage(stderr);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (list) {
		rc = lo.format == OUT_JSON ? list_rules_json(stdout) :
		    list_rules(stdout);
		goto done;
	}
	if (explain != NULL) {
		const struct rules_info *r = rules_find(explain);

		if (r == NULL) {
			fprintf(stderr, "mpmlint: unknown rule '%s' (see "
			    "--list-rules)\n", explain);
			rc = EXIT_USAGE;
			goto done;
		}
		if (explain_print(stdout, r) != 0) {
			printf("%s %s (%s)\n  %s\n", r->id, r->name,
			    out_severity(r->sev), r->summary);
		}
		rc = EXIT_CLEAN;
		goto done;
	}

	/* every project file is read before anything is linted, so a bad
	 * one stops the run before any output */
	njobs = optind < argc ? (size_t)(argc - optind) : 1;
	jobs = hconf_xcalloc(njobs, sizeof(*jobs));
	for (i = 0; i < njobs; i++) {
		jobs[i].name = optind < argc ? argv[optind + (int)i] : NULL;
		if (jobs[i].name != NULL && strcmp(jobs[i].name, "-") == 0) {
			jobs[i].name = NULL;
		}
		if (lo.config != NULL) {
			jobs[i].cfg = configs_get(&cs, lo.config, &rc);
		} else if (!lo.no_config) {
			char *dir = start_dir(jobs[i].name);
			char *found = config_find(dir);

			if (found != NULL) {
				jobs[i].cfg = configs_get(&cs, found, &rc);
			}
			free(found);
			free(dir);
		}
		if (rc != EXIT_CLEAN) {
			goto done;
		}
	}
	if (lo.baseline != NULL &&
	    filter_baseline_load(lo.baseline, &base) != 0) {
		fprintf(stderr, "mpmlint: %s: %s\n", lo.baseline,
		    strerror(errno));
		rc = EXIT_UNREADABLE;
		goto done;
	}
	if (lo.output != NULL && !lo.quiet) {
		out = fopen(lo.output, "w");
		if (out == NULL) {
			fprintf(stderr, "mpmlint: %s: %s\n", lo.output,
			    strerror(errno));
			rc = EXIT_UNREADABLE;
			goto done;
		}
	}

	for (i = 0; i < njobs; i++) {
		size_t k;
		int level;

		lint_one(&cp, &lo, lo.baseline ? &base : NULL, &jobs[i]);
		level = fail_level(&lo, &jobs[i]);
		for (k = 0; k < jobs[i].fr.res.n; k++) {
			int sev = jobs[i].fr.res.f[k].sev == HCONF_SEV_STYLE ?
			    HCONF_SEV_NOTE : (int)jobs[i].fr.res.f[k].sev;

			if (sev >= level && rc < EXIT_FINDINGS) {
				rc = EXIT_FINDINGS;
			}
		}
		if (jobs[i].unreadable) {
			/* reported as an HC001 finding */
			rc = EXIT_UNREADABLE;
		}
	}

	if (lo.write_baseline != NULL) {
		if (write_baseline(lo.write_baseline, jobs, njobs) != 0) {
			rc = EXIT_UNREADABLE;
		} else if (rc == EXIT_FINDINGS) {
			/* the findings are now recorded: not a failure */
			rc = EXIT_CLEAN;
		}
	} else if (!lo.quiet) {
		if (output(out, &lo, jobs, njobs) != 0 || fflush(out) != 0 ||
		    ferror(out)) {
			fprintf(stderr, "mpmlint: %s: write error\n",
			    lo.output ? lo.output : "stdout");
			rc = EXIT_UNREADABLE;
		}
	}
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "mpmlint: %s: %s\n", lo.output, strerror(errno));
		rc = EXIT_UNREADABLE;
	}

done:
	for (i = 0; i < njobs; i++) {
		if (jobs[i].doc != NULL) {
			filter_free(&jobs[i].fr);
			rules_result_free(&jobs[i].raw);
			hconf_doc_free(jobs[i].doc);
		}
	}
	for (i = 0; i < cs.n; i++) {
		config_free(cs.c[i]);
		free(cs.c[i]);
	}
	free(cs.c);
	free(jobs);
	free(lo.cli_sev);
	filter_baseline_free(&base);
	cli_parse_free(&cp);
	return rc;
}
