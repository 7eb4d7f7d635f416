#!/usr/bin/env python3
"""readtime.py - mpmlint against real "apache2 -t" on what httpd refuses
while it reads the configuration: the Error directive, <If>/<ElseIf>/
<Else> (ap_expr conditions and their chains), Listen's arguments, and
the argument checks of core and the MPMs.

Each case is a few lines after a fixed head (the event MPM, ServerName,
ErrorLog and PidFile under a temporary ServerRoot; no Listen unless the
case has one, so -t never binds).  Both tools read the same file:

  (1) verdict: apache2 -t exits non-zero <=> mpmlint has a fatal finding
      (severity error, httpd id none or AH00526/AH00534/AH00013).
  (2) both fail: httpd's error (its first and only one) and mpmlint's
      first fatal finding by line have the same line, the same id
      (AH00526, or none for the read-time "apache2: Syntax error"
      form), and mpmlint's message starts with httpd's text.  A case
      where httpd's expression scanner jams ("flex scanner jammed",
      exit status 2) must give that message.
  (3) both pass: the AH ids -t prints equal those of mpmlint's findings
      (less the ids -t never prints).

The shapes: a fixed list of expressions (every construct, every error
class) and --count random token soups in <If>; Error in read and unread
parts; <If>/<ElseIf>/<Else> chains across scopes; Listen forms; values
of core and MPM directives; and a sweep that gives every server-level
directive of the compiled-in modules (rules/directives.def) the values
bogus, -1, 0, 99999999999, "1 2 3", nothing and On, at the server
level and (bogus and nothing) inside <VirtualHost>, <Directory>,
<Location>, <Files> and <If>; the same over Debian's usual loadable
modules (mod_alias, mod_deflate, mod_setenvif ...), less the directives
in KNOWN_GAPS (none left), and cases for each module handler's own
checks (mod_headers, mod_rewrite, mod_alias, mod_remoteip,
mod_reqtimeout, mod_expires, mod_autoindex, mod_filter, mod_env):
--module-sweep runs those alone.  mpmlint gets httpd's ServerRoot (-d).

Cases are generated from a seed (--seed, --count for the random
expressions) and are the same on every run; --show I prints case I.
Output: one FAIL line per disagreement and the final line
"differential-readtime: N passed, M failed".  Standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
sys.dont_write_bytecode = True          # no __pycache__ in tests/lib
import tally  # noqa: E402

NOT_UNDER_T = {
    "AH00161", "AH00287", "AH10159", "AH00486", "AH00286", "AH00484",
    "AH00288", "AH03490", "AH02435", "AH02436", "AH00060",
    "AH00188", "AH00324", "AH00521", "AH00545",
}
FATAL_IDS = {"AH00526", "AH00534", "AH00013"}
MODDIR = "/usr/lib/apache2/modules"


def q(expr):
    """An <If> argument in double quotes, escaped for httpd's splitter."""
    return '"' + expr.replace("\\", "\\\\").replace('"', '\\"') + '"'


def if_case(expr):
    return ["<If %s>" % q(expr), "</If>"]


# -- expressions: a fixed list (one of each construct) and random soup --

FIXED_EXPRS = [
    "true", "false", "!true", "true && false", "true || false",
    "(true)", "((true) && !(false))", "not true", "true and false or true",
    "1 == 1", "1 -eq 1", "1 -ne 2", "1 -lt 2", "1 -le 2", "1 -gt 2",
    "1 -ge 2", "1 lt 2", "'a' == 'a'", "'a' != 'b'", "'a' < 'b'",
    "'a' <= 'b'", "'a' > 'b'", "'a' >= 'b'", "'a' = 'a'",
    "%{REQUEST_URI} =~ /^\\/x/", "%{REQUEST_URI} !~ m#^/x#i",
    "%{HTTP_HOST} =~ m|a|", "%{QUERY_STRING} =~ /(?<n>a)(?<n>b)/",
    "%{QUERY_STRING} =~ /(/", "%{QUERY_STRING} =~ /[a/",
    "%{QUERY_STRING} =~ /a{2,1}/", "%{QUERY_STRING} =~ /abc",
    "%{REQUEST_METHOD} -in {'GET','HEAD'}", "'a' in {'a'}",
    "'a' -in {}", "'a' -in {'a',}", "'a' -in tolower('A')",
    "'a' -in PeerExtList('x')", "-n %{QUERY_STRING}", "-z ''",
    "-f '/etc/passwd'", "-d '/'", "-e '/x'", "-s '/x'", "-L '/x'",
    "-h '/x'", "-x '/x'", "-F '/x'", "-U '/x'", "-A '/x'", "-T 'on'",
    "-R '10.0.0.0/8'", "-R '10.1'", "-R 'x'", "-R %{REMOTE_ADDR}",
    "-R '10.0.0.0/33'", "-R '10.0.0.0/255.0.0.0'", "-R '::1/64'",
    "-R '::ffff:1.2.3.4'", "-R 1", "-Q 'a'", "-nn 'a'",
    "%{REMOTE_ADDR} -ipmatch '192.168.1.0/24'",
    "%{REMOTE_ADDR} -IPMATCH '192.168.1.0/24'",
    "%{REMOTE_ADDR} -ipmatch 'nonsense'", "%{REMOTE_ADDR} -ipmatch 1",
    "'a' -strmatch 'a*'", "'a' -strcmatch 'A*'", "'a' -fnmatch '*'",
    "'a' -foo 'b'", "%{FOO} == 1", "%{foo_bar} == 1",
    "%{request_uri} == 1", "%{TIME_YEAR} -gt 2000", "%{HTTPS} == 'on'",
    "%{SSL_CIPHER} == 'x'", "%{HC_X} == 1", "%{tolower:X} == 'x'",
    "%{toupper:%{REQUEST_URI}} == 'x'", "%{foo:X} == 1",
    "%{env:HOME} == 1", "%{osenv:HOME} == 1", "%{X",
    "%{X:a", "%{X-Y} == 1", "%{} == 1", "%{:x} == 1",
    "tolower('A') == 'a'", "TOLOWER('A') == 'a'", "foo('a') == 'a'",
    "md5('a') == sha1('b')", "base64(unbase64('a')) == escape('x')",
    "file('/etc/hostname') == ''", "ldap('x') == 'y'",
    "req('Host') == 'x'", "http('Host') == 'x'", "resp('x') == ''",
    "note('x') == ''", "reqenv('x') == ''", "req_novary('x') == ''",
    "filesize('/x') -gt 0", "unescape('%41') == 'A'",
    "'a' . 'b' == 'ab'", "'a'.'b' == 'ab'", "1.2 == 1",
    "$1 == 'a'", "'$1x' == 'a'", "\"%{REQUEST_URI}x\" == 'a'",
    "'\\101' == 'A'", "'\\400' == 'A'", "'\\8' == 'A'",
    "'\\0123' == 'A'", "'\\n\\t\\r\\b\\f\\x' == 'A'",
    "'abc", "'abc\" == 1", "\"a'b\" == 1", "'a\\", "%{tolower:'a'} == 1",
    "%{tolower:a\\} == 1", "%{tolower:$1%{REQUEST_URI}} == 1",
    "@", "1 == 1 @", "# comment", "1 & 1", "1 | 1", "-", "- 1",
    "-5 == -5", "1 == 1 1", "", "   ", "(true", "true)", "()",
    "1 ==", "== 1", "&& true", "true &&", "!", "! !true", "{'a'}",
    "'a' -in", "'a' -in {'a'", "'a' =~", "'a' =~ 'b'", "m#x#",
    "'a' == m#x#", "m_x_ == 1", "m_ == 1", "m == 1", "mx == 1",
    "andx == 1", "true == 1", "trueish == 1", "x == 1", "x() == 1",
    "x(1", "x(1,2) == 1", "%{REQUEST_URI} == %{QUERY_STRING} && "
    "%{NOPE} == 1 || %{ALSO_NOPE} == 2", "%{NOPE} == 1 @",
    "%{NOPE} ==", "%{X} == /a(/", "tolower(%{NOPE}) == 1",
    "-n", "-n -n 'a'", "'a' -eq", "'a' 'b'", "'a' == 'b' == 'c'",
    "'a' -in {'a','b'} -in {'c'}", "!(1 == 1) && (2 == 2 || !false)",
]

SOUP = ["%{REQUEST_URI}", "%{NOPE}", "'a'", "\"b\"", "1", "-2", "==",
        "!=", "-eq", "-lt", "<", "&&", "||", "!", "(", ")", "-n", "-z",
        "=~", "!~", "/x/", "m#y#i", "-in", "{", "}", ",", "tolower(",
        "%{tolower:x}", "-ipmatch", "'10.0.0.0/8'", "true", "false",
        "$1", "-strmatch", ".", "foo(", "and", "or", "not", "in", ":",
        "%{env:", "}", "-R", "-X"]


def soup(rng):
    n = rng.randint(1, 7)
    return " ".join(rng.choice(SOUP) for _ in range(n))


# -- the other shapes ----------------------------------------------------

# An Error directive inside each kind of section: (opening line, its
# message, closing line).
ERROR_IN = [
    ("<IfDefine !PRODUCTION>", "set -D PRODUCTION", "</IfDefine>"),
    ("<IfDefine PRODUCTION>", "never read", "</IfDefine>"),
    ("<IfModule mpm_event_module>", "event loaded", "</IfModule>"),
    ("<IfModule !mpm_event_module>", "not read", "</IfModule>"),
    ("<IfModule mpm_prefork_module>", "prefork only", "</IfModule>"),
    ("<VirtualHost *:80>", "in a vhost", "</VirtualHost>"),
    ("<Directory /srv>", "in a directory", "</Directory>"),
    ("<If \"false\">", "in a false If", "</If>"),
]


def error_cases():
    c = [["Error \"not for production\""],
         ["Error 'single quoted'"],
         ["Error bare words here"],
         ["Error \"a\" \"b\""],
         ["Error \"unbalanced"],
         ["Error"]]
    c += [[o, "Error \"%s\"" % m, e] for o, m, e in ERROR_IN]
    c.append(["Define X 1", "<IfDefine X>", "Error \"X is ${X}\"",
              "</IfDefine>"])
    c.append(["ServerLimit 10", "Error \"after a directive\"",
              "MaxRequestWorkers 99x"])
    return c


def chain_cases():
    return [
        ["<If \"true\">", "</If>", "<Else>", "</Else>"],
        ["<If \"true\">", "</If>", "<ElseIf \"false\">", "</ElseIf>",
         "<Else>", "</Else>"],
        ["<Else>", "</Else>"],
        ["<ElseIf \"true\">", "</ElseIf>"],
        ["<If \"true\">", "</If>", "<Else>", "</Else>", "<Else>",
         "</Else>"],
        ["<If \"true\">", "</If>", "<Else>", "</Else>",
         "<ElseIf \"true\">", "</ElseIf>"],
        ["<If \"true\">", "</If>", "ServerAdmin a@b", "<Else>", "</Else>"],
        ["<If \"true\">", "</If>", "<VirtualHost *:80>", "<Else>",
         "</Else>", "</VirtualHost>"],
        ["<VirtualHost *:80>", "<If \"true\">", "</If>", "<Else>",
         "</Else>", "</VirtualHost>"],
        ["<Directory /a>", "<If \"true\">", "</If>", "</Directory>",
         "<Directory /a>", "<Else>", "</Else>", "</Directory>"],
        ["<If \"true\">", "<If \"false\">", "</If>", "<Else>", "</Else>",
         "</If>"],
        ["<If \"true\">", "<Else>", "</Else>", "</If>"],
        ["<If \"true\">", "</If>", "<IfModule mpm_event_module>", "<Else>",
         "</Else>", "</IfModule>"],
        ["<Else x>", "</Else>"],
        ["<If \"true\">", "</If>", "<Else \"\">", "</Else>"],
        ["<If>", "</If>"],
        ["<ElseIf>", "</ElseIf>"],
        ["<If true false>", "</If>"],
        ["<If \"true\" extra>", "</If>"],
        ["<If \"true\">", "</If>", "<ElseIf \"1 ==\">", "</ElseIf>"],
        ["<If true>", "</If>"],
        ["<If 'true'>", "</If>"],
        ["<Location /x>", "<If \"%{NOPE} == 1\">", "</If>",
         "</Location>"],
        ["<IfDefine NOPE>", "<If \"%{NOPE} == 1\">", "</If>",
         "</IfDefine>"],
        ["LoadModule ssl_module %s/mod_ssl.so" % MODDIR,
         "LoadModule socache_shmcb_module %s/mod_socache_shmcb.so" % MODDIR,
         "<If \"%{SSL_PROTOCOL} == 'TLSv1.3' && SSL('x') == 'y'\">",
         "</If>"],
        ["<If \"%{HC_X} == 1\">", "</If>",
         "LoadModule proxy_module %s/mod_proxy.so" % MODDIR,
         "LoadModule proxy_hcheck_module %s/mod_proxy_hcheck.so" % MODDIR],
    ]


LISTEN_ARGS = [
    "127.0.0.1:24101", "24102", "*:24103", "[::1]:24104", "80a", "",
    "1.2.3.4:", "[::1", "[::1]", "[zz]:80", "0", "65535x", "65536",
    "99999999999", "4294967376", ":80", "24105 http", "24106 https",
    "24107 ftp", "24108 HTTP", "24109 https extra", "-5",
    "127.0.0.1:24110:80", "a:b:24111", "::1:24112", "[::1%]:80",
    "24113 \"\"", "\"\"", "24114 # comment", "127.0.0.1:0",
    "[::]:24115", "0.0.0.0:24116", "x.invalid:", "1:2",
]


def regex_cases():
    """Regexes of other directives: ap_regcomp()'s options (DUPNAMES)."""
    rw = "LoadModule rewrite_module %s/mod_rewrite.so" % MODDIR
    return [
        ["<LocationMatch \"(?<a>x)|(?<a>y)\">", "</LocationMatch>"],
        ["<LocationMatch \"(x\">", "</LocationMatch>"],
        [rw, "RewriteRule \"(?<b>x)|(?<b>y)\" -"],
        [rw, "RewriteRule \"[x\" -"],
        [rw, "RewriteCond %{HTTP_HOST} \"(?<c>a)(?<c>b)\"",
         "RewriteRule ^ -"],
    ]


def nesting_cases():
    """Sections in sections and directives in sections: the context
    checks, Error anywhere, AllowOverride where it is useless."""
    secs = [("<Directory /srv>", "</Directory>"),
            ("<DirectoryMatch ^/srv>", "</DirectoryMatch>"),
            ("<Location /x>", "</Location>"),
            ("<LocationMatch ^/x>", "</LocationMatch>"),
            ("<Files x>", "</Files>"), ("<FilesMatch x>", "</FilesMatch>"),
            ("<If \"true\">", "</If>"),
            ("<VirtualHost *:80>", "</VirtualHost>"),
            ("<Limit GET>", "</Limit>"),
            ("<LimitExcept GET>", "</LimitExcept>"),
            ("<RequireAll>", "</RequireAll>")]
    lines = ["Error \"x\"", "Options None", "Listen 24555", "KeepAlive On",
             "AllowOverride None", "Require all granted", "ServerLimit 5"]
    out = []
    for o in secs:
        for i in secs:
            out.append([o[0], i[0], i[1], o[1]])
        for d in lines:
            out.append([o[0], d, o[1]])
    out.append(["<VirtualHost *:80>", "<Location /x>", "AllowOverride None",
                "</Location>", "</VirtualHost>"])
    return out


def listen_cases():
    c = [["Listen %s" % a] for a in LISTEN_ARGS]
    c.append(["Listen 127.0.0.1:24117", "Listen 127.0.0.1:24117"])
    c.append(["<VirtualHost *:80>", "Listen 24118", "</VirtualHost>"])
    c.append(["Listen 24119", "Listen *:24119"])
    return c


def value_cases():
    """Values of MPM and core directives: atoi-read numbers and the
    handlers that refuse."""
    c = []
    for d, vals in [
            ("ThreadsPerChild", ["abc", "-1", "0", "25"]),
            ("ServerLimit", ["x", "0", "-5"]),
            ("AsyncRequestWorkerFactor", ["abc", "-1", "0", "1.5", ""]),
            ("ListenBacklog", ["0", "-1", "abc", "511"]),
            ("Timeout", ["abc", "-1", "10"]),
            ("KeepAliveTimeout", ["abc", "5ms", "-1"]),
            ("MaxKeepAliveRequests", ["abc", "-1"]),
            ("LimitRequestBody", ["abc", "-1", "1G"]),
            ("LimitRequestFields", ["abc", "-1"]),
            ("LimitRequestLine", ["abc", "-1"]),
            ("LimitRequestFieldSize", ["abc", "-1"]),
            ("KeepAlive", ["maybe", "on"]),
            ("HostnameLookups", ["maybe", "double"]),
            ("ServerTokens", ["bogus", "Prod"]),
            ("LogLevel", ["bogus", "warn", "core:bogus", "warn core:debug",
                          "info core:trace9"]),
            ("Options", ["Bogus", "+Indexes -FollowSymLinks",
                         "+Indexes FollowSymLinks"]),
            ("AllowOverride", ["Bogus", "None"]),
            ("AcceptPathInfo", ["maybe"]),
            ("FileETag", ["Bogus"]),
            ("ListenCoresBucketsRatio", ["abc", "-1"]),
            ("MaxRangeOverlaps", ["abc"]),
            ("ServerSignature", ["bogus"]),
            ("UseCanonicalName", ["bogus"]),
            ("TraceEnable", ["bogus"]),
            ("EnableSendfile", ["maybe"]),
            ("Mutex", ["bogus", "mpm-accept fcntl", "fcntl", "default",
                       "bogus:/tmp", "SYSVSEM"]),
            ("Protocols", ["h2 http/1.1"]),
            ("ServerName", ["a b"]),
            ("RLimitCPU", ["abc", "10 20 30"]),
            ("ThreadStackSize", ["abc", "1"]),
            ("MaxMemFree", ["abc"]),
    ]:
        for v in vals:
            c.append(["%s %s" % (d, v)])
    return c


# the modules Debian's apache2 has compiled in (plus the case's MPM): the
# sweep gives each of their directives odd values at the server level
STATIC = {"core_module", "http_module", "so_module", "log_config_module",
          "logio_module", "version_module", "unixd_module",
          "watchdog_module", "mpm_event_module"}
# directives that name files, load things or change the head's setup
NO_SWEEP = {"Include", "IncludeOptional", "LoadModule", "LoadFile",
            "ServerRoot", "Define", "UnDefine", "Listen", "Error", "PidFile",
            "ErrorLog", "User", "Group", "CoreDumpDirectory",
            "DefaultRuntimeDir", "ScoreBoardFile", "ChrootDir", "TransferLog",
            "CustomLog", "BufferedLogs", "GlobalLog", "Mutex", "DocumentRoot",
            "ServerName",
            # decided by the machine: "Suexec On" needs the suexec binary
            "Suexec"}
SWEEP_VALUES = ["bogus", "-1", "0", "99999999999", "1 2 3", "", "On"]
DEF_ROW = re.compile(r'DIRECTIVE\("([^"<][^"]*)", "([^"]+)", (ARGS_\w+), '
                     r'([^,]+),')


def sweep_cases(top):
    """Every server-level directive of the static modules with each of
    SWEEP_VALUES (rules/directives.def lists them)."""
    names = []
    with open(os.path.join(top, "rules", "directives.def")) as f:
        for line in f:
            m = DEF_ROW.match(line)
            if not m or m.group(1) in NO_SWEEP or \
                    not set(m.group(2).split()) & STATIC:
                continue
            if "CTX_RSRC_CONF" in m.group(4) or "CTX_OR_" in m.group(4):
                names.append(m.group(1))
    return [["%s %s" % (n, v)] for n in sorted(set(names))
            for v in SWEEP_VALUES]


CONTEXTS = [("<VirtualHost *:80>", "</VirtualHost>"),
            ("<Directory /srv>", "</Directory>"),
            ("<Location /x>", "</Location>"), ("<Files x>", "</Files>"),
            ("<If \"true\">", "</If>")]


def mpm_sweep_cases(top):
    """The sweep for prefork's and worker's own directives, with that
    MPM loaded."""
    out = []
    for mpm in ("prefork", "worker"):
        ident = "mpm_%s_module" % mpm
        load = "LoadModule %s %s/mod_mpm_%s.so" % (ident, MODDIR, mpm)
        names = set()
        with open(os.path.join(top, "rules", "directives.def")) as f:
            for line in f:
                m = DEF_ROW.match(line)
                if m and ident in m.group(2).split() and \
                        m.group(1) not in NO_SWEEP:
                    names.add(m.group(1))
        for n in sorted(names):
            for v in SWEEP_VALUES + ["1.5", "0x10", "  7"]:
                out.append([load, "%s %s" % (n, v)])
    return out


def context_cases(top):
    """The sweep's "bogus" and empty lines inside each kind of section:
    the context checks and their order against the argument checks."""
    out = []
    for c in sweep_cases(top):
        name, _, value = c[0].partition(" ")
        if value not in ("bogus", ""):
            continue
        for o, e in CONTEXTS:
            out.append([o, c[0], e])
    return out


# Debian's usual modules: their handlers' own checks are modelled in
# rules/modcheck.c (and the files they read in parser/files.c)
USUAL = ["alias", "auth_basic", "authn_core", "authn_file", "authz_core",
         "authz_host", "authz_user", "autoindex", "deflate", "dir", "env",
         "filter", "mime", "negotiation", "reqtimeout", "setenvif", "status",
         "access_compat", "headers", "rewrite", "expires", "remoteip"]


# directives whose handlers' checks mpmlint does not model: left out of
# the suite, listed by --module-sweep.  None is left: PassEnv's AH01506
# depends on the environment, and mpmlint looks in its own, which is
# httpd's here (both run with the same environment).
KNOWN_GAPS = set()


# The handlers' own checks, one case a line (" || " separates lines):
# every message of rules/modcheck.c and parser/files.c's module files,
# and the forms each handler accepts.
HANDLER_CASES = [
    '<Directory /x> || Alias /a || </Directory>',
    '<Directory /x> || <Files y> || Alias /a || </Files> || </Directory>',
    '<Files y> || ScriptAlias /a || </Files>',
    '<If true> || Alias /a || </If>',
    '<Location /x> || Alias /a || </Location>',
    '<Location /x> || Alias /a /b || </Location>',
    '<Location /x> || ScriptAliasMatch ^/a /b || </Location>',
    '<VirtualHost *:80> || Alias /a /b || </VirtualHost>',
    'Alias /a',
    'AuthMerging Or',
    '<Location /x> || AuthMerging Xor || </Location>',
    'DeflateFilterNote Ratio ratio',
    'DeflateFilterNote Size ratio',
    '<VirtualHost *:80> || PassEnv NOPE_NOT_SET || </VirtualHost>',
    '<VirtualHost *:80> || RewriteOptions MaxRedirects=3 || </VirtualHost>',
    'FilterTrace f 1',
    'FilterDeclare f || FilterTrace f 1',
    'FilterDeclare f || <Location /x> || FilterTrace f 1 || </Location>',
    'IndexOrderDefault Descending Date',
    'IndexOrderDefault Down Date',
    'IndexOrderDefault Ascending Colour',
    'RemoteIPTrustedProxyList /dev/null',
    'RemoteIPInternalProxyList nothere',
    'RemoteIPInternalProxyList /etc',
    '<VirtualHost *:80> || RemoteIPTrustedProxyList nothere || </VirtualHost>',
    'RewriteMap m txt:nothere',
    'RewriteMap m "prg:/bin/nothere -x"',
    'RewriteMap m /etc',
    'Header set X-A "%D %t"',
    'Header set X-A "%Z"',
    'Header set X-A "%{FOO}e"',
    'Header set X-A "%{FOO"',
    'Header set X-A "100%"',
    'Header always set X-A v',
    'Header onsuccess unset X-A',
    'Header always',
    'Header set X-A v env=',
    'Header set X-A v env=!',
    'Header set X-A v env=FOO',
    'Header set X-A v early',
    'Header set X-A v bogus',
    'Header set X-A v expr=%{REQUEST_URI}=~/x/',
    'Header set X-A v "expr=%{FOO} == 1"',
    'Header set X-A v "expr=true &&"',
    'Header set X-A v a b',
    'Header edit X-A ^a',
    'Header edit X-A ^a b',
    'Header edit X-A "(" b',
    'Header edit* X-A a b env=x',
    'Header edit X-A a "%Q"',
    'Header unset X-A',
    'Header unset X-A env=x',
    'Header unset X-A a b',
    'Header echo ^X',
    'Header echo "("',
    'Header echo X a b',
    'Header note X-A n',
    'Header merge X-A',
    'Header set X-A v env=x extra',
    'RequestHeader echo X',
    'RequestHeader always set X v',
    'RequestHeader set X v',
    'RequestHeader set X "%{x}t %l %i %b %s"',
    'Header set X-A "expr=%{REQUEST_URI"',
    'Header set X-A "expr=%{REQUEST_URI}"',
    'Header set X-A "expr=abc %{REQUEST_URI} def"',
    'Header set X-A "expr="',
    'Header set X-A "expr=%{BOGUS}"',
    'Header set X-A "expr=%{tolower:%{REQUEST_URI}}"',
    'Header set X-A "expr=%{nofunc:x}"',
    'Header set X-A "expr=a\\"b"',
    'Header edit X-A a "expr=%{x"',
    '<Location /x> || Redirect /y || </Location>',
    '<Location /x> || Redirect "%{REQUEST_URI" || </Location>',
    '<Location /x> || Redirect 301 "%{REQUEST_URI" || </Location>',
    '<Location /x> || Redirect gone || </Location>',
    '<Location /x> || Redirect 404 || </Location>',
    '<Location /x> || Redirect permanent || </Location>',
    '<Directory /x> || Redirect /a /b || </Directory>',
    '<Directory /x> || Redirect temp /a /b || </Directory>',
    '<Directory /x> || Redirect bogus /a /b || </Directory>',
    'Redirect gone /x',
    'Redirect 404 /x',
    'Redirect 410 /x /y',
    'Redirect 301 /x y',
    'Redirect /x http://y',
    'Redirect /x mailto:y',
    'Redirect /x :y',
    'RedirectMatch 301 ( /y',
    'RedirectMatch bogus ( /y',
    'RedirectMatch (',
    'RedirectMatch ^/x y',
    'RedirectMatch permanent ^/x',
    'RedirectPermanent /x y',
    'RedirectPermanent gone /x',
    'RedirectTemp /x /y',
    'RewriteRule ^/a /b [R=301,L]',
    'RewriteRule ^/a /b [R=299]',
    'RewriteRule ^/a /b [R=418]',
    'RewriteRule ^/a /b [R=103]',
    'RewriteRule ^/a /b [R=500]',
    'RewriteRule ^/a /b [R=600]',
    'RewriteRule ^/a /b [R=99]',
    'RewriteRule ^/a /b [R=permanent]',
    'RewriteRule ^/a /b [R=bogus]',
    'RewriteRule ^/a /b [QQ]',
    'RewriteRule ^/a /b [L,QQ]',
    'RewriteRule ^/a /b [ L , NC ]',
    'RewriteRule ^/a /b []',
    'RewriteRule ^/a /b [,]',
    'RewriteRule ^/a /b [L',
    'RewriteRule ^/a /b L]',
    'RewriteRule ^/a /b [BNE]',
    'RewriteRule ^/a /b [BNE=x]',
    'RewriteRule ^/a /b [DX,CO=a:b,E=x:y,END,F,G,H=x,T=x,S=1,NS,NC,NE,PT,P,QSA,QSD,QSL,UNC,B,BNP,BCTLS,N=3,C]',
    'RewriteRule ^/a /b [Unsafe]',
    'RewriteRule ( /b [QQ]',
    'RewriteRule ( /b [L]',
    'RewriteRule "^/a b" /c',
    'RewriteRule ^/a\\ b /c',
    'RewriteRule ^/a /b [L] junk',
    'RewriteRule "^/a"',
    'RewriteRule ^/a /b [L,R=301,NC,E=a:b]',
    'RewriteCond %{HTTP_HOST} ^x [NC,OR]',
    'RewriteCond %{HTTP_HOST} ^x [XX]',
    'RewriteCond %{HTTP_HOST} ( [XX]',
    'RewriteCond %{HTTP_HOST} (',
    'RewriteCond %{HTTP_HOST} -f [NC]',
    'RewriteCond %{HTTP_HOST} -lt5 [NC]',
    'RewriteCond %{HTTP_HOST} =x [NC]',
    'RewriteCond %{HTTP_HOST} !-d [nocase]',
    'RewriteCond expr "%{HTTP_HOST} == \'x\'"',
    'RewriteCond expr "%{HTTP_HOST} =="',
    'RewriteCond expr "%{BOGUS} == \'x\'"',
    'RewriteCond expr "(" [NC]',
    'RewriteCond %{HTTP_HOST} -x',
    'RewriteCond %{HTTP_HOST} -z',
    'RewriteCond %{HTTP_HOST} -eq(',
    'RewriteOptions Inherit MaxRedirects=10',
    'RewriteOptions MaxRedirects=10 bogus',
    'RewriteOptions InheritDownBefore AllowNoSlash AllowAnyURI MergeBase IgnoreContextInfo LegacyPrefixDocRoot UnsafePrefixStat IgnoreInherit InheritBefore InheritDown',
    '<Directory /x> || RewriteBase /a || </Directory>',
    '<Directory /x> || RewriteBase a || </Directory>',
    '<Directory /x> || RewriteBase "" || </Directory>',
    '<Location /x> || RewriteBase /a || </Location>',
    '<VirtualHost *:80> || RewriteBase /a || </VirtualHost>',
    'RewriteMap m int:tolower',
    'RewriteMap m int:bogus',
    'RewriteMap m dbm=x',
    'RewriteMap m dbm',
    'RewriteMap m dbd:SELECT',
    'RewriteMap m "prg:/bin/cat"',
    'RewriteMap m rnd:/etc/hostname',
    'RewriteMap m txt:/etc/hostname',
    'RewriteMap m /etc/hostname',
    'RemoteIPInternalProxy 10.0.0.0/8',
    'RemoteIPInternalProxy 10.0.0.0/33',
    'RemoteIPInternalProxy 10.0.0.0/255.0.0.0',
    'RemoteIPInternalProxy 10.0.0.0/255.0.x.0',
    'RemoteIPInternalProxy 10.0.0.256',
    'RemoteIPInternalProxy 10.0',
    'RemoteIPInternalProxy 10.0.',
    'RemoteIPInternalProxy 10.0/8',
    'RemoteIPInternalProxy 1.2.3.4.5',
    'RemoteIPInternalProxy ::1',
    'RemoteIPInternalProxy ::1/129',
    'RemoteIPInternalProxy ::1/64',
    'RemoteIPInternalProxy ::ffff:1.2.3.4',
    'RemoteIPInternalProxy fe80::zz',
    'RemoteIPInternalProxy localhost',
    'RemoteIPInternalProxy localhost/8',
    'RemoteIPInternalProxy bogus.invalid',
    'RemoteIPTrustedProxy 127.0.0.1 bogus',
    'RemoteIPTrustedProxy ...',
    'RemoteIPTrustedProxy 1..2',
    'RemoteIPProxyProtocolExceptions 10.0.0.0/8 ::1',
    'RemoteIPProxyProtocolExceptions host',
    'RemoteIPProxyProtocolExceptions 10.0.0.0/99',
    'RemoteIPProxyProtocolExceptions 10.0.0.999',
    'RemoteIPProxyProtocolExceptions 10.0',
    'RemoteIPProxyProtocolExceptions ::ffff:1.2.3.4',
    'RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500',
    'RequestReadTimeout header=20-40',
    'RequestReadTimeout header=x',
    'RequestReadTimeout header=20x',
    'RequestReadTimeout header=-1',
    'RequestReadTimeout header=',
    'RequestReadTimeout header=40-20,minrate=1',
    'RequestReadTimeout header=20,minrate=0',
    'RequestReadTimeout header=20,minrate=x',
    'RequestReadTimeout bogus=1',
    'RequestReadTimeout handshake=5',
    'RequestReadTimeout header=20-x,minrate=5',
    'RequestReadTimeout =5',
    'ExpiresDefault "access plus 1 month"',
    'ExpiresDefault "now plus 1 month 2 days 3 hours 4 minutes 5 seconds 1 week 1 year"',
    'ExpiresDefault "access plus 1"',
    'ExpiresDefault "access plus x month"',
    'ExpiresDefault "access plus 1 fortnights"',
    'ExpiresDefault "modification 1 m"',
    'ExpiresDefault "access plus 1 mi"',
    'ExpiresDefault A3600',
    'ExpiresDefault a3600',
    'ExpiresDefault M',
    'ExpiresDefault "access plus"',
    'ExpiresDefault "xyz plus 1 day"',
    'ExpiresByType text/html "access plus 1 day"',
    'ExpiresByType texthtml "access plus 1 day"',
    'ExpiresByType text/html "later"',
    'ExpiresByType text/* A60',
    'IndexOptions FancyIndexing +FoldersFirst -IconsAreLinks',
    'IndexOptions None FancyIndexing',
    'IndexOptions FancyIndexing None',
    'IndexOptions +None',
    'IndexOptions None +FancyIndexing',
    'IndexOptions NameWidth=3',
    'IndexOptions NameWidth=*',
    'IndexOptions NameWidth=0',
    'IndexOptions -NameWidth=10',
    'IndexOptions NameWidth',
    'IndexOptions -NameWidth',
    'IndexOptions DescriptionWidth=11',
    'IndexOptions -IconWidth=3',
    'IndexOptions IconWidth=3 IconHeight -IconHeight',
    'IndexOptions Type=text/html Charset=UTF-8 UseOldDateFormat XHTML',
    'IndexOptions +bogus',
    'IndexOptions None || IndexOptions FancyIndexing',
    'IndexOptions None || IndexOptions +FancyIndexing',
    'IndexOptions FancyIndexing || IndexOptions None',
    'IndexOptions None || <Directory /x> || IndexOptions FancyIndexing || </Directory>',
    'AddOutputFilterByType DEFLATE text/html',
    'AddOutputFilterByType deflate text/html',
    'AddOutputFilterByType DEFLATE;INCLUDES text/html',
    'AddOutputFilterByType DEFLATE;BOGUS text/html',
    'AddOutputFilterByType FIXUP_HEADERS_OUT text/html',
    'AddOutputFilterByType MOD_EXPIRES text/html',
    'AddOutputFilterByType BYTERANGE text/html',
    'AddOutputFilterByType CONTENT_LENGTH text/html',
    'AddOutputFilterByType LOGIO_TTFB_OUT text/html',
    'AddOutputFilterByType CHUNK text/html',
    'AddOutputFilterByType reqtimeout text/html',
    'AddOutputFilterByType SUBREQ_CORE text/html',
    'AddOutputFilterByType OLD_WRITE text/html',
    'AddOutputFilterByType HTTP_OUTERROR text/html',
    'AddOutputFilterByType HTTP_HEADER text/html',
    'AddOutputFilterByType CORE text/html',
    'AddOutputFilterByType INFLATE text/html',
    'AddOutputFilterByType FIXUP_HEADERS_ERR text/html',
    'FilterProvider f DEFLATE "%{CONTENT_TYPE} =~ m|^text/|"',
    'FilterProvider f DEFLATE "%{CONTENT_TYPE} =~"',
    'FilterProvider f BOGUS "true"',
    'FilterDeclare f || FilterProtocol f change=yes',
    'FilterProtocol f change=yes',
    'FilterDeclare f || FilterProtocol f DEFLATE change=yes',
    'FilterProvider f DEFLATE true || FilterProtocol f deflate change=yes',
    'FilterProvider f DEFLATE true || FilterProtocol f INFLATE change=yes',
    'FilterDeclare f || <Location /x> || FilterProtocol f change=yes || </Location>',
    'AddOutputFilterByType DEFLATE text/html || FilterProtocol BYTYPE:DEFLATE change=yes',
    'PassEnv PATH',
    'PassEnv PATH NOPE_NOT_SET HOME',
]


def handler_cases():
    head = ["LoadModule %s_module %s/mod_%s.so" % (m, MODDIR, m)
            for m in USUAL]
    return [head + c.split(" || ") for c in HANDLER_CASES]


# Mutex types as modules register them (ap_mutex_register in their
# pre_config hooks): with and without the module, with the MPMs that
# have an accept mutex, the types read from the last one, "none".
MUTEX_CASES = [
    ([], "Mutex default rewrite-map"),
    (["rewrite"], "Mutex default rewrite-map"),
    (["rewrite"], "Mutex default rewrite-map bogus"),
    ([], "Mutex default watchdog-callback"),
    ([], "Mutex default mpm-accept"),
    (["mpm_prefork"], "Mutex default mpm-accept"),
    (["mpm_worker"], "Mutex fcntl:/tmp mpm-accept omitpid"),
    (["mpm_worker"], "Mutex none mpm-accept"),
    ([], "Mutex none"),
    ([], "Mutex no omitpid"),
    ([], "Mutex default ssl-cache"),
    (["socache_shmcb", "ssl"], "Mutex default ssl-cache ssl-stapling "
     "ssl-stapling-refresh"),
    (["auth_digest"], "Mutex default authdigest-client"),
    (["auth_digest"], "Mutex default authdigest-opaque"),
    (["authn_socache"], "Mutex default authn-socache"),
    (["proxy"], "Mutex default proxy"),
    (["proxy", "slotmem_shm", "proxy_balancer"],
     "Mutex default proxy-balancer-shm"),
    (["proxy"], "Mutex default proxy-balancer-shm"),
    (["ldap"], "Mutex default ldap-cache"),
    (["lua"], "Mutex default lua-ivm-shm"),
    (["cache", "cache_socache"], "Mutex default cache-socache"),
    (["md"], "Mutex default md"),
    (["rewrite"], "Mutex default Rewrite-Map"),
]


def mutex_cases():
    """A case that names an MPM first brings it (render() then leaves
    out the fixed event MPM)."""
    return [["LoadModule %s_module %s/mod_%s.so" % (m, MODDIR, m)
             for m in mods] + [line] for mods, line in MUTEX_CASES]


def module_sweep_cases(top, gaps=True):
    idents = {m + "_module" for m in USUAL}
    head = ["LoadModule %s_module %s/mod_%s.so" % (m, MODDIR, m)
            for m in USUAL]
    out = []
    with open(os.path.join(top, "rules", "directives.def")) as f:
        for line in f:
            m = DEF_ROW.match(line)
            if m and set(m.group(2).split()) & idents and (
                    gaps or m.group(1) not in KNOWN_GAPS):
                for v in ["bogus", "-1", "1 2 3", "", "On"]:
                    out.append(head + ["%s %s" % (m.group(1), v)])
    return out


def gen_cases(seed, count, top=None):
    cases = [("if", if_case(e)) for e in FIXED_EXPRS]
    rng = random.Random(seed)
    cases += [("soup", if_case(soup(rng))) for _ in range(count)]
    makers = [("error", error_cases), ("chain", chain_cases),
              ("listen", listen_cases), ("regex", regex_cases),
              ("nesting", nesting_cases), ("value", value_cases)]
    if top is not None:
        makers += [("sweep", lambda: sweep_cases(top)),
                   ("context", lambda: context_cases(top)),
                   ("mpm", lambda: mpm_sweep_cases(top)),
                   ("modules", lambda: module_sweep_cases(top, gaps=False)),
                   ("handler", handler_cases), ("mutex", mutex_cases)]
    for kind, make in makers:
        cases += [(kind, c) for c in make()]
    return cases


HEAD = ["LoadModule mpm_event_module %s/mod_mpm_event.so" % MODDIR,
        "ServerName localhost"]


def render(root, body):
    head = HEAD
    if body and body[0].startswith("LoadModule mpm_"):
        head = HEAD[1:]         # the case brings its own MPM
    lines = head + ['ErrorLog "%s/error.log"' % root,
                    'PidFile "%s/httpd.pid"' % root] + body
    with open(os.path.join(root, "input.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(head) + 2


def run(argv, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("APACHE_")}
    env["LC_ALL"] = "C"
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                       timeout=60)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


SHAPE_A = re.compile(r"Syntax error on line (\d+) of ([^:\n]+): ")
SHAPE_B = re.compile(r"^AH00526: Syntax error on line (\d+) of ([^:\n]+):$")
AH_LINE = re.compile(r"(?:^|\] )(AH\d{5}): ?(.*)$")


def httpd_verdict(rc, err):
    lines = err.splitlines()
    ids = [m.group(1) for m in (AH_LINE.search(x) for x in lines) if m]
    fatal = None
    for i, line in enumerate(lines):
        m = SHAPE_B.match(line)
        if m:
            fatal = {"id": "AH00526", "line": int(m.group(1)),
                     "message": lines[i + 1].strip() if i + 1 < len(lines)
                     else ""}
            break
        ms = list(SHAPE_A.finditer(line))
        if ms and not line.startswith("AH"):
            fatal = {"id": None, "line": int(ms[-1].group(1)),
                     "message": line[ms[-1].end():].strip()}
            break
        if line.strip() == "flex scanner jammed":
            fatal = {"id": None, "line": None,
                     "message": "flex scanner jammed"}
            break
    return {"ok": rc == 0, "rc": rc, "ids": ids, "fatal": fatal}


def is_fatal(f):
    return f.get("severity") == "error" and (f.get("httpd") is None or
                                             f["httpd"] in FATAL_IDS)


def compare(ht, lint):
    findings = lint.get("findings", [])
    fatal = [f for f in findings if is_fatal(f)]
    if ht["ok"] != (not fatal):
        if ht["ok"]:
            return ["apache2 -t passes, mpmlint: %s" % describe(fatal[0])]
        return ["apache2 -t fails (%s), mpmlint has no fatal finding"
                % (ht["fatal"] or {"message": "rc %d" % ht["rc"]})["message"]]
    if ht["ok"]:
        want = sorted(ht["ids"])
        got = sorted(f["httpd"] for f in findings
                     if f.get("httpd") and f["httpd"] not in NOT_UNDER_T)
        if want != got:
            return ["AH ids differ: httpd %s, mpmlint %s" % (want, got)]
        return []
    hf = ht["fatal"]
    if hf is None:
        return ["apache2 -t failed (rc %d) without a known error line"
                % ht["rc"]]
    first = sorted(fatal, key=lambda f: (f.get("line") or 0,
                                         f.get("column") or 0))[0]
    if hf["message"] == "flex scanner jammed":
        if not first.get("message", "").startswith(hf["message"]):
            return ["httpd's scanner jams, mpmlint: %s" % describe(first)]
        return []
    probs = []
    if first.get("httpd") != hf["id"] and not (
            hf["id"] is None and first.get("httpd") is None):
        probs.append("id: httpd %s, mpmlint %s" % (hf["id"], describe(first)))
    if first.get("line") != hf["line"]:
        probs.append("line: httpd %s, mpmlint %s" % (hf["line"],
                                                      describe(first)))
    elif not first.get("message", "").startswith(hf["message"]):
        probs.append("message: httpd %r, mpmlint %r"
                     % (hf["message"], first.get("message")))
    return probs


def describe(f):
    return "%s %s:%s %s%r" % (f.get("rule"), f.get("line"), f.get("column"),
                              (f.get("httpd") + " ") if f.get("httpd")
                              else "", f.get("message", "")[:120])


def run_case(args, idx, case):
    kind, body = case
    root = tempfile.mkdtemp(prefix="rt%d-" % idx, dir=args.tmp)
    try:
        render(root, body)
        rc, _, err = run([args.apache2, "-t", "-d", root, "-f",
                          os.path.join(root, "input.conf")])
        ht = httpd_verdict(rc, err)
        # the ServerRoot httpd gets with -d, for relative file names
        lrc, out, lerr = run([args.mpmlint, "-f", "json", "--fail-on",
                              "never", "-d", root, "input.conf"], cwd=root)
        try:
            lint = json.loads(out)
        except ValueError:
            return idx, kind, body, ["mpmlint printed no JSON (rc %d): %s"
                                     % (lrc, lerr.strip()[:200])], err
        return idx, kind, body, compare(ht, lint), err
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--apache2", default="/usr/sbin/apache2")
    ap.add_argument("--modules", default="/usr/lib/apache2/modules",
                    help="the module directory; the cases need Debian's")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--count", type=int, default=150,
                    help="random expressions")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--show", type=int)
    ap.add_argument("--case", type=int, action="append")
    ap.add_argument("--module-sweep", action="store_true",
                    help="only the sweep of Debian's usual modules")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    args.mpmlint = os.path.abspath(os.path.join(args.build, "mpmlint"))
    top = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                       os.pardir, os.pardir))
    cases = gen_cases(args.seed, args.count, top)
    if args.module_sweep:
        cases = [("modules", c) for c in module_sweep_cases(top)] + \
            [("handler", c) for c in handler_cases()] + \
            [("mutex", c) for c in mutex_cases()]
    if args.show is not None:
        print("\n".join(HEAD + cases[args.show][1]))
        return 0
    if not os.access(args.apache2, os.X_OK) or not os.path.isfile(
            os.path.join(args.modules, "mod_mpm_event.so")) or \
            os.path.realpath(args.modules) != os.path.realpath(MODDIR):
        print("skipped: apache2 not installed")
        print("differential-readtime: 0 passed, 0 failed")
        return 0
    args.tmp = tempfile.mkdtemp(prefix="readtime-")
    todo = [(i, cases[i]) for i in (args.case or range(len(cases)))]
    T = tally.Tally("differential-readtime")
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            futs = [ex.submit(run_case, args, i, c) for i, c in todo]
            results = sorted((f.result() for f in futs),
                             key=lambda r: r[0])
    finally:
        shutil.rmtree(args.tmp, ignore_errors=True)
    for idx, kind, body, probs, err in results:
        shown = [b for b in body if not b.startswith("LoadModule")]
        T.result(not probs, "%d %s %r" % (idx, kind, " / ".join(shown)),
                 "; ".join(probs))
        if probs and args.v:
            print("   httpd: " + err.strip().replace("\n", " | "))
    return T.summary()


if __name__ == "__main__":
    sys.exit(main())
