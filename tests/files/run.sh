#!/bin/sh
# run.sh - the checks of files and modules httpd makes (parser/files.c:
# HC071 module dependencies, HC072 mod_ssl's files, HC073 log
# directories) and where mpmlint looks for them: with --root only inside
# the tree (a file the tree lacks is a note that names the tree, never
# the host's file), without it on this machine (an error, as apache2 -t
# here).  Also: only active directives count (a false <IfModule>, mod_ssl
# not loaded), the last ErrorLog of a server counts, piped logs and
# syslog are not files, HC074 leaves a virtual host's DocumentRoot to
# HC081 (httpd's warning AH00112) and sem's relative directory alone,
# HC080 reads the module file's symbol table (the tree's under --root),
# a Listen host name is resolved (a failure is a note under --root),
# Suexec's wrapper is looked for in the tree (HC082),
# and parser/moddeps.def is what scripts/gen-moddeps.sh writes.  The verdicts themselves are compared
# with apache2 -t by tests/differential/files.py and the lint fixtures.
# The last line is "files: N passed, M failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
lib_need files "$M"
lib_tmpdir mpmlint-files
L="LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so"
SSL="LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so"
lint() { "$M" --no-config "$@"; }

# ---- --root: the tree, and nothing outside it ---------------------------
mkdir -p tree/etc/apache2 tree/etc/ssl tree/var/log/app
echo cert >tree/etc/ssl/c.pem
cat >tree/etc/apache2/apache2.conf <<EOF
$L
$SSL
SSLCertificateFile /etc/ssl/c.pem
ErrorLog /var/log/app/error.log
EOF
rc 0 "--root: a certificate and a log directory inside the tree" \
    lint --root tree /etc/apache2/apache2.conf
# /etc/passwd and /tmp exist on this machine, not in the tree
cat >tree/etc/apache2/apache2.conf <<EOF
$L
$SSL
SSLCertificateFile /etc/passwd
CustomLog /tmp/access.log combined
EOF
rc 0 "--root: files the tree lacks are notes (a checkout rarely holds them)" \
    lint --root tree /etc/apache2/apache2.conf
check "--root: HC072 and HC073 as notes naming the tree" \
    sh -c "grep -q 'info: SSLCertificateFile: file .*/etc/passwd.* under --root .*tree/etc/passwd only.*HC072' rc.out &&
        grep -q 'info: Cannot access directory ./tmp/. .*under --root.*HC073' rc.out"
rc 1 "--root: the notes fail --fail-on info" \
    lint --fail-on info --root tree /etc/apache2/apache2.conf

# ---- without --root: this machine, errors as apache2 -t ------------------
cat >a.conf <<EOF
$L
$SSL
SSLCertificateFile $T/tree/etc/ssl/c.pem
SSLCertificateKeyFile $T/empty.key
ErrorLog $T/nodir/error.log
EOF
: >empty.key
rc 1 "no --root: missing and empty files are errors" lint a.conf
check "no --root: the empty key (HC072) and the log directory (HC073)" \
    sh -c "grep -q 'a.conf:4:23: error: SSLCertificateKeyFile: file .*empty.key. does not exist or is empty .looked for on this machine' rc.out &&
        grep -q 'a.conf:5:10: error: Cannot access directory .*nodir/. for main error log' rc.out &&
        ! grep -q 'c.pem' rc.out"

# ---- only what httpd reads ----------------------------------------------
cat >b.conf <<EOF
$L
SSLCertificateFile $T/none.pem
<IfModule ssl_module>
SSLCertificateKeyFile $T/none.key
</IfModule>
<IfDefine NEVER>
ErrorLog $T/nodir/e.log
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
</IfDefine>
ErrorLog $T/nodir/e.log
ErrorLog $T/e.log
<VirtualHost *:80>
ErrorLog "|/bin/cat"
CustomLog "|/bin/cat" common
</VirtualHost>
<VirtualHost *:81>
ErrorLog syslog:local1
</VirtualHost>
EOF
lint b.conf >b.out
check "inactive lines, no mod_ssl, a later ErrorLog, pipes and syslog: quiet" \
    hasnt b.out 'HC07[123]'
cat >c.conf <<EOF
$L
<VirtualHost *:80>
ErrorLog $T/nodir/v.log
</VirtualHost>
LoadModule dav_lock_module /usr/lib/apache2/modules/mod_dav_lock.so
LoadModule dav_module /usr/lib/apache2/modules/mod_dav.so
EOF
rc 1 "a vhost's ErrorLog, dav_lock before dav" lint c.conf
check "the vhost's line is named, dav_lock needs dav" \
    sh -c "grep -q 'error log of vhost defined at c.conf:2' rc.out &&
        grep -q 'c.conf:5:12: error: Cannot load .*undefined symbol: dav_push_error (dav_module must be loaded before dav_lock_module) .HC071' rc.out"

cat >d.conf <<EOF
$L
<VirtualHost *:80>
DocumentRoot $T/none
</VirtualHost>
Mutex sem:none default
Mutex file:none default
EOF
rc 1 "HC074: a vhost's DocumentRoot and sem's relative directory pass" \
    lint d.conf
check "HC074: only the file: Mutex, relative to ServerRoot" \
    sh -c "[ \$(grep -c HC074 rc.out) = 1 ] &&
        grep -q 'd.conf:6:7: error: Invalid Mutex directory in argument file:none' rc.out"

check "HC081: the vhost's DocumentRoot is httpd's warning AH00112" \
    grep -q "d.conf:3:14: warning: Warning: DocumentRoot \\[$T/none\\] does not exist .*HC081" rc.out
mkdir -p tree/srv/www
cat >tree/etc/apache2/apache2.conf <<EOF
$L
<VirtualHost *:80>
DocumentRoot /srv/www
</VirtualHost>
<VirtualHost *:81>
DocumentRoot /tmp
</VirtualHost>
EOF
rc 0 "--root: a vhost's DocumentRoot in the tree; one only on the host" \
    lint --root tree /etc/apache2/apache2.conf
check "--root: the vhost's DocumentRoot the tree lacks is a note naming it" \
    sh -c "[ \$(grep -c HC081 rc.out) = 1 ] &&
        grep -q ':6:14: info: Warning: DocumentRoot .*/tmp.*under --root .*tree/tmp only.*HC081' rc.out"

# ---- many DocumentRoots in one directory: one listing, stat's answers ----
# parser/dirlist.c answers from a listing of the directory once it has been
# asked about 16 times; every kind of entry must get stat()'s verdict.
mkdir -p many
i=0
while [ $i -lt 40 ]; do
	mkdir -p many/d$i
	i=$((i + 1))
done
echo x >many/reg
: >many/empty
ln -s d1 many/ldir
ln -s gone many/dang
mkfifo many/fifo 2>/dev/null || : >many/fifo
{
	echo "$L"
	echo "ServerName many.test"
	echo "Listen 127.0.0.1:18099"
	echo "ErrorLog $T/many/d0/error.log"
	echo "PidFile $T/many/d0/httpd.pid"
	i=0
	for d in d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 d10 d11 d12 d13 d14 d15 d16 \
	    missing reg empty ldir dang fifo d17 missing2 d39 . .. d1/ d2//; do
		echo "<VirtualHost *:80>"
		echo "DocumentRoot $T/many/$d"
		echo "ErrorLog $T/many/$d/error-$i.log"
		echo "</VirtualHost>"
		i=$((i + 1))
	done
} >many.conf
rc 1 "a directory asked about 29 times: the lint runs" lint many.conf
sed -n 's/.*DocumentRoot \[\([^]]*\)\] does not exist.*/\1/p' rc.out |
    sort >many.got
for d in missing reg empty dang fifo missing2; do
	echo "$T/many/$d"
done | sort >many.want
check "HC081 for exactly the names that are not directories" \
    cmp -s many.got many.want
check "HC073 for the log directories that are not directories" \
    sh -c "[ \$(grep -c 'Cannot access directory' rc.out) = 6 ]"
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=getdents64 -o many.trace "$M" --no-config many.conf \
	    >/dev/null 2>&1
	check "the directory was listed instead of stat()ed name by name" \
	    grep -q 'getdents64' many.trace
else
	echo "skipped: the listing itself (no strace)"
fi
if command -v apache2 >/dev/null 2>&1; then
	apache2 -t -f "$T/many.conf" -d "$T" >many.httpd 2>&1
	sed -n 's/.*DocumentRoot \[\([^]]*\)\] does not exist.*/\1/p' \
	    many.httpd | sort >many.httpd.got
	check "apache2 -t warns about the same DocumentRoots" \
	    cmp -s many.httpd.got many.want
else
	echo "skipped: apache2 -t on the many-directories file (no apache2)"
fi

# ---- HC080: the module structure is in the file LoadModule names --------
MODS=/usr/lib/apache2/modules
if [ -f $MODS/mod_alias.so ] && [ -f $MODS/mod_rewrite.so ]; then
	cat >e.conf <<EOF
$L
LoadModule rewrite_module $MODS/mod_alias.so
EOF
	rc 1 "HC080: rewrite_module from mod_alias.so" lint e.conf
	check "HC080: httpd's message at the module name" \
	    sh -c "[ \$(grep -c HC080 rc.out) = 1 ] &&
	        grep -q \"e.conf:2:12: error: Can't locate API module structure .rewrite_module' in file $MODS/mod_alias.so: $MODS/mod_alias.so: undefined symbol: rewrite_module .HC080\" rc.out"
	# under --root only the tree's file is read: the host's mod_alias.so
	# holds no rewrite_module, the tree's "mod_alias.so" does
	mkdir -p tree$MODS
	cp $MODS/mod_mpm_event.so tree$MODS/
	cp $MODS/mod_rewrite.so tree$MODS/mod_alias.so
	cp e.conf tree/etc/apache2/apache2.conf
	lint --root tree /etc/apache2/apache2.conf >root.out 2>&1
	check "--root: HC080 reads the tree's file, not the host's" \
	    hasnt root.out 'HC0[78]0'
	cp $MODS/mod_alias.so tree$MODS/mod_alias.so
	rc 1 "--root: the tree's mod_alias.so lacks rewrite_module" \
	    lint --root tree /etc/apache2/apache2.conf
	check "--root: HC080 names the server's path" \
	    grep -q "apache2.conf:2:12: error: Can't locate API module structure .rewrite_module' in file $MODS/mod_alias.so" rc.out
	# files that are no module are not judged: a text file, a PIE
	printf 'not an ELF file, long enough to be read as a header at all\n' \
	    >junk.so
	cat >f.conf <<EOF
$L
LoadModule rewrite_module $T/junk.so
LoadModule alias_module /bin/true
EOF
	lint f.conf >f.out 2>&1
	check "HC080: a text file and a PIE executable are not judged" \
	    hasnt f.out HC080
else
	echo "skipped: HC080 checks (no Debian apache2 modules here)"
fi

# ---- Listen host names: resolved as httpd does, a note under --root -----
cat >g.conf <<EOF
$L
Listen localhost:24510
Listen nosuchhost.invalid:24511
EOF
RES_OPTIONS="timeout:1 attempts:1" rc 1 "Listen: a name that does not resolve is httpd's error" lint g.conf
check "Listen: localhost resolves, nosuchhost.invalid is AH00077's Listen setup failed" \
    sh -c "[ \$(grep -c MPM063 rc.out) = 1 ] &&
        grep -q 'g.conf:3:8: error: Listen setup failed (.*AH00077: alloc_listener: failed to set up sockaddr for nosuchhost.invalid) .MPM063' rc.out"
cp g.conf tree/etc/apache2/apache2.conf
RES_OPTIONS="timeout:1 attempts:1" rc 0 "--root: a Listen name that fails here is a note" \
    lint --root tree /etc/apache2/apache2.conf
check "--root: the note says the server may resolve it" \
    grep -q ':3:8: info: Listen nosuchhost.invalid: the host name does not resolve on this machine .*(--root) may resolve it .MPM063' rc.out

# ---- HC082: Suexec needs the wrapper, looked for in the tree ------------
if [ ! -e /usr/lib/apache2/suexec ]; then
	cat >h.conf <<EOF
$L
Suexec On
EOF
	rc 1 "HC082: Suexec On without the wrapper on this machine" lint h.conf
	check "HC082: httpd's message" \
	    grep -q "h.conf:2:8: error: suEXEC isn't supported: Missing suexec binary /usr/lib/apache2/suexec .HC082" rc.out
	cp h.conf tree/etc/apache2/apache2.conf
	rc 0 "--root: a wrapper the tree lacks is a note" \
	    lint --root tree /etc/apache2/apache2.conf
	check "--root: the note names the tree" \
	    grep -q ":2:8: info: suEXEC isn't supported: Missing suexec binary .*under --root .*HC082" rc.out
	mkdir -p tree/usr/lib/apache2
	cp /bin/true tree/usr/lib/apache2/suexec
	chmod 4755 tree/usr/lib/apache2/suexec
	if [ "$(id -u)" = 0 ]; then
		rc 0 "--root: the tree's setuid-root wrapper is enough" \
		    lint --root tree /etc/apache2/apache2.conf
		check "--root: no HC082 with the tree's wrapper" hasnt rc.out HC082
	fi
else
	echo "skipped: HC082 checks (this machine has a suexec wrapper)"
fi

# ---- the dependency table is the generator's output ---------------------
if [ -d /etc/apache2/mods-available ] && [ -x /usr/sbin/apache2 ]; then
	sh "$ROOT/scripts/gen-moddeps.sh" >moddeps.def 2>/dev/null
	check "parser/moddeps.def is what scripts/gen-moddeps.sh writes" \
	    cmp -s moddeps.def "$ROOT/parser/moddeps.def"
else
	echo "skipped: moddeps.def regeneration (no Debian apache2 here)"
fi
lib_summary files
