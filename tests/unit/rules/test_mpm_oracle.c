/*
 * test_mpm_oracle.c: a replay of tests/data/mpm-oracle-cases.txt through
 * the MPM model (rules/mpm_model.c): cases verified against Debian's
 * apache2 2.4.71, each with its arguments, httpd's AH messages, its
 * start-up error and the effective values (path from $MPM_CASES, run
 * from the tree root).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpm.h"

#define MAXADJ 32

/* ---- replay of the oracle cases ---- */

struct ocase {
	char		 name[128];
	int		 line;
	enum rules_mpm	 mpm;
	int		 buckets;
	char		 args[RULES_K__COUNT][256];
	struct rules_mpm_in in;
	char		 invalid[128];	/* first directive of another MPM */
	char		 ah[MAXADJ][400];
	size_t		 nah;
	char		 error[400];
	char		 eff[16][64];
	long long	 effv[16];
	size_t		 neff;
	long long	 spawn;
};

static int
fail_case(const struct ocase *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mpm-oracle-cases: case %s (line %d): ", c->name,
	    c->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* The model's value for one "eff" key of the oracle (see the file). */
static int
eff_value(const struct ocase *c, const struct rules_mpm_eff *e,
    const char *key, long long *v)
{
	enum rules_mpm_key k;

	if (strcmp(key, "active_daemons_limit") == 0) {
		*v = e->processes;
	} else if (strcmp(key, "MaxRequestWorkers") == 0) {
		*v = e->capacity;
	} else if (rules_mpm_key_lookup(key, &k) &&
	    rules_mpm_key_valid(c->mpm, k)) {
		*v = e->v[k];
	} else {
		return -1;
	}
	return 0;
}

static int
check_case(struct ocase *c)
{
	struct rules_mpm_eff eff;
	struct rules_mpm_adj adj[MAXADJ];
	char want[400];
	size_t i, n, nah;
	long long v;
	int rc, bad = 0, found;

	c->in.mpm = c->mpm;
	c->in.buckets = c->buckets;
	rc = rules_mpm_compute(&c->in, &eff, adj, MAXADJ, &n);
	if (n > MAXADJ) {
		return fail_case(c, "too many adjustments (%zu)", n);
	}
	if (c->error[0] != '\0') {
		if (c->invalid[0] != '\0') {
			snprintf(want, sizeof(want), "Invalid command '%s', "
			    "perhaps misspelled or defined by a module not "
			    "included in the server configuration",
			    c->invalid);
			if (strcmp(want, c->error) != 0) {
				bad |= fail_case(c, "httpd said \"%s\", model "
				    "expects an invalid command", c->error);
			}
			return bad;
		}
		found = 0;
		for (i = 0; i < n; i++) {
			if (adj[i].error && strcmp(adj[i].msg, c->error) == 0) {
				found = 1;
			}
		}
		if (rc != -1 || !found) {
			bad |= fail_case(c, "expected error \"%s\" (rc %d)",
			    c->error, rc);
		}
		return bad;
	}
	if (c->invalid[0] != '\0') {
		return fail_case(c, "%s is not valid for this MPM, but httpd "
		    "accepted it", c->invalid);
	}
	if (rc != 0) {
		bad |= fail_case(c, "model returned %d", rc);
	}
	nah = 0;
	for (i = 0; i < n; i++) {
		if (adj[i].ahid == NULL) {
			continue;
		}
		snprintf(want, sizeof(want), "%s %s", adj[i].ahid, adj[i].msg);
		if (nah >= c->nah) {
			bad |= fail_case(c, "extra warning: %s", want);
		} else if (strcmp(want, c->ah[nah]) != 0) {
			bad |= fail_case(c, "warning %zu:\n  httpd: %s\n  "
			    "model: %s", nah, c->ah[nah], want);
		}
		nah++;
	}
	if (nah < c->nah) {
		bad |= fail_case(c, "missing warning: %s", c->ah[nah]);
	}
	for (i = 0; i < c->neff; i++) {
		if (eff_value(c, &eff, c->eff[i], &v) != 0) {
			bad |= fail_case(c, "unknown eff key %s", c->eff[i]);
		} else if (v != c->effv[i]) {
			bad |= fail_case(c, "%s: httpd %lld, model %lld",
			    c->eff[i], c->effv[i], v);
		}
	}
	if (c->spawn >= 0 && c->spawn != eff.spawn) {
		bad |= fail_case(c, "initial children: httpd %lld, model %lld",
		    c->spawn, eff.spawn);
	}
	return bad;
}

/* Copy at most size - 1 bytes; the data file is ours, so truncation is a
 * test failure rather than silently accepted. */
static int
copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size) {
		return -1;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

/* Parse "conf NAME ARG" into the case; the last occurrence wins. */
static int
add_conf(struct ocase *c, char *s)
{
	enum rules_mpm_key k;
	char *arg, *end;

	arg = s;
	while (*arg != '\0' && *arg != ' ' && *arg != '\t') {
		arg++;
	}
	if (*arg != '\0') {
		*arg++ = '\0';
	}
	while (*arg == ' ' || *arg == '\t') {
		arg++;
	}
	end = arg + strlen(arg);
	while (end > arg && (end[-1] == ' ' || end[-1] == '\t')) {
		*--end = '\0';
	}
	if (!rules_mpm_key_lookup(s, &k)) {
		return fail_case(c, "unknown directive %s", s);
	}
	if (!rules_mpm_key_valid(c->mpm, k)) {
		if (c->invalid[0] == '\0' &&
		    copy(c->invalid, sizeof(c->invalid), s) != 0) {
			return fail_case(c, "directive name too long");
		}
		return 0;
	}
	if (copy(c->args[k], sizeof(c->args[k]), arg) != 0) {
		return fail_case(c, "argument too long");
	}
	c->in.set[k] = 1;
	c->in.raw[k] = c->args[k];
	return 0;
}

static void
test_oracle_cases(void **state)
{
	const char *path;
	struct ocase c;
	char buf[1024], *p, *sp;
	FILE *f;
	int lineno = 0, incase = 0, ncases = 0, bad = 0;
	size_t len;
	enum rules_mpm m;

	(void)state;
	path = getenv("MPM_CASES");
	if (path == NULL || *path == '\0') {
		path = "tests/data/mpm-oracle-cases.txt";
	}
	f = fopen(path, "r");
	if (f == NULL) {
		fail_msg("cannot open %s (run from the tree root or set "
		    "MPM_CASES)", path);
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		lineno++;
		len = strlen(buf);
		if (len > 0 && buf[len - 1] != '\n' && !feof(f)) {
			fail_msg("%s:%d: line too long", path, lineno);
		}
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] ==
		    '\r')) {
			buf[--len] = '\0';
		}
		if (buf[0] == '#' || buf[0] == '\0') {
			continue;
		}
		sp = strchr(buf, ' ');
		p = sp != NULL ? sp + 1 : buf + len;
		if (sp != NULL) {
			*sp = '\0';
		}
		if (strcmp(buf, "case") == 0) {
			if (incase) {
				fail_msg("%s:%d: case without end", path,
				    lineno);
			}
			memset(&c, 0, sizeof(c));
			c.spawn = -1;
			c.buckets = 1;
			c.line = lineno;
			if (copy(c.name, sizeof(c.name), p) != 0) {
				fail_msg("%s:%d: name too long", path, lineno);
			}
			incase = 1;
			continue;
		}
		if (!incase) {
			fail_msg("%s:%d: \"%s\" outside a case", path, lineno,
			    buf);
		}
		if (strcmp(buf, "mpm") == 0) {
			for (m = RULES_MPM_PREFORK; m <= RULES_MPM_EVENT; m++) {
				if (strcmp(p, rules_mpm_name(m)) == 0) {
					break;
				}
			}
			if (m > RULES_MPM_EVENT) {
				fail_msg("%s:%d: bad mpm %s", path, lineno, p);
			}
			c.mpm = m;
		} else if (strcmp(buf, "buckets") == 0) {
			c.buckets = atoi(p);
		} else if (strcmp(buf, "conf") == 0) {
			bad |= add_conf(&c, p);
		} else if (strcmp(buf, "ah") == 0) {
			if (c.nah >= MAXADJ ||
			    copy(c.ah[c.nah], sizeof(c.ah[0]), p) != 0) {
				fail_msg("%s:%d: bad ah line", path, lineno);
			}
			c.nah++;
		} else if (strcmp(buf, "error") == 0) {
			if (copy(c.error, sizeof(c.error), p) != 0) {
				fail_msg("%s:%d: bad error line", path, lineno);
			}
		} else if (strcmp(buf, "eff") == 0) {
			sp = strchr(p, ' ');
			if (sp == NULL || c.neff >= 16) {
				fail_msg("%s:%d: bad eff line", path, lineno);
			}
			*sp = '\0';
			if (copy(c.eff[c.neff], sizeof(c.eff[0]), p) != 0) {
				fail_msg("%s:%d: bad eff key", path, lineno);
			}
			c.effv[c.neff++] = strtoll(sp + 1, NULL, 10);
		} else if (strcmp(buf, "spawn") == 0) {
			c.spawn = strtoll(p, NULL, 10);
		} else if (strcmp(buf, "end") == 0) {
			if (c.mpm == RULES_MPM_NONE) {
				fail_msg("%s:%d: case without mpm", path,
				    lineno);
			}
			bad |= check_case(&c);
			ncases++;
			incase = 0;
		} else {
			fail_msg("%s:%d: unknown keyword %s", path, lineno,
			    buf);
		}
	}
	if (ferror(f)) {
		fclose(f);
		fail_msg("%s: read error", path);
	}
	fclose(f);
	if (incase) {
		fail_msg("%s: last case has no end", path);
	}
	if (ncases < 40) {
		fail_msg("%s: only %d cases", path, ncases);
	}
	if (bad) {
		fail_msg("%s: some of %d cases disagree (see above)", path,
		    ncases);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
