/*
 * explain.c - the long explanation of every rule, for --explain, the
 * SARIF rule metadata and the DIAGNOSTICS section of mpmlint(1).  The
 * facts come from the httpd 2.4 semantics notes (spec/mpm-semantics.md);
 * this file only holds text and must not decide anything about findings.
 */
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "output.h"

static const struct explain table[] = {
/* ---- parser: reading files ------------------------------------------ */
{"HC001",
 "httpd cannot open a file named on its command line, or the main "
 "configuration file, and stops with \"Could not open configuration file "
 "FILE: No such file or directory\" (or \"Permission denied\").",
 "Nothing in the file can be checked, and httpd will not start with it.",
 "Check the path and the permissions.  When the configuration lives in "
 "another tree (a container image, a checkout of /etc), lint it with "
 "--root DIR so that absolute paths are looked up under DIR.",
 "$ mpmlint /etc/apache2/apache2.con\n"
 "# fixed:\n"
 "$ mpmlint /etc/apache2/apache2.conf"},
{"HC002",
 "httpd reads only regular files (and /dev/null) as configuration.  An "
 "Include of a FIFO, a device or a socket fails with AH00554 \"Access to "
 "file FILE denied by server: not a regular file\" and httpd does not "
 "start.",
 "The server refuses to start, often only on the machine where the odd "
 "file exists.",
 "Include a regular file, or a directory of regular files.",
 "Include /dev/stdin\n"
 "# fixed:\n"
 "Include /etc/apache2/conf-enabled/local.conf"},
{"HC003",
 "httpd joins continued lines into one logical line and refuses lines "
 "longer than 16 MiB with \"Error reading FILE at line N: Line too "
 "long\".  The outer \"Syntax error on line\" number it prints is stale; "
 "the inner one is right.",
 "The server does not start.  Such lines are nearly always produced by a "
 "generator, or by a stray '\\' at the end of every line.",
 "Split the value over several directives, or fix the generator.  Look "
 "for a '\\' that continues lines that should stand alone.",
 "RewriteMap big \"txt:/etc/apache2/big.map\"\n"
 "# instead of one 20 MiB line of RewriteRule alternatives"},
{"HC070",
 "mod_so loads the shared object of each LoadModule as soon as it reads "
 "the line, relative to the ServerRoot in force.  A file that is not "
 "there stops httpd at read time: \"Cannot load FILE into server: FILE: "
 "cannot open shared object file: No such file or directory\".  mpmlint "
 "looks on this machine, or with --root DIR only inside the tree, which "
 "it never leaves; a tree without the module directory (a checkout of "
 "/etc rarely holds it) gives no finding.  Without --root, when not even "
 "the directory exists here, this is not the machine the configuration "
 "is for, and the finding is a note.",
 "httpd refuses to start on a machine where the module is not "
 "installed: a package is missing, or the path is another "
 "distribution's (modules/ under ServerRoot on RHEL, "
 "/usr/lib/apache2/modules on Debian).",
 "Install the package that ships the module, or fix the path.",
 "LoadModule rewrite_module modules/mod_rewrite.so\n"
 "# fixed, on Debian:\n"
 "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so"},
/* ---- parser: section structure -------------------------------------- */
{"HC010",
 "A closing tag with no open section fails at read time with "
 "\"</Directory> without matching <Directory> section\".  Sections cannot "
 "span files: each file is read with an empty section stack.",
 "httpd refuses to start.",
 "Remove the stray closing tag, or add the opening tag in the same file.",
 "Include vhost-open.conf\n"
 "</VirtualHost>\n"
 "# fixed: open and close <VirtualHost> in the same file"},
{"HC011",
 "A closing tag must match the innermost open section (compared "
 "without regard to case).  Otherwise httpd stops with \"Expected "
 "</Directory> but saw </IfModule>\".",
 "httpd refuses to start.",
 "Close sections in the reverse order of opening.",
 "<IfModule mod_ssl.c>\n"
 "<Directory /srv>\n"
 "</IfModule>\n"
 "</Directory>\n"
 "# fixed: </Directory> before </IfModule>"},
{"HC012",
 "A section still open at the end of its file makes httpd stop with "
 "\"FILE:LINE: <Directory> was not closed.\", one line per open level.",
 "httpd refuses to start.",
 "Add the closing tag in the same file as the opening tag.",
 "<Directory /srv/www>\n"
 "    Require all granted\n"
 "# fixed: add </Directory>"},
{"HC013",
 "A closing tag without its final '>' fails with \"</Directory> "
 "directive missing closing '>'\".",
 "httpd refuses to start.",
 "Add the '>'.",
 "</Directory\n"
 "# fixed:\n"
 "</Directory>"},
{"HC014",
 "An opening tag without its final '>' fails with \"<Directory> "
 "directive missing closing '>'\": at read time for conditional "
 "sections, while walking the tree (AH00526) for the others.",
 "httpd refuses to start.",
 "Add the '>' at the end of the opening line.",
 "<Directory /srv/www\n"
 "# fixed:\n"
 "<Directory /srv/www>"},
{"HC015",
 "A section that needs an argument fails without one: \"<Directory> "
 "directive requires additional arguments\".",
 "httpd refuses to start.",
 "Give the section its argument (a path, a module name, a define).",
 "<IfModule>\n"
 "# fixed:\n"
 "<IfModule mpm_event_module>"},
{"HC016",
 "httpd skips a false conditional section by reading raw lines until "
 "the matching close tag.  At the end of the file it stops with "
 "\"Expected </IfModule> before end of configuration\".",
 "httpd refuses to start, but only on machines where the condition is "
 "false, so the same file can work elsewhere.",
 "Close the section in the same file.",
 "<IfModule mpm_prefork_module>\n"
 "    MaxRequestWorkers 150\n"
 "# fixed: add </IfModule>"},
{"HC017",
 "A true conditional section that reaches the end of its file is closed "
 "there silently and httpd starts.  A close tag placed in the including "
 "file is then an error (\"without matching\").",
 "The file works only while the condition is true: switch the MPM or "
 "remove a module and the same file fails with \"Expected </IfModule> "
 "before end of configuration\".",
 "Add the closing tag at the end of the section, in the same file.",
 "<IfModule mpm_event_module>\n"
 "    MaxRequestWorkers 400\n"
 "# fixed: add </IfModule>"},
{"HC018",
 "Only the first word of a closing tag is examined.  After an ordinary "
 "close tag, or in a false block, the rest of the line is ignored; but "
 "a true conditional ends only at a line that is exactly </IfModule>, so "
 "\"</IfModule> # end\" or \"</IfModule >\" is taken as a stray close tag "
 "and httpd stops with \"</IfModule> without matching <IfModule> "
 "section\".",
 "The same line is harmless in one place and fatal in another; httpd has "
 "no trailing comments.",
 "Put the comment on a line of its own and write the close tag alone.",
 "</IfModule> # mpm_event\n"
 "# fixed:\n"
 "# end of mpm_event\n"
 "</IfModule>"},
/* ---- parser: variables and read-time directives ----------------------- */
{"HC020",
 "httpd logs AH00111 \"Config variable ${NAME} is not defined\" and "
 "leaves the text ${NAME} in place.  A number then reads as 0: "
 "\"StartServers ${X}\" becomes 0 and is raised to 1 with AH00517.",
 "The value httpd uses is not the one intended, and the warning is easy "
 "to miss.  On Debian the variables come from /etc/apache2/envvars, "
 "which apache2ctl sources and plain apache2 does not.",
 "Define the variable before it is used, or export it in the "
 "environment httpd starts with.  mpmlint reads Debian's envvars when "
 "given --root.",
 "StartServers ${START}\n"
 "# fixed:\n"
 "Define START 4\n"
 "StartServers ${START}"},
{"HC021",
 "A Define or UnDefine name containing ':' fails with \"Variable name "
 "must not contain ':'\" (':' is reserved for RewriteMap lookups).",
 "httpd refuses to start.",
 "Use a name without ':'.",
 "Define app:port 8080\n"
 "# fixed:\n"
 "Define app_port 8080"},
{"HC022",
 "Directives that httpd runs while reading (Include, IncludeOptional, "
 "Define, UnDefine, ServerRoot, LoadModule, LoadFile) check their "
 "arguments at once; a wrong count stops the read, e.g. \"LoadModule "
 "takes two arguments\".",
 "httpd refuses to start, and nothing after the line is read.",
 "Give the directive the arguments it takes; quote paths that contain "
 "spaces.",
 "Include /etc/apache2/my sites/*.conf\n"
 "# fixed:\n"
 "Include \"/etc/apache2/my sites/*.conf\""},
{"HC023",
 "httpd 2.4 does not support ${VAR?=default} (only trunk does).  The "
 "whole \"VAR?=default\" is taken as the name, which is undefined, so "
 "AH00111 is logged and the text stays as written.",
 "The default never applies; the value is the literal text.",
 "Set the default with a guarded Define.",
 "Listen ${PORT?=80}\n"
 "# fixed:\n"
 "<IfDefine !PORT>\n"
 "    Define PORT 80\n"
 "</IfDefine>\n"
 "Listen ${PORT}"},
/* ---- parser: Include ------------------------------------------------- */
{"HC024",
 "httpd expands ${VAR} with no limit: a Define whose value holds the "
 "previous one twice doubles with each level, so 28 short lines ask for "
 "gigabytes.  mpmlint caps expansion: a line that would grow past 1 MiB "
 "stays as written, and once all expanded lines together would pass "
 "64 MiB plus 16 times the bytes read, no variable is expanded any more.",
 "A real configuration never comes near these caps; one that does is "
 "broken or hostile, and httpd would spend the memory and time for it.  "
 "What follows the capped line is checked without its expansion.",
 "Define the long value directly, or stop nesting variables inside "
 "variables.",
 "Define A1 ${A0}${A0}\n"
 "Define A2 ${A1}${A1}\n"
 "# ... 28 levels\n"
 "# fixed: Define each value once, without doubling"},
{"HC030",
 "Include of a plain file that does not exist fails with \"Could not "
 "open configuration file FILE: No such file or directory\".  "
 "IncludeOptional ignores a missing file (since 2.4.30).",
 "httpd refuses to start.",
 "Fix the path (relative paths are relative to the ServerRoot in force "
 "on that line), or use IncludeOptional if the file is optional.",
 "Include conf/local.conf\n"
 "# fixed, when the file may be absent:\n"
 "IncludeOptional conf/local.conf"},
{"HC031",
 "Include of a wildcard that matches nothing fails with "
 "\"Include/IncludeOptional: No matches for the wildcard '*.conf' in "
 "'DIR', failing\".  IncludeOptional accepts an empty match.",
 "httpd refuses to start as soon as the directory is empty, e.g. on a "
 "fresh install.",
 "Use IncludeOptional for directories that may be empty.",
 "Include sites-enabled/*.conf\n"
 "# fixed:\n"
 "IncludeOptional sites-enabled/*.conf"},
{"HC032",
 "When the directory part of an Include wildcard does not exist, httpd "
 "stops with \"Could not open directory DIR: No such file or "
 "directory\".  IncludeOptional ignores it.",
 "httpd refuses to start.",
 "Create the directory, fix the path, or use IncludeOptional.",
 "Include /etc/httpd/vhosts.d/*.conf\n"
 "# fixed:\n"
 "IncludeOptional /etc/httpd/vhosts.d/*.conf"},
{"HC033",
 "httpd stops after 128 nested Includes with \"Exceeded maximum include "
 "depth of 128, There appears to be a recursion.\"",
 "httpd refuses to start; the cause is nearly always a file that "
 "includes itself through a wildcard.",
 "Break the cycle: do not let a wildcard match the file that holds it.",
 "# in conf.d/all.conf:\n"
 "Include conf.d/*.conf\n"
 "# fixed: keep the Include in httpd.conf only"},
{"HC034",
 "httpd follows included directories recursively and stops beyond 128 "
 "levels: \"Directory 'DIR' exceeds the maximum include directory "
 "nesting level of 128\".",
 "httpd refuses to start; a symbolic link loop is the usual cause.",
 "Include a narrower path, or remove the link loop.",
 "Include /etc/apache2/conf\n"
 "# fixed:\n"
 "Include /etc/apache2/conf/*.conf"},
{"HC035",
 "A wildcard Include path must be absolute once ServerRoot is applied; "
 "otherwise httpd stops with \"Include must have an absolute path, "
 "PATH\".",
 "httpd refuses to start.",
 "Use an absolute ServerRoot (and -d DIR), or an absolute Include path.",
 "ServerRoot etc/apache2\n"
 "Include conf.d/*.conf\n"
 "# fixed:\n"
 "ServerRoot /etc/apache2"},
{"HC036",
 "mpmlint did not read an included file because --no-includes was "
 "given.  httpd would read it.",
 "Settings in the skipped file are not checked, and the effective "
 "values may be wrong.",
 "Drop --no-includes, or lint the tree with --root DIR so the includes "
 "can be found.",
 "$ mpmlint --no-includes apache2.conf\n"
 "# fixed:\n"
 "$ mpmlint --root /srv/image apache2.conf"},
{"HC037",
 "httpd cannot open an included file (e.g. \"Permission denied\") and "
 "stops with \"Could not open configuration file FILE\".",
 "httpd refuses to start.",
 "Fix the permissions; httpd reads its configuration as the user that "
 "starts it (root), before switching user.",
 "$ chmod 0644 /etc/apache2/conf-enabled/local.conf"},
{"HC039",
 "httpd follows every Include, however many files that reads: a file "
 "that includes the next level twice, 18 levels deep, makes it read "
 "262144 files.  mpmlint stops following Includes after 65536 files or "
 "512 MiB in all, counting a file each time it is read.",
 "A real configuration reads far fewer files; one past the cap is "
 "broken or hostile.  The files after the cap are not checked.",
 "Include each file once, from one place; check for wildcards that match "
 "the files that hold them.",
 "# level1.conf:\n"
 "Include level2.conf\n"
 "Include level2.conf\n"
 "# fixed: include level2.conf once"},
{"HC038",
 "An Include naming a directory reads every entry in it, recursively, "
 "in byte order: dotfiles, editor backups (a.conf~) and swap files "
 "(.a.conf.swp) included.",
 "A backup copy of a file is read after the file and its settings win; "
 "a half-edited swap file can stop the server.",
 "Include only the files meant, with a wildcard.",
 "Include conf.d\n"
 "# fixed:\n"
 "IncludeOptional conf.d/*.conf"},
/* ---- parser: bytes and lines ----------------------------------------- */
{"HC040",
 "On Unix httpd does not strip a UTF-8 byte order mark: the three bytes "
 "become part of the first word, so the first line is an unknown "
 "directive (\"Invalid command '\\xef\\xbb\\xbfServerName'\"), even when "
 "it is a comment.",
 "httpd refuses to start.",
 "Save the file as UTF-8 without a BOM, e.g. "
 "sed -i '1s/^\\xEF\\xBB\\xBF//' FILE.",
 "<BOM>ServerName www.example.org\n"
 "# fixed: the same line without the BOM"},
{"HC041",
 "httpd reads a configuration line as a C string: a NUL byte ends the "
 "line, and the rest of the physical line is ignored.",
 "Part of a directive silently disappears.  NUL bytes usually mean a "
 "UTF-16 file or a corrupted one.",
 "Remove the NUL bytes; convert UTF-16 files to UTF-8.",
 "$ iconv -f UTF-16 -t UTF-8 local.conf > local.conf.new"},
{"HC042",
 "Line continuation happens before comments are recognised, so a "
 "comment line ending in '\\' swallows the next line into the comment.",
 "The next directive is silently lost; httpd says nothing.",
 "Remove the '\\' at the end of the comment.",
 "# tuning for event \\\n"
 "MaxRequestWorkers 400\n"
 "# fixed:\n"
 "# tuning for event\n"
 "MaxRequestWorkers 400"},
{"HC043",
 "A '\\' continues a line only when it is the last character before the "
 "newline.  With spaces after it, the line ends there, '\\' becomes a "
 "literal argument and the next line is a separate directive.",
 "The directive gets a wrong argument (often \"takes one argument\"), "
 "and the next line is read on its own.",
 "Remove the whitespace after the '\\'.",
 "ServerAdmin webmaster@example.org \\<space>\n"
 "# fixed: no space after the backslash"},
{"HC044",
 "Sections are nested more than 128 levels deep.  httpd reads each true "
 "conditional level by recursion and skips each false one by recursion "
 "too; with the default 8 MiB stack it crashes (SIGSEGV) at about 8,500 "
 "true levels or 65,000 false ones, a true level costing as much as 8 "
 "false ones.  mpmlint reports nesting past 8,000 true-level "
 "equivalents as an error.",
 "Such nesting is almost always generated by mistake, or by missing "
 "close tags; very deep conditionals, true or false, crash httpd at "
 "start.",
 "Flatten the conditionals, or fix the generator.",
 "<IfModule a>\n"
 "  <IfModule b>\n"
 "    ... 128 more levels ...\n"
 "# fixed: test each condition once at the top level"},
/* ---- parser: conditionals and modules -------------------------------- */
{"HC050",
 "mod_version cannot evaluate the <IfVersion> test and httpd stops: "
 "\"Version appears to be invalid\", \"unrecognized operator 'X'\", "
 "\"Missing delimiting / of regular expression.\" or \"Unable to compile "
 "regular expression\".",
 "httpd refuses to start.",
 "Use [[!]operator] major[.minor[.patch]] or a valid /regex/.",
 "<IfVersion >= 2.4.x>\n"
 "# fixed:\n"
 "<IfVersion >= 2.4.30>"},
{"HC053",
 "ServerRoot must name an existing directory; otherwise httpd stops "
 "with \"ServerRoot must be a valid directory\".",
 "On the machine that runs httpd it refuses to start.  mpmlint reports a "
 "warning, not an error, because the directory may exist only there; "
 "relative paths after the line are still resolved against it.",
 "Point ServerRoot at an existing directory.  To lint a tree copied "
 "from another machine, use --root DIR so that the directory is found.",
 "ServerRoot /etc/apache\n"
 "# fixed:\n"
 "ServerRoot /etc/apache2"},
{"HC054",
 "A second LoadModule of the same module identifier is skipped with "
 "AH01574 \"module X is already loaded, skipping\".",
 "The second line has no effect, and if it names another .so that file "
 "is never used.  It usually means a module enabled twice (httpd.conf "
 "and mods-enabled).",
 "Keep one LoadModule line per module.",
 "LoadModule rewrite_module modules/mod_rewrite.so\n"
 "LoadModule rewrite_module modules/mod_rewrite.so\n"
 "# fixed: delete the second line"},
{"HC056",
 "A conditional section tests only its first word; further words are "
 "ignored without a message.  <IfModule mod_a.c mpm_event_module> tests "
 "mod_a.c only.",
 "The block is on or off for a reason the reader does not see.",
 "Test one condition per section; nest sections for \"and\".",
 "<IfModule mod_ssl.c mod_socache_shmcb.c>\n"
 "# fixed:\n"
 "<IfModule mod_ssl.c>\n"
 "<IfModule mod_socache_shmcb.c>"},
{"HC057",
 "LoadModule of a module compiled into httpd fails with \"module X is "
 "built-in and can't be loaded\".  On Debian the built-in modules are "
 "core, mod_so, mod_watchdog, http_core, mod_log_config, mod_logio, "
 "mod_version and mod_unixd (see apache2 -l).  Debian's apache2 refuses "
 "the line whatever file it names (the check comes before the file is "
 "opened), so mpmlint reports it as an error for every path; RHEL, Alpine "
 "and upstream builds ship these as modules and accept it.",
 "httpd refuses to start.",
 "Remove the LoadModule line, or guard it with <IfModule !log_config_module> "
 "(the form that suits both builds).",
 "LoadModule version_module modules/mod_version.so\n"
 "# fixed: delete the line (mod_version is built in)"},
/* ---- parser: mod_macro ----------------------------------------------- */
{"HC060",
 "With macro_module loaded (Debian: a2enmod macro), <Macro name $arg ...> "
 "is read at once, up to its </Macro>.  httpd refuses it, and stops, when "
 "the '>' is missing, the name is empty, an argument name is empty or "
 "given twice (\"argument name conflict in macro\"), or no </Macro> "
 "follows (\"contents error: expected token not found: </Macro>\").  The "
 "closing line must begin with exactly </Macro>.",
 "httpd refuses to start.",
 "Give the macro a name and distinct argument names, and close it with a "
 "line that starts with </Macro>.",
 "<Macro VHost $name $name>\n"
 "# fixed:\n"
 "<Macro VHost $name $port>"},
{"HC061",
 "Use expands a macro defined earlier in reading order; UndefMacro "
 "removes one.  A name that is not defined at that point stops httpd: "
 "\"macro 'x' undefined\", \"no macro defined before Use\", \"cannot "
 "remove undefined macro 'x'\".  Macro names ignore case.  A <Macro> "
 "inside a false <IfModule> or <IfDefine> defines nothing.",
 "httpd refuses to start.",
 "Define the macro before its first Use, outside conditionals that are "
 "false, or remove the Use.",
 "Use Tune 50\n"
 "<Macro Tune $w>\n"
 "MaxRequestWorkers $w\n"
 "</Macro>\n"
 "# fixed: move the Use below </Macro>"},
{"HC062",
 "Use must give exactly as many values as the macro declares arguments; "
 "otherwise httpd stops with \"macro 'x' (defined on line N of \\\"F\\\") "
 "used with 2 arguments instead of 1\".  A value with spaces needs "
 "quotes.",
 "httpd refuses to start.",
 "Pass one value per argument, quoting values that contain spaces.",
 "Use VHost example.com 80 extra\n"
 "# fixed:\n"
 "Use VHost example.com 80"},
{"HC063",
 "A Use inside the expansion of the same macro (directly or through "
 "another macro) stops httpd with \"recursive use of macro 'x' is "
 "invalid\".",
 "httpd refuses to start.",
 "Break the cycle: a macro may use other macros, never itself.",
 "<Macro A $x>\n"
 "Use A $x\n"
 "</Macro>\n"
 "# fixed: expand the body by hand or use another macro"},
{"HC064",
 "mod_macro substitutes each body line in a buffer of 8192 bytes; a line "
 "that grows past it stops httpd with \"cannot substitute, buffer size "
 "too small\".",
 "httpd refuses to start.",
 "Shorten the line or the values passed to Use.",
 "Use Long \"a value of 9000 bytes...\""},
{"HC065",
 "mod_macro warns, and goes on, about: an argument never used in the "
 "body (AH02800), an argument name without a $, % or @ prefix (AH02796), "
 "argument names that are prefixes of each other (AH02797), an argument "
 "named like ${VAR} (AH02805), a macro name that starts like an argument "
 "(AH02803), a macro defined twice (AH02802), an empty body (AH02799), an "
 "empty value in Use (AH02798), an unknown /flag (AH02804), unbalanced "
 "sections in the body (AH02793, AH02795) and text after a closing '>' "
 "(AH02801, AH02794 through AH02989).  The message is httpd's.",
 "Each one usually means the macro does not expand to what was meant, "
 "e.g. $x inside $xy is replaced by the longest name at that spot only.",
 "Rename, use or remove the arguments as the message says.",
 "<Macro VHost $name $port>\n"
 "ServerName $name\n"
 "</Macro>\n"
 "# AH02800: argument '$port' (#2) never used"},
{"HC066",
 "mpmlint stops expanding when macros used inside macros nest more than "
 "1000 levels deep, or when all expansions together exceed 16 MiB or "
 "100,000 uses (the size counts each expansion's text and its name, which "
 "names the expansions around it too); after the size or use limit it "
 "expands no macro; httpd would go on (and use as much memory as it "
 "takes).",
 "The rest of the expansion is not checked.",
 "Flatten the macros.",
 "<Macro A $x>\nUse B $x\nUse B $x\n</Macro>  # and so on, doubling"},
{"HC067",
 "httpd reads a macro's expansion in place of the Use line and then goes "
 "on with the file, so a section opened in the body can be closed by a "
 "line after the Use (mod_macro warns, AH02795).  mpmlint reads each "
 "expansion as a file of its own: it accepts the close tags after the "
 "Use line, but checks the lines between as if they were outside the "
 "section.",
 "Directives between the Use line and the close tag are checked in the "
 "wrong context (e.g. an MPM directive inside <VirtualHost> there is not "
 "reported).",
 "Keep each section inside one macro body: open and close it in the same "
 "macro.",
 "<Macro Open $n>\n"
 "<VirtualHost *:80>\n"
 "ServerName $n\n"
 "</Macro>\n"
 "Use Open a.example\n"
 "</VirtualHost>\n"
 "# fixed: put </VirtualHost> inside the macro"},
/* ---- parser: files and modules httpd checks (files.c) ---------------- */
{"HC071",
 "httpd loads a module (dlopen, RTLD_NOW) as soon as it reads its LoadModule "
 "line, and every symbol must resolve then: mod_proxy_http, mod_proxy_ajp, "
 "mod_proxy_http2 and the other proxy modules need mod_proxy loaded "
 "before them, mod_cache_disk mod_cache, mod_dav_fs and mod_dav_lock "
 "mod_dav, mod_session_* mod_session.  Otherwise httpd stops with "
 "\"Cannot load ... into server: ...: undefined symbol: ...\".  The table "
 "(parser/moddeps.def) is generated by scripts/gen-moddeps.sh, which loads "
 "each module of Debian's mods-available alone with apache2 -t.",
 "httpd refuses to start.",
 "Load the needed module first (a2enmod does this from the .load file's "
 "Depends comment).",
 "LoadModule proxy_http_module modules/mod_proxy_http.so\n"
 "# fixed:\n"
 "LoadModule proxy_module modules/mod_proxy.so\n"
 "LoadModule proxy_http_module modules/mod_proxy_http.so"},
{"HC072",
 "With ssl_module loaded, mod_ssl checks the file each of SSLCertificateFile, "
 "SSLCertificateKeyFile, SSLCertificateChainFile, SSLCACertificateFile, "
 "SSLCARevocationFile, SSLProxyCACertificateFile, "
 "SSLProxyCARevocationFile, SSLProxyMachineCertificateFile, "
 "SSLProxyMachineCertificateChainFile and SSLSessionTicketKeyFile names "
 "when it reads the line (a regular file, not empty), and the directory "
 "of the *Path forms; a relative name is taken from the ServerRoot in "
 "effect at that line.  mpmlint looks under --root when given, else on "
 "this machine, and says which: a CI machine that is not the server may "
 "lack files the server has.",
 "httpd refuses to start (\"file '...' does not exist or is empty\").",
 "Install the file, or correct the path.",
 "SSLCertificateFile /etc/ssl/certs/missing.pem\n"
 "# fixed: a certificate that exists\n"
 "SSLCertificateFile /etc/ssl/certs/ssl-cert-snakeoil.pem"},
{"HC073",
 "At apache2 -t httpd checks that the directory of the error log of the "
 "main server and of each virtual host (the last ErrorLog of each) can be "
 "reached (AH02291), and mod_log_config the same for every CustomLog and "
 "TransferLog (AH02297).  Piped logs (|...) and ErrorLog syslog are not "
 "files and are not checked; PidFile is not checked at -t.  A relative "
 "name is taken from the final ServerRoot.  mpmlint looks under --root "
 "when given, else on this machine, and says which.",
 "apache2 -t fails (AH00014), httpd does not start.",
 "Create the directory, or log to an existing one.",
 "ErrorLog /var/log/httpd/error_log\n"
 "# fixed on Debian:\n"
 "ErrorLog ${APACHE_LOG_DIR}/error.log"},
{"HC074",
 "Some handlers want an existing directory when they read their line: "
 "DocumentRoot in the main server (\"is not a directory, or is not "
 "readable\"; in a virtual host httpd only warns, AH00112: HC081), "
 "CoreDumpDirectory (\"does not exist\", \"is not a directory\"), the "
 "directory after a Mutex mechanism (file:/run/apache2, \"Invalid Mutex "
 "directory in argument\") and DefaultRuntimeDir.  A relative name is "
 "taken from the ServerRoot in effect at that line.  mpmlint looks under "
 "--root when given (a missing directory is then a warning), else on this "
 "machine.",
 "httpd refuses to start.",
 "Create the directory, or name an existing one.",
 "Mutex file:/var/run/httpd/locks default\n"
 "# fixed on Debian:\n"
 "Mutex file:${APACHE_LOCK_DIR} default"},
{"HC075",
 "Some module handlers open or look for a file when they read their "
 "line: RewriteMap's map (txt:, rnd:, a bare path) or the program of a "
 "prg: map (\"RewriteMap: file for map NAME not found:PATH\"), and "
 "mod_remoteip's RemoteIPTrustedProxyList and RemoteIPInternalProxyList "
 "(\"Could not open file\").  A relative name is taken from the "
 "ServerRoot in effect at that line.  mpmlint looks under --root when "
 "given (a missing file is then a note), else on this machine; dbm: "
 "maps are not looked for.",
 "httpd refuses to start.",
 "Create the file, or name an existing one.",
 "RewriteMap lower txt:maps/lower.txt\n"
 "# fixed:\n"
 "RewriteMap lower int:tolower"},
{"HC080",
 "mod_so opens the file LoadModule names and then looks the module "
 "structure up by the name given first (dlsym).  A file that holds "
 "another module (LoadModule rewrite_module modules/mod_alias.so, a "
 "copy-paste slip or a renamed file) fails with \"Can't locate API "
 "module structure `rewrite_module' in file ...: undefined symbol\".  "
 "mpmlint reads the file's ELF dynamic symbol table (nothing is loaded "
 "or run); a file it cannot judge (not an ELF shared object of this "
 "machine) gives nothing.  Under --root only the tree's file is read.",
 "httpd stops reading: apache2 -t fails and the server does not start.",
 "Name the module the file really holds, or the file of that module "
 "(Debian: the mods-available/*.load files have both right).",
 "LoadModule rewrite_module /usr/lib/apache2/modules/mod_alias.so\n"
 "# fixed:\n"
 "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so"},
{"HC081",
 "DocumentRoot in a <VirtualHost> that names no directory: core's handler "
 "prints AH00112 \"Warning: DocumentRoot [DIR] does not exist\" while "
 "reading and goes on (in the main server it refuses the line, HC074).  "
 "apache2 -t still says Syntax OK.  A relative name is taken from the "
 "ServerRoot in effect at that line.  mpmlint looks under --root when "
 "given (a missing directory is then a note, since the server may have "
 "it), else on this machine.",
 "The virtual host starts, but every request to it answers 404 (or 403) "
 "until the directory exists.",
 "Create the directory, or correct the path.",
 "<VirtualHost *:80>\n"
 "    ServerName www.example.com\n"
 "    DocumentRoot /srv/www/example   # does not exist\n"
 "</VirtualHost>"},
{"HC082",
 "Suexec On needs the suexec wrapper (Debian: /usr/lib/apache2/suexec, "
 "from apache2-suexec-pristine or -custom) that mod_unixd looks for "
 "before the tree is walked: it must exist, be owned by root with the "
 "setuid bit, and be readable and executable.  Otherwise, or after a "
 "Suexec Off, httpd stops with \"suEXEC isn't supported: REASON\"; "
 "mod_suexec's SuexecUserGroup stops it the same way (\"SuexecUserGroup "
 "configured, but suEXEC is disabled\").  Under --root the wrapper is "
 "looked for in the tree and a missing one, or one whose owner or mode a "
 "checkout may not keep, is a note.",
 "httpd refuses to start.",
 "Install the wrapper (apt install apache2-suexec-pristine), or remove "
 "Suexec On and SuexecUserGroup.",
 "LoadModule suexec_module /usr/lib/apache2/modules/mod_suexec.so\n"
 "SuexecUserGroup www-data www-data   # no wrapper installed\n"
 "# fixed: apt install apache2-suexec-pristine"},
/* ---- rules: which MPM ------------------------------------------------ */
{"MPM001",
 "After reading the configuration httpd checks that exactly one MPM is "
 "loaded.  With none it stops with AH00534 \"Configuration error: No MPM "
 "loaded.\"; apache2 -t fails too.  As for MPM002 the tree is never "
 "walked: httpd prints only what it says while reading (a module loaded "
 "twice, an undefined ${VAR}), so mpmlint reports nothing else either "
 "(no Invalid command, no argument or directory check).",
 "httpd refuses to start, and mpmlint cannot compute the effective "
 "settings.",
 "Load one MPM (Debian: a2enmod mpm_event).  If the LoadModule line is in "
 "a file mpmlint did not read, lint with --root DIR or name the MPM with "
 "--mpm.",
 "# fixed:\n"
 "LoadModule mpm_event_module modules/mod_mpm_event.so"},
{"MPM002",
 "Every LoadModule line of an MPM is accepted; once the whole "
 "configuration is read, httpd stops with AH00534 \"Configuration error: "
 "More than one MPM loaded.\" and prints nothing else (no Invalid command, "
 "no MPM warning: the tree is never walked), so mpmlint reports only what "
 "httpd reads before that and no effective values.",
 "httpd refuses to start.  Changing the MPM and reloading gracefully "
 "kills a running server (\"The MPM cannot be changed during "
 "restart\"): switch MPMs with a full restart.",
 "Keep one MPM; on Debian, a2dismod mpm_prefork && a2enmod mpm_event.",
 "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n"
 "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
 "# fixed: delete one of them"},
{"MPM003",
 "A directive exists only while its module is loaded.  A directive of "
 "another MPM (ThreadsPerChild under prefork, MinSpareServers under "
 "event, AsyncRequestWorkerFactor under worker) fails with AH00526 "
 "\"Invalid command 'X', perhaps misspelled or defined by a module not "
 "included in the server configuration\".",
 "httpd refuses to start.  This happens right after switching MPMs.",
 "Delete the directive, or put it in an <IfModule mpm_X_module> block "
 "for its MPM.",
 "ThreadsPerChild 25\n"
 "# fixed:\n"
 "<IfModule mpm_event_module>\n"
 "    ThreadsPerChild 25\n"
 "</IfModule>"},
{"MPM004",
 "MPM directives are allowed only in the main server configuration.  "
 "Inside <VirtualHost> httpd stops with \"X cannot occur within "
 "<VirtualHost> section\"; inside <Directory>, <Location>, <Files> or "
 "<If> with \"X not allowed in <Directory> context\" (AH00526).",
 "httpd refuses to start.  MPM settings are server-wide; there is no "
 "per-host value.",
 "Move the directive to the top level (a conditional section around it "
 "is fine).",
 "<VirtualHost *:80>\n"
 "    MaxRequestWorkers 200\n"
 "</VirtualHost>\n"
 "# fixed: MaxRequestWorkers 200 outside the <VirtualHost>"},
{"MPM005",
 "Every MPM directive takes exactly one argument; otherwise httpd stops "
 "with AH00526 \"X takes one argument, DESCRIPTION\".  An empty \"\" "
 "counts as missing.",
 "httpd refuses to start.",
 "Give exactly one value.",
 "ServerLimit 16 32\n"
 "# fixed:\n"
 "ServerLimit 32"},
/* ---- rules: the MPM model -------------------------------------------- */
{"MPM006",
 "worker and event compute processes = MaxRequestWorkers / "
 "ThreadsPerChild and round MaxRequestWorkers down to a multiple of "
 "ThreadsPerChild, with AH00316 (worker) or AH00513 (event).  This also "
 "happens to the implicit 400 when MaxRequestWorkers is not set.",
 "The server runs with fewer workers than configured, and apache2 -t "
 "still says Syntax OK.",
 "Make MaxRequestWorkers a multiple of ThreadsPerChild.",
 "ThreadsPerChild 25\n"
 "MaxRequestWorkers 410\n"
 "# fixed:\n"
 "MaxRequestWorkers 400"},
{"MPM007",
 "MaxRequestWorkers needs more processes than ServerLimit allows.  "
 "prefork lowers MaxRequestWorkers to ServerLimit (AH00180); worker and "
 "event cap the processes at ServerLimit, so capacity is ServerLimit x "
 "ThreadsPerChild (AH00318, AH00515).  The implicit MaxRequestWorkers "
 "(256 prefork, 400 worker/event) counts too.",
 "The server serves fewer clients than MaxRequestWorkers says; under "
 "load, requests queue.",
 "Raise ServerLimit to MaxRequestWorkers / ThreadsPerChild (rounded up; "
 "for event add room for stopping processes), or lower "
 "MaxRequestWorkers.  ServerLimit changes need a full restart.",
 "ThreadsPerChild 25\n"
 "MaxRequestWorkers 800\n"
 "# fixed:\n"
 "ServerLimit 40"},
{"MPM008",
 "ThreadsPerChild above ThreadLimit (default 64) is lowered to "
 "ThreadLimit with AH00310 (worker) or AH00507 (event); the "
 "MaxRequestWorkers rounding then uses the lowered value.",
 "Each process runs fewer threads than configured, so capacity drops.",
 "Raise ThreadLimit to at least ThreadsPerChild (it needs a full "
 "restart), or lower ThreadsPerChild.",
 "ThreadsPerChild 100\n"
 "# fixed:\n"
 "ThreadLimit 100\n"
 "ThreadsPerChild 100"},
{"MPM009",
 "At start the MPM clamps values that are out of range, in a fixed "
 "order, with a warning: values below 1 are raised to 1, ServerLimit "
 "and ThreadLimit above their compiled-in maxima are lowered, and "
 "MaxRequestWorkers below ThreadsPerChild is raised.",
 "httpd runs with a value other than the one written, and apache2 -t "
 "still exits 0.",
 "Write the value httpd will use, inside the allowed range.",
 "StartServers 0\n"
 "# fixed:\n"
 "StartServers 1"},
{"MPM010",
 "MPM numbers are read with atoi: \"25abc\" is 25, \"1e3\" is 1, "
 "\"0x400\" is 0, \"abc\" is 0, and values beyond the int range wrap.  "
 "No error is printed.",
 "httpd uses a number other than the one meant, sometimes 0 and then "
 "clamped.",
 "Write plain decimal integers.",
 "MaxRequestWorkers 1e3\n"
 "# fixed:\n"
 "MaxRequestWorkers 1000"},
{"MPM011",
 "At run time, without any message, prefork raises MaxSpareServers to "
 "MinSpareServers + 1, and worker/event raise MaxSpareThreads to "
 "MinSpareThreads + ThreadsPerChild + 1 (per listener bucket).",
 "The idle pool is larger than configured; the manual's bound is one "
 "short.",
 "Set the maximum at or above the raised value.",
 "MinSpareThreads 75\n"
 "MaxSpareThreads 75\n"
 "# fixed:\n"
 "MaxSpareThreads 101"},
{"MPM012",
 "When MinSpareServers or MinSpareThreads is at least MaxRequestWorkers, "
 "the idle maintenance can never reach the minimum: httpd keeps every "
 "process and logs AH00161 (prefork), AH00287 (worker) or AH10159 "
 "(event), even while idle.",
 "Misleading \"reached MaxRequestWorkers\" messages, and constant "
 "pressure to spawn.",
 "Keep the minimum well below MaxRequestWorkers.",
 "MaxRequestWorkers 50\n"
 "MinSpareThreads 75\n"
 "# fixed:\n"
 "MinSpareThreads 25"},
{"MPM013",
 "prefork treats a negative MaxConnectionsPerChild as unlimited, but "
 "worker and event make every child exit at once: children are "
 "respawned in a loop (AH00486 \"server seems busy\").",
 "The server spends its time forking and serves almost nothing.",
 "Use 0 for unlimited, or a positive count.",
 "MaxConnectionsPerChild -1\n"
 "# fixed:\n"
 "MaxConnectionsPerChild 0"},
{"MPM014",
 "httpd 2.4 still accepts MaxClients (now MaxRequestWorkers) and "
 "MaxRequestsPerChild (now MaxConnectionsPerChild, which counts "
 "connections, not requests); its notices are logged only at LogLevel "
 "info.",
 "The old names may go away, and readers look for the new ones.",
 "Rename the directive.",
 "MaxClients 150\n"
 "# fixed:\n"
 "MaxRequestWorkers 150"},
{"MPM015",
 "event stores AsyncRequestWorkerFactor as value x 16 but uses the "
 "integer part in its connection gate: 1.5 behaves as 1, 2.9 as 2, and "
 "values between 0 and 1 as 1.",
 "The connection limit is lower than the value suggests.",
 "Write a whole number.",
 "AsyncRequestWorkerFactor 2.5\n"
 "# fixed:\n"
 "AsyncRequestWorkerFactor 2"},
{"MPM016",
 "Some values are refused outright and httpd stops with AH00526, e.g. "
 "AsyncRequestWorkerFactor 0 or negative (\"must be a positive "
 "number\"), or not a number (\"error parsing value\").",
 "httpd refuses to start.",
 "Use a value in the directive's range.",
 "AsyncRequestWorkerFactor 0\n"
 "# fixed:\n"
 "AsyncRequestWorkerFactor 2"},
{"MPM017",
 "httpd has no trailing comments: '#' after a directive is ordinary "
 "argument text.  One-argument directives then fail with \"X takes one "
 "argument\"; directives with several arguments silently take the "
 "comment words as arguments.",
 "Either httpd refuses to start, or a directive gets unintended "
 "arguments.",
 "Put the comment on a line of its own.",
 "StartServers 3 # three\n"
 "# fixed:\n"
 "# three\n"
 "StartServers 3"},
{"MPM021",
 "<IfModule X> compares X, case-sensitively, with the source file name "
 "of each loaded module (event.c) and the identifier given to "
 "LoadModule (mpm_event_module).  Names like mod_mpm_event.c, Event.c "
 "or mpm_event.c never match.",
 "The block is always skipped, so its settings never apply.",
 "Write mpm_event_module or event.c (likewise for the other modules).",
 "<IfModule mod_mpm_event.c>\n"
 "# fixed:\n"
 "<IfModule mpm_event_module>"},
{"MPM022",
 "The contents of <IfModule mpm_X_module> for an MPM that is not loaded "
 "are skipped unread.",
 "The settings in the block look active but are not; typical after "
 "switching MPMs.",
 "Delete the dead block, or move its settings into the block of the "
 "loaded MPM.",
 "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
 "<IfModule mpm_prefork_module>\n"
 "    MaxRequestWorkers 150\n"
 "</IfModule>"},
{"MPM023",
 "Each MPM directive just assigns a variable, so the last occurrence in "
 "the whole tree wins and the order of different MPM directives does "
 "not matter.",
 "An earlier value (in httpd.conf, say) is silently replaced by a later "
 "one (in mods-enabled/mpm_event.conf); the file a reader edits may be "
 "the one that has no effect.",
 "Keep one setting per directive.",
 "MaxRequestWorkers 400\n"
 "Include mods-enabled/mpm_event.conf\n"
 "# where mpm_event.conf sets MaxRequestWorkers 150"},
{"MPM024",
 "mod_php built without thread safety (Debian's libapache2-mod-php) "
 "refuses a threaded MPM in pre_config: \"Apache is running a threaded "
 "MPM, but your PHP Module is not compiled to be threadsafe\", then "
 "AH00013 \"Pre-configuration failed\".",
 "httpd refuses to start, and apache2 -t fails too.",
 "Use PHP-FPM through mod_proxy_fcgi with worker or event, or use "
 "prefork with mod_php.",
 "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
 "LoadModule php_module modules/libphp.so\n"
 "# fixed: a2dismod php8.2; a2enmod proxy_fcgi; a2enconf php8.2-fpm"},
{"MPM025",
 "prefork serves a keep-alive connection in one process, which waits "
 "for the next request for up to KeepAliveTimeout seconds.",
 "Idle clients hold whole processes: MaxRequestWorkers idle connections "
 "block the server.",
 "Lower KeepAliveTimeout (a few seconds), or switch to event, which "
 "parks idle connections without a worker.",
 "KeepAlive On\n"
 "KeepAliveTimeout 60\n"
 "# fixed:\n"
 "KeepAliveTimeout 3"},
{"MPM026",
 "The scoreboard is shared memory of about 40 bytes x ServerLimit + 336 "
 "bytes x ServerLimit x ThreadLimit, zeroed at start and on every "
 "restart, so all of it is resident.  ServerLimit and ThreadLimit cannot "
 "change on a graceful restart.",
 "Limits far above need waste memory (hundreds of MiB at large values) "
 "and can stop httpd from starting.",
 "Set ServerLimit to what MaxRequestWorkers / ThreadsPerChild needs "
 "(event: plus room for stopping processes) and ThreadLimit to the "
 "largest ThreadsPerChild you plan.",
 "ThreadLimit 20000\n"
 "ThreadsPerChild 25\n"
 "# fixed:\n"
 "ThreadLimit 64"},
{"MPM028",
 "httpd compiles regular expressions with PCRE2 while reading the "
 "configuration, with the options of httpd's ap_regcomp (duplicate group names "
 "allowed, DOTALL and DOLLAR_ENDONLY by default); one that does not "
 "compile stops the server with AH00526 and the module's words: "
 "\"Regex could not be compiled\" for the sections, \"Regular "
 "expression could not be compiled.\" for mod_alias, \"BrowserMatch "
 "regex could not be compiled.\" for mod_setenvif, \"RewriteRule: "
 "cannot compile regular expression '...'\" for mod_rewrite.  mpmlint "
 "adds PCRE2's reason and offset.",
 "httpd refuses to start.",
 "Fix the expression; escape literal metacharacters.",
 "RewriteRule ^/(old(/.*$ /new$1\n"
 "# fixed:\n"
 "RewriteRule ^/old(/.*)$ /new$1"},
{"MPM029",
 "Mutex types belong to the modules that register them before the "
 "configuration is processed (so a LoadModule anywhere in it counts): "
 "prefork and worker register mpm-accept, event does not; mod_rewrite "
 "rewrite-map, mod_ssl ssl-cache, ssl-stapling and ssl-stapling-refresh, "
 "mod_proxy proxy, mod_proxy_balancer proxy-balancer-shm, mod_auth_digest "
 "authdigest-client, mod_authn_socache authn-socache, mod_cache_socache "
 "cache-socache, mod_ldap ldap-cache, mod_lua lua-ivm-shm, mod_watchdog "
 "(compiled in) watchdog-callback.  Another type stops httpd with "
 "\"Mutex type NAME is not valid\" (the names are case-sensitive, and "
 "httpd reads the list from the last), and the none mechanism with "
 "\"None is not allowed for mutex type NAME\".  With a module mpmlint "
 "has no table for, any type may exist.",
 "httpd refuses to start after switching to event.",
 "Remove mpm-accept from the Mutex line, or guard it with <IfModule "
 "!mpm_event_module>.",
 "Mutex file:/run/apache2 mpm-accept\n"
 "# fixed:\n"
 "<IfModule !mpm_event_module>\n"
 "    Mutex file:/run/apache2 mpm-accept\n"
 "</IfModule>"},
{"MPM031",
 "<IfModule> is evaluated when its line is read.  Before the LoadModule "
 "line of that module it is false, even though the module is loaded "
 "later.",
 "The block is skipped; its settings never apply.",
 "Move the block after the LoadModule line (Debian loads .load files "
 "before .conf files for this reason).",
 "<IfModule mpm_event_module>\n"
 "    MaxRequestWorkers 400\n"
 "</IfModule>\n"
 "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
 "# fixed: LoadModule first"},
{"MPM032",
 "NameVirtualHost does nothing in 2.4; httpd logs AH00548 "
 "\"NameVirtualHost has no effect and will be removed in the next "
 "release\", even under apache2 -t.",
 "Noise, and a sign of a 2.2 configuration that may need other "
 "changes.",
 "Delete the line.",
 "NameVirtualHost *:80\n"
 "# fixed: delete it"},
{"MPM034",
 "At start the MPM spawns min(StartServers, the process limit) "
 "children; StartServers above the limit is capped without a message.",
 "The value written is not the one used.",
 "Lower StartServers to the number of processes that can run.",
 "ServerLimit 4\n"
 "StartServers 10\n"
 "# fixed:\n"
 "StartServers 4"},
{"MPM036",
 "AcceptMutex and LockFile were removed in 2.4 and are now invalid "
 "commands (AH00526).  Their job is done by Mutex.",
 "httpd refuses to start.",
 "Replace them with Mutex MECHANISM[:DIR] TYPES.",
 "AcceptMutex fcntl\n"
 "# fixed:\n"
 "Mutex fcntl mpm-accept"},
{"MPM037",
 "event keeps processes that stop gracefully (after a restart or idle "
 "reduction) in scoreboard slots up to ServerLimit.  When ServerLimit "
 "equals the processes MaxRequestWorkers needs, no slot is left for "
 "them and httpd logs AH03490 \"scoreboard is full, not at "
 "MaxRequestWorkers\".",
 "After a graceful restart under load the server runs below capacity.",
 "Set ServerLimit above MaxRequestWorkers / ThreadsPerChild.",
 "ServerLimit 16\n"
 "ThreadsPerChild 25\n"
 "MaxRequestWorkers 400\n"
 "# fixed:\n"
 "ServerLimit 20"},
{"MPM038",
 "Sections may only appear where httpd allows them: <Directory>, "
 "<Location> and <VirtualHost> only in the server configuration (and "
 "some inside <VirtualHost>), <Files> not inside <Location>.  Otherwise "
 "httpd stops with AH00526, e.g. \"<Directory not allowed in <Location> "
 "context\" or \"<VirtualHost> cannot occur within <VirtualHost> "
 "section\".",
 "httpd refuses to start.",
 "Move the section to a context that allows it.",
 "<Location /app>\n"
 "    <Directory /srv/app>\n"
 "    </Directory>\n"
 "</Location>\n"
 "# fixed: put <Directory> at the top level"},
{"MPM039",
 "A directive that no loaded module provides fails with AH00526 "
 "\"Invalid command 'X', perhaps misspelled or defined by a module not "
 "included in the server configuration\".",
 "httpd refuses to start.",
 "Fix the spelling, load the module that provides the directive, or "
 "guard the directive with <IfModule>.",
 "RewriteEngine On\n"
 "# fixed:\n"
 "LoadModule rewrite_module modules/mod_rewrite.so\n"
 "RewriteEngine On"},
{"MPM040",
 "httpd checks the number of arguments of every directive while walking "
 "the configuration and stops with AH00526, e.g. \"X takes one "
 "argument\", \"takes two arguments\" or \"takes no arguments\".",
 "httpd refuses to start.",
 "Give the directive the arguments its syntax requires; quote values "
 "that contain spaces.",
 "ServerName www.example.org example.org\n"
 "# fixed:\n"
 "ServerName www.example.org\n"
 "ServerAlias example.org"},
{"MPM041",
 "Each directive declares where it may appear: the server configuration, "
 "<VirtualHost>, <Directory>/<Location>/<Files>, .htaccess.  Used "
 "elsewhere, httpd stops with AH00526, e.g. \"X not allowed in "
 "<Directory> context\" or \"X cannot occur within <VirtualHost> "
 "section\".",
 "httpd refuses to start.",
 "Move the directive to a context the manual's Context line allows, "
 "usually the top level or the <VirtualHost>.",
 "<Directory /srv/www>\n"
 "    Listen 8080\n"
 "</Directory>\n"
 "# fixed: Listen 8080 at the top level"},
{"MPM050",
 "httpd keeps one listener per Listen line and refuses a second line "
 "with the same address and port (the address compared as written, "
 "ignoring case): \"Cannot define multiple Listeners on the same "
 "IP:port\".  A different spelling of the same address, such as 80 and "
 "0.0.0.0:80, is accepted and fails only when the second bind does.",
 "httpd refuses to start; -t already fails.",
 "Delete the second Listen line; with Debian's ports.conf, check the "
 "sites that add their own Listen.",
 "Listen 127.0.0.1:8080\n"
 "Listen 127.0.0.1:8080\n"
 "# fixed: one Listen 127.0.0.1:8080"},
{"MPM047",
 "With ListenCoresBucketsRatio, httpd splits its listeners into buckets "
 "(online cores / ratio) and raises the process limit to the bucket "
 "count at start.  When ServerLimit is below that count, the limit runs "
 "past the end of the scoreboard: the prefork and worker parents crash "
 "(AH00060), and event logs AH03490 'scoreboard is full' over and over.  "
 "apache2 -t says nothing.",
 "The server does not come up, or cannot start children, on a machine "
 "with more cores than the configuration was tested on.",
 "Raise ServerLimit to at least the bucket count, or drop "
 "ListenCoresBucketsRatio.  mpmlint assumes the bucket count given by "
 "--buckets (1 by default).",
 "ListenCoresBucketsRatio 1\n"
 "ServerLimit 1\n"
 "# fixed: ServerLimit 4 (at least the cores / ratio)"},
/* ---- read-time refusals --------------------------------------------- */
{"MPM060",
 "httpd runs the Error directive while it reads the configuration: in "
 "any part that is read (not inside a false <IfDefine> or <IfModule>, "
 "but inside <VirtualHost>, <Directory> and even <If \"false\">), it "
 "stops with AH00526 and the directive's own text, one pair of "
 "enclosing quotes removed.",
 "httpd refuses to start; the message is usually a guard a colleague "
 "left on purpose, e.g. against starting without -D PRODUCTION.",
 "Read the message: define what it asks for (-D NAME) or load the "
 "module it needs, or remove the Error line.",
 "<IfDefine !PRODUCTION>\n"
 "    Error \"start with -D PRODUCTION\"\n"
 "</IfDefine>\n"
 "# fixed: apache2 -D PRODUCTION, or mpmlint -D PRODUCTION"},
{"MPM061",
 "httpd parses the condition of <If> and <ElseIf> (ap_expr), and "
 "that of SetEnvIfExpr, when it reads the configuration, whether or not the section would ever "
 "match, and stops with AH00526 \"Cannot parse condition clause: ...\": "
 "a syntax error (bison's message, naming the unexpected and the "
 "expected tokens), a variable, function or operator no loaded module "
 "provides, a regex PCRE2 cannot compile, or a bad subnet for -R and "
 "-ipmatch.  A byte that no scanner rule takes (a quote inside "
 "%{func:...}, a backslash at the very end) makes httpd print \"flex "
 "scanner jammed\" and exit with status 2.  The column points at the "
 "fault.",
 "httpd refuses to start.",
 "Fix the expression: quote strings, spell %{VARIABLE} names as the "
 "expression manual lists them, load mod_ssl for SSL_* variables, and "
 "check the regex.",
 "<If \"%{REQUEST_URI} =~ m#^/(old#\">\n"
 "# fixed:\n"
 "<If \"%{REQUEST_URI} =~ m#^/(old)#\">"},
{"MPM062",
 "<Else> and <ElseIf> continue the <If> or <ElseIf> just before them in "
 "the same scope (the same <VirtualHost>, <Directory> ... or the server "
 "level; an <If> elsewhere does not count), else httpd stops with "
 "\"<Else> or <ElseIf> section without previous <If> or <ElseIf> "
 "section in same scope\".  <Else> takes no argument, <If> and "
 "<ElseIf> need one and only one (\"Multiple <If> arguments not "
 "supported.\").",
 "httpd refuses to start.",
 "Put the <Else> right after its <If> in the same section, quote the "
 "whole condition as one argument.",
 "<If \"-n %{HTTP_HOST}\">\n"
 "</If>\n"
 "<VirtualHost *:80>\n"
 "    <Else>\n"
 "    </Else>\n"
 "</VirtualHost>\n"
 "# fixed: <Else> next to its <If>"},
{"MPM063",
 "httpd checks Listen's arguments when it reads them: one or two words "
 "(the address and port, an optional protocol; an empty word ends the "
 "list), a port from 1 to 65535 (\"Port must be specified\" when there "
 "is none or the text after the last ':' is not all digits, \"Invalid "
 "address or port\" for 0, a bad IPv6 bracket or a port out of range), "
 "and an address the resolver accepts: a host name is resolved when the "
 "line is read, apache2 -t included, and one that does not resolve stops "
 "httpd (AH00077 \"alloc_listener: failed to set up sockaddr\", then "
 "\"Listen setup failed\").  mpmlint resolves it on this machine the "
 "way httpd does, waiting at most 10 seconds (then it is a note, and "
 "later names are not looked up); under --root the server is elsewhere, "
 "so a name that fails here is a note.",
 "httpd refuses to start.",
 "Write Listen [ADDRESS:]PORT [PROTOCOL], with IPv6 addresses in "
 "brackets: Listen [::1]:8080.",
 "Listen 8080a\n"
 "# fixed:\n"
 "Listen 8080"},
{"MPM064",
 "Some core directives check their value when httpd reads them and "
 "stop it with AH00526: ListenBacklog must be above 0, KeepAliveTimeout "
 "a number with an optional unit (s, ms, mi, h), LimitRequestBody a "
 "whole number, the LimitRequest* limits not negative, Options and "
 "FileETag known words (all with + or -, or none), LogLevel known "
 "levels, Mutex a known mechanism, and the keyword directives "
 "(HostnameLookups, UseCanonicalName, ServerSignature, ServerTokens, "
 "TraceEnable, AcceptPathInfo, EnableMMAP, EnableSendfile) one of their "
 "words.  Loaded modules check theirs too: mod_deflate's levels and "
 "sizes, mod_setenvif's missing header, regex or variable, mod_alias's "
 "one-argument Alias outside <Location>, mod_dir, mod_negotiation, "
 "mod_mime, mod_autoindex's FancyIndexing.",
 "httpd refuses to start.",
 "Use a value the directive accepts; the message lists them.",
 "KeepAliveTimeout 5 seconds\n"
 "# fixed:\n"
 "KeepAliveTimeout 5"},
{"MPM065",
 "httpd 2.4 removed the default content type: DefaultType with anything "
 "but None (or Off) is read, ignored, and logged as AH00117 \"Ignoring "
 "deprecated use of DefaultType in line N of FILE.\"",
 "Files without a known extension are not served with the type the "
 "line promises.",
 "Remove the line, or set the type with ForceType in a <Files> or "
 "<Location>, or with AddType for the extension.",
 "DefaultType text/plain\n"
 "# fixed:\n"
 "<Files \"README\">\n"
 "    ForceType text/plain\n"
 "</Files>"},
{"MPM066",
 "AllowOverride decides which directives .htaccess files may hold, and "
 "httpd reads .htaccess files only for <Directory> sections.  In "
 "<Location>, <Files> or <If> it has no effect, and httpd says so at "
 "start: AH00114 \"Useless use of AllowOverride in line N of FILE.\"",
 "The .htaccess policy is not what the line suggests: the directory's "
 "own AllowOverride (or the default None) applies.",
 "Move AllowOverride into the <Directory> section of the same path.",
 "<Location /app>\n"
 "    AllowOverride All\n"
 "</Location>\n"
 "# fixed:\n"
 "<Directory /srv/app>\n"
 "    AllowOverride All\n"
 "</Directory>"},
{"MPM067",
 "The handlers of loaded modules check their own arguments when httpd "
 "reads them and stop it with AH00526: mod_headers' actions, formats "
 "and conditions (Header, RequestHeader), mod_rewrite's argument line, "
 "flags, options, maps and RewriteBase outside a directory, mod_alias' "
 "redirect status and target and where Alias may stand, mod_remoteip's "
 "addresses (a host name is resolved, as httpd does), mod_reqtimeout's "
 "key=value parameters, mod_expires' codes, mod_autoindex's IndexOptions "
 "and IndexOrderDefault, mod_filter's providers (a filter no loaded "
 "module registers) and declared filters, AuthMerging and "
 "DeflateFilterNote's words; mod_authz_core's Require (a provider no "
 "loaded module registers: \"Unknown Authz provider\"; the arguments of "
 "all, ip and method; \"not\" where the section combines with OR) and "
 "its sections (<RequireAll>, <RequireAny>, <RequireNone> with nothing "
 "inside, a negated one in an OR section, and, after reading, a section "
 "whose parts are all negated: AH01624 and \"Configuration check "
 "failed\"); core's nested <Limit> and <LimitExcept> (TRACE, no method "
 "left, none taken away).  "
 "mpmlint checks them only where the module is loaded and the line is "
 "read.",
 "httpd refuses to start.",
 "Use the form the module documents; the message is httpd's own.",
 "RewriteRule ^/old /new [R=301,L,QQ]\n"
 "# fixed:\n"
 "RewriteRule ^/old /new [R=301,L]"},
{"MPM068",
 "Some module handlers log a warning while reading and go on: mod_env's "
 "PassEnv of a variable that is not set in httpd's environment "
 "(AH01506; mpmlint looks in its own environment, so run it with the "
 "server's), RewriteOptions MaxRedirects=, which is ignored (AH00664), "
 "and the NC flag on a RewriteCond test that is not a regex or string "
 "comparison (AH00665).",
 "The line does not do what it says: the variable is not passed, the "
 "limit or the case-folding does not apply.",
 "Set the variable before httpd starts (Debian: /etc/apache2/envvars), "
 "use LimitInternalRecursion, drop the flag.",
 "RewriteOptions MaxRedirects=20\n"
 "# fixed:\n"
 "LimitInternalRecursion 20"},
/* ---- resources: does the configuration fit the machine? ------------- */
{"MPM042",
 "httpd never compares its MPM settings with the memory of the machine.  "
 "Under load it starts children until MaxRequestWorkers workers run, so "
 "the worst case is processes x per-process memory + threads x "
 "per-thread memory, plus what other services on the machine hold.  "
 "mpmlint computes that peak from the effective values and the sizes "
 "(--process-size and --thread-size, a memory profile, --measure, else "
 "documented estimates) and compares it with the RAM (--ram, the "
 "profile's ram, else this machine's cgroup limit or MemTotal).",
 "A traffic burst then drives the machine into swap or the OOM killer, "
 "which may kill httpd's children or the database next to it; the "
 "server looks fine until the busiest hour.",
 "Lower MaxRequestWorkers to at most the value the message names, "
 "reduce the memory per process (fewer modules, php-fpm instead of "
 "mod_php), or give the machine more RAM.  Check the sizes first: "
 "measure a loaded server with --measure.",
 "# prefork; mpmlint --ram 2G --process-size 40M httpd.conf\n"
 "MaxRequestWorkers 150\n"
 "# fixed: the message names 49 as the largest safe value\n"
 "MaxRequestWorkers 45"},
{"MPM043",
 "The peak memory of the MPM settings (see MPM042) fits in the RAM but "
 "takes more than the threshold share of it: 80% by default, set with "
 "--mem-threshold or the profile's threshold.",
 "The rest of the machine (page cache, the kernel, logs, cron jobs, "
 "a deploy) needs room too; near the limit a burst still ends in swap.",
 "Lower MaxRequestWorkers to the value the message names, or raise the "
 "threshold when the machine runs nothing else.",
 "# event; mpmlint --ram 4G --process-size 64M --thread-size 4M\n"
 "ServerLimit 20\n"
 "MaxRequestWorkers 500\n"
 "# fixed: 475 or less stays within 80%\n"
 "MaxRequestWorkers 450"},
{"MPM044",
 "The peak memory of the MPM settings (see MPM042) stays within the "
 "threshold share of the RAM.  The message gives the numbers, the "
 "headroom and how far MaxRequestWorkers could grow within the "
 "threshold.",
 "It records the sizing in the output (and in JSON under effective."
 "memory), so that a later change can be compared; it is an info "
 "finding and never fails a run at the default --fail-on.",
 "Nothing to fix.  Silence it with --disable memory-headroom when the "
 "numbers are not wanted in the findings.",
 "# mpmlint --ram 8G httpd.conf\n"
 "MaxRequestWorkers 150"},
{"MPM045",
 "Every child process is limited by the open-file limit (RLIMIT_NOFILE, "
 "ulimit -n, systemd's LimitNOFILE) it inherits from the parent.  A "
 "worker child holds up to ThreadsPerChild connections; an event child "
 "up to ThreadsPerChild x (1 + AsyncRequestWorkerFactor) (spec 5.1), "
 "besides its listeners, log files and pipes.  The limit comes from "
 "--nofile or, with --measure, from the running server.",
 "When a child runs out of descriptors, accepting fails with EMFILE "
 "('Too many open files'), connections are refused or reset and the "
 "error log fills, exactly at peak load.",
 "Raise the limit (LimitNOFILE= in the systemd unit, or ulimit -n in "
 "envvars), or lower ThreadsPerChild or AsyncRequestWorkerFactor.",
 "# mpmlint --nofile 1024 httpd.conf\n"
 "ThreadsPerChild 400\n"
 "# fixed: LimitNOFILE=8192 in the unit, or\n"
 "ThreadsPerChild 200"},
{"MPM046",
 "At the first start httpd allocates one shared memory segment for the "
 "scoreboard, sized by the clamped ServerLimit and ThreadLimit: 56 + 40 "
 "x ServerLimit + 336 x ServerLimit x ThreadLimit bytes on x86-64 (spec "
 "7.1), and zeroes all of it, again at every restart, so all of it is "
 "resident.  mpmlint flags it from 64 MiB, or above 5% of the RAM when "
 "the RAM is known, unless MPM026 already reports the limits as far "
 "above need.",
 "That memory is gone before the first request, and a segment of "
 "gigabytes can make httpd fail to start (AH00004) or push the machine "
 "into swap.",
 "Set ServerLimit and ThreadLimit no higher than the processes and "
 "threads MaxRequestWorkers needs (plus headroom for gracefully "
 "stopping event processes).",
 "ServerLimit 2000\n"
 "ThreadLimit 1000\n"
 "# fixed:\n"
 "ServerLimit 40\n"
 "ThreadLimit 64"},
};

const struct explain *
explain_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct explain_part explain_parts[EXPLAIN_NPARTS] = {
	{"what", "What httpd does"}, {"why", "Why it matters"},
	{"fix", "How to fix it"}, {"example", "Example"},
};

const char *
explain_part(const struct explain *e, size_t i)
{
	const char *const part[EXPLAIN_NPARTS] = {e->what, e->why, e->fix,
	    e->example};

	return i < EXPLAIN_NPARTS ? part[i] : NULL;
}

const struct explain *
explain_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcasecmp(table[i].id, id) == 0) {
			return &table[i];
		}
	}
	return NULL;
}

/* Print text wrapped at 72 columns, each line indented by two spaces. */
static void
wrap(FILE *fp, const char *s)
{
	size_t col = 0;

	while (*s != '\0') {
		size_t w = strcspn(s, " ");

		if (col > 0 && col + 1 + w > 72) {
			fputc('\n', fp);
			col = 0;
		}
		if (col == 0) {
			fputs("  ", fp);
			col = 2;
		} else {
			fputc(' ', fp);
			col++;
		}
		fwrite(s, 1, w, fp);
		col += w;
		s += w;
		while (*s == ' ') {
			s++;
		}
	}
	fputc('\n', fp);
}

int
explain_print(FILE *fp, const struct rules_info *r)
{
	const struct explain *e = explain_find(r->id);
	const char *p;
	size_t i;

	if (e == NULL) {
		return -1;
	}
	fprintf(fp, "%s %s (%s)\n", r->id, r->name, out_severity(r->sev));
	wrap(fp, r->summary);
	for (i = 0; i < EXPLAIN_NPARTS; i++) {
		fprintf(fp, "\n%s\n", explain_parts[i].heading);
		if (i + 1 < EXPLAIN_NPARTS) {
			wrap(fp, explain_part(e, i));
		}
	}
	/* the example, last, keeps its lines */
	for (p = e->example; *p != '\0';) {
		size_t len = strcspn(p, "\n");

		fprintf(fp, "  %.*s\n", (int)len, p);
		p += len;
		if (*p == '\n') {
			p++;
		}
	}
	return 0;
}
