/*
 * vars.c - variables as httpd reads them: Define and UnDefine, ${VAR}
 * expansion of each line (ap_resolve_env, with caps against inputs that
 * blow up), and the NAME=value lines of Debian's envvars.  Nothing here
 * prints.
 */
#include <stdlib.h>
#include <string.h>

#include "hconf_int.h"

/*
 * Caps against tiny inputs that blow up (httpd has none; they are far
 * above real configurations).  A line that ${VAR} expansion would make
 * longer than EXPAND_LINE_MAX, or an expansion that would take all the
 * expanded lines together past EXPAND_TOTAL_BASE plus EXPAND_TOTAL_FACTOR
 * times the bytes read, stays as written (HC024): a chain of Defines that
 * each double the last would otherwise need gigabytes.
 */
#define EXPAND_LINE_MAX ((size_t)1 << 20)
#define EXPAND_TOTAL_BASE ((size_t)64 << 20)
#define EXPAND_TOTAL_FACTOR 16

/* ---- variables ------------------------------------------------------ */

static const char *
lookup_var(struct hconf_doc *doc, const char *name)
{
	const struct define *d = defmap_get(&doc->defines, name);
	const struct define *e = doc->envvars.v;
	size_t i;

	/* A Define without a value is not a variable. */
	if (d != NULL && d->value != NULL) {
		return d->value;
	}
	for (i = doc->envvars.n; i-- > 0;) {
		if (strcmp(e[i].name, name) == 0) {
			return e[i].value;
		}
	}
	if (!doc->opts.no_env) {
		return getenv(name);
	}
	return NULL;
}

/*
 * Whether expanding ${name} at s would make the line need bytes bytes,
 * past one of the caps (EXPAND_LINE_MAX and the total); if so, report
 * it.  Past the total cap nothing is expanded any more.
 */
static int
expand_capped(struct reader *rd, const char *s, const char *name,
    size_t bytes)
{
	struct hconf_doc *doc = rd->doc;
	size_t total = EXPAND_TOTAL_BASE +
	    EXPAND_TOTAL_FACTOR * doc->input_bytes;
	uint32_t off;

	if (bytes <= EXPAND_LINE_MAX && doc->expand_bytes + bytes <= total) {
		return 0;
	}
	off = lline_src(&rd->ll, (uint32_t)(s - (rd->ll.text + rd->ll.lead)));
	if (bytes > EXPAND_LINE_MAX) {
		diag_add(doc, HCONF_D_EXPAND_LIMIT, rd->fid, off,
		    rd->ll.last_line, "expanding ${%s} would make this line "
		    "longer than %zu bytes: mpmlint leaves the line as "
		    "written (a cap against inputs that blow up; httpd has "
		    "none)", name, EXPAND_LINE_MAX);
	} else {
		doc->expand_capped = 1;
		diag_add(doc, HCONF_D_EXPAND_LIMIT, rd->fid, off,
		    rd->ll.last_line, "expanding ${%s} would take all "
		    "expanded lines past %zu bytes (64 MiB plus 16 times the "
		    "%zu bytes read): mpmlint expands no variable from here "
		    "on (a cap against inputs that blow up; httpd has none)",
		    name, total, doc->input_bytes);
	}
	return 1;
}

/*
 * ap_resolve_env: replace each ${NAME} that is defined; leave the others
 * as written and warn (AH00111), except names with ':' (RewriteMap).
 * Returns NULL when nothing changed.  dollar: the first '$' in s (see
 * vars_resolve() in hconf_int.h).
 */
char *
vars_resolve_slow(struct reader *rd, const char *s, const char *dollar,
    int warn)
{
	struct hconf_doc *doc = rd->doc;
	size_t cap, len = 0;
	char *out;
	int changed = 0;

	/* any "${" starts at or after the first '$' */
	if (strstr(dollar, "${") == NULL || doc->expand_capped) {
		return NULL;
	}
	cap = strlen(s) + 64;
	out = hconf_xmalloc(cap);
#define OUT_PUT(src, n) do {                                          \
	size_t n_ = (n);                                                  \
	if (len + n_ + 1 > cap) {                                         \
		while (len + n_ + 1 > cap) cap *= 2;                          \
		out = hconf_xrealloc(out, cap);                               \
	}                                                                 \
	memcpy(out + len, (src), n_);                                     \
	len += n_;                                                        \
} while (0)
	while (*s) {
		const char *e;

		if (s[0] == '$' && s[1] == '{' && (e = strchr(s + 2, '}'))) {
			char *name = hconf_xmalloc((size_t)(e - s - 2) + 1);
			const char *v;

			memcpy(name, s + 2, (size_t)(e - s - 2));
			name[e - s - 2] = '\0';
			v = lookup_var(doc, name);
			if (v != NULL && expand_capped(rd, s, name,
			    len + strlen(v))) {
				free(name);
				free(out);
				return NULL;
			}
			if (v != NULL) {
				OUT_PUT(v, strlen(v));
				changed = 1;
			} else {
				OUT_PUT(s, (size_t)(e - s + 1));
				if (warn && strchr(name, ':') == NULL) {
					uint32_t off = lline_src(&rd->ll,
					    (uint32_t)(s - (rd->ll.text +
					    rd->ll.lead)));
					struct hconf_diag *d;

					d = diag_add(doc, HCONF_D_UNDEF_VAR,
					    rd->fid, off, rd->ll.last_line,
					    "Config variable ${%s} is not "
					    "defined", name);
					d->httpd = "AH00111";
					if (strstr(name, "?=") != NULL) {
						diag_add(doc, HCONF_D_VAR_DEFAULT,
						    rd->fid, off,
						    rd->ll.last_line,
						    "${%s}: the ?= default "
						    "syntax exists only in "
						    "httpd trunk", name);
					}
				}
			}
			free(name);
			s = e + 1;
		} else {
			OUT_PUT(s, 1);
			s++;
		}
	}
#undef OUT_PUT
	out[len] = '\0';
	if (!changed) {
		free(out);
		return NULL;
	}
	doc->expand_bytes += len;
	return out;
}

static void
define_set(struct hconf_doc *doc, const char *name, const char *value)
{
	defmap_set(&doc->defines, &doc->a, name, value);
}

static void
define_unset(struct hconf_doc *doc, const char *name)
{
	defmap_unset(&doc->defines, name);
}

int
vars_is_defined(struct hconf_doc *doc, const char *name)
{
	return hconf_doc_define(doc, name) != NULL;
}

/*
 * Debian's envvars is a shell script httpd never reads; apache2ctl
 * sources it.  Take its NAME=value assignments, expanding $VAR and
 * ${VAR} from earlier ones, which covers the stock file.
 */
void
vars_load_envvars(struct hconf_doc *doc, const char *real)
{
	char *buf, *line, *next;
	size_t len;
	const char *why;

	if (doc_slurp(doc, real, real, &buf, &len, NULL, &why) == -1) {
		return;
	}
	for (line = buf; line != NULL && *line; line = next) {
		char *p = line, *eq, *v, *o, *val;
		struct define d;

		next = strchr(line, '\n');
		if (next != NULL) {
			*next++ = '\0';
		}
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (strncmp(p, "export ", 7) == 0) {
			p += 7;
		}
		eq = p;
		while ((*eq >= 'A' && *eq <= 'Z') || (*eq >= 'a' && *eq <= 'z') ||
		    (*eq >= '0' && *eq <= '9') || *eq == '_') {
			eq++;
		}
		if (eq == p || *eq != '=') {
			continue;
		}
		*eq = '\0';
		v = eq + 1;
		val = o = arena_alloc(&doc->a, strlen(v) * 4 + 256);
		while (*v && *v != ' ' && *v != '\t' && *v != ';' && *v != '#') {
			if (*v == '"' || *v == '\'') {
				v++;
				continue;
			}
			if (*v == '$') {
				char name[128];
				size_t n = 0;
				const char *found;
				int brace = v[1] == '{';

				v += brace ? 2 : 1;
				while (n < sizeof(name) - 1 && (*v == '_' ||
				    (*v >= 'A' && *v <= 'Z') ||
				    (*v >= 'a' && *v <= 'z') ||
				    (*v >= '0' && *v <= '9'))) {
					name[n++] = *v++;
				}
				name[n] = '\0';
				if (brace) {
					while (*v && *v != '}') {
						v++;
					}
					if (*v == '}') {
						v++;
					}
				}
				found = NULL;
				{
					const struct define *e = doc->envvars.v;
					size_t i;

					for (i = doc->envvars.n; i-- > 0;) {
						if (strcmp(e[i].name, name) == 0) {
							found = e[i].value;
							break;
						}
					}
				}
				if (found != NULL && strlen(found) < 128) {
					o = stpcpy(o, found);
				}
				continue;
			}
			*o++ = *v++;
		}
		*o = '\0';
		d.name = arena_strdup(&doc->a, p);
		d.value = val;
		vec_push(&doc->envvars, &d);
	}
}

void
vars_define(struct reader *rd, struct hconf_node *n, int undef)
{
	struct hconf_doc *doc = rd->doc;

	if (undef ? n->nargs != 1 : (n->nargs < 1 || n->nargs > 2)) {
		diag_at(rd, HCONF_D_ARGS, n->name.off, "%s", undef ?
		    "UnDefine takes one argument, Undefine the existence of a "
		    "variable. Undo a Define." :
		    "Define takes 1-2 arguments, Define a variable, optionally "
		    "to a value.  Same as passing -D to the command line.", NULL);
		return;
	}
	if (strchr(n->args[0].value, ':') != NULL) {
		diag_at(rd, HCONF_D_DEFINE_COLON, n->args[0].raw.off, "%s",
		    "Variable name must not contain ':'", NULL);
		return;
	}
	if (undef) {
		define_unset(doc, n->args[0].value);
	} else if (n->nargs == 2) {
		define_unset(doc, n->args[0].value);
		define_set(doc, n->args[0].value, n->args[1].value);
	} else if (!vars_is_defined(doc, n->args[0].value)) {
		/* a bare Define keeps a value set earlier, as httpd does */
		define_set(doc, n->args[0].value, NULL);
	}
}
