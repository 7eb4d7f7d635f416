/*
 * mpmconv.c - convert MPM settings between prefork, worker and event.
 * libconv (conv/conv.h) decides and edits the tree; this file holds the
 * option table (read by opts.c) and says where the output goes: standard
 * output, -o, --diff, or -i, which writes each file atomically through
 * conv/inplace.c (temporary file in the same directory, fsync, rename)
 * so that the original is never truncated or lost.  With no --to it
 * prints the configuration back unchanged, byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "esc.h"
#include "config.h"
#include "conv.h"
#include "rules.h"
#include "tune.h"

#ifdef __has_include
#if __has_include("export.h")
#include "export.h"
#define HAVE_EXPORT 1
#endif
#endif

/* -o FILE: atomically when FILE is a regular file, else plainly. */
static int
write_output(const char *path, const char *buf, size_t len)
{
	struct stat st;
	struct ip_file f;
	FILE *fp;

	if (strcmp(path, "-") == 0 ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
		if (fp == NULL || fwrite(buf, 1, len, fp) != len ||
		    fflush(fp) == EOF) {
			esc_printf(stderr, "mpmconv: %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (fp != stdout) {
			fclose(fp);
		}
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.buf = buf;
	f.len = len;
	f.created = access(path, F_OK) != 0;
	return ip_write(NULL, &f, 1, NULL, 0, 0, 1);
}

struct conv_cli {
	struct cli_parse cp;
	struct conv_opts co;
	int have_to;        /* --to */
	const char *out;
	const char *format; /* conf, yaml, json */
	int diff, inplace, nobackup, explain;
	const char *export_fmt, *import_file;
	int lossless;
	struct tune_in tune; /* --tune: --profile, --measure */
};

/* Print the document back, or the converted main file, to -o or stdout. */
static int
print_main(struct hconf_doc *doc, const char *out)
{
	size_t len;
	char *buf;
	int rc;

	if (out == NULL || strcmp(out, "-") == 0) {
		/* stream: an unmodified file is a single write */
		if (hconf_print_file(doc, 0, stdout) == -1 ||
		    fflush(stdout) == EOF) {
			esc_printf(stderr, "mpmconv: stdout: %s\n", strerror(errno));
			return EXIT_UNREADABLE;
		}
		return EXIT_CLEAN;
	}
	buf = hconf_print_buffer(doc, 0, &len);
	rc = write_output(out, buf, len);
	free(buf);
	return rc == 0 ? EXIT_CLEAN : EXIT_UNREADABLE;
}

static FILE *
open_out(const char *out)
{
	FILE *fp;

	if (out == NULL || strcmp(out, "-") == 0) {
		return stdout;
	}
	if ((fp = fopen(out, "wb")) == NULL) {
		esc_printf(stderr, "mpmconv: %s: %s\n", out, strerror(errno));
	}
	return fp;
}

static int
close_out(FILE *fp, const char *out)
{
	if (fflush(fp) == EOF || ferror(fp) || (fp != stdout && fclose(fp))) {
		esc_printf(stderr, "mpmconv: %s: write error\n", out ? out : "stdout");
		return -1;
	}
	return 0;
}

static int
do_inplace(struct conv_result *r, int nobackup, const struct ip_lock *lk)
{
	int rc = conv_write_result(r, lk, !nobackup, 0);

	if (rc == 0 && r->ncmds > 0) {
		esc_printf(stderr,
		    "mpmconv: switched mods-enabled as %s && %s would\n",
		    r->cmds[0], r->ncmds > 1 ? r->cmds[1] : "true");
	}
	return rc == 0 ? EXIT_CLEAN : EXIT_UNREADABLE;
}

static int
convert(struct hconf_doc *doc, struct conv_cli *o, const char *file,
    const struct ip_lock *lk)
{
	struct conv_result r;
	enum conv_status st;
	int rc = EXIT_CLEAN, report = strcmp(o->format, "conf") != 0;
	size_t i;
	FILE *fp;

	st = conv_run(doc, &o->co, &r);
	conv_print_msgs(stderr, &r);
	if (o->explain && !report) {
		conv_print_ledger(stderr, &r);
	}
	if (report) {
		if ((fp = open_out(o->out)) == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			if (conv_print_report(
			        fp, &r, strcmp(o->format, "yaml") == 0) == -1) {
				rc = EXIT_UNREADABLE;
			}
			if (close_out(fp, o->out) == -1) {
				rc = EXIT_UNREADABLE;
			}
		}
		if (rc == EXIT_CLEAN &&
		    (st == CONV_REFUSED || st == CONV_FAILED)) {
			rc = EXIT_FINDINGS;
		}
		conv_result_free(&r);
		return rc;
	}
	if (st == CONV_REFUSED) {
		esc_printf(stderr,
		    "mpmconv: refused to convert to %s; nothing was "
		    "changed (--force converts anyway)\n",
		    rules_mpm_name(r.to));
		conv_result_free(&r);
		return EXIT_FINDINGS;
	}
	if (st == CONV_FAILED) {
		conv_result_free(&r);
		return EXIT_FINDINGS;
	}
	if (o->diff) {
		if ((fp = open_out(o->out)) == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			if (conv_print_diff(fp, &r) == -1 ||
			    close_out(fp, o->out) == -1) {
				rc = EXIT_UNREADABLE;
			}
		}
		if (r.ncmds > 0) {
			esc_printf(stderr,
			    "mpmconv: note: Debian layout: the diff "
			    "switches mods-enabled like");
			for (i = 0; i < r.ncmds; i++) {
				esc_printf(stderr, "%s %s", i ? " &&" : "", r.cmds[i]);
			}
			fputc('\n', stderr);
		}
	} else if (o->inplace) {
		if (strcmp(file, "-") == 0) {
			rc = EXIT_USAGE;
		} else if (st == CONV_OK) {
			rc = do_inplace(&r, o->nobackup, lk);
		}
	} else if (!conv_single_file(&r)) {
		esc_printf(stderr,
		    "mpmconv: error: the conversion changes more than %s:",
		    file);
		for (i = 0; i < r.nout; i++) {
			esc_printf(stderr, " %s", r.out[i].path);
		}
		for (i = 0; i < r.nlinks; i++) {
			esc_printf(stderr, " %s (symlink, %s)", r.links[i].path,
			    r.links[i].create ? "new" : "removed");
		}
		fputc('\n', stderr);
		esc_printf(stderr,
		    "mpmconv: use --diff or -i/--in-place; "
		    "nothing was written\n");
		for (i = 0; i < r.ncmds; i++) {
			esc_printf(stderr, "mpmconv: note: Debian: %s\n", r.cmds[i]);
		}
		rc = EXIT_FINDINGS;
	} else {
		rc = print_main(doc, o->out);
	}
	conv_result_free(&r);
	return rc;
}

/* ---- options ------------------------------------------------------------ */

/* --to and --mpm (whose target is co.from). */
static int
opt_mpm(const struct cli_arg *a)
{
	struct conv_cli *o = a->target;
	int to = strcmp(a->opt->name, "to") == 0;

	if (config_parse_mpm(a->arg, to ? &o->co.to : &o->co.from) == -1) {
		return cli_bad(a, "--%s takes prefork, worker or event",
		    a->opt->name);
	}
	o->have_to |= to;
	return CLI_NEXT;
}

static int
opt_threads(const struct cli_arg *a)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(a->arg, &end, 10);
	if (*a->arg == '\0' || *end != '\0' || errno != 0 || v < 1 ||
	    v > 100000) {
		return cli_bad(a, "--threads-per-child takes a number from 1 "
		    "to 100000");
	}
	*(int *)a->target = (int)v;
	return CLI_NEXT;
}

static int
opt_format(const struct cli_arg *a)
{
	if (strcmp(a->arg, "conf") != 0 && strcmp(a->arg, "yaml") != 0 &&
	    strcmp(a->arg, "json") != 0) {
		return cli_bad(a, "--format takes conf, yaml or json");
	}
	*(const char **)a->target = a->arg;
	return CLI_NEXT;
}

#define C(m) offsetof(struct conv_cli, m)

/* The options in --help order; --export, --lossless and --import are
 * named in the usage lines only. */
static const struct cli_opt conv_opts[] = {
	CLI_HEADING("Conversion:"),
	{"to", 't', CLI_REQ, "MPM", opt_mpm, 0, "prefork, worker or event", 0},
	{"mpm", 0, CLI_REQ, "MPM", opt_mpm, 0,
	    "the MPM the file runs under when it loads none\n"
	    "itself (a fragment): as if its LoadModule came first", 0},
	{"threads-per-child", 0, CLI_REQ, "N", opt_threads, C(co.threads),
	    "threads per process when leaving prefork (25)", 0},
	CLI_FLAG("force", 0, C(co.force), "convert even when it is unsafe", 0),
	{"ram", 0, CLI_REQ, "SIZE", config_opt_size, C(co.ram),
	    "refuse a result whose peak memory exceeds SIZE\n"
	    "(K, M, G: powers of 1024; mpmlint's MPM042);\n"
	    "with --tune, the RAM to size for", 0},
	{"process-size", 0, CLI_REQ, "SIZE", config_opt_size,
	    C(co.process_size), "memory of one child process (16M)", 0},
	{"thread-size", 0, CLI_REQ, "SIZE", config_opt_size,
	    C(co.thread_size), "memory one busy thread adds (1M)", 0},
	CLI_FLAG("tune", 0, C(co.tune),
	    "size MaxRequestWorkers to the RAM (--ram, mpmlint's\n"
	    "threshold); with --to, convert as well", 0),
	{"profile", 0, CLI_REQ, "FILE", cli_opt_string, C(tune.profile),
	    "with --tune: sizes and RAM from a memory profile", 0},
	CLI_FLAG("measure", 0, C(tune.measure),
	    "with --tune: the largest child of the running httpd", 0),
	CLI_FLAG("explain", 0, C(explain),
	    "print every derived value and its formula (stderr)", 0),
	{"format", 'f', CLI_REQ, "FMT", opt_format, C(format),
	    "conf (default), yaml or json: the before/after report", 0},
	CLI_HEADING("Output:"),
	CLI_FLAG("diff", 0, C(diff),
	    "a unified diff of every changed file, for git apply", 0),
	CLI_FLAG("in-place", 'i', C(inplace),
	    "rewrite the files atomically, keeping FILE.bak", 0),
	CLI_FLAG("no-backup", 0, C(nobackup), "with -i: keep no .bak", 0),
	{"output", 'o', CLI_REQ, "FILE", cli_opt_string, C(out),
	    "write to FILE instead of standard output", 0},
	CLI_HEADING("Reading:"),
	CLI_OPT_ROOT(struct conv_cli, cp, 0),
	CLI_OPT_SERVER_ROOT(struct conv_cli, cp, 0),
	CLI_OPT_DEFINE(struct conv_cli, cp, 0),
	CLI_OPT_NO_INCLUDES(struct conv_cli, cp, 0),
	CLI_OPT_HTTPD_VERSION(struct conv_cli, cp, 0),
	{"stdin-filename", 0, CLI_REQ, "NAME", cli_opt_string,
	    C(cp.stdin_name), "the name messages and diff labels give\n"
	    "standard input", 0},
	CLI_OPT_HELP(0),
	CLI_OPT_VERSION(0),
	{"export", 0, CLI_REQ, NULL, cli_opt_string, C(export_fmt), NULL, 0},
	CLI_FLAG("lossless", 0, C(lossless), NULL, 0),
	{"import", 0, CLI_REQ, NULL, cli_opt_string, C(import_file), NULL, 0},
	CLI_END
};

#undef C

static const struct cli_tool conv_tool = {
	"mpmconv",
	"usage: mpmconv --to MPM [options] [FILE|-]\n"
	"       mpmconv --tune --ram SIZE [--to MPM] [options] [FILE|-]\n"
	"       mpmconv [reading options] [-o FILE] [FILE|-]\n"
#ifdef HAVE_EXPORT
	"       mpmconv --export yaml|json [--lossless] [FILE|-]\n"
	"       mpmconv --import FILE.yaml [-o DIR]\n"
#endif
	"Convert the MPM settings of an httpd 2.4 configuration, keeping "
	"its capacity;\nwithout --to, print it back unchanged.\n\n",
	"\n"
	"Exit status: 0 done, 1 refused or impossible, 2 a file could not "
	"be read or\nwritten (nothing is lost), 3 usage error.  See "
	"mpmconv(1).\n",
	conv_opts, 28, 1, 1
};

/* Why the options do not fit together (they exclude or need each
 * other), or NULL. */
static const char *
misuse(const struct conv_cli *o, int nfiles, char *files[])
{
	int report = strcmp(o->format, "conf") != 0;

	if (nfiles > 1) {
		return "one FILE at most";
	} else if (o->diff + o->inplace + report > 1) {
		return "--diff, -i and --format exclude each other";
	} else if (o->inplace && o->out != NULL) {
		return "-i and -o exclude each other";
	} else if (o->nobackup && !o->inplace) {
		return "--no-backup goes with -i";
	} else if ((o->tune.profile || o->tune.measure) && !o->co.tune) {
		return "--profile and --measure go with --tune";
	} else if (!o->have_to && !o->co.tune && (o->diff || o->inplace || o->explain ||
	    o->co.force || o->co.threads || report || o->co.ram ||
	    o->co.process_size || o->co.thread_size)) {
		return "this option needs --to";
	} else if (o->inplace && (nfiles == 0 || strcmp(files[0], "-") == 0)) {
		return "-i needs a FILE, not standard input";
	} else if ((o->export_fmt || o->import_file) && o->have_to) {
		return "--export and --import do not convert";
	}
#ifdef HAVE_EXPORT
	else if (o->export_fmt != NULL && strcmp(o->export_fmt, "yaml") != 0 &&
	    strcmp(o->export_fmt, "json") != 0) {
		return "--export takes yaml or json";
	} else if (o->lossless && o->export_fmt == NULL) {
		return "--lossless goes with --export";
	}
#else
	else if (o->export_fmt || o->import_file || o->lossless) {
		return "--export and --import are not built in";
	}
#endif
	return NULL;
}

/* ---- main --------------------------------------------------------------- */

#ifdef HAVE_EXPORT
/* --export: the tree and its findings as YAML or JSON. */
static int
export_doc(struct hconf_doc *doc, const struct conv_cli *o)
{
	struct rules_result res;
	struct rules_config lrc;
	FILE *fp = open_out(o->out);
	int rc;

	memset(&lrc, 0, sizeof(lrc));
	lrc.force_mpm = o->co.from;
	rules_lint(doc, &lrc, &res);
	if (fp == NULL) {
		rc = EXIT_UNREADABLE;
	} else {
		rc = cli_export(fp, doc, &res,
		    strcmp(o->export_fmt, "json") == 0, o->lossless);
		if (close_out(fp, o->out) == -1 && rc == 0) {
			rc = EXIT_UNREADABLE;
		}
	}
	rules_result_free(&res);
	return rc;
}
#endif

/* -i: one run at a time on a tree; the file is read again once locked. */
static int
convert_inplace(struct hconf_doc **doc, struct conv_cli *o,
    const char *file)
{
	struct ip_lock lk;
	const struct hconf_file *mf = hconf_doc_file(*doc, 0);
	char *main_real = hconf_xstrdup(mf ? mf->real : file);
	int rc, unreadable;

	rc = ip_lock(main_real, &lk);
	free(main_real);
	if (rc == 0) {
		hconf_doc_free(*doc);
		*doc = cli_load(&o->cp, file, &unreadable);
		if (unreadable) {
			esc_printf(stderr, "mpmconv: %s: cannot read it "
			    "again\n", file);
			rc = EXIT_UNREADABLE;
		} else {
			o->co.popts = &o->cp.opts;
			o->co.root = o->cp.opts.root;
			rc = convert(*doc, o, file, &lk);
		}
	} else {
		rc = EXIT_UNREADABLE;
	}
	ip_unlock(&lk);
	return rc;
}

/* Read FILE, then export, print back or convert it; or --import. */
static int
conv_file(struct conv_cli *o, const char *file)
{
	struct hconf_doc *doc;
	const struct hconf_file *mf;
	int unreadable, rc;

#ifdef HAVE_EXPORT
	if (o->import_file != NULL) {
		return cli_import(o->import_file, o->out, stderr);
	}
#endif
	cli_parse_mpm(&o->cp, o->co.from != RULES_MPM_NONE ?
	    rules_mpm_name(o->co.from) : NULL);
	doc = cli_load(&o->cp, file, &unreadable);
	if (unreadable) {
		size_t n;
		const struct hconf_diag *d = hconf_doc_diags(doc, &n);

		esc_printf(stderr, "mpmconv: %s\n",
		    n ? d[0].msg : "cannot read input");
		rc = EXIT_UNREADABLE;
#ifdef HAVE_EXPORT
	} else if (o->export_fmt != NULL) {
		rc = export_doc(doc, o);
#endif
	} else if (!o->have_to && !o->co.tune) {
		rc = print_main(doc, o->out);
	} else if (o->co.tune &&
	    (rc = tune_inputs(&o->tune, &o->co, stderr)) != 0) {
		/* nothing to size with: said why */
	} else if (o->inplace) {
		rc = convert_inplace(&doc, o, file);
	} else {
		mf = hconf_doc_file(doc, 0);
		if (mf != NULL && strcmp(file, "-") != 0) {
			ip_warn_journal(mf->real);
		}
		o->co.popts = &o->cp.opts;
		o->co.root = o->cp.opts.root;
		rc = convert(doc, o, file, NULL);
	}
	hconf_doc_free(doc);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct conv_cli o;
	const char *why;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = "conf";
	cli_parse_init(&o.cp);
	rc = cli_opts_parse(&conv_tool, &o, argc, argv);
	if (rc == CLI_NEXT &&
	    (why = misuse(&o, argc - optind, argv + optind)) != NULL) {
		struct cli_arg a = {&conv_tool, NULL, NULL, NULL, NULL};

		rc = cli_bad(&a, "%s", why);
	}
	if (rc == CLI_NEXT) {
		if (o.import_file == NULL) {
			cli_stdin_note("mpmconv", argc - optind, STDIN_FILENO,
			    stderr);
		}
		rc = conv_file(&o, optind < argc ? argv[optind] : "-");
	}
	cli_parse_free(&o.cp);
	return rc;
}
