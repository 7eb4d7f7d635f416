/*
 * config.c - find and read .mpmlint.yaml with libyaml's parser.  Every
 * problem is reported as FILE:LINE:COL with libyaml's 1-based mark, and
 * nothing is applied from a file that has one.  It does not lint and
 * does not decide precedence: the command line is merged by mpmlint.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "cli.h"
#include "config.h"
#include "esc.h"

/* nesting a project file or profile may use (it needs 4) */
#define CONFIG_MAX_DEPTH 32

size_t
config_rule_index(const struct rules_info *r)
{
	size_t n;
	const struct rules_info *c = rules_catalogue(&n);

	return (size_t)(r - c);
}

void
config_init(struct config *cfg)
{
	size_t n, i;

	memset(cfg, 0, sizeof(*cfg));
	rules_catalogue(&n);
	cfg->sev = hconf_xcalloc(n ? n : 1, sizeof(int));
	cfg->nsev = n;
	for (i = 0; i < n; i++) {
		cfg->sev[i] = CONFIG_SEV_UNSET;
	}
	cfg->fail_on = -1;
	cfg->mpm = RULES_MPM_NONE;
}

void
config_profile_free(struct config_profile *pr)
{
	while (pr->nservices > 0) {
		free(pr->services[--pr->nservices].name);
	}
	free(pr->services);
	memset(pr, 0, sizeof(*pr));
}

void
config_free(struct config *cfg)
{
	config_profile_free(&cfg->profile);
	free(cfg->path);
	free(cfg->sev);
	free(cfg->httpd_version);
	free(cfg->main);
	free(cfg->root);
	memset(cfg, 0, sizeof(*cfg));
}

/* The decimal digits at *p, which move past them; -1: none, or too many. */
static int
digits(const char **p, unsigned long long *v)
{
	const char *s = *p;

	*v = 0;
	if (s == NULL || *s < '0' || *s > '9') {
		return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (*v > (ULLONG_MAX - 9) / 10) {
			return -1;
		}
		*v = *v * 10 + (unsigned)(*s - '0');
	}
	*p = s;
	return 0;
}

int
config_parse_size(const char *s, unsigned long long *bytes)
{
	static const char units[] = "kmgt";
	unsigned long long v, mul = 1;
	const char *p = s, *u;

	if (digits(&p, &v) != 0) {
		return -1;
	}
	/* K, M, G, T: powers of 1024, either case */
	if (*p != '\0' && (u = strchr(units, *p | 0x20)) != NULL) {
		mul = 1ULL << (10 * (u - units + 1));
		p++;
	}
	if (*p != '\0' || (v != 0 && mul > ULLONG_MAX / v)) {
		return -1;
	}
	*bytes = v * mul;
	return 0;
}

int
config_opt_size(const struct cli_arg *a)
{
	unsigned long long v;

	if (config_parse_size(a->arg, &v) != 0 || v == 0) {
		return cli_bad(a, "--%s takes a size such as 512K, 64M or 2G",
		    a->opt->name);
	}
	*(unsigned long long *)a->target = v;
	return CLI_NEXT;
}

int
config_parse_percent(const char *s, unsigned *pct)
{
	unsigned long long v;
	const char *p = s;

	if (digits(&p, &v) != 0 || v > 100) {
		return -1;
	}
	if (*p == '%') {
		p++;
	}
	if (*p != '\0' || v < 1) {
		return -1;
	}
	*pct = (unsigned)v;
	return 0;
}

/* A keyword and its value; tables end with a NULL word. */
struct word {
	const char *word;
	int value;
};

static int
lookup(const struct word *w, const char *s, int *value)
{
	for (; w->word != NULL; w++) {
		if (strcmp(s, w->word) == 0) {
			*value = w->value;
			return 0;
		}
	}
	return -1;
}

/* error, warning, info, or the one word only this setting takes. */
static int
level_word(const char *s, const char *extra, int extra_value, int *value)
{
	static const struct word w[] = {{"error", HCONF_SEV_ERROR},
	    {"warning", HCONF_SEV_WARNING}, {"info", HCONF_SEV_NOTE},
	    {NULL, 0}};

	if (strcmp(s, extra) == 0) {
		*value = extra_value;
		return 0;
	}
	return lookup(w, s, value);
}

int
config_parse_fail_on(const char *s, int *level)
{
	return level_word(s, "never", CONFIG_FAIL_NEVER, level);
}

int
config_parse_severity(const char *s, int *sev)
{
	return level_word(s, "off", CONFIG_SEV_OFF, sev);
}

int
config_parse_mpm(const char *s, enum rules_mpm *mpm)
{
	static const struct word w[] = {{"prefork", RULES_MPM_PREFORK},
	    {"worker", RULES_MPM_WORKER}, {"event", RULES_MPM_EVENT},
	    {NULL, 0}};
	int v;

	if (lookup(w, s, &v) != 0) {
		return -1;
	}
	*mpm = (enum rules_mpm)v;
	return 0;
}

char *
config_find(const char *dir)
{
	char *d = hconf_xstrdup(dir);
	size_t len;

	for (;;) {
		char *p;

		len = strlen(d);
		while (len > 1 && d[len - 1] == '/') {
			d[--len] = '\0';
		}
		p = hconf_xmalloc(len + sizeof(CONFIG_NAME) + 1);
		snprintf(p, len + sizeof(CONFIG_NAME) + 1, "%s/%s",
		    strcmp(d, "/") == 0 ? "" : d, CONFIG_NAME);
		if (access(p, F_OK) == 0) {
			free(d);
			return p;
		}
		free(p);
		p = strrchr(d, '/');
		if (p == NULL || strcmp(d, "/") == 0) {
			break;
		}
		if (p == d) {
			d[1] = '\0';
		} else {
			*p = '\0';
		}
	}
	free(d);
	return NULL;
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

char *
config_locate(const char *name, const char *root)
{
	char *dir = start_dir(name, root);
	char *found = root_confine(root, config_find(dir));

	free(dir);
	return found;
}

/* ---- reading ----------------------------------------------------------- */

struct rd {
	const char *path;
	yaml_document_t *doc;
	FILE *err;
	struct config *cfg;
	struct config_profile *prof; /* a --profile file: its root */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
bad(struct rd *r, const yaml_node_t *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	esc_error_at(r->err, r->path, at->start_mark.line + 1,
	    at->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
	    : NULL;
}

/* A plain ~, null or empty scalar: the key was given no value. */
static int
is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

static const struct rules_info *
rule(struct rd *r, const yaml_node_t *n)
{
	const char *s = scalar(n);
	const struct rules_info *info;

	if (s == NULL) {
		bad(r, n, "a rule id or name must be a string");
		return NULL;
	}
	info = rules_find(s);
	if (info == NULL) {
		bad(r, n, "unknown rule '%s' (see mpmlint --list-rules)", s);
	}
	return info;
}

/* Turn off the rule node n names; 0 or -1. */
static int
disable(struct rd *r, const yaml_node_t *n)
{
	const struct rules_info *info = rule(r, n);

	if (info == NULL) {
		return -1;
	}
	r->cfg->sev[config_rule_index(info)] = CONFIG_SEV_OFF;
	return 0;
}

static int
read_disable(struct rd *r, yaml_node_t *v)
{
	yaml_node_item_t *it;

	if (is_null(v)) {
		return 0;
	}
	if (v->type == YAML_SCALAR_NODE) {
		return disable(r, v);
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		return bad(r, v, "disable must be a list of rule ids or names");
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		if (disable(r, yaml_document_get_node(r->doc, *it)) != 0) {
			return -1;
		}
	}
	return 0;
}

/* One pair of a mapping, its key a string; 0, or -1 after a message. */
typedef int pair_fn(struct rd *r, yaml_node_t *k, const char *key,
    yaml_node_t *v, void *arg);

/*
 * Read mapping v pair by pair with fn, stopping at the first error.
 * Nothing when v is null; an error (what: what v must be) when it is not
 * a mapping, or when a key is not a string or is given twice.  0, or -1
 * after a message.
 */
static int
read_map(struct rd *r, yaml_node_t *v, const char *what, pair_fn *fn,
    void *arg)
{
	yaml_node_pair_t *p, *q;

	if (is_null(v)) {
		return 0;
	}
	if (v->type != YAML_MAPPING_NODE) {
		return bad(r, v, "%s", what);
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);

		if (scalar(k) == NULL) {
			return bad(r, k, "keys must be strings");
		}
		for (q = v->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = yaml_document_get_node(r->doc, q->key);

			if (strcmp(scalar(k), scalar(k2)) == 0) {
				return bad(r, k, "key '%s' is given twice",
				    scalar(k));
			}
		}
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);

		if (fn(r, k, scalar(k), yaml_document_get_node(r->doc,
		    p->value), arg) != 0) {
			return -1;
		}
	}
	return 0;
}

/* severity: RULE: LEVEL */
static int
severity_pair(struct rd *r, yaml_node_t *k, const char *key, yaml_node_t *v,
    void *arg)
{
	const struct rules_info *info = rule(r, k);
	int sev;

	(void)key, (void)arg;
	if (info == NULL) {
		return -1;
	}
	if (scalar(v) == NULL || config_parse_severity(scalar(v), &sev) != 0) {
		return bad(r, v, "severity of %s must be error, warning, info "
		    "or off", info->id);
	}
	r->cfg->sev[config_rule_index(info)] = sev;
	return 0;
}

static int
read_severity(struct rd *r, yaml_node_t *v)
{
	return read_map(r, v, "severity must be a mapping of rule to error, "
	    "warning, info or off", severity_pair, NULL);
}

static int
read_size(struct rd *r, yaml_node_t *v, const char *key,
    unsigned long long *out)
{
	const char *s = scalar(v);

	if (s == NULL || config_parse_size(s, out) != 0) {
		return bad(r, v, "%s must be a size such as 512K, 64M or 2G",
		    key);
	}
	return 0;
}

/* A whole number of at least 1 (php-fpm pm.max_children). */
static int
read_count(struct rd *r, yaml_node_t *v, const char *key,
    unsigned long long *out)
{
	const char *p = scalar(v);
	unsigned long long n;

	if (digits(&p, &n) != 0 || *p != '\0' || n == 0) {
		return bad(r, v, "%s must be a whole number of at least 1",
		    key);
	}
	*out = n;
	return 0;
}

static unsigned long long
sat_add(unsigned long long a, unsigned long long b)
{
	return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

static unsigned long long
sat_mul(unsigned long long a, unsigned long long b)
{
	return a != 0 && b > ULLONG_MAX / a ? ULLONG_MAX : a * b;
}

/*
 * One reserved service: a size, or a mapping with size and optionally
 * name and max-children (php-fpm: pm.max_children x the size of one).
 */
struct service {
	struct config_service *sv;
	int have_size;
};

static int
service_pair(struct rd *r, yaml_node_t *k, const char *key, yaml_node_t *v,
    void *arg)
{
	struct service *se = arg;
	struct config_service *sv = se->sv;

	if (strcmp(key, "name") == 0) {
		if (scalar(v) == NULL) {
			return bad(r, v, "name must be a string");
		}
		free(sv->name);
		sv->name = hconf_xstrdup(scalar(v));
		return 0;
	}
	if (strcmp(key, "size") == 0) {
		se->have_size = 1;
		return read_size(r, v, key, &sv->size);
	}
	if (strcmp(key, "max-children") == 0) {
		return read_count(r, v, key, &sv->count);
	}
	return bad(r, k, "unknown reserve key '%s' (expected name, size or "
	    "max-children)", key);
}

static int
read_service(struct rd *r, yaml_node_t *v, struct config_service *sv)
{
	struct service se = {sv, 0};

	sv->count = 1;
	if (v->type == YAML_SCALAR_NODE) {
		return read_size(r, v, "a reserve entry", &sv->size);
	}
	/* not a scalar, so not null: read_map() reads or refuses it */
	if (read_map(r, v, "a reserve entry must be a size or a mapping "
	    "(name, size, max-children)", service_pair, &se) != 0) {
		return -1;
	}
	if (!se.have_size) {
		return bad(r, v, "a reserve entry needs a size");
	}
	return 0;
}

/* reserve: a size, or a list of services. */
static int
read_reserve(struct rd *r, yaml_node_t *v, struct config_profile *pr)
{
	yaml_node_item_t *it;

	pr->reserve = 0;
	if (v->type == YAML_SCALAR_NODE) {
		return read_size(r, v, "reserve", &pr->reserve);
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		return bad(r, v, "reserve must be a size or a list of "
		    "services");
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		yaml_node_t *e = yaml_document_get_node(r->doc, *it);
		struct config_service *sv;

		pr->services = hconf_xrealloc(pr->services,
		    (pr->nservices + 1) * sizeof(*pr->services));
		sv = &pr->services[pr->nservices++];
		memset(sv, 0, sizeof(*sv));
		if (read_service(r, e, sv) != 0) {
			return -1;
		}
		pr->reserve = sat_add(pr->reserve,
		    sat_mul(sv->size, sv->count));
	}
	return 0;
}

static int
profile_pair(struct rd *r, yaml_node_t *k, const char *key, yaml_node_t *v,
    void *arg)
{
	struct config_profile *pr = arg;
	int rc;

	if (strcmp(key, "process-size") == 0) {
		rc = read_size(r, v, key, &pr->process_size);
		pr->given |= CONFIG_PROF_PROCESS;
	} else if (strcmp(key, "thread-size") == 0) {
		rc = read_size(r, v, key, &pr->thread_size);
		pr->given |= CONFIG_PROF_THREAD;
	} else if (strcmp(key, "reserve") == 0) {
		rc = read_reserve(r, v, pr);
		pr->given |= CONFIG_PROF_RESERVE;
	} else if (strcmp(key, "ram") == 0) {
		rc = read_size(r, v, key, &pr->ram);
		if (rc == 0 && pr->ram == 0) {
			rc = bad(r, v, "ram must be more than 0");
		}
		pr->given |= CONFIG_PROF_RAM;
	} else if (strcmp(key, "threshold") == 0) {
		const char *s = scalar(v);

		rc = 0;
		if (s == NULL ||
		    config_parse_percent(s, &pr->threshold) != 0) {
			rc = bad(r, v, "threshold must be a "
			    "percentage from 1 to 100, such as 80");
		}
		pr->given |= CONFIG_PROF_THRESHOLD;
	} else {
		rc = bad(r, k, "unknown profile key '%s' (expected "
		    "process-size, thread-size, reserve, ram or "
		    "threshold)", key);
	}
	return rc;
}

/* The profile mapping, from .mpmlint.yaml or a --profile file. */
static int
read_profile_into(struct rd *r, yaml_node_t *v, struct config_profile *pr)
{
	if (read_map(r, v, "profile must be a mapping (process-size, "
	    "thread-size, reserve, ram, threshold)", profile_pair, pr) != 0) {
		return -1;
	}
	if (v->type == YAML_MAPPING_NODE) {
		pr->set = 1; /* even when empty */
	}
	return 0;
}

static int
read_profile(struct rd *r, yaml_node_t *v)
{
	return read_profile_into(r, v, &r->cfg->profile);
}

/* major[.minor[.patch]], digits only. */
static int
valid_version(const char *s)
{
	int parts = 0;

	while (*s >= '0' && *s <= '9') {
		while (*s >= '0' && *s <= '9') {
			s++;
		}
		parts++;
		if (*s != '.') {
			break;
		}
		s++;
	}
	return *s == '\0' && parts >= 1 && parts <= 3;
}

/* main: and root: (mpmlint --lsp), relative to the file's directory. */
static int
read_path(struct rd *r, yaml_node_t *v, char **out, const char *key)
{
	const char *s = scalar(v), *slash;
	const char *path = r->path;
	size_t dl;

	if (s == NULL || s[0] == '\0') {
		return bad(r, v, "%s must be a path", key);
	}
	free(*out);
	slash = path != NULL ? strrchr(path, '/') : NULL;
	if (s[0] == '/' || slash == NULL) {
		*out = hconf_xstrdup(s);
		return 0;
	}
	dl = (size_t)(slash - path) + 1;
	*out = hconf_xmalloc(dl + strlen(s) + 1);
	memcpy(*out, path, dl);
	strcpy(*out + dl, s);
	return 0;
}

static int
top_pair(struct rd *r, yaml_node_t *k, const char *key, yaml_node_t *v,
    void *arg)
{
	const char *s = scalar(v);
	int rc = 0;

	(void)arg;
	if (strcmp(key, "disable") == 0) {
		rc = read_disable(r, v);
	} else if (strcmp(key, "severity") == 0) {
		rc = read_severity(r, v);
	} else if (strcmp(key, "fail-on") == 0) {
		if (s == NULL ||
		    config_parse_fail_on(s, &r->cfg->fail_on) != 0) {
			rc = bad(r, v, "fail-on must be error, warning, "
			    "info or never");
		}
	} else if (strcmp(key, "httpd-version") == 0) {
		if (s == NULL || !valid_version(s)) {
			rc = bad(r, v, "httpd-version must be a version "
			    "such as \"2.4.71\"");
		} else {
			free(r->cfg->httpd_version);
			r->cfg->httpd_version = hconf_xstrdup(s);
		}
	} else if (strcmp(key, "profile") == 0) {
		rc = read_profile(r, v);
	} else if (strcmp(key, "mpm") == 0) {
		if (s == NULL || config_parse_mpm(s, &r->cfg->mpm) != 0) {
			rc = bad(r, v, "mpm must be prefork, worker or "
			    "event");
		}
	} else if (strcmp(key, "main") == 0 || strcmp(key, "root") == 0) {
		rc = read_path(r, v, key[0] == 'm' ? &r->cfg->main :
		    &r->cfg->root, key);
	} else {
		rc = bad(r, k, "unknown key '%s' (expected disable, "
		    "severity, fail-on, httpd-version, profile, mpm, main "
		    "or root)", key);
	}
	return rc;
}

static int
read_top(struct rd *r, yaml_node_t *root)
{
	return read_map(r, root, "the file must be a mapping (disable, "
	    "severity, fail-on, httpd-version, profile, mpm)", top_pair, NULL);
}

/* libyaml's problem mark, and with context the context it was in. */
static void
yaml_error(FILE *err, const char *path, const yaml_parser_t *p, int context)
{
	esc_printf(err, "%s:%lu:%lu: error: %s", path,
	    (unsigned long)p->problem_mark.line + 1,
	    (unsigned long)p->problem_mark.column + 1,
	    p->problem ? p->problem : "invalid YAML");
	if (context && p->context != NULL) {
		esc_printf(err, " (%s at line %lu, column %lu)", p->context,
		    (unsigned long)p->context_mark.line + 1,
		    (unsigned long)p->context_mark.column + 1);
	}
	fputc('\n', err);
}

/*
 * Whether the YAML in fp nests deeper than CONFIG_MAX_DEPTH, checked on
 * the event stream before anything is built (then reported); fp is
 * rewound.  The file needs four levels; libyaml's scanner spends time in
 * proportion to the depth on every token, so a file of a few hundred KB
 * of '[' would otherwise take minutes.  Syntax errors are left to the
 * loader, which reports them with their context.
 */
static int
too_deep(FILE *fp, const char *path, FILE *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, deep = 0, done = 0;

	if (!yaml_parser_initialize(&p)) {
		return 0;
	}
	yaml_parser_set_input_file(&p, fp);
	while (!done && !deep && yaml_parser_parse(&p, &ev)) {
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CONFIG_MAX_DEPTH) {
				esc_printf(err, "%s:%lu:%lu: error: nested more "
				    "than %d levels deep\n", path,
				    (unsigned long)ev.start_mark.line + 1,
				    (unsigned long)ev.start_mark.column + 1,
				    CONFIG_MAX_DEPTH);
				deep = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	rewind(fp);
	return deep;
}

static int
load(const char *path, struct config *cfg, struct config_profile *prof,
    FILE *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct rd r;
	FILE *fp;
	int rc = 0;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		esc_printf(err, "mpmlint: %s: %s\n", path, strerror(errno));
		return -2;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(fp);
		esc_printf(err, "mpmlint: %s: cannot initialise libyaml\n", path);
		return -1;
	}
	if (too_deep(fp, path, err)) {
		yaml_parser_delete(&parser);
		fclose(fp);
		return -1;
	}
	yaml_parser_set_input_file(&parser, fp);
	r.path = path;
	r.doc = &doc;
	r.err = err;
	r.cfg = cfg;
	r.prof = prof;
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(err, path, &parser, 1);
		yaml_parser_delete(&parser);
		fclose(fp);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL) {
		rc = prof != NULL ? read_profile_into(&r, root, prof) :
		    read_top(&r, root);
	}
	if (rc == 0 && root != NULL) {
		/* a second document would be silently ignored: refuse it */
		yaml_document_t next;

		yaml_document_delete(&doc);
		if (!yaml_parser_load(&parser, &next)) {
			yaml_error(err, path, &parser, 0);
			rc = -1;
		} else {
			yaml_node_t *n2 = yaml_document_get_root_node(&next);

			if (n2 != NULL) {
				r.doc = &next;
				rc = bad(&r, n2, "only one YAML document is "
				    "allowed");
			}
			yaml_document_delete(&next);
		}
	} else {
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (ferror(fp)) {
		esc_printf(err, "mpmlint: %s: read error\n", path);
		rc = -2;
	}
	fclose(fp);
	if (rc == 0 && cfg != NULL) {
		free(cfg->path);
		cfg->path = hconf_xstrdup(path);
	}
	return rc;
}

int
config_load(const char *path, struct config *cfg, FILE *err)
{
	return load(path, cfg, NULL, err);
}

int
config_load_profile(const char *path, struct config_profile *pr, FILE *err)
{
	int rc;

	memset(pr, 0, sizeof(*pr));
	rc = load(path, NULL, pr, err);
	if (rc != 0) {
		config_profile_free(pr);
	} else {
		pr->set = 1; /* named on the command line: wanted, even empty */
	}
	return rc;
}
