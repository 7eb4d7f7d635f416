/*
 * files.c - what httpd checks about files and modules while reading or
 * at "apache2 -t", beyond the configuration text: a module loaded
 * without the module whose symbols it needs (moddeps.def), mod_ssl's
 * certificate, key and CA files (checked when the directive is read),
 * and the directories of error and access logs (core's and
 * mod_log_config's check_config).  Files are looked up as the server
 * would see them: under --root when one is given (hconf_path_resolve;
 * then a missing one is a warning, since checkouts rarely hold logs and
 * certificates), else on this machine; the finding says which.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hconf_int.h"
#include "ieq.h"

static const struct {
	const char *module, *needs, *symbol;
} moddeps[] = {
#define MODDEP(m, n, s) {m, n, s},
#include "moddeps.def"
#undef MODDEP
};

static int
loaded(const struct hconf_doc *doc, const char *ident)
{
	const struct hconf_module *m = doc->modules.v;
	size_t i;

	for (i = 0; i < doc->modules.n; i++) {
		if (strcmp(m[i].ident, ident) == 0) {
			return 1;
		}
	}
	return 0;
}

enum { WANT_FILE, WANT_DIR, WANT_ANY, WANT_OPEN };

/*
 * errno for a path that is not what is wanted (0: it is).  A listing of
 * its directory (dirlist.c) answers without a stat() when it can.
 */
static int
probe_host(struct hconf_doc *doc, const char *host, int want)
{
	struct stat st;
	unsigned char t;

	switch (doc_dirlist_lookup(doc, host, &t)) {
	case 0:
		return ENOENT;
	case 1:
		if (want == WANT_ANY && (t == DT_DIR || t == DT_REG)) {
			return 0;
		}
		if (t == DT_DIR) {
			return want == WANT_DIR ? 0 : want == WANT_OPEN ?
			    EBADF : ENOENT;
		}
		if (t == DT_REG && want != WANT_FILE) {
			return want == WANT_DIR ? ENOTDIR : 0;
		}
		break;
	default:
		break;
	}
	if (stat(host, &st) == -1) {
		return errno;
	}
	if (want == WANT_DIR) {
		return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	}
	if (want == WANT_ANY) {
		return 0;
	}
	if (want == WANT_OPEN) {
		/* ap_pcfg_openfile(): a regular file, or /dev/null */
		return S_ISREG(st.st_mode) || strcmp(host, "/dev/null") == 0 ?
		    0 : EBADF;
	}
	return S_ISREG(st.st_mode) && st.st_size > 0 ? 0 : ENOENT;
}

/*
 * Look for a server path as the server would see it: under --root when
 * one is given (hconf_path_resolve; nothing outside the tree is looked
 * at), else on this machine.  Returns 0 when found as wanted, else the
 * errno.  Under --root a file the tree does not hold may still be on the
 * server (log directories and certificates are rarely part of a
 * checkout), so *sev is lowered to a note there (a stock /etc checkout
 * would otherwise fail CI on /var/log); *note says where
 * mpmlint looked.
 */
static int
probe(struct hconf_doc *doc, const char *path, int want,
    enum hconf_severity *sev, const char **note)
{
	/* without --root the path is the host's: no copy to make */
	char *h = doc->root != NULL ? hconf_path_resolve(doc->root, path, 0) :
	    (char *)path;
	int e = h != NULL ? probe_host(doc, h, want) : errno;

	*note = doc->root == NULL ? "looked for on this machine, as apache2 -t "
	    "here would" : arena_printf(&doc->a, "looked for under --root "
	    "%s%s%s only; the server may have it", doc->root,
	    h != NULL ? " as " : "", h != NULL ? h : "");
	if (doc->root != NULL) {
		free(h);
	}
	if (e != 0 && doc->root != NULL) {
		*sev = HCONF_SEV_NOTE;
	}
	return e;
}

/* Returns 1 when it reported a module that must be loaded first. */
int
files_loadmodule(struct hconf_doc *doc, uint32_t fid,
    const struct hconf_node *n)
{
	const char *ident = n->args[0].value;
	size_t i;

	for (i = 0; i < sizeof(moddeps) / sizeof(moddeps[0]); i++) {
		struct hconf_diag *d;
		const char *so;

		if (strcmp(moddeps[i].module, ident) != 0 ||
		    loaded(doc, moddeps[i].needs)) {
			continue;
		}
		so = doc_root_relative(doc, n->args[1].value);
		d = diag_add(doc, HCONF_D_MODULE_NEEDS, fid, n->args[0].raw.off,
		    n->line_last, "Cannot load %s into server: %s: undefined "
		    "symbol: %s (%s must be loaded before %s)", n->args[1].value, so,
		    moddeps[i].symbol, moddeps[i].needs, ident);
		(void)d;
		return 1;
	}
	return 0;
}

/*
 * mod_so's dlsym() of the module structure: a file that exists but holds
 * another module (LoadModule rewrite_module modules/mod_alias.so) stops
 * httpd.  The file is read as the server would see it (under --root only
 * inside the tree); one that cannot be judged says nothing.
 */
void
files_module_symbol(struct hconf_doc *doc, uint32_t fid,
    const struct hconf_node *n)
{
	const char *ident = n->args[0].value;
	const char *so = doc_root_relative(doc, n->args[1].value);
	char *h = hconf_path_resolve(doc->root, so, 0);

	if (h == NULL) {
		return;
	}
	if (elf_defines(h, ident) == 0) {
		diag_add(doc, HCONF_D_MODULE_SYMBOL, fid, n->args[0].raw.off,
		    n->line_last, "Can't locate API module structure `%s' in "
		    "file %s: %s: undefined symbol: %s", ident, so, so, ident);
	}
	free(h);
}

/* mod_ssl's directives that check their file or directory when read. */
static const struct {
	const char *name;
	int dir;
} ssl_files[] = {
	{"SSLCertificateFile", 0}, {"SSLCertificateKeyFile", 0},
	{"SSLCertificateChainFile", 0}, {"SSLCACertificateFile", 0},
	{"SSLCACertificatePath", 1}, {"SSLCARevocationFile", 0},
	{"SSLCARevocationPath", 1}, {"SSLProxyCACertificateFile", 0},
	{"SSLProxyCACertificatePath", 1}, {"SSLProxyCARevocationFile", 0},
	{"SSLProxyCARevocationPath", 1},
	{"SSLProxyMachineCertificateFile", 0},
	{"SSLProxyMachineCertificatePath", 1},
	{"SSLProxyMachineCertificateChainFile", 0},
	{"SSLSessionTicketKeyFile", 0},
};

static void
check_ssl(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n)
{
	size_t i;
	const char *path, *note;
	enum hconf_severity sev;
	struct hconf_diag *d;

	for (i = 0; i < sizeof(ssl_files) / sizeof(ssl_files[0]); i++) {
		if (hconf_ieq(n->word, ssl_files[i].name)) {
			break;
		}
	}
	if (i == sizeof(ssl_files) / sizeof(ssl_files[0]) || n->nargs != 1 ||
	    !loaded(doc, "ssl_module")) {
		return;
	}
	/* a PKCS#11 URI names a key or certificate in a token, no file */
	if (strncasecmp(n->args[0].value, "pkcs11:", 7) == 0) {
		return;
	}
	path = doc_root_relative(doc, n->args[0].value);
	sev = HCONF_SEV_ERROR;
	if (probe(doc, path, ssl_files[i].dir ? WANT_DIR : WANT_FILE, &sev,
	    &note) == 0) {
		return;
	}
	d = diag_add(doc, HCONF_D_SSL_FILE, fid, n->args[0].raw.off,
	    n->line_last, ssl_files[i].dir ? "%s: directory '%s' does not "
	    "exist (%s)" : "%s: file '%s' does not exist or is empty (%s)",
	    ssl_files[i].name, path, note);
	d->sev = sev;
	if (sev == HCONF_SEV_ERROR) {
		/* httpd's id only where mpmlint stands for httpd's verdict */
		d->httpd = "AH00526";
	}
}

/* The <VirtualHost> a node is in, or NULL for the main server. */
static const struct hconf_node *
vhost_of(const struct hconf_node *n)
{
	for (n = n->parent; n != NULL; n = n->parent) {
		if (n->kind == HCONF_SECTION && n->word != NULL &&
		    hconf_ieq(n->word, "VirtualHost")) {
			return n;
		}
	}
	return NULL;
}

static int
mpm_loaded(const struct hconf_doc *doc)
{
	const struct hconf_module *m = doc->modules.v;
	size_t i;

	for (i = 0; i < doc->modules.n; i++) {
		if (strncmp(m[i].ident, "mpm_", 4) == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * Directives whose handler wants an existing directory when it reads
 * them: DocumentRoot in the main server (a virtual host's only draws
 * AH00112, a warning: HC081), CoreDumpDirectory (an MPM's), the
 * directory of a Mutex mechanism ("file:/dir"), DefaultRuntimeDir.
 */
static void
check_dir(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n)
{
	const char *w = n->word, *arg, *path, *note, *colon;
	enum hconf_severity sev = HCONF_SEV_ERROR;
	struct hconf_diag *d;
	uint32_t ai = 0;
	int e;

	if (hconf_ieq(w, "DocumentRoot")) {
		if (n->nargs != 1) {
			return;
		}
		path = doc_root_relative(doc, n->args[0].value);
	} else if (hconf_ieq(w, "CoreDumpDirectory")) {
		if (n->nargs != 1 || !mpm_loaded(doc)) {
			return;
		}
		path = doc_root_relative(doc, n->args[0].value);
	} else if (hconf_ieq(w, "DefaultRuntimeDir")) {
		if (n->nargs != 1) {
			return;
		}
		path = doc_root_relative(doc, n->args[0].value);
	} else if (hconf_ieq(w, "Mutex")) {
		if (n->nargs < 1 || n->nargs > 2) {
			return;
		}
		arg = n->args[0].value;
		colon = strchr(arg, ':');
		if (colon == NULL || colon[1] == '\0' ||
		    strncasecmp(arg, "none:", 5) == 0 ||
		    strncasecmp(arg, "no:", 3) == 0) {
			return;
		}
		/* sem and posixsem take a relative directory from httpd's
		 * working directory, not from ServerRoot: unknown here */
		if (colon[1] != '/' && ((colon - arg == 3 &&
		    strncasecmp(arg, "sem", 3) == 0) || (colon - arg == 8 &&
		    strncasecmp(arg, "posixsem", 8) == 0))) {
			return;
		}
		path = doc_root_relative(doc, colon + 1);
	} else {
		return;
	}
	if (!hconf_ieq(w, "DocumentRoot") && !hconf_ieq(w, "Mutex") &&
	    vhost_of(n) != NULL) {
		/* server-wide directives: their context check comes first */
		return;
	}
	e = probe(doc, path, WANT_DIR, &sev, &note);
	if (e == 0) {
		return;
	}
	if (hconf_ieq(w, "DocumentRoot") && vhost_of(n) != NULL) {
		/* core's set_document_root(): a virtual host only warns */
		d = diag_add(doc, HCONF_D_DOCROOT_VHOST, fid, n->args[ai].raw.off,
		    n->line_last, "Warning: DocumentRoot [%s] does not exist "
		    "(%s)", path, note);
		if (sev == HCONF_SEV_ERROR) {
			d->httpd = "AH00112";
			sev = HCONF_SEV_WARNING;
		}
		d->sev = sev;
		return;
	}
	if (hconf_ieq(w, "DocumentRoot")) {
		d = diag_add(doc, HCONF_D_DIR_MISSING, fid, n->args[ai].raw.off,
		    n->line_last, "DocumentRoot '%s' is not a directory, or is "
		    "not readable (%s)", path, note);
	} else if (hconf_ieq(w, "CoreDumpDirectory")) {
		d = diag_add(doc, HCONF_D_DIR_MISSING, fid, n->args[ai].raw.off,
		    n->line_last, "CoreDumpDirectory %s %s (%s)", path,
		    e == ENOTDIR ? "is not a directory" : "does not exist", note);
	} else if (hconf_ieq(w, "Mutex")) {
		d = diag_add(doc, HCONF_D_DIR_MISSING, fid, n->args[ai].raw.off,
		    n->line_last, "Invalid Mutex directory in argument %s (%s)",
		    n->args[0].value, note);
	} else {
		d = diag_add(doc, HCONF_D_DIR_MISSING, fid, n->args[ai].raw.off,
		    n->line_last, "DefaultRuntimeDir must be a valid directory, "
		    "absolute or relative to ServerRoot (%s)", note);
	}
	if (!hconf_ieq(w, "DefaultRuntimeDir") && sev == HCONF_SEV_ERROR) {
		d->httpd = "AH00526";
	}
	d->sev = sev;
}

/* Inside a per-directory section, where a server-only directive's
 * context check stops httpd first. */
static int
in_dir_section(const struct hconf_node *n)
{
	static const char *const dir[] = {"Directory", "DirectoryMatch",
	    "Location", "LocationMatch", "Files", "FilesMatch", "If",
	    "ElseIf", "Else", "Proxy", "ProxyMatch", "Limit", "LimitExcept",
	    NULL};
	size_t i;

	for (n = n->parent; n != NULL; n = n->parent) {
		if (n->kind != HCONF_SECTION || n->word == NULL) {
			continue;
		}
		for (i = 0; dir[i] != NULL; i++) {
			if (strcasecmp(n->word, dir[i]) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

/*
 * Files module handlers open or stat when they read their line: the
 * map of a RewriteMap (txt:, rnd:, a bare path, the program of prg:;
 * cmd_rewritemap's apr_stat) and the lists of mod_remoteip
 * (proxylist_read's ap_pcfg_openfile).  dbm: maps are left alone (their
 * file names depend on the DBM type).
 */
static void
check_module_file(struct hconf_doc *doc, uint32_t fid,
    const struct hconf_node *n)
{
	const char *w = n->word, *a, *path, *note;
	enum hconf_severity sev = HCONF_SEV_ERROR;
	struct hconf_diag *d;
	char prog[4096];
	int e, map;

	map = hconf_ieq(w, "RewriteMap");
	if (map) {
		if (n->nargs < 2 || n->nargs > 3 || !loaded(doc, "rewrite_module")) {
			return;
		}
		a = n->args[1].value;
		if (strncasecmp(a, "txt:", 4) == 0 ||
		    strncasecmp(a, "rnd:", 4) == 0) {
			a += 4;
		} else if (strncasecmp(a, "prg:", 4) == 0) {
			/* apr_tokenize_to_argv's first word */
			const char *p = a + 4;
			size_t l = 0;
			char q = 0;

			while (*p == ' ' || *p == '\t') {
				p++;
			}
			if (*p == '"' || *p == '\'') {
				q = *p++;
			}
			while (*p && l + 1 < sizeof(prog) && (q ? *p != q :
			    (*p != ' ' && *p != '\t'))) {
				if (*p == '\\' && p[1] != '\0') {
					p++;
				}
				prog[l++] = *p++;
			}
			prog[l] = '\0';
			a = prog;
		} else if (strncasecmp(a, "dbm", 3) == 0 ||
		    strncasecmp(a, "int:", 4) == 0 ||
		    strncasecmp(a, "dbd:", 4) == 0 ||
		    strncasecmp(a, "fastdbd:", 8) == 0) {
			return;
		}
	} else if (hconf_ieq(w, "RemoteIPTrustedProxyList") ||
	    hconf_ieq(w, "RemoteIPInternalProxyList")) {
		if (n->nargs != 1 || !loaded(doc, "remoteip_module")) {
			return;
		}
		a = n->args[0].value;
	} else {
		return;
	}
	if (in_dir_section(n)) {
		return;
	}
	path = doc_root_relative(doc, a);
	e = probe(doc, path, map ? WANT_ANY : WANT_OPEN, &sev, &note);
	if (e == 0) {
		return;
	}
	if (map) {
		d = diag_add(doc, HCONF_D_MODULE_FILE, fid, n->args[1].raw.off,
		    n->line_last, "RewriteMap: file for map %s not found:%s (%s)",
		    n->args[0].value, path, note);
	} else {
		d = diag_add(doc, HCONF_D_MODULE_FILE, fid, n->args[0].raw.off,
		    n->line_last, "%s: Could not open file %s: %s (%s)",
		    strcasecmp(w, "RemoteIPTrustedProxyList") == 0 ?
		    "RemoteIPTrustedProxyList" : "RemoteIPInternalProxyList",
		    path, strerror(e), note);
	}
	d->sev = sev;
	if (sev == HCONF_SEV_ERROR) {
		d->httpd = "AH00526";
	}
}

/* Debian's apache2 -V: SUEXEC_BIN */
#define SUEXEC_BIN "/usr/lib/apache2/suexec"

/*
 * mod_unixd's Suexec (compiled in).  Its pre_config looks for the suexec
 * wrapper before the tree is walked: missing, or not setuid root and
 * readable and executable, and "Suexec On" stops httpd with the reason;
 * "Suexec Off" makes every later On fail too ("Suexec directive is
 * Off").  Under --root the wrapper is looked for in the tree (missing,
 * or with an owner or mode a checkout may not keep, it is a note) and
 * the access check, the server's, is left out.
 */
/*
 * Why suEXEC is disabled at this point, or NULL when it is enabled;
 * *sev and *note say how sure that is (a note under --root).
 */
static const char *
suexec_disabled(struct hconf_doc *doc, enum hconf_severity *sev,
    const char **note)
{
	const char *why = NULL;
	struct stat st;
	char *h;

	*sev = HCONF_SEV_ERROR;
	*note = "";
	if (doc->suexec_off) {
		return "Suexec directive is Off";
	}
	h = hconf_path_resolve(doc->root, SUEXEC_BIN, 0);
	if (h == NULL || stat(h, &st) == -1) {
		why = "Missing suexec binary " SUEXEC_BIN;
		if (doc->root != NULL) {
			*sev = HCONF_SEV_NOTE;
			*note = arena_printf(&doc->a, " (looked for under --root "
			    "%s only; the server may have it)", doc->root);
		}
	} else if (!(st.st_mode & S_ISUID) || st.st_uid != 0 ||
	    (doc->root == NULL && access(h, R_OK | X_OK) != 0)) {
		why = "Invalid owner or file mode for " SUEXEC_BIN;
		if (doc->root != NULL) {
			/* a checkout rarely keeps owners and modes */
			*sev = HCONF_SEV_NOTE;
			*note = arena_printf(&doc->a, " (as found under --root "
			    "%s; the server's may differ)", doc->root);
		}
	}
	free(h);
	return why;
}

static void
check_suexec(struct hconf_doc *doc, uint32_t fid, const struct hconf_node *n)
{
	const char *why, *note;
	enum hconf_severity sev;
	struct hconf_diag *d;
	int ugid = strcasecmp(n->word, "SuexecUserGroup") == 0;

	if (ugid) {
		/* mod_suexec's, in the main server or a virtual host */
		if (n->nargs != 2 || !loaded(doc, "suexec_module")) {
			return;
		}
	} else {
		if (n->nargs != 1 || vhost_of(n) != NULL) {
			return;
		}
		if (strcasecmp(n->args[0].value, "off") == 0) {
			doc->suexec_off = 1;
			return;
		}
		if (strcasecmp(n->args[0].value, "on") != 0) {
			return;
		}
	}
	why = suexec_disabled(doc, &sev, &note);
	if (why == NULL) {
		return;
	}
	d = diag_add(doc, HCONF_D_SUEXEC, fid, n->args[0].raw.off,
	    n->line_last, "%s: %s%s", ugid ? "SuexecUserGroup configured, but "
	    "suEXEC is disabled" : "suEXEC isn't supported", why, note);
	d->sev = sev;
	if (sev == HCONF_SEV_ERROR) {
		d->httpd = "AH00526";
	}
}

void
files_directive(struct hconf_doc *doc, uint32_t fid,
    const struct hconf_node *n)
{
	const char *w = n->word;

	/* most names differ in the first letter: test it first */
	if ((w[0] | 0x20) == 's' && (hconf_ieq(w, "Suexec") ||
	    hconf_ieq(w, "SuexecUserGroup"))) {
		check_suexec(doc, fid, n);
		return;
	}
	if ((w[0] | 0x20) == 's' && strncasecmp(w, "SSL", 3) == 0) {
		check_ssl(doc, fid, n);
		return;
	}
	if (n->nargs >= 1 && (hconf_ieq(n->word, "ErrorLog") ||
	    hconf_ieq(n->word, "CustomLog") ||
	    hconf_ieq(n->word, "TransferLog"))) {
		vec_push(&doc->logs, &n);
		return;
	}
	check_dir(doc, fid, n);
	check_module_file(doc, fid, n);
}

/* The last log directory looked up: logs mostly share one directory. */
struct dir_memo {
	const char *dir;
	int e;
	enum hconf_severity sev;
	const char *note;
};

static int
check_log_dir(struct hconf_doc *doc, const struct hconf_node *n, int error,
    struct dir_memo *memo)
{
	const char *v = n->args[0].value, *path, *slash, *dir, *note;
	const struct hconf_node *vh;
	enum hconf_severity sev = HCONF_SEV_ERROR;
	struct hconf_diag *d;
	const char *what;
	int e;

	if (v[0] == '|' || (error && (strcmp(v, "syslog") == 0 ||
	    strncmp(v, "syslog:", 7) == 0))) {
		return 0;
	}
	path = doc_root_relative(doc, v);
	slash = strrchr(path, '/');
	if (memo->dir != NULL && strlen(memo->dir) == (size_t)(slash - path) + 1 &&
	    strncmp(memo->dir, path, (size_t)(slash - path) + 1) == 0) {
		dir = memo->dir;
		e = memo->e;
		sev = memo->sev;
		note = memo->note;
	} else {
		dir = arena_strndup(&doc->a, path, (size_t)(slash - path) + 1);
		e = probe(doc, dir, WANT_DIR, &sev, &note);
		memo->dir = dir;
		memo->e = e;
		memo->sev = sev;
		memo->note = note;
	}
	if (e == 0) {
		return 0;
	}
	vh = error ? vhost_of(n) : NULL;
	if (!error) {
		const struct hconf_file *f = doc_file(doc, n->file_id);

		what = arena_printf(&doc->a, "log file '%s' defined at %s:%u",
		    path, f ? f->path : "?", n->line_last);
	} else if (vh != NULL) {
		const struct hconf_file *f = doc_file(doc, vh->file_id);

		what = arena_printf(&doc->a, "error log of vhost defined at "
		    "%s:%u", f ? f->path : "?", vh->line_last);
	} else {
		what = "main error log";
	}
	d = diag_add(doc, HCONF_D_LOG_DIR, n->file_id, n->args[0].raw.off,
	    n->line_last, "Cannot access directory '%s' for %s: %s (%s)", dir,
	    what, strerror(e), note);
	d->sev = sev;
	if (sev == HCONF_SEV_ERROR) {
		d->httpd = error ? "AH02291" : "AH02297";
	}
	return sev == HCONF_SEV_ERROR;
}

/*
 * Which logs count: every TransferLog and CustomLog, and per server
 * (main or <VirtualHost>) only the last ErrorLog read.  One pass from the
 * end with a set of the servers whose last ErrorLog is already seen (an
 * open-addressing table of vhost pointers, the main server a flag), so a
 * file with many vhosts costs linear time.
 */
static unsigned char *
last_errorlogs(const struct hconf_node **v, size_t n)
{
	unsigned char *last = hconf_xcalloc(n ? n : 1, 1);
	size_t cap = 16, mask, i;
	const struct hconf_node **set;
	int main_seen = 0;

	while (cap < 2 * n) {
		cap *= 2;
	}
	mask = cap - 1;
	set = hconf_xcalloc(cap, sizeof(*set));
	for (i = n; i-- > 0;) {
		const struct hconf_node *vh;
		size_t h;

		if (!hconf_ieq(v[i]->word, "ErrorLog")) {
			continue;
		}
		vh = vhost_of(v[i]);
		if (vh == NULL) {
			last[i] = !main_seen;
			main_seen = 1;
			continue;
		}
		h = ((uintptr_t)vh >> 4) * 0x9E3779B97F4A7C15u;
		for (h &= mask; set[h] != NULL && set[h] != vh; h = (h + 1) & mask) {
		}
		last[i] = set[h] == NULL;
		set[h] = vh;
	}
	free(set);
	return last;
}

void
files_finish(struct hconf_doc *doc)
{
	const struct hconf_node **v = doc->logs.v;
	const struct hconf_node *first = NULL;
	unsigned char *last = last_errorlogs(v, doc->logs.n);
	struct dir_memo memo = {NULL, 0, HCONF_SEV_ERROR, NULL};
	size_t i;

	for (i = 0; i < doc->logs.n; i++) {
		int error = hconf_ieq(v[i]->word, "ErrorLog");

		/* one ErrorLog per server: the last one read counts */
		if ((!error || last[i]) && check_log_dir(doc, v[i], error, &memo) &&
		    first == NULL) {
			first = v[i];
		}
	}
	free(last);
	if (first != NULL) {
		/* what httpd prints after its check_config hooks failed */
		struct hconf_diag *d = diag_add(doc, HCONF_D_LOG_DIR,
		    first->file_id, first->args[0].raw.off, first->line_last,
		    "Configuration check failed (apache2 -t stops here)");

		d->sev = HCONF_SEV_NOTE;
		d->httpd = "AH00014";
	}
}
