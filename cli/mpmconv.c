/*
 * mpmconv.c - convert MPM settings between prefork, worker and event.
 * conv.c decides and edits the tree; this file reads the options and
 * does the output: standard output, -o, --diff, or -i, which writes each
 * file atomically (temporary file in the same directory, fsync, rename)
 * so that the original is never truncated or lost.  With no --to it
 * prints the configuration back unchanged, byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#ifdef __has_include
#if __has_include("export.h")
#include "export.h"
#define HAVE_EXPORT 1
#endif
#endif

static void
usage(FILE *fp)
{
	fputs(
	    "usage: mpmconv --to MPM [options] [FILE|-]\n"
	    "       mpmconv [reading options] [-o FILE] [FILE|-]\n"
#ifdef HAVE_EXPORT
	    "       mpmconv --export yaml|json [--lossless] [FILE|-]\n"
	    "       mpmconv --import FILE.yaml [-o DIR]\n"
#endif
	    "Convert the MPM settings of an httpd 2.4 configuration, keeping "
	    "its capacity;\nwithout --to, print it back unchanged.\n\n"
	    "Conversion:\n"
	    "  -t, --to MPM              prefork, worker or event\n"
	    "      --mpm MPM             the MPM the file runs under when "
	    "it loads none\n                            itself (a fragment): "
	    "as if its LoadModule came first\n"
	    "      --threads-per-child N threads per process when leaving "
	    "prefork (25)\n"
	    "      --force               convert even when it is unsafe\n"
	    "      --explain             print every derived value and its "
	    "formula (stderr)\n"
	    "  -f, --format FMT          conf (default), yaml or json: the "
	    "before/after report\nOutput:\n"
	    "      --diff                a unified diff of every changed "
	    "file, for git apply\n"
	    "  -i, --in-place            rewrite the files atomically, "
	    "keeping FILE.bak\n"
	    "      --no-backup           with -i: keep no .bak\n"
	    "  -o, --output FILE         write to FILE instead of standard "
	    "output\nReading:\n"
	    "      --root DIR            the server's / is DIR (a checked-out tree)\n"
	    "  -d, --server-root DIR     default ServerRoot\n"
	    "  -D, --define NAME[=VALUE] as httpd -D\n"
	    "      --no-includes         do not follow Include\n"
	    "      --httpd-version V     version for <IfVersion> (2.4.71)\n"
	    "  -h, --help                this text\n"
	    "  -V, --version             print the version\n\n"
	    "Exit status: 0 done, 1 refused or impossible, 2 a file could not "
	    "be read or\nwritten (nothing is lost), 3 usage error.  See "
	    "mpmconv(1).\n",
	    fp);
}

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

/* ---- main ------------------------------------------------------------------
 */

enum {
	O_TPC = CLI_O_NEXT,
	O_MPM,
	O_FORCE,
	O_EXPLAIN,
	O_DIFF,
	O_NOBAK,
	O_EXPORT,
	O_LOSSLESS,
	O_IMPORT
};

struct conv_cli {
	struct conv_opts co;
	const char *out;
	const char *format; /* conf, yaml, json */
	int diff, inplace, nobackup, explain;
	const char *export_fmt, *import_file;
	int lossless;
};

static int
bad_usage(const char *why)
{
	esc_printf(stderr, "mpmconv: %s\n", why);
	usage(stderr);
	return EXIT_USAGE;
}

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
	struct ip_file *f = hconf_xcalloc(r->nout ? r->nout : 1, sizeof(*f));
	struct ip_link *l = hconf_xcalloc(r->nlinks ? r->nlinks : 1, sizeof(*l));
	size_t i;
	int rc;

	for (i = 0; i < r->nout; i++) {
		size_t len;

		f[i].path = r->out[i].path;
		f[i].buf = conv_render(&r->out[i], &len);
		f[i].len = len;
		f[i].created = r->out[i].created;
	}
	for (i = 0; i < r->nlinks; i++) {
		l[i].path = r->links[i].path;
		l[i].target = r->links[i].target;
		l[i].create = r->links[i].create;
	}
	rc = ip_write(lk, f, r->nout, l, r->nlinks, !nobackup, 0);
	for (i = 0; i < r->nout; i++) {
		free((char *)(uintptr_t)f[i].buf);
	}
	free(f);
	free(l);
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
		    rules_mpm_name(o->co.to));
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

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"to", required_argument, NULL, 't'},
	    {"threads-per-child", required_argument, NULL, O_TPC},
	    {"mpm", required_argument, NULL, O_MPM},
	    {"force", no_argument, NULL, O_FORCE},
	    {"explain", no_argument, NULL, O_EXPLAIN},
	    {"format", required_argument, NULL, 'f'},
	    {"diff", no_argument, NULL, O_DIFF},
	    {"in-place", no_argument, NULL, 'i'},
	    {"no-backup", no_argument, NULL, O_NOBAK},
	    {"export", required_argument, NULL, O_EXPORT},
	    {"lossless", no_argument, NULL, O_LOSSLESS},
	    {"import", required_argument, NULL, O_IMPORT},
	    CLI_PARSE_LONGOPTS,
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	struct cli_parse cp;
	struct conv_cli o;
	struct hconf_doc *doc;
	const char *file;
	int c, unreadable, rc, have_to = 0;
	char *end;
	long v;

	memset(&o, 0, sizeof(o));
	o.format = "conf";
	cli_parse_init(&cp);
	while ((c = getopt_long(argc, argv, "t:f:io:d:D:hV", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 't':
			if (config_parse_mpm(optarg, &o.co.to) == -1) {
				cli_parse_free(&cp);
				return bad_usage(
				    "--to takes prefork, worker or event");
			}
			have_to = 1;
			break;
		case O_MPM:
			if (config_parse_mpm(optarg, &o.co.from) == -1) {
				cli_parse_free(&cp);
				return bad_usage(
				    "--mpm takes prefork, worker or event");
			}
			break;
		case O_TPC:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    v < 1 || v > 100000) {
				cli_parse_free(&cp);
				return bad_usage("--threads-per-child takes a "
				                 "number from 1 to 100000");
			}
			o.co.threads = (int)v;
			break;
		case O_FORCE:
			o.co.force = 1;
			break;
		case O_EXPLAIN:
			o.explain = 1;
			break;
		case 'f':
			if (strcmp(optarg, "conf") != 0 &&
			    strcmp(optarg, "yaml") != 0 &&
			    strcmp(optarg, "json") != 0) {
				cli_parse_free(&cp);
				return bad_usage("--format takes conf, yaml or "
				                 "json");
			}
			o.format = optarg;
			break;
		case O_DIFF:
			o.diff = 1;
			break;
		case 'i':
			o.inplace = 1;
			break;
		case O_NOBAK:
			o.nobackup = 1;
			break;
		case O_EXPORT:
			o.export_fmt = optarg;
			break;
		case O_LOSSLESS:
			o.lossless = 1;
			break;
		case O_IMPORT:
			o.import_file = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'h':
			usage(stdout);
			cli_parse_free(&cp);
			return EXIT_CLEAN;
		case 'V':
			puts("mpmconv " HCONF_VERSION);
			cli_parse_free(&cp);
			return EXIT_CLEAN;
		default:
			if (cli_parse_option(&cp, c, optarg)) {
				break;
			}
			usage(stderr);
			cli_parse_free(&cp);
			return EXIT_USAGE;
		}
	}
	rc = EXIT_CLEAN;
	if (argc - optind > 1) {
		rc = bad_usage("one FILE at most");
	} else if (o.diff + o.inplace + (strcmp(o.format, "conf") != 0) > 1) {
		rc = bad_usage("--diff, -i and --format exclude each other");
	} else if (o.inplace && o.out != NULL) {
		rc = bad_usage("-i and -o exclude each other");
	} else if (o.nobackup && !o.inplace) {
		rc = bad_usage("--no-backup goes with -i");
	} else if (!have_to &&
	    (o.diff || o.inplace || o.explain || o.co.force || o.co.threads ||
	        strcmp(o.format, "conf") != 0)) {
		rc = bad_usage("this option needs --to");
	} else if (o.inplace &&
	    (optind == argc || strcmp(argv[optind], "-") == 0)) {
		rc = bad_usage("-i needs a FILE, not standard input");
	} else if ((o.export_fmt || o.import_file) && have_to) {
		rc = bad_usage("--export and --import do not convert");
	}
#ifdef HAVE_EXPORT
	else if (o.export_fmt != NULL && strcmp(o.export_fmt, "yaml") != 0 &&
	    strcmp(o.export_fmt, "json") != 0) {
		rc = bad_usage("--export takes yaml or json");
	} else if (o.lossless && o.export_fmt == NULL) {
		rc = bad_usage("--lossless goes with --export");
	}
#else
	else if (o.export_fmt || o.import_file || o.lossless) {
		rc = bad_usage("--export and --import are not built in");
	}
#endif
	if (rc != EXIT_CLEAN) {
		cli_parse_free(&cp);
		return rc;
	}
#ifdef HAVE_EXPORT
	if (o.import_file != NULL) {
		cli_parse_free(&cp);
		return cli_import(o.import_file, o.out, stderr);
	}
#endif
	file = optind < argc ? argv[optind] : "-";
	cli_parse_mpm(&cp, o.co.from != RULES_MPM_NONE ?
	    rules_mpm_name(o.co.from) : NULL);
	doc = cli_load(&cp, file, &unreadable);
	if (unreadable) {
		size_t n;
		const struct hconf_diag *d = hconf_doc_diags(doc, &n);

		esc_printf(stderr, "mpmconv: %s\n",
		    n ? d[0].msg : "cannot read input");
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return EXIT_UNREADABLE;
	}
#ifdef HAVE_EXPORT
	if (o.export_fmt != NULL) {
		struct rules_result res;
		struct rules_config lrc;
		FILE *fp = open_out(o.out);

		memset(&lrc, 0, sizeof(lrc));
		lrc.force_mpm = o.co.from;
		rules_lint(doc, &lrc, &res);
		if (fp == NULL) {
			rc = EXIT_UNREADABLE;
		} else {
			rc = cli_export(fp, doc, &res,
			    strcmp(o.export_fmt, "json") == 0, o.lossless);
			if (close_out(fp, o.out) == -1 && rc == 0) {
				rc = EXIT_UNREADABLE;
			}
		}
		rules_result_free(&res);
		hconf_doc_free(doc);
		cli_parse_free(&cp);
		return rc;
	}
#endif
	if (!have_to) {
		rc = print_main(doc, o.out);
	} else if (o.inplace) {
		struct ip_lock lk;
		const struct hconf_file *mf = hconf_doc_file(doc, 0);
		char *main_real = hconf_xstrdup(mf ? mf->real : file);

		/* one -i run at a time on a tree; read it again once locked */
		rc = ip_lock(main_real, &lk);
		free(main_real);
		if (rc == 0) {
			hconf_doc_free(doc);
			doc = cli_load(&cp, file, &unreadable);
			if (unreadable) {
				esc_printf(stderr, "mpmconv: %s: cannot read it "
				                "again\n", file);
				rc = EXIT_UNREADABLE;
			} else {
				o.co.popts = &cp.opts;
				o.co.root = cp.opts.root;
				rc = convert(doc, &o, file, &lk);
			}
		} else {
			rc = EXIT_UNREADABLE;
		}
		ip_unlock(&lk);
	} else {
		const struct hconf_file *mf = hconf_doc_file(doc, 0);

		if (mf != NULL && strcmp(file, "-") != 0) {
			ip_warn_journal(mf->real);
		}
		o.co.popts = &cp.opts;
		o.co.root = cp.opts.root;
		rc = convert(doc, &o, file, NULL);
	}
	hconf_doc_free(doc);
	cli_parse_free(&cp);
	return rc;
}
