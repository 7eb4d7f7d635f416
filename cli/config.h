/*
 * config.h - mpmlint's project file, .mpmlint.yaml: where to find it and
 * what it may set (cli/ only).  The file format is in mpmlint.yaml(5).
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdio.h>

#include "rules.h"

#define CONFIG_NAME ".mpmlint.yaml"

/* Per-rule severity in struct config: a severity, or one of these. */
#define CONFIG_SEV_UNSET (-1)
#define CONFIG_SEV_OFF (-2)

/* A fail level: an hconf_severity, or this for "never". */
#define CONFIG_FAIL_NEVER (HCONF_SEV_FATAL + 1)

/* A service whose memory is set aside: size x count bytes. */
struct config_service {
	char *name;                       /* NULL when not named */
	unsigned long long size;          /* one instance */
	unsigned long long count;         /* php-fpm max-children; else 1 */
};

/* Bits of config_profile.given. */
#define CONFIG_PROF_PROCESS   0x01u
#define CONFIG_PROF_THREAD    0x02u
#define CONFIG_PROF_RESERVE   0x04u
#define CONFIG_PROF_RAM       0x08u
#define CONFIG_PROF_THRESHOLD 0x10u

/*
 * The memory profile that resource checks read (process-size,
 * thread-size, reserve, ram, threshold); sizes in bytes, valid when
 * their bit is in given.  reserve is the total of the services (or the
 * single size given), saturating.
 */
struct config_profile {
	int set;                          /* a profile: mapping was given */
	unsigned given;                   /* CONFIG_PROF_* */
	unsigned long long process_size;
	unsigned long long thread_size;
	unsigned long long reserve;
	unsigned long long ram;
	unsigned threshold;               /* percent, 1-100 */
	struct config_service *services;  /* the reserve list, if a list */
	size_t nservices;
};

struct config {
	char *path;                /* the file read; NULL: defaults only */
	int *sev;                  /* per catalogue index: a severity or CONFIG_SEV_* */
	size_t nsev;
	int fail_on;               /* -1 unset, else a fail level */
	char *httpd_version;       /* NULL: unset */
	enum rules_mpm mpm;        /* RULES_MPM_NONE: unset */
	char *main;                /* main: (mpmlint --lsp), made absolute
	                            * from the file's directory; NULL unset */
	char *root;                /* root: likewise */
	struct config_profile profile;
};

/** An empty configuration (every rule at its default). */
void config_init(struct config *);
void config_free(struct config *);

/**
 * Read path into cfg (initialised by the caller).  Returns 0; -1 after
 * writing "FILE:LINE:COL: error: MESSAGE" to err for a bad file; -2
 * after writing a message when the file cannot be read.
 */
int config_load(const char *path, struct config *cfg, FILE *err);

/**
 * Look for CONFIG_NAME in dir and each parent up to "/".  Returns the
 * path (caller frees), or NULL when there is none.
 */
char *config_find(const char *dir);

/**
 * The project file of the configuration file name (NULL or "-": stdin,
 * searched from the working directory): config_find() from its
 * directory.  With root (--root), name is the server's path, resolved
 * inside root, and a file found inside root is read where root resolves
 * it, never through a symlink out of the tree.  Caller frees; NULL when
 * there is none.
 */
char *config_locate(const char *name, const char *root);

/**
 * Read a memory profile file (--profile): one YAML mapping with the keys
 * of the profile: mapping of .mpmlint.yaml.  Returns 0, -1 or -2 as
 * config_load().  Free with config_profile_free().
 */
int config_load_profile(const char *path, struct config_profile *pr,
    FILE *err);
void config_profile_free(struct config_profile *);

/** "80" or "80%" (1-100) to a percentage; 0 or -1. */
int config_parse_percent(const char *s, unsigned *pct);

/** "64M" (K, M, G, T: powers of 1024) to bytes; 0 or -1 when invalid. */
int config_parse_size(const char *s, unsigned long long *bytes);
struct cli_arg;
/**
 * Option handler (struct cli_opt): a size above 0, as
 * config_parse_size() reads it, into the unsigned long long at
 * a->target.  CLI_NEXT, or cli_bad()'s status.
 */
int config_opt_size(const struct cli_arg *a);
/** error|warning|info|never to a fail level; 0 or -1. */
int config_parse_fail_on(const char *s, int *level);
/** error|warning|info|off to a severity or CONFIG_SEV_OFF; 0 or -1. */
int config_parse_severity(const char *s, int *sev);
/** prefork|worker|event; 0 or -1. */
int config_parse_mpm(const char *s, enum rules_mpm *mpm);

/** Index of r in rules_catalogue(). */
size_t config_rule_index(const struct rules_info *r);

#endif
