#include <stdio.h>
#include <stdlib.h>

#include <hconf.h>

int
main(int argc, char *argv[])
{
	struct hconf_options opts = {0};
	struct hconf_doc *doc;
	const struct hconf_diag *d;
	const struct hconf_file *f;
	size_t i, n;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s file\n", argv[0]);
		return 3;
	}
	opts.server_root = "/etc/apache2";
	doc = hconf_parse_file(argv[1], &opts);

	d = hconf_doc_diags(doc, &n);
	for (i = 0; i < n; i++) {
		f = hconf_doc_file(doc, d[i].file_id);
		fprintf(stderr, "%s:%u:%u: %s: %s [%s]\n", f->path,
		    (unsigned)d[i].line, (unsigned)d[i].col,
		    hconf_severity_name(d[i].sev), d[i].msg,
		    d[i].info->id);
		if (d[i].sev == HCONF_SEV_FATAL)
			rc = 2;
	}

	if (rc == 0 && (hconf_print_file(doc, 0, stdout) == -1 ||
	    fflush(stdout) == EOF)) {
		perror("write");
		rc = 2;
	}
	hconf_doc_free(doc);
	return rc;
}
