/*
 * mpmlint.c - lint httpd configuration for MPM mistakes.  Findings go
 * to standard output (or -o FILE); the exit status says whether any
 * reached the fail level.  This file holds the option table and wires
 * the modules together, in main()'s order: options (opts.c), project
 * files (config.c), lint (rules_lint() finds, filter.c chooses), print
 * (output*.c).  It decides nothing about findings.
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
#include "filter.h"
#include "lintfix.h"
#include "lsp.h"
#include "output.h"
#include "resource.h"
#include "rules.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct lint_opts {
	struct rules_config rc;
	enum out_format format;
	enum color_mode color;
	int fail_on;               /* -1: from the config, else warning */
	int quiet;
	int no_inline;             /* --no-inline-suppress */
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
	struct config_profile opt; /* the values options gave; opt.given:
	                            * which (CONFIG_PROF_*) */
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

/* One run: the options (the context of the option table) and the jobs. */
struct lint {
	struct cli_parse cp;
	struct lint_opts lo;
	struct mem_opts mo;
	int list;                  /* --list-rules */
	const char *explain;       /* --explain RULE */
	int lsp;                   /* --lsp */
	int fix, fix_diff;         /* --fix, --diff */
	struct configs cs;
	struct baseline base;
	struct job *jobs;
	size_t njobs;
	FILE *out;
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

/* Size bit (CONFIG_PROF_PROCESS, _THREAD or _RESERVE) of p. */
static unsigned long long
prof_size(const struct config_profile *p, unsigned bit)
{
	return bit == CONFIG_PROF_PROCESS ? p->process_size :
	    bit == CONFIG_PROF_THREAD ? p->thread_size : p->reserve;
}

/*
 * One size of the resource inputs: the option's when one was given,
 * else the profile's (pr may be NULL).  1 when either had it, else 0
 * and *v, *src untouched.
 */
static int
mem_size(const struct mem_opts *mo, const struct config_profile *pr,
    unsigned bit, unsigned long long *v, enum rules_res_src *src)
{
	if (mo->opt.given & bit) {
		*v = prof_size(&mo->opt, bit);
		*src = RULES_SRC_OPTION;
	} else if (pr != NULL && (pr->given & bit)) {
		*v = prof_size(pr, bit);
		*src = RULES_SRC_PROFILE;
	} else {
		return 0;
	}
	return 1;
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
	if ((mo->opt.given & CONFIG_PROF_RAM) && !mo->ram_auto) {
		in->ram = mo->opt.ram;
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
	if (mo->measure && !(mo->opt.given & CONFIG_PROF_PROCESS)) {
		/* the largest child, as apache2buddy takes it: at peak
		 * every child may grow to what the largest already is */
		in->process_size = mo->m.pss_max;
		in->process_src = RULES_SRC_MEASURE;
	} else if (!mem_size(mo, pr, CONFIG_PROF_PROCESS, &in->process_size,
	    &in->process_src)) {
		in->process_size = rules_res_default_process_size(j->doc,
		    r->eff.mpm);
		in->process_src = RULES_SRC_DEFAULT;
	}
	if (!mem_size(mo, pr, CONFIG_PROF_THREAD, &in->thread_size,
	    &in->thread_src)) {
		in->thread_size = RULES_RES_THREAD_SIZE;
		in->thread_src = RULES_SRC_DEFAULT;
	}
	mem_size(mo, pr, CONFIG_PROF_RESERVE, &in->reserve, &in->reserve_src);
	if (mo->opt.given & CONFIG_PROF_THRESHOLD) {
		in->threshold = mo->opt.threshold;
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
	fo.inline_suppress = !lo->no_inline;
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
	int rc;
	size_t i, fixable;

	for (i = 0; i < n; i++) {
		of[i].name = jobs[i].name;
		of[i].doc = jobs[i].doc;
		of[i].res = &jobs[i].fr.res;
		of[i].lhash = jobs[i].fr.lhash;
		of[i].fp = jobs[i].fr.fp;
		of[i].rsrc = &jobs[i].rsrc;
		out_file_paths(&of[i], lo->base_dir);
	}
	rc = out_write(out, lo->format, of, n, color);
	fixable = lo->format == OUT_TEXT && isatty(STDERR_FILENO) ?
	    out_count_fixable(of, n) : 0;
	if (fixable > 0) {
		/* a hint for a person, as the note on reading stdin: the
		 * findings keep their shape, scripts see nothing more */
		fprintf(stderr, "mpmlint: %zu fixable with --fix (--fix --diff "
		    "shows the edits)\n", fixable);
	}
	for (i = 0; i < n; i++) {
		out_file_free(&of[i]);
	}
	free(of);
	return rc;
}

/* ---- options ------------------------------------------------------------ */

/* --mpm, --format and --fail-on: a word of a list. */
static int
opt_word(const struct cli_arg *a)
{
	struct lint_opts *lo = a->target;
	const char *n = a->opt->name;
	int format = strcmp(n, "format") == 0;

	if (format ? out_format_parse(a->arg, &lo->format) == 0 :
	    strcmp(n, "mpm") == 0 ? config_parse_mpm(a->arg,
	    &lo->rc.force_mpm) == 0 : config_parse_fail_on(a->arg,
	    &lo->fail_on) == 0) {
		return CLI_NEXT;
	}
	if (format) {
		return cli_bad(a, "unknown format '%s' (text, json, yaml, "
		    "sarif, github, checkstyle, codeclimate)", a->arg);
	}
	return cli_bad(a, "--%s takes %s", n, n[0] == 'm' ?
	    "prefork, worker or event" : "error, warning, info or never");
}

/*
 * --color[=WHEN], and --color WHEN when the next word is a WHEN:
 * "--color FILE" is --color=always and FILE.
 */
static int
opt_color(const struct cli_arg *a)
{
	static const char *const word[] = {"auto", "always", "never"};
	const char *w = a->arg != NULL ? a->arg : a->next;
	enum color_mode m;

	for (m = COLOR_AUTO; w != NULL && m <= COLOR_NEVER &&
	    strcmp(w, word[m]) != 0; m++) {
		continue;
	}
	if (a->arg == NULL) {
		/* --color alone is --color=always */
		*(enum color_mode *)a->target = w != NULL && m <= COLOR_NEVER ?
		    m : COLOR_ALWAYS;
		return w != NULL && m <= COLOR_NEVER ? CLI_TOOK : CLI_NEXT;
	}
	if (m > COLOR_NEVER) {
		return cli_bad(a, "--color takes auto, always or never");
	}
	*(enum color_mode *)a->target = m;
	return CLI_NEXT;
}

/* --disable RULE,... and --severity RULE,...=LEVEL into lo.cli_sev. */
static int
opt_rules(const struct cli_arg *a)
{
	const char *eq = strchr(a->arg, '=');
	char *copy = hconf_xstrdup(a->arg), *tok, *save = NULL;
	int level = CONFIG_SEV_OFF, rc = CLI_NEXT;

	if (strcmp(a->opt->name, "severity") == 0) {
		if (eq == NULL || config_parse_severity(eq + 1, &level) != 0) {
			free(copy);
			return cli_bad(a, "--severity takes "
			    "RULE=error|warning|info|off");
		}
		copy[eq - a->arg] = '\0';
	}
	for (tok = strtok_r(copy, ", ", &save); tok != NULL && rc == CLI_NEXT;
	    tok = strtok_r(NULL, ", ", &save)) {
		const struct rules_info *r = rules_find(tok);

		if (r == NULL) {
			rc = cli_bad(a, "unknown rule '%s' (see --list-rules)",
			    tok);
		} else {
			(*(int **)a->target)[config_rule_index(r)] = level;
		}
	}
	free(copy);
	return rc;
}

/* A whole number from min to max in *v; 0, or -1. */
static int
number(const char *arg, long long min, long long max, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(arg, &end, 10);
	return *arg == '\0' || *end != '\0' || errno != 0 || *v < min ||
	    *v > max ? -1 : 0;
}

static int
opt_buckets(const struct cli_arg *a)
{
	long long v;

	if (number(a->arg, 1, 1024, &v) != 0) {
		return cli_bad(a, "--buckets takes a number from 1 to 1024");
	}
	*(int *)a->target = (int)v;
	return CLI_NEXT;
}

/* --ram, --process-size, --thread-size, --reserve. */
static int
opt_size(const struct cli_arg *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} opt[] = {
		{"ram", CONFIG_PROF_RAM}, {"process-size", CONFIG_PROF_PROCESS},
		{"thread-size", CONFIG_PROF_THREAD},
		{"reserve", CONFIG_PROF_RESERVE}
	};
	struct mem_opts *mo = a->target;
	unsigned long long *size[] = {&mo->opt.ram, &mo->opt.process_size,
	    &mo->opt.thread_size, &mo->opt.reserve};
	unsigned long long v;
	size_t k;

	for (k = 0; strcmp(opt[k].name, a->opt->name) != 0; k++) {
		continue;
	}
	mo->asked = 1;
	if (k == 0 && strcmp(a->arg, "auto") == 0) {
		mo->ram_auto = 1;
		mo->opt.given &= ~CONFIG_PROF_RAM;
		return CLI_NEXT;
	}
	if (config_parse_size(a->arg, &v) != 0 || (k == 0 && v == 0)) {
		return cli_bad(a, "--%s takes a size such as 512K, 64M or 2G%s",
		    opt[k].name, k == 0 ? ", or auto" : "");
	}
	mo->opt.given |= opt[k].bit;
	*size[k] = v;
	if (k == 0) {
		mo->ram_auto = 0;
	}
	return CLI_NEXT;
}

/* --profile, --mem-threshold, --measure, --pid, --nofile. */
static int
opt_mem(const struct cli_arg *a)
{
	struct mem_opts *mo = a->target;
	const char *name = a->opt->name;
	long long v;

	if (strcmp(name, "profile") == 0) {
		mo->profile_path = a->arg;
	} else if (strcmp(name, "mem-threshold") == 0) {
		if (config_parse_percent(a->arg, &mo->opt.threshold) != 0) {
			return cli_bad(a, "--mem-threshold takes a percentage "
			    "from 1 to 100");
		}
		mo->opt.given |= CONFIG_PROF_THRESHOLD;
	} else if (strcmp(name, "measure") == 0) {
		mo->measure = 1;
	} else if (number(a->arg, 1, strcmp(name, "pid") == 0 ? INT_MAX :
	    LLONG_MAX, &v) != 0) {
		return cli_bad(a, "--%s takes a number of at least 1", name);
	} else if (strcmp(name, "pid") == 0) {
		mo->pid = (long)v;
		mo->measure = 1;
	} else {
		mo->nofile = (unsigned long long)v;
		return CLI_NEXT; /* not a question for the RAM check */
	}
	mo->asked = 1;
	return CLI_NEXT;
}

#define L(m) offsetof(struct lint, m)

/*
 * The options in --help order.  The last column keeps the order of
 * getopt_long()'s table, which lists the candidates of an ambiguous
 * abbreviation ("--b": --buckets, --baseline, --base).
 */
static const struct cli_opt lint_opts[] = {
	CLI_HEADING("Output:"),
	{"format", 'f', CLI_REQ, "FMT", opt_word, L(lo),
	    "text, json, yaml, sarif, github, checkstyle or codeclimate", 9},
	{"output", 'o', CLI_REQ, "FILE", cli_opt_string, L(lo.output),
	    "write findings to FILE", 10},
	{"color", 0, optional_argument, "[WHEN]", opt_color, L(lo.color),
	    "auto, always (the default for --color) or never", 14},
	{"colour", 0, optional_argument, NULL, opt_color, L(lo.color), NULL,
	    15},
	CLI_FLAG("quiet", 'q', L(lo.quiet),
	    "print nothing; only the exit status", 11),
	{"fail-on", 0, CLI_REQ, "LEVEL", opt_word, L(lo),
	    "error, warning (default), info or never", 12},
	CLI_HEADING("Rules:"),
	CLI_FLAG("list-rules", 0, L(list),
	    "list every rule: id, severity, name, summary", 16),
	{"explain", 0, CLI_REQ, "RULE", cli_opt_string, L(explain),
	    "what httpd does, why, how to fix, an example", 17},
	{"disable", 0, CLI_REQ, "RULE[,RULE]", opt_rules, L(lo.cli_sev),
	    "do not report these rules", 23},
	{"severity", 0, CLI_REQ, "RULE=LEVEL", opt_rules, L(lo.cli_sev),
	    "error, warning, info or off", 24},
	{"config", 0, CLI_REQ, "FILE", cli_opt_string, L(lo.config),
	    "read FILE instead of looking for .mpmlint.yaml", 18},
	CLI_FLAG("no-config", 0, L(lo.no_config),
	    "do not look for .mpmlint.yaml", 19),
	CLI_FLAG("no-inline-suppress", 0, L(lo.no_inline),
	    "ignore # mpmlint comments", 20),
	{"baseline", 0, CLI_REQ, "FILE", cli_opt_string, L(lo.baseline),
	    "report only findings not in FILE", 21},
	{"write-baseline", 0, CLI_REQ, "FILE", cli_opt_string,
	    L(lo.write_baseline), "record today's findings in FILE", 22},
	{"base", 0, CLI_REQ, "DIR", cli_opt_string, L(lo.base_dir),
	    "name files relative to DIR (default: the working\n"
	    "directory); SARIF's SRCROOT", 34},
	CLI_HEADING("Reading:"),
	{"mpm", 0, CLI_REQ, "MPM", opt_word, L(lo),
	    "prefork, worker or event, as if loaded", 8},
	CLI_OPT_HTTPD_VERSION(struct lint, cp, 5),
	CLI_OPT_ROOT(struct lint, cp, 2),
	CLI_OPT_SERVER_ROOT(struct lint, cp, 3),
	CLI_OPT_DEFINE(struct lint, cp, 4),
	CLI_OPT_NO_INCLUDES(struct lint, cp, 1),
	{"stdin-filename", 0, CLI_REQ, "NAME", cli_opt_string,
	    L(cp.stdin_name), "the file name of findings on standard input",
	    35},
	{"buckets", 0, CLI_REQ, "N", opt_buckets, L(lo.rc.buckets),
	    "listener buckets (default 1)", 13},
	CLI_HEADING("Resources (see mpmlint(1), Resource checks):"),
	{"ram", 0, CLI_REQ, "SIZE|auto", opt_size, L(mo),
	    "RAM of the target machine (K, M, G: powers of 1024);\n"
	    "auto: this machine (cgroup or MemTotal)", 25},
	{"process-size", 0, CLI_REQ, "SIZE", opt_size, L(mo),
	    "memory of one child process", 26},
	{"thread-size", 0, CLI_REQ, "SIZE", opt_size, L(mo),
	    "memory one busy thread adds", 27},
	{"reserve", 0, CLI_REQ, "SIZE", opt_size, L(mo),
	    "memory kept for other services", 28},
	{"profile", 0, CLI_REQ, "FILE", opt_mem, L(mo),
	    "memory profile (YAML, as in mpmlint.yaml(5))", 29},
	{"mem-threshold", 0, CLI_REQ, "PCT", opt_mem, L(mo),
	    "warn above PCT% of RAM (default 80)", 30},
	{"measure", 0, CLI_NO, NULL, opt_mem, L(mo),
	    "measure the running httpd's children (PSS)", 31},
	{"pid", 0, CLI_REQ, "N", opt_mem, L(mo),
	    "measure the server whose parent is N", 32},
	{"nofile", 0, CLI_REQ, "N", opt_mem, L(mo),
	    "open-file limit of the server", 33},
	CLI_HEADING("Fixing (see mpmlint(1), Fixes):"),
	CLI_FLAG("fix", 0, L(fix),
	    "apply the fixes that cannot change what httpd runs,\n"
	    "then report what remains", 36),
	CLI_FLAG("diff", 0, L(fix_diff),
	    "with --fix: print a unified diff, write nothing", 37),
	CLI_HEADING("Editors:"),
	CLI_FLAG("lsp", 0, L(lsp),
	    "run as a language server on stdin/stdout (LSP)", 38),
	CLI_OPT_HELP(6),
	CLI_OPT_VERSION(7),
	CLI_END
};

#undef L

static const struct cli_tool lint_tool = {
	"mpmlint",
	"usage: mpmlint [options] [FILE ...]\n"
	"Lint Apache httpd 2.4 configuration for MPM mistakes; no FILE or - "
	"reads stdin.\n"
	"\n",
	"\n"
	"Exit status: 0 clean, 1 findings at the fail level, 2 a file could "
	"not be\nread, 3 usage or configuration error.  See mpmlint(1).\n",
	lint_opts, 26, 2, 0
};

/* ---- main --------------------------------------------------------------- */

static void
lint_init(struct lint *l)
{
	size_t nrules, i;

	memset(l, 0, sizeof(*l));
	cli_parse_init(&l->cp);
	l->lo.mem = &l->mo;
	l->mo.proc_root = getenv("MPMLINT_PROC_ROOT");
	l->mo.sys_root = getenv("MPMLINT_SYS_ROOT");
	l->lo.fail_on = -1;
	rules_catalogue(&nrules);
	l->lo.cli_sev = hconf_xcalloc(nrules, sizeof(int));
	for (i = 0; i < nrules; i++) {
		l->lo.cli_sev[i] = CONFIG_SEV_UNSET;
	}
	l->out = stdout;
}

/* --list-rules and --explain RULE. */
static int
rule_docs(const struct lint *l)
{
	const struct rules_info *r;

	if (l->list) {
		if (l->lo.format == OUT_JSON) {
			explain_list_json(stdout);
		} else {
			explain_list(stdout);
		}
		return EXIT_CLEAN;
	}
	if ((r = rules_find(l->explain)) == NULL) {
		esc_printf(stderr, "mpmlint: unknown rule '%s' (see "
		    "--list-rules)\n", l->explain);
		return EXIT_USAGE;
	}
	if (explain_print(stdout, r) != 0) {
		printf("%s %s (%s)\n  %s\n", r->id, r->name,
		    out_severity(r->sev), r->summary);
	}
	return EXIT_CLEAN;
}

/*
 * One job per FILE, each with its project file.  Every project file is
 * read before anything is linted, so a bad one stops the run before any
 * output.
 */
static int
load_jobs(struct lint *l, int nfiles, char *files[])
{
	const char *root = l->cp.opts.root;
	size_t i;
	int rc = EXIT_CLEAN;

	l->njobs = nfiles > 0 ? (size_t)nfiles : 1;
	l->jobs = hconf_xcalloc(l->njobs, sizeof(*l->jobs));
	for (i = 0; i < l->njobs && rc == EXIT_CLEAN; i++) {
		struct job *j = &l->jobs[i];

		j->name = nfiles > 0 ? files[i] : NULL;
		if (j->name != NULL && strcmp(j->name, "-") == 0) {
			j->name = NULL;
		}
		if (l->lo.config != NULL) {
			j->cfg = configs_get(&l->cs, l->lo.config, &rc);
		} else if (!l->lo.no_config) {
			char *found = config_locate(j->name, root);

			if (found != NULL) {
				j->cfg = configs_get(&l->cs, found, &rc);
			}
			free(found);
		}
	}
	return rc;
}

/* Everything the run needs besides the files: profile, measurement,
 * baseline, the output file. */
static int
load_inputs(struct lint *l)
{
	struct mem_opts *mo = &l->mo;
	char err[256];
	int r;

	if (mo->profile_path != NULL && (r = config_load_profile(
	    mo->profile_path, &mo->profile, stderr)) != 0) {
		return r == -2 ? EXIT_UNREADABLE : EXIT_USAGE;
	}
	if (mo->measure && rules_res_measure(mo->proc_root, mo->pid, &mo->m,
	    err, sizeof(err)) != 0) {
		esc_printf(stderr, "mpmlint: --measure: %s\n", err);
		return EXIT_UNREADABLE;
	}
	if (l->lo.baseline != NULL &&
	    filter_baseline_load(l->lo.baseline, &l->base) != 0) {
		esc_printf(stderr, "mpmlint: %s: %s\n", l->lo.baseline,
		    strerror(errno));
		return EXIT_UNREADABLE;
	}
	if (l->lo.output != NULL && !l->lo.quiet &&
	    (l->out = fopen(l->lo.output, "w")) == NULL) {
		l->out = stdout;
		esc_printf(stderr, "mpmlint: %s: %s\n", l->lo.output,
		    strerror(errno));
		return EXIT_UNREADABLE;
	}
	return EXIT_CLEAN;
}

/* Lint every job: EXIT_CLEAN, EXIT_FINDINGS at the fail level,
 * EXIT_UNREADABLE, or -1 when one could not be linted. */
static int
run_jobs(struct lint *l)
{
	size_t i, k;
	int rc = EXIT_CLEAN;

	for (i = 0; i < l->njobs; i++) {
		struct job *j = &l->jobs[i];
		int level;

		if (lint_one(&l->cp, &l->lo, l->lo.baseline ? &l->base : NULL,
		    j) != 0) {
			return -1;
		}
		level = fail_level(&l->lo, j);
		for (k = 0; k < j->fr.res.n; k++) {
			int sev = j->fr.res.f[k].sev == HCONF_SEV_STYLE ?
			    HCONF_SEV_NOTE : (int)j->fr.res.f[k].sev;

			if (sev >= level && rc < EXIT_FINDINGS) {
				rc = EXIT_FINDINGS;
			}
		}
		if (j->unreadable) {
			/* reported as an HC001 finding */
			rc = EXIT_UNREADABLE;
		}
	}
	return rc;
}

/* The findings to the output, or to the baseline; the exit status. */
static int
print_jobs(struct lint *l, int rc)
{
	const struct lint_opts *lo = &l->lo;

	if (lo->write_baseline != NULL) {
		if (write_baseline(lo->write_baseline, l->jobs, l->njobs) != 0) {
			rc = EXIT_UNREADABLE;
		} else if (rc == EXIT_FINDINGS) {
			/* the findings are now recorded: not a failure */
			rc = EXIT_CLEAN;
		}
	} else if (!lo->quiet) {
		if (output(l->out, lo, l->jobs, l->njobs) != 0 ||
		    fflush(l->out) != 0 || ferror(l->out)) {
			esc_printf(stderr, "mpmlint: %s: write error\n",
			    lo->output ? lo->output : "stdout");
			rc = EXIT_UNREADABLE;
		}
	}
	if (l->out != stdout && fclose(l->out) != 0) {
		esc_printf(stderr, "mpmlint: %s: %s\n", lo->output,
		    strerror(errno));
		rc = EXIT_UNREADABLE;
	}
	l->out = stdout;
	return rc;
}

/* Forget what lint_one() made of j, to read and lint it again. */
static void
job_reset(struct job *j)
{
	if (j->doc != NULL) {
		filter_free(&j->fr);
		rules_result_free(&j->raw);
		hconf_doc_free(j->doc);
	}
	memset(&j->raw, 0, sizeof(j->raw));
	memset(&j->fr, 0, sizeof(j->fr));
	memset(&j->rsrc, 0, sizeof(j->rsrc));
	j->doc = NULL;
	j->unreadable = 0;
}

/* --fix on one file: locked as mpmconv -i, read and linted again. */
static int
fix_one(struct lint *l, struct lintfix *lf, struct job *j)
{
	const struct hconf_file *mf = hconf_doc_file(j->doc, 0);
	char *main_real = hconf_xstrdup(mf && mf->real ? mf->real : j->name);
	struct ip_lock lk;
	int rc;

	ip_set_name("mpmlint");
	rc = ip_lock(main_real, &lk);
	free(main_real);
	if (rc == 0) {
		job_reset(j);
		rc = lint_one(&l->cp, &l->lo, l->lo.baseline ? &l->base : NULL,
		    j) != 0 || j->unreadable ? -1 :
		    lintfix_apply(lf, j->doc, &j->fr.res, &lk);
	}
	ip_unlock(&lk);
	return rc == 0 ? 0 : -1;
}

/*
 * --fix --diff on one file: the passes --fix would make, in memory; each
 * after the first reads the configuration again with the files changed
 * so far served from memory (standard input's bytes kept as well).
 */
static int
fix_diff_job(struct lint *l, struct lintfix *lf, struct job *j)
{
	char *in = NULL;
	size_t in_len = 0;
	int pass, k = 1, failed = j->unreadable;

	for (pass = 0; pass < 4 && k > 0 && !failed; pass++) {
		if (pass > 0) {
			const struct hconf_file *mf = hconf_doc_file(j->doc, 0);
			const char *b;
			size_t n;

			if (j->name == NULL && in == NULL) {
				in = hconf_xmalloc(mf->len + 1);
				memcpy(in, mf->buf, mf->len);
				in_len = mf->len;
			}
			b = j->name == NULL ?
			    lintfix_bytes(lf, mf->real, &n) : NULL;
			l->cp.stdin_buf = b != NULL ? b : in;
			l->cp.stdin_len = b != NULL ? n : in_len;
			l->cp.opts.read = lintfix_read;
			l->cp.opts.read_ctx = lf;
			job_reset(j);
			failed = lint_one(&l->cp, &l->lo, l->lo.baseline ?
			    &l->base : NULL, j) != 0 || j->unreadable;
			l->cp.opts.read = NULL;
			l->cp.opts.read_ctx = NULL;
			l->cp.stdin_buf = NULL;
			if (failed) {
				break;
			}
		}
		k = lintfix_diff_pass(lf, j->doc, &j->fr.res);
		failed = k < 0;
	}
	free(in);
	return failed;
}

/*
 * --fix: fix every file, then lint again and report what remains
 * (exit status as without --fix, 2 when a file could not be written);
 * with --diff, print the edits: 0 none, 1 some, 2 an error.
 */
static int
fix_jobs(struct lint *l)
{
	struct lintfix lf;
	size_t i;
	int bad = 0, rc;

	memset(&lf, 0, sizeof(lf));
	lf.root = l->cp.opts.root;
	lf.diff = l->fix_diff;
	lf.quiet = l->lo.quiet;
	lf.out = l->out;
	for (i = 0; i < l->njobs; i++) {
		struct job *j = &l->jobs[i];
		size_t before = SIZE_MAX;
		int pass, failed = j->unreadable;

		if (lf.diff) {
			bad |= fix_diff_job(l, &lf, j);
			continue;
		}
		/* a fix can uncover another (a value httpd adjusts once a
		 * comment no longer hides it): a few passes, as ruff does */
		for (pass = 0; pass < 4 && lf.fixed != before && !failed;
		    pass++) {
			before = lf.fixed;
			failed = fix_one(l, &lf, j) != 0;
		}
		bad |= failed;
	}
	if (lf.diff) {
		if (lintfix_diff_print(&lf) != 0 || fflush(l->out) != 0 ||
		    (l->out != stdout && fclose(l->out) != 0)) {
			bad = 1;
		}
		lintfix_free(&lf);
		l->out = stdout;
		return bad ? EXIT_UNREADABLE : lf.fixed ? EXIT_FINDINGS :
		    EXIT_CLEAN;
	}
	if (!l->lo.quiet) {
		esc_printf(stderr, "mpmlint: fixed %zu finding%s\n", lf.fixed,
		    lf.fixed == 1 ? "" : "s");
	}
	for (i = 0; i < l->njobs; i++) {
		job_reset(&l->jobs[i]);
	}
	if ((rc = run_jobs(l)) < 0) {
		return EXIT_UNREADABLE;
	}
	rc = print_jobs(l, rc);
	return bad && rc < EXIT_UNREADABLE ? EXIT_UNREADABLE : rc;
}

/* --fix rewrites files; --diff goes with it. */
static int
fix_usage(const struct lint *l)
{
	size_t i;

	if (l->fix_diff && !l->fix) {
		esc_printf(stderr, "mpmlint: --diff goes with --fix\n");
		return EXIT_USAGE;
	}
	for (i = 0; l->fix && !l->fix_diff && i < l->njobs; i++) {
		if (l->jobs[i].name == NULL) {
			esc_printf(stderr, "mpmlint: --fix cannot rewrite "
			    "standard input: give FILE, or use --fix --diff\n");
			return EXIT_USAGE;
		}
	}
	return EXIT_CLEAN;
}

static void
lint_free(struct lint *l)
{
	size_t i;

	for (i = 0; i < l->njobs; i++) {
		if (l->jobs[i].doc != NULL) {
			filter_free(&l->jobs[i].fr);
			rules_result_free(&l->jobs[i].raw);
			hconf_doc_free(l->jobs[i].doc);
		}
	}
	for (i = 0; i < l->cs.n; i++) {
		config_free(l->cs.c[i]);
		free(l->cs.c[i]);
	}
	free(l->cs.c);
	free(l->jobs);
	free(l->lo.cli_sev);
	config_profile_free(&l->mo.profile);
	filter_baseline_free(&l->base);
	cli_parse_free(&l->cp);
}

/* Load the files and everything else the run needs, lint, print. */
static int
lint(struct lint *l, int nfiles, char *files[])
{
	int rc;

	/* lint_one() sets cp.opts.version per file, from this or the
	 * project file */
	l->lo.version = l->cp.opts.version;
	if ((rc = load_jobs(l, nfiles, files)) != EXIT_CLEAN ||
	    (rc = fix_usage(l)) != EXIT_CLEAN ||
	    (rc = load_inputs(l)) != EXIT_CLEAN) {
		return rc;
	}
	if (!l->lo.quiet) {
		cli_stdin_note("mpmlint", nfiles, STDIN_FILENO, stderr);
	}
	if ((rc = run_jobs(l)) < 0) {
		return EXIT_UNREADABLE;
	}
	if (l->fix) {
		return fix_jobs(l);
	}
	return print_jobs(l, rc);
}

/* --lsp: the server, with the options that apply to it. */
static int
run_lsp(struct lint *l)
{
	struct lsp_opts o;

	memset(&o, 0, sizeof(o));
	o.mpm = l->lo.rc.force_mpm;
	o.cli_sev = l->lo.cli_sev;
	o.no_inline = l->lo.no_inline;
	o.no_config = l->lo.no_config;
	o.config = l->lo.config;
	return lsp_main(&l->cp, &o);
}

int
main(int argc, char *argv[])
{
	struct lint l;
	int rc;

	lint_init(&l);
	rc = cli_opts_parse(&lint_tool, &l, argc, argv);
	if (rc == CLI_NEXT) {
		rc = l.lsp ? run_lsp(&l) :
		    l.list || l.explain != NULL ? rule_docs(&l) :
		    lint(&l, argc - optind, argv + optind);
	}
	lint_free(&l);
	return rc;
}
