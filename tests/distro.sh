#!/bin/sh
# distro.sh - mpmlint --root on distribution layouts: Debian's stock
# /etc/apache2 as the package installs it (and switched to prefork the
# way a2dismod/a2enmod do), and a RHEL-style conf.modules.d tree.
B=${B:-build}
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# check NAME KEY=VALUE...: mpmlint's JSON in $out has effective.KEY equal
# to VALUE (numbers compared as numbers: 6 is not 60) and no error
check() {
	name=$1
	shift
	if [ -z "$python" ]; then
		echo "skipped: $name (python3 not installed, JSON not parsed)"
		return
	fi
	args="summary.error=0"
	for kv in "$@"; do
		args="$args effective.$kv"
	done
	# shellcheck disable=SC2086
	if why=$(printf '%s\n' "$out" | "$python" tests/lib/jsoncheck.py $args); then
		pass=$((pass + 1))
	else
		printf '%s\n' "$why" | sed "s/^/FAIL $name: /"
		fail=$((fail + 1))
	fi
}
python=$(command -v python3 || true)

if [ -f /etc/apache2/apache2.conf ] && [ -f /usr/share/apache2/apache2.conf.in -o -d /etc/apache2/mods-available ]; then
	mkdir -p "$tmp/deb/etc"
	cp -a /etc/apache2 "$tmp/deb/etc/"
	# the stock package enables mpm_event; make sure that is what we test
	e="$tmp/deb/etc/apache2/mods-enabled"
	rm -f "$e"/mpm_*.load "$e"/mpm_*.conf
	ln -s ../mods-available/mpm_event.load "$e/mpm_event.load"
	ln -s ../mods-available/mpm_event.conf "$e/mpm_event.conf"
	out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/deb" \
	    "$tmp/deb/etc/apache2/apache2.conf")
	check debian-event mpm=event MaxRequestWorkers=150 StartServers=2 \
	    MinSpareThreads=25 MaxSpareThreads=75 ThreadsPerChild=25 \
	    ThreadLimit=64 ServerLimit=16 processes=6
	# a2dismod mpm_event; a2enmod mpm_prefork
	rm -f "$e/mpm_event.load" "$e/mpm_event.conf"
	ln -s ../mods-available/mpm_prefork.load "$e/mpm_prefork.load"
	ln -s ../mods-available/mpm_prefork.conf "$e/mpm_prefork.conf"
	out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/deb" \
	    "$tmp/deb/etc/apache2/apache2.conf")
	check debian-prefork mpm=prefork MaxRequestWorkers=150 StartServers=5 \
	    MinSpareServers=5 MaxSpareServers=10 ServerLimit=256 processes=150
else
	echo "skipped: Debian's apache2 package is not installed (/etc/apache2)"
fi

# RHEL/Fedora layout, written here: ServerRoot /etc/httpd, the MPM chosen
# in conf.modules.d/00-mpm.conf, the others commented out.
r="$tmp/rhel/etc/httpd"
mkdir -p "$r/conf" "$r/conf.modules.d" "$r/conf.d" "$tmp/rhel/usr/lib64/httpd/modules"
cat > "$r/conf/httpd.conf" <<'CONF'
ServerRoot "/etc/httpd"
Listen 80
Include conf.modules.d/*.conf
User apache
Group apache
IncludeOptional conf.d/*.conf
CONF
cat > "$r/conf.modules.d/00-mpm.conf" <<'CONF'
# Select the MPM module which should be used by uncommenting exactly
# one of the following LoadModule lines.

# prefork MPM: Implements a non-threaded, pre-forking web server
#LoadModule mpm_prefork_module modules/mod_mpm_prefork.so

# worker MPM: Multi-Processing Module implementing a hybrid
#LoadModule mpm_worker_module modules/mod_mpm_worker.so

# event MPM: A variant of the worker MPM
LoadModule mpm_event_module modules/mod_mpm_event.so
CONF
out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/rhel" "$r/conf/httpd.conf")
check rhel-event mpm=event MaxRequestWorkers=400 ServerLimit=16 \
    ThreadsPerChild=25 processes=16
sed -i 's/^LoadModule mpm_event/#LoadModule mpm_event/; s/^#LoadModule mpm_worker/LoadModule mpm_worker/' \
    "$r/conf.modules.d/00-mpm.conf"
out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/rhel" "$r/conf/httpd.conf")
check rhel-worker mpm=worker MaxRequestWorkers=400 ServerLimit=16 \
    ThreadsPerChild=25 processes=16

echo "distro: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
