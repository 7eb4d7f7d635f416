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
#include "esc.h"
#include "config.h"
#include "explain.h"
#include "filter.h"
#include "output.h"
#include "resource.h"
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
	    "      --base DIR          name files relative to DIR (default: "
	    "the working\n"
	    "                          directory); SARIF's SRCROOT\n"
	    "Reading:\n"
	    "      --mpm MPM           prefork, worker or event, as if "
	    "loaded\n"
	    "      --httpd-version V   version for <IfVersion> (2.4.71)\n"
	    "      --root DIR          the server's / is DIR (a checked-out "
	    "tree)\n"
	    "  -d, --server-root DIR   default ServerRoot\n"
	    "  -D, --define NAME[=VALUE]  as httpd -D\n"
	    "      --no-includes       do not follow Include\n"
	    "      --buckets N         listener buckets (default 1)\n"
	    "Resources (see mpmlint(1), Resource checks):\n"
	    "      --ram SIZE|auto     RAM of the target machine (K, M, G: "
	    "powers of 1024);\n"
	    "                          auto: this machine (cgroup or "
	    "MemTotal)\n"
	    "      --process-size SIZE  memory of one child process\n"
	    "      --thread-size SIZE  memory one busy thread adds\n"
	    "      --reserve SIZE      memory kept for other services\n"
	    "      --profile FILE      memory profile (YAML, as in "
	    "mpmlint.yaml(5))\n"
	    "      --mem-threshold PCT  warn above PCT% of RAM (default 80)\n"
	    "      --measure           measure the running httpd's children "
	    "(PSS)\n"
	    "      --pid N             measure the server whose parent is N\n"
	    "      --nofile N          open-file limit of the server\n"
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
	const char *base_dir;      /* --base: paths relative to it */
	const char *version;       /* --httpd-version */
	int *cli_sev;              /* --disable, --severity */
	struct mem_opts *mem;      /* resource options */
};

/* The resource options, and what was read from this machine. */
struct mem_opts {
	int asked;                 /* an option asked for the RAM check */
	unsigned given;            /* CONFIG_PROF_* set by options */
	unsigned long long ram, process_size, thread_size, reserve;
	unsigned threshold;
	int ram_auto;              /* --ram auto */
	int measure;               /* --measure or --pid */
	long pid;
	unsigned long long nofile; /* --nofile; 0: not given */
	const char *profile_path;  /* --profile */
	struct config_profile profile;
	struct rules_res_measure m;
	const char *proc_root, *sys_root; /* MPMLINT_PROC_ROOT, _SYS_ROOT */
	int host_state;            /* 0 unread, 1 read, -1 failed */
	unsigned long long host_ram;
	enum rules_res_src host_src;
};

/* One linted file. */
struct job {
	const char *name;          /* NULL: stdin */
	struct config *cfg;        /* shared; not owned */
	struct hconf_doc *doc;
	struct rules_result raw;
	struct filter_result fr;
	struct rules_resource rsrc;
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

/*
 * With --root: the file the parser reads for name, resolved inside the
 * root (path.c), or NULL.  Caller frees.
 */
static char *
root_file(const char *root, const char *name)
{
	char *sp, *real;

	if (root == NULL || name == NULL || (sp = hconf_path_server(root,
	    name)) == NULL) {
		return NULL;
	}
	real = hconf_path_resolve(root, sp, 0);
	free(sp);
	return real;
}

/*
 * A .mpmlint.yaml found inside --root is read where the root resolves
 * it, never through a symlink out of the tree.  Caller frees.
 */
static char *
root_confine(const char *root, char *found)
{
	char *r, *res = NULL;
	size_t n;

	if (root == NULL || found == NULL ||
	    (r = realpath(root, NULL)) == NULL) {
		return found;
	}
	n = strlen(r);
	if (strncmp(found, r, n) != 0 || found[n] != '/') {
		free(r);
		return found; /* above the root: the project's own file */
	}
	res = hconf_path_resolve(r, found + n, 0);
	free(r);
	free(found);
	if (res != NULL && access(res, F_OK) != 0) {
		/* a link to a file the tree does not hold: none here */
		free(res);
		res = NULL;
	}
	return res;
}

/* The directory to search upward from for a file (or stdin). */
static char *
start_dir(const char *name, const char *root)
{
	char buf[PATH_MAX], *d, *slash;

	if (name != NULL && strcmp(name, "-") != 0) {
		char *rf = root_file(root, name);

		d = rf != NULL ? realpath(rf, NULL) : realpath(name, NULL);
		if (d == NULL && rf != NULL) {
			d = rf;
			rf = NULL;
		}
		free(rf);
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
			esc_printf(stderr, "mpmlint: unknown rule '%s' (see "
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

/* This machine's RAM, read once; 0 or -1 after a message. */
static int
host_ram(struct mem_opts *mo)
{
	char err[256];

	if (mo->host_state == 0) {
		mo->host_state = rules_res_ram(mo->proc_root, mo->sys_root,
		    mo->measure ? mo->m.pid : 0, &mo->host_ram, &mo->host_src,
		    err, sizeof(err)) == 0 ? 1 : -1;
		if (mo->host_state < 0) {
			esc_printf(stderr, "mpmlint: %s: give the RAM with --ram "
			    "SIZE\n", err);
		}
	}
	return mo->host_state > 0 ? 0 : -1;
}

/*
 * Merge the resource inputs for one job: options win, then the
 * measurement, then the profile (--profile, else .mpmlint.yaml's), then
 * the documented defaults.  The RAM comparison runs when an option asked
 * for it, or when the profile of .mpmlint.yaml names the RAM: a
 * committed profile alone never compares with the RAM of the machine
 * mpmlint happens to run on (a CI runner).  0, or -1 after a message.
 */
static int
resource_inputs(struct mem_opts *mo, const struct job *j,
    struct rules_res_in *in)
{
	const struct config_profile *pr = NULL;
	const struct rules_result *r = &j->raw;

	memset(in, 0, sizeof(*in));
	if (mo->profile_path != NULL) {
		pr = &mo->profile;
	} else if (j->cfg != NULL && j->cfg->profile.set) {
		pr = &j->cfg->profile;
	}
	if (mo->nofile != 0) {
		in->nofile = mo->nofile;
		in->nofile_src = RULES_SRC_OPTION;
	} else if (mo->measure && mo->m.nofile != 0) {
		in->nofile = mo->m.nofile;
		in->nofile_src = RULES_SRC_MEASURE;
	}
	if (mo->measure) {
		in->measured = &mo->m;
	}
	in->memory = mo->asked ||
	    (pr != NULL && (pr->given & CONFIG_PROF_RAM));
	if (!in->memory || !r->have_eff) {
		in->memory = 0;
		return 0;
	}
	if ((mo->given & CONFIG_PROF_RAM) && !mo->ram_auto) {
		in->ram = mo->ram;
		in->ram_src = RULES_SRC_OPTION;
		in->ram_what = "--ram";
	} else if (!mo->ram_auto && pr != NULL &&
	    (pr->given & CONFIG_PROF_RAM)) {
		in->ram = pr->ram;
		in->ram_src = RULES_SRC_OPTION;
		in->ram_what = "the profile's ram";
	} else {
		if (host_ram(mo) != 0) {
			return -1;
		}
		in->ram = mo->host_ram;
		in->ram_src = mo->host_src;
		in->ram_what = mo->host_src == RULES_SRC_CGROUP ?
		    "cgroup memory limit of this machine" :
		    "MemTotal of this machine";
	}
	if (mo->given & CONFIG_PROF_PROCESS) {
		in->process_size = mo->process_size;
		in->process_src = RULES_SRC_OPTION;
	} else if (mo->measure) {
		/* the mean child: PSS adds up to the memory really used,
		 * so the mean times the processes is the projected total */
		in->process_size = mo->m.pss_total / mo->m.children +
		    (mo->m.pss_total % mo->m.children != 0);
		in->process_src = RULES_SRC_MEASURE;
	} else if (pr != NULL && (pr->given & CONFIG_PROF_PROCESS)) {
		in->process_size = pr->process_size;
		in->process_src = RULES_SRC_PROFILE;
	} else {
		in->process_size = rules_res_default_process_size(j->doc,
		    r->eff.mpm);
		in->process_src = RULES_SRC_DEFAULT;
	}
	if (mo->given & CONFIG_PROF_THREAD) {
		in->thread_size = mo->thread_size;
		in->thread_src = RULES_SRC_OPTION;
	} else if (pr != NULL && (pr->given & CONFIG_PROF_THREAD)) {
		in->thread_size = pr->thread_size;
		in->thread_src = RULES_SRC_PROFILE;
	} else {
		in->thread_size = RULES_RES_THREAD_SIZE;
		in->thread_src = RULES_SRC_DEFAULT;
	}
	if (mo->given & CONFIG_PROF_RESERVE) {
		in->reserve = mo->reserve;
		in->reserve_src = RULES_SRC_OPTION;
	} else if (pr != NULL && (pr->given & CONFIG_PROF_RESERVE)) {
		in->reserve = pr->reserve;
		in->reserve_src = RULES_SRC_PROFILE;
	}
	if (mo->given & CONFIG_PROF_THRESHOLD) {
		in->threshold = mo->threshold;
	} else if (pr != NULL && (pr->given & CONFIG_PROF_THRESHOLD)) {
		in->threshold = pr->threshold;
	}
	return 0;
}

static int
lint_one(struct cli_parse *cp, const struct lint_opts *lo,
    const struct baseline *base, struct job *j)
{
	struct rules_config rc = lo->rc;
	struct filter_opts fo;
	struct rules_res_in rin;

	cp->opts.regex = rules_regex_match;
	cp->opts.version = lo->version != NULL ? lo->version :
	    j->cfg != NULL ? j->cfg->httpd_version : NULL;
	if (rc.force_mpm == RULES_MPM_NONE && j->cfg != NULL) {
		rc.force_mpm = j->cfg->mpm;
	}
	cli_parse_mpm(cp, rc.force_mpm != RULES_MPM_NONE ?
	    rules_mpm_name(rc.force_mpm) : NULL);
	/* Listen names: as apache2 -t on this machine, or for a tree */
	rc.resolve = cp->opts.root != NULL ? 2 : 1;
	j->doc = cli_load(cp, j->name, &j->unreadable);
	rules_lint(j->doc, &rc, &j->raw);
	if (resource_inputs(lo->mem, j, &rin) != 0) {
		return -1;
	}
	rules_resource_check(j->doc, &rin, &j->raw, &j->rsrc);
	if (j->raw.n > 0) {
		/* qsort(NULL, 0) is undefined: rules_sort passes f as is */
		rules_sort(&j->raw);
	}
	memset(&fo, 0, sizeof(fo));
	fo.cfg = j->cfg;
	fo.cli_sev = lo->cli_sev;
	fo.inline_suppress = lo->inline_suppress;
	fo.base = base;
	fo.base_dir = lo->base_dir;
	fo.warn = lo->quiet ? NULL : stderr;
	filter_run(j->doc, j->name, &j->raw, &fo, &j->fr);
	return 0;
}

static int
write_baseline(const char *path, const struct job *jobs, size_t n)
{
	FILE *fp = fopen(path, "w");
	size_t i, k;

	if (fp == NULL) {
		esc_printf(stderr, "mpmlint: %s: %s\n", path, strerror(errno));
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
		esc_printf(stderr, "mpmlint: %s: %s\n", path, strerror(errno));
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
		of[i].rsrc = &jobs[i].rsrc;
		out_file_paths(&of[i], lo->base_dir);
	}
	switch (lo->format) {
	case OUT_SARIF:
		out_sarif(out, of, n);
		break;
	case OUT_CHECKSTYLE:
		out_checkstyle(out, of, n);
		break;
	case OUT_JSON:
		out_json(out, of, n);
		break;
	case OUT_YAML:
		rc = out_yaml(out, of, n);
		break;
	default:
		for (i = 0; i < n; i++) {
			if (lo->format == OUT_GITHUB) {
				out_github(out, &of[i]);
			} else {
				out_text(out, &of[i], color);
			}
		}
	}
	for (i = 0; i < n; i++) {
		out_file_free(&of[i]);
	}
	free(of);
	return rc;
}

/* k: 0 --ram, 1 --process-size, 2 --thread-size, 3 --reserve; 0 or -1. */
static int
mem_size_option(struct mem_opts *mo, int k, const char *arg)
{
	static const struct {
		const char *name;
		unsigned bit;
	} opt[] = {
		{"ram", CONFIG_PROF_RAM}, {"process-size", CONFIG_PROF_PROCESS},
		{"thread-size", CONFIG_PROF_THREAD},
		{"reserve", CONFIG_PROF_RESERVE}
	};
	unsigned long long v;

	mo->asked = 1;
	if (k == 0 && strcmp(arg, "auto") == 0) {
		mo->ram_auto = 1;
		mo->given &= ~CONFIG_PROF_RAM;
		return 0;
	}
	if (config_parse_size(arg, &v) != 0 || (k == 0 && v == 0)) {
		esc_printf(stderr, "mpmlint: --%s takes a size such as 512K, 64M "
		    "or 2G%s\n", opt[k].name, k == 0 ? ", or auto" : "");
		return -1;
	}
	mo->given |= opt[k].bit;
	switch (k) {
	case 0:
		mo->ram = v;
		mo->ram_auto = 0;
		break;
	case 1:
		mo->process_size = v;
		break;
	case 2:
		mo->thread_size = v;
		break;
	default:
		mo->reserve = v;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	enum {
		O_MPM = CLI_O_NEXT, O_FAILON, O_BUCKETS,
		O_COLOR, O_LIST, O_EXPLAIN, O_CONFIG, O_NOCONFIG, O_NOINLINE,
		O_BASE, O_WBASE, O_DISABLE, O_SEVERITY, O_RAM, O_PSIZE,
		O_TSIZE, O_RESERVE, O_PROFILE, O_MEMTHR, O_MEASURE, O_PID,
		O_NOFILE, O_BASEDIR
	};
	static const struct option longopts[] = {
		CLI_PARSE_LONGOPTS,
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
		{"ram", required_argument, NULL, O_RAM},
		{"process-size", required_argument, NULL, O_PSIZE},
		{"thread-size", required_argument, NULL, O_TSIZE},
		{"reserve", required_argument, NULL, O_RESERVE},
		{"profile", required_argument, NULL, O_PROFILE},
		{"mem-threshold", required_argument, NULL, O_MEMTHR},
		{"measure", no_argument, NULL, O_MEASURE},
		{"pid", required_argument, NULL, O_PID},
		{"nofile", required_argument, NULL, O_NOFILE},
		{"base", required_argument, NULL, O_BASEDIR},
		{NULL, 0, NULL, 0}
	};
	struct cli_parse cp;
	struct lint_opts lo;
	struct configs cs = {NULL, 0};
	struct baseline base = {NULL, 0, 0};
	struct job *jobs = NULL;
	struct mem_opts mo;
	const char *explain = NULL;
	size_t nrules, njobs = 0, i;
	int c, list = 0, rc = EXIT_CLEAN;
	FILE *out = stdout;

	cli_parse_init(&cp);
	memset(&lo, 0, sizeof(lo));
	memset(&mo, 0, sizeof(mo));
	lo.mem = &mo;
	mo.proc_root = getenv("MPMLINT_PROC_ROOT");
	mo.sys_root = getenv("MPMLINT_SYS_ROOT");
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
				esc_printf(stderr, "mpmlint: --mpm takes prefork, "
				    "worker or event\n");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'f':
			if (out_format_parse(optarg, &lo.format) != 0) {
				esc_printf(stderr, "mpmlint: unknown format '%s' "
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
				esc_printf(stderr, "mpmlint: --fail-on takes error, "
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
				esc_printf(stderr, "mpmlint: --color takes auto, "
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
		case O_BASEDIR:
			lo.base_dir = optarg;
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
				esc_printf(stderr, "mpmlint: --severity takes "
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
				esc_printf(stderr, "mpmlint: --buckets takes a "
				    "number from 1 to 1024\n");
				rc = EXIT_USAGE;
				goto done;
			}
			lo.rc.buckets = (int)b;
			break;
		}
		case O_RAM:
		case O_PSIZE:
		case O_TSIZE:
		case O_RESERVE:
			if (mem_size_option(&mo, c == O_RAM ? 0 : c == O_PSIZE
			    ? 1 : c == O_TSIZE ? 2 : 3, optarg) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case O_PROFILE:
			mo.profile_path = optarg;
			mo.asked = 1;
			break;
		case O_MEMTHR:
			if (config_parse_percent(optarg, &mo.threshold) != 0) {
				esc_printf(stderr, "mpmlint: --mem-threshold takes "
				    "a percentage from 1 to 100\n");
				rc = EXIT_USAGE;
				goto done;
			}
			mo.given |= CONFIG_PROF_THRESHOLD;
			mo.asked = 1;
			break;
		case O_MEASURE:
			mo.measure = 1;
			mo.asked = 1;
			break;
		case O_PID:
		case O_NOFILE: {
			char *end;
			long long v;

			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 ||
			    errno != 0 || (c == O_PID && v > INT_MAX)) {
				esc_printf(stderr, "mpmlint: --%s takes a number "
				    "of at least 1\n", c == O_PID ? "pid" :
				    "nofile");
				rc = EXIT_USAGE;
				goto done;
			}
			if (c == O_PID) {
				mo.pid = (long)v;
				mo.measure = 1;
				mo.asked = 1;
			} else {
				mo.nofile = (unsigned long long)v;
			}
			break;
		}
		case 'h':
			usage(stdout);
			rc = EXIT_CLEAN;
			goto done;
		case 'V':
			puts("mpmlint " HCONF_VERSION);
			rc = EXIT_CLEAN;
			goto done;
		default:
			if (cli_parse_option(&cp, c, optarg)) {
				break;
			}
			usage(stderr);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	/* lint_one() sets cp.opts.version per file, from this or the
	 * project file */
	lo.version = cp.opts.version;
	if (list) {
		rc = lo.format == OUT_JSON ? list_rules_json(stdout) :
		    list_rules(stdout);
		goto done;
	}
	if (explain != NULL) {
		const struct rules_info *r = rules_find(explain);

		if (r == NULL) {
			esc_printf(stderr, "mpmlint: unknown rule '%s' (see "
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
			char *dir = start_dir(jobs[i].name, cp.opts.root);
			char *found = root_confine(cp.opts.root,
			    config_find(dir));

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
	if (mo.profile_path != NULL) {
		int r = config_load_profile(mo.profile_path, &mo.profile,
		    stderr);

		if (r != 0) {
			rc = r == -2 ? EXIT_UNREADABLE : EXIT_USAGE;
			goto done;
		}
	}
	if (mo.measure) {
		char err[256];

		if (rules_res_measure(mo.proc_root, mo.pid, &mo.m, err,
		    sizeof(err)) != 0) {
			esc_printf(stderr, "mpmlint: --measure: %s\n", err);
			rc = EXIT_UNREADABLE;
			goto done;
		}
	}
	if (lo.baseline != NULL &&
	    filter_baseline_load(lo.baseline, &base) != 0) {
		esc_printf(stderr, "mpmlint: %s: %s\n", lo.baseline,
		    strerror(errno));
		rc = EXIT_UNREADABLE;
		goto done;
	}
	if (lo.output != NULL && !lo.quiet) {
		out = fopen(lo.output, "w");
		if (out == NULL) {
			esc_printf(stderr, "mpmlint: %s: %s\n", lo.output,
			    strerror(errno));
			rc = EXIT_UNREADABLE;
			goto done;
		}
	}

	for (i = 0; i < njobs; i++) {
		size_t k;
		int level;

		if (lint_one(&cp, &lo, lo.baseline ? &base : NULL,
		    &jobs[i]) != 0) {
			rc = EXIT_UNREADABLE;
			goto done;
		}
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
			esc_printf(stderr, "mpmlint: %s: write error\n",
			    lo.output ? lo.output : "stdout");
			rc = EXIT_UNREADABLE;
		}
	}
	if (out != stdout && fclose(out) != 0) {
		esc_printf(stderr, "mpmlint: %s: %s\n", lo.output, strerror(errno));
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
	config_profile_free(&mo.profile);
	filter_baseline_free(&base);
	cli_parse_free(&cp);
	return rc;
}
