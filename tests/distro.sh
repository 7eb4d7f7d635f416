#!/bin/sh
# distro.sh - mpmlint --root on distribution layouts: Debian's stock
# /etc/apache2 as the package installs it (and switched to prefork the
# way a2dismod/a2enmod do), and a RHEL-style conf.modules.d tree.
B=${B:-build}
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

check() { # name expected-json-fragment... ; reads $out
	name=$1
	shift
	ok=1
	for frag in "$@"; do
		case "$out" in
		*"$frag"*) ;;
		*) ok=0; echo "FAIL $name: missing $frag" ;;
		esac
	done
	case "$out" in
	*'"error": 0,'*) ;;
	*) ok=0; echo "FAIL $name: errors reported"; printf '%s\n' "$out" | head -20 ;;
	esac
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

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
	check debian-event '"mpm": "event"' '"MaxRequestWorkers": 150' \
	    '"StartServers": 2' '"MinSpareThreads": 25' '"MaxSpareThreads": 75' \
	    '"ThreadsPerChild": 25' '"processes": 6'
	# a2dismod mpm_event; a2enmod mpm_prefork
	rm -f "$e/mpm_event.load" "$e/mpm_event.conf"
	ln -s ../mods-available/mpm_prefork.load "$e/mpm_prefork.load"
	ln -s ../mods-available/mpm_prefork.conf "$e/mpm_prefork.conf"
	out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/deb" \
	    "$tmp/deb/etc/apache2/apache2.conf")
	check debian-prefork '"mpm": "prefork"' '"MaxRequestWorkers": 150' \
	    '"StartServers": 5' '"MinSpareServers": 5' '"MaxSpareServers": 10'
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
check rhel-event '"mpm": "event"' '"MaxRequestWorkers": 400' '"ServerLimit": 16'
sed -i 's/^LoadModule mpm_event/#LoadModule mpm_event/; s/^#LoadModule mpm_worker/LoadModule mpm_worker/' \
    "$r/conf.modules.d/00-mpm.conf"
out=$("$B/mpmlint" --fail-on never -f json --root "$tmp/rhel" "$r/conf/httpd.conf")
check rhel-worker '"mpm": "worker"' '"MaxRequestWorkers": 400'

echo "distro: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
