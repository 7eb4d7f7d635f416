# Makefile for mpmlint.  GNU make is required (pattern rules, wildcard).
# Targets: all check demo install uninstall deb asan ubsan fuzz bench clean format

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
LIBDIR	?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# libhconf.so's version is HCONF_VERSION (parser/hconf.h), its SONAME the major
VERSION	:= $(shell sed -n 's/^\#define HCONF_VERSION "\(.*\)"/\1/p' parser/hconf.h)
SONAME	= libhconf.so.$(firstword $(subst ., ,$(VERSION)))
SO	= libhconf.so.$(VERSION)
DESTDIR	?=
CC	?= cc
B	?= build
PKGS	= yaml-0.1 libpcre2-8
WARN	= -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes \
	  -Wwrite-strings -Wshadow
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
OPT	?= -O2 -g
CFLAGS	?=
CPPFLAGS += -D_GNU_SOURCE -Iparser -Irules -Iconv -Icli -I$(B)/rules
ALLCFLAGS = -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(CFLAGS) \
	  $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS	= $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -lpcre2-8) -lm -lpthread
TLIBS	= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

PARSER_SRC = $(wildcard parser/*.c)
RULES_SRC  = $(filter-out rules/expr_gram.c,$(wildcard rules/*.c))
CONV_SRC   = $(wildcard conv/*.c)
CLI_COMMON = $(filter-out cli/mpmlint.c cli/mpmconv.c,$(wildcard cli/*.c))
UNIT_SRC   = $(wildcard tests/unit/*/test_*.c)
HDRS	   = $(filter-out rules/expr_gram.h,$(wildcard parser/*.h parser/*.def \
	     rules/*.h rules/*.def conv/*.h cli/*.h refserver/*.h tests/unit/*.h))

PARSER_OBJ = $(PARSER_SRC:%.c=$(B)/%.o)
RULES_OBJ  = $(RULES_SRC:%.c=$(B)/%.o) $(B)/rules/expr_gram.o
CLI_OBJ    = $(CLI_COMMON:%.c=$(B)/%.o)
UNIT_BIN   = $(patsubst %.c,$(B)/tests/%,$(notdir $(UNIT_SRC)))
PROGS	   = $(B)/mpmlint $(B)/mpmconv $(if $(wildcard refserver/*.c),$(B)/mpmref)

all: deps-build $(PROGS) $(B)/$(SO)

# make, make all and make install only check the build dependencies and
# never install anything; check, demo, fuzz and bench install (as root).
deps-build:
	@CC="$(CC)" sh scripts/deps.sh --build

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(CPPFLAGS) -c -o $@ $<

$(B)/libhconf.a: $(PARSER_OBJ)
	rm -f $@; ar rcs $@ $^
$(B)/librules.a: $(RULES_OBJ)
	rm -f $@; ar rcs $@ $^
$(B)/libconv.a: $(CONV_SRC:%.c=$(B)/%.o)
	rm -f $@; ar rcs $@ $^
$(B)/libcli.a: $(CLI_OBJ)
	rm -f $@; ar rcs $@ $(CLI_OBJ)

LIBDEPS = $(B)/libcli.a $(B)/libconv.a $(B)/librules.a $(B)/libhconf.a

$(B)/mpmlint: $(B)/cli/mpmlint.o $(LIBDEPS)
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
$(B)/mpmconv: $(B)/cli/mpmconv.o $(LIBDEPS)
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
$(B)/mpmref: $(patsubst %.c,$(B)/%.o,$(wildcard refserver/*.c)) \
	  $(B)/gen/compare_py.o $(LIBDEPS)
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lpthread
# mpmref --compare runs refserver/compare*.py, compiled in as bytes
COMPARE_PY = refserver/compare_svg.py refserver/compare_report.py \
	  refserver/compare.py
$(B)/gen/compare_py.c: $(COMPARE_PY)
	@mkdir -p $(@D)
	{ echo 'const unsigned char ref_compare_py[] = {'; \
	  cat $(COMPARE_PY) | od -An -v -tu1 | sed 's/[0-9][0-9]*/&,/g'; \
	  echo '0 };'; } > $@
$(B)/gen/compare_py.o: $(B)/gen/compare_py.c
	$(CC) $(ALLCFLAGS) -c -o $@ $<
# tests/unit/<layer>/test_x.c builds $(B)/tests/test_x
vpath test_%.c $(sort $(dir $(UNIT_SRC)))
$(B)/tests/test_%: test_%.c $(LIBDEPS) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(CPPFLAGS) -o $@ $< $(LIBDEPS) $(LIBS) $(TLIBS)

$(B)/tests/dumptree: tests/dumptree.c $(B)/libhconf.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(CPPFLAGS) -o $@ $< $(B)/libhconf.a $(LIBS)

units: $(UNIT_BIN) $(B)/tests/dumptree

# check: unit tests, fixtures, round trips, the differential suite and
# the man pages.  tests/run-all.sh prints one summary line at the end.
check:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all units
	@B=$(B) sh tests/run-all.sh

demo:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@B=$(B) sh scripts/demo.sh

asan:
	$(MAKE) B=build-asan OPT="-O1 -g" \
	  SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check
ubsan:
	$(MAKE) B=build-ubsan OPT="-O1 -g" \
	  SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" check

FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# The library sources are compiled once with the fuzzer's
# instrumentation (fuzzer-no-link), then linked into every target.
FUZZ_CFLAGS = -std=c11 -g -O1 -D_GNU_SOURCE -Iparser -Irules -Iconv -Icli \
	  -Ibuild-fuzz/obj/rules \
	  $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	  -fno-sanitize-recover=undefined
FUZZ_OBJ = $(patsubst %.c,build-fuzz/obj/%.o,$(PARSER_SRC) $(RULES_SRC) $(CONV_SRC) $(CLI_COMMON)) \
	  build-fuzz/obj/rules/expr_gram.o
build-fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build-fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(FUZZ_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(FUZZ_OBJ) $(LIBS)
# make fuzz: each target FUZZ_SECONDS (default 300) of random inputs;
# FUZZ_SEED=N FUZZ_RUNS=M replays M inputs from seed N (what CI runs).
fuzz: fuzz-build
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} sh tests/fuzz/run.sh
fuzz-build:
	@sh scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)

# make compare CONF=FILE: mpmref --compare on FILE (the bundled example
# by default); QUICK=1 for the short run, OUT=DIR for the report
CONF	?= examples/httpd-prefork.conf
OUT	?= compare-report
compare:
	@sh scripts/deps.sh --bench
	@$(MAKE) --no-print-directory all
	$(B)/mpmref --compare $(if $(QUICK),--quick) -o $(OUT) $(CONF)

bench:
	@sh scripts/deps.sh --bench
	@$(MAKE) --no-print-directory all
	@B=$(B) sh bench/run.sh
	@B=$(B) sh bench/refserver.sh

# make deb: the Debian packages (debian/), built by scripts/deb.sh in a
# copy of the tree; the .deb files land in $(B)/deb/.
deb:
	@sh scripts/deps.sh
	@sh scripts/deb.sh $(B)/deb

# libhconf.so: parser/*.c again with -fPIC, exporting only hconf_*
# (parser/hconf.map).
$(B)/pic/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(CPPFLAGS) -fPIC -c -o $@ $<
$(B)/$(SO): $(PARSER_SRC:%.c=$(B)/pic/%.o) parser/hconf.map
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
	  -Wl,--version-script=parser/hconf.map -o $@ $(filter %.o,$^) \
	  $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)

# hconf.pc's directories are written relative to ${prefix} where they can.
PCDIR	= $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	for m in man/*.[1358]; do \
	  s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 $(B)/libhconf.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/$(SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SO) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libhconf.so
	install -m 644 parser/hconf.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
	  -e 's|@LIBDIR@|$(call PCDIR,$(LIBDIR))|' \
	  -e 's|@INCLUDEDIR@|$(call PCDIR,$(INCLUDEDIR))|' \
	  parser/hconf.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/hconf.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/hconf.pc
uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in man/*.[1358]; do s=$${m##*.}; \
	  rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -f $(DESTDIR)$(LIBDIR)/libhconf.a $(DESTDIR)$(LIBDIR)/$(SO) \
	  $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libhconf.so \
	  $(DESTDIR)$(INCLUDEDIR)/hconf.h $(DESTDIR)$(PKGCONFIGDIR)/hconf.pc

format:
	clang-format -i parser/*.[ch] rules/*.[ch] conv/*.[ch] cli/*.[ch] tests/unit/*/*.c

clean:
	rm -rf build build-asan build-ubsan build-fuzz

.PHONY: deb all check demo asan ubsan fuzz fuzz-build bench compare install uninstall format clean units deps-build
.SECONDARY:

# The <If> parser: bison writes rules/expr_gram.y's parser into the
# build directory (build/, build-asan/, build-fuzz/obj/); expr.c finds
# its header there through -I$(B)/rules.  Make's built-in yacc rules
# are cancelled so that nothing is written next to the sources.
.SUFFIXES:
%.c: %.y
%/rules/expr_gram.c %/rules/expr_gram.h: rules/expr_gram.y | deps-build
	@mkdir -p $(@D)
	bison -d -o $*/rules/expr_gram.c rules/expr_gram.y
$(B)/rules/expr_gram.o: $(B)/rules/expr_gram.c $(HDRS)
	$(CC) $(ALLCFLAGS) $(CPPFLAGS) -c -o $@ $<
$(B)/rules/expr.o: $(B)/rules/expr_gram.h
build-fuzz/obj/rules/expr_gram.o: build-fuzz/obj/rules/expr_gram.c $(HDRS)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build-fuzz/obj/rules/expr.o: build-fuzz/obj/rules/expr_gram.h
