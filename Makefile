# memlock - GNU Make, no configure step.
#
#   make                 build everything into $(BUILD)
#   make check           the whole test suite (what CI runs)
#   make install         PREFIX=/usr/local DESTDIR= (sets cap_ipc_lock=p as root)
#   make uninstall
#   make bench           benchmarks (not tests), results in docs/bench/
#   make fuzz            libFuzzer targets, FUZZ_SECONDS each
#   make abi-baseline    at a release: its ABI into abi/X.Y (abigail-tools)
#   make SANITIZE=address,undefined   an ASan/UBSan build
#   make CC=clang

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
PKGLIBDIR    ?= $(LIBDIR)/memlock
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
# Debian's bash-completion layout (loaded on first use of the command)
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
SCHEMADIR    ?= $(PREFIX)/share/memlock/schema
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR      ?=
BUILD        ?= build

# The one version source is include/memlock.h (MEMLOCK_VERSION, what
# programs built against the library see); the .pc file and the package
# take it from there.  tests/abi.bats checks debian/changelog against it.
VERSION  := $(shell sed -n 's/^\#define MEMLOCK_VERSION "\(.*\)"$$/\1/p' include/memlock.h)
ifeq ($(VERSION),)
$(error include/memlock.h: no MEMLOCK_VERSION "X.Y.Z" line)
endif
SOVER    := 0

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wcast-qual \
            -Wwrite-strings -Wundef -Werror
HARDEN   := -fstack-protector-strong -fno-strict-aliasing
LDHARDEN := -Wl,-z,relro -Wl,-z,now -Wl,--as-needed
SANITIZE ?=
ifeq ($(SANITIZE),)
HARDEN   += -D_FORTIFY_SOURCE=2
else
HARDEN   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDHARDEN += -fsanitize=$(SANITIZE)
endif
# The shim is loaded into every program memlock runs: ASan cannot be
# preloaded behind a program that lacks it, so the shim gets UBSan only,
# in trap mode: a shared object gets no sanitizer runtime linked in, and
# the programs it enters have none to offer.
SHIM_SAN := $(if $(findstring undefined,$(SANITIZE)),-fsanitize=undefined -fsanitize-undefined-trap-on-error,)

# memlock and memlock-exec both start at every "memlock run": linked
# statically (static-pie, libcap.a) they skip the dynamic loader's work,
# and the privileged memlock-exec loads no shared object at all.  Sanitizer
# runtimes cannot be linked statically.  STATIC=0 links them dynamically.
STATIC   ?= $(if $(SANITIZE),0,1)
EXE_LD   := $(if $(filter 1,$(STATIC)),-static-pie,-pie)

ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) \
              -Iinclude -Ilib -I$(BUILD)
ALL_LDFLAGS = $(LDHARDEN) $(LDFLAGS)

# lib/compat.c, the symbol version MEMLOCK_0.1 (.symver), is for the
# shared library only: a static link has no older callers to serve.
LIB_SRC   := $(filter-out lib/compat.c,$(sort $(wildcard lib/*.c)))
CLI_SRC   := $(sort $(wildcard cli/*.c))
EXEC_SRC  := $(sort $(wildcard chainloader/*.c))
SHIM_SRC  := $(sort $(wildcard shim/*.c))
PROG_SRC  := $(filter-out tests/progs/uring-pin.c,$(sort $(wildcard tests/progs/*.c)))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
EXEC_OBJ  := $(EXEC_SRC:%.c=$(BUILD)/%.o)
PRELOAD_SRC := $(sort $(wildcard tests/progs/preload/*.c))
# musl-gcc (Debian's musl-tools): the C library of Alpine images, whose
# programs the shim must enter too.  Without it those tests skip.
MUSL_CC   ?= $(shell command -v musl-gcc 2>/dev/null)
# liburing (Debian's liburing-dev): io_uring registered buffers, pinning
# without locking (memlock run --no-lock).  Without it that test skips, and
# the image and package builds need nothing more.
HAVE_URING ?= $(shell printf '\043include <liburing.h>\n' | $(CC) -E -x c - > /dev/null 2>&1 && echo 1)
PROGS     := $(PROG_SRC:tests/progs/%.c=$(BUILD)/progs/%) \
             $(BUILD)/progs/lockall-static $(BUILD)/progs/hold-static \
             $(BUILD)/progs/bss64-static $(BUILD)/progs/hold-soname \
             $(BUILD)/progs/execs-static \
             $(BUILD)/progs/spawns-static \
             $(if $(MUSL_CC),$(BUILD)/progs/hold-musl $(BUILD)/progs/execs-musl) \
             $(if $(HAVE_URING),$(BUILD)/progs/uring-pin) \
             $(PRELOAD_SRC:tests/progs/preload/%.c=$(BUILD)/progs/%.so)

# Go test programs (tests/progs/go), when Debian's golang-go is there:
# static (CGO_ENABLED=0) and linking libc through cgo.  Offline: no
# module from outside, cache and GOPATH under the build directory.
GO       ?= $(shell command -v go 2>/dev/null)
GO_SRC   := $(wildcard tests/progs/go/*.go tests/progs/go/go.mod)
GO_ENV    = GOCACHE=$(abspath $(BUILD))/go/cache GOPATH=$(abspath $(BUILD))/go/path \
            GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on
ifneq ($(GO),)
PROGS     += $(BUILD)/progs/gohold-static $(BUILD)/progs/gohold-cgo
endif
# A 32-bit program on x86_64, from binutils alone (no 32-bit libc needed).
ifeq ($(shell uname -m),x86_64)
PROGS     += $(BUILD)/progs/hold32-static
endif

BINS      := $(BUILD)/memlock $(BUILD)/memlock-exec $(BUILD)/memlock-trace
LIBS      := $(BUILD)/libmemlock.a $(BUILD)/libmemlock.so.$(SOVER) \
             $(BUILD)/libmemlock-preload.so $(BUILD)/libmemlock.pc
MAN1      := $(wildcard man/*.1)
MAN3      := $(wildcard man/*.3)
MAN8      := $(wildcard man/*.8)

.PHONY: all check test install uninstall clean bench fuzz demo trace-aarch64 abi-baseline FORCE
all: $(BINS) $(LIBS) $(PROGS) $(BUILD)/unit

# Paths compiled into the binaries: memlock-exec takes none from the
# environment.  Rewritten only when they change, so a PREFIX change
# rebuilds what depends on them.
$(BUILD)/paths.h: FORCE
	@mkdir -p $(@D)
	@printf '#define MEMLOCK_EXEC_PATH "%s"\n#define MEMLOCK_PRELOAD_PATH "%s"\n#define MEMLOCK_PKGLIBDIR "%s"\n#define MEMLOCK_TRACE_PATH "%s"\n#define MEMLOCK_PATH "%s"\n' \
	    '$(BINDIR)/memlock-exec' '$(PKGLIBDIR)/libmemlock-preload.so' '$(PKGLIBDIR)' '$(PKGLIBDIR)/memlock-trace' '$(BINDIR)/memlock' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Header dependencies come from the compiler: -MMD -MP writes next to
# each object (or program) a .d file naming the headers it included, which
# the include at the end of this file reads.  The .d is a prerequisite
# (with an empty rule), so a target whose .d is missing is rebuilt, and
# the touch leaves the object newer than its .d.  A target compiled from
# several sources in one command gets its .d from $(call mkdep,...), one
# -MM rule per source under the target's name.
DEPFLAGS  = -MMD -MP -MF $(basename $@).d
DEPFLAGS_PROG = -MMD -MP -MF $@.d
mkdep     = $(1) -MM -MP -MT $@ $(2) > $@.d
ML_CPPFLAGS = -std=c11 -D_GNU_SOURCE -DMEMLOCK_BUILDING -Iinclude -Ilib -I$(BUILD)

# paths.h is generated: order-only here so it exists before the first
# compile; the .d files then name it where it is included.
$(BUILD)/%.o: %.c $(BUILD)/%.d | $(BUILD)/paths.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(if $(filter lib/%,$<),-DMEMLOCK_BUILDING,) $(DEPFLAGS) -fPIC -c -o $@ $<
	@touch $@

$(BUILD)/libmemlock.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# Only what lib/libmemlock.map names is exported, at its version; the
# calls of an older version come from lib/compat.c.  The soname stays
# while programs built against every older header still run (tests/abi.bats).
SO_OBJ    := $(LIB_OBJ) $(BUILD)/lib/compat.o
$(BUILD)/libmemlock.so.$(SOVER): $(SO_OBJ) lib/libmemlock.map
	$(CC) -shared -Wl,-soname,libmemlock.so.$(SOVER) \
	    -Wl,--version-script=lib/libmemlock.map $(ALL_LDFLAGS) -o $@ $(SO_OBJ) -lcap
	ln -sf libmemlock.so.$(SOVER) $(BUILD)/libmemlock.so

# Rewritten only when it changes, like paths.h: "make" then "make install
# PREFIX=/usr" must not install a .pc that points into /usr/local.
$(BUILD)/libmemlock.pc: lib/libmemlock.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/memlock: $(CLI_OBJ) $(BUILD)/libmemlock.a Makefile
	$(CC) $(EXE_LD) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmemlock.a -lcap

# The privileged chainloader: libc and libcap, nothing else but the run
# protocol's own code (lib/protocol.h: lib/options.c, lib/environ.c,
# lib/saved.c, libc only).
EXEC_LIB  := $(BUILD)/lib/options.o $(BUILD)/lib/text.o $(BUILD)/lib/environ.o \
    $(BUILD)/lib/saved.o
$(BUILD)/memlock-exec: $(EXEC_OBJ) $(EXEC_LIB) Makefile
	$(CC) $(EXE_LD) $(ALL_LDFLAGS) -o $@ $(EXEC_OBJ) $(EXEC_LIB) -lcap

# The unprivileged helper memlock-exec execs for every program: it
# decides how the program gets locked and traces the ones the shim cannot
# enter.  Always static-pie and without sanitizers: it runs with the shim
# in LD_PRELOAD (a static program loads no preload), starts at every
# "memlock run", and an ASan runtime could not come first behind the shim.
TRACE_SRC := $(sort $(wildcard tracer/*.c))
$(BUILD)/memlock-trace: $(TRACE_SRC) $(LIB_SRC) $(BUILD)/memlock-trace.d $(BUILD)/paths.h Makefile
	@mkdir -p $(@D)
	$(call mkdep,$(CC) $(ML_CPPFLAGS),$(TRACE_SRC) $(LIB_SRC))
	$(CC) -std=c11 -D_GNU_SOURCE -DMEMLOCK_BUILDING $(WARN) $(filter-out -fsanitize=%,$(HARDEN)) \
	    $(CFLAGS) -Iinclude -Ilib -I$(BUILD) -static-pie \
	    $(filter-out -fsanitize=%,$(LDHARDEN)) -o $@ $(TRACE_SRC) $(LIB_SRC) -lcap

# The tracer for aarch64, compiled (not linked: no aarch64 libcap here),
# for the registers and the instruction length that differ (lib/trace.c);
# tests/run builds it.  libcap's header is architecture-neutral.
trace-aarch64: $(BUILD)/aarch64/compiled
$(BUILD)/aarch64/compiled: $(TRACE_SRC) $(LIB_SRC) $(BUILD)/aarch64/compiled.d $(BUILD)/paths.h Makefile
	@mkdir -p $(@D)
	@$(call mkdep,aarch64-linux-gnu-gcc $(ML_CPPFLAGS) -idirafter /usr/include,$(TRACE_SRC) $(LIB_SRC))
	@for f in $(TRACE_SRC) $(LIB_SRC); do \
	    aarch64-linux-gnu-gcc -std=c11 -D_GNU_SOURCE -DMEMLOCK_BUILDING $(WARN) -D_FORTIFY_SOURCE=2 \
	        -O2 -Iinclude -Ilib -I$(BUILD) -idirafter /usr/include -c -o $(@D)/$$(basename $$f .c).o $$f || exit 1; \
	done
	@touch $@

# The preload shim: libc only, no sanitizer runtime that must come first.
# It shares the library's libc-only parsers (lib/util.c, lib/procfs.c,
# lib/options.c, lib/text.c, lib/environ.c, lib/lock.c: the lock policy
# itself; lib/elf.c and lib/search.c for what shim/exec.c reads of the
# programs a locked program executes), compiled in with hidden
# visibility: the shim exports no symbol but what it interposes.  One
# shim for glibc and musl programs: no _FORTIFY_SOURCE,
# because musl's loader cannot resolve glibc's __*_chk functions (the
# bounds are checked by hand, and the parsers are fuzzed with ASan).
SHIM_LIB  := lib/util.c lib/procfs.c lib/options.c lib/text.c lib/environ.c \
             lib/lock.c lib/elf.c lib/search.c
$(BUILD)/libmemlock-preload.so: $(SHIM_SRC) $(SHIM_LIB) $(BUILD)/libmemlock-preload.so.d $(BUILD)/paths.h Makefile
	@mkdir -p $(@D)
	$(call mkdep,$(CC) $(ML_CPPFLAGS),$(SHIM_SRC) $(SHIM_LIB))
	$(CC) -std=c11 -D_GNU_SOURCE -DMEMLOCK_BUILDING $(WARN) $(filter-out -fsanitize=% -D_FORTIFY_SOURCE=%,$(HARDEN)) $(SHIM_SAN) \
	    $(CFLAGS) -U_FORTIFY_SOURCE -Iinclude -Ilib -I$(BUILD) -fPIC -shared -fvisibility=hidden \
	    $(filter-out -fsanitize=%,$(LDHARDEN)) $(SHIM_SAN) -o $@ $(SHIM_SRC) $(SHIM_LIB)

# Test programs: plain C the way users write it, no sanitizers.
$(BUILD)/progs/%: tests/progs/%.c $(BUILD)/progs/%.d
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -o $@ $< -lpthread

$(BUILD)/progs/uring-pin: tests/progs/uring-pin.c $(BUILD)/progs/uring-pin.d
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -o $@ $< -luring

# The same program statically linked: no ld.so, so no LD_PRELOAD.
$(BUILD)/progs/%-static: tests/progs/%.c $(BUILD)/progs/%-static.d
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -static -o $@ $< -lpthread

$(BUILD)/progs/gohold-static: $(GO_SRC)
	@mkdir -p $(@D)
	cd tests/progs/go && $(GO_ENV) CGO_ENABLED=0 $(GO) build -buildvcs=false -o $(abspath $@) .

$(BUILD)/progs/gohold-cgo: $(GO_SRC)
	@mkdir -p $(@D)
	cd tests/progs/go && $(GO_ENV) CGO_ENABLED=1 CC=gcc $(GO) build -buildvcs=false -o $(abspath $@) .

$(BUILD)/progs/hold32-static: tests/progs/asm/hold32-x86.s
	@mkdir -p $(@D)
	as --32 -o $@.o $< && ld -m elf_i386 -o $@ $@.o && rm -f $@.o

# The same program against musl: ld-musl-*.so.1 loads it, and the shim.
$(BUILD)/progs/%-musl: tests/progs/%.c $(BUILD)/progs/%-musl.d
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -o $@ $< -lpthread

# A user's own LD_PRELOAD library, to run behind the shim.
$(BUILD)/progs/%.so: tests/progs/preload/%.c $(BUILD)/progs/%.so.d
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -fPIC -shared $(PRELOAD_LDFLAGS) -o $@ $<

# One whose DT_SONAME is the shim's installed path (tests/bypass.bats).
$(BUILD)/progs/soname-shim.so: PRELOAD_LDFLAGS = -Wl,-soname,$(PKGLIBDIR)/libmemlock-preload.so
$(BUILD)/progs/soname-shim.so: $(BUILD)/paths.h

# An executable whose own DT_SONAME is the shim's path: glibc's ld.so takes
# it for the shim (tests/bypass.bats).
$(BUILD)/progs/hold-soname: tests/progs/hold.c $(BUILD)/progs/hold-soname.d $(BUILD)/paths.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(DEPFLAGS_PROG) -O2 -g -Wl,-soname,$(PKGLIBDIR)/libmemlock-preload.so -o $@ $< -lpthread

$(BUILD)/unit: $(UNIT_SRC) $(BUILD)/libmemlock.a $(BUILD)/unit.d
	$(call mkdep,$(CC) $(ML_CPPFLAGS),$(UNIT_SRC))
	$(CC) $(ALL_CFLAGS) -DMEMLOCK_BUILDING -pie $(ALL_LDFLAGS) -o $@ $(UNIT_SRC) $(BUILD)/libmemlock.a -lcap

# The whole suite: builds a staged install (own BUILD dir, own paths)
# and runs unit, command-line, container and pressure tests on it.
check:
	tests/run

test: check

# Installs what users run and link, not the test programs.  As root it
# makes memlock-exec root:$(EXEC_GROUP) mode 0754 (creating that system
# group, with no member) and gives it its file capability: memlock-exec
# hands CAP_IPC_LOCK to whatever its caller names, so an administrator
# decides who may run it (adduser USER memlock).  EXEC_GROUP= installs it
# mode 0755 for every local user.  scripts/setcap-exec says what to run
# where it cannot: not root, no setcap, no xattrs, a DESTDIR staging.
EXEC_GROUP ?= memlock
install: $(BINS) $(LIBS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	    $(foreach s,1 3 8,$(if $(MAN$(s)),$(DESTDIR)$(MANDIR)/man$(s)))
	install -m 0755 $(BUILD)/memlock $(DESTDIR)$(BINDIR)/memlock
	install -m 0755 $(BUILD)/memlock-exec $(DESTDIR)$(BINDIR)/memlock-exec
	install -m 0644 $(BUILD)/libmemlock-preload.so $(DESTDIR)$(PKGLIBDIR)/libmemlock-preload.so
	install -m 0755 $(BUILD)/memlock-trace $(DESTDIR)$(PKGLIBDIR)/memlock-trace
	install -m 0644 $(BUILD)/libmemlock.a $(DESTDIR)$(LIBDIR)/libmemlock.a
	install -m 0644 $(BUILD)/libmemlock.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libmemlock.so.$(SOVER)
	ln -sf libmemlock.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libmemlock.so
	install -m 0644 include/memlock.h $(DESTDIR)$(INCLUDEDIR)/memlock.h
	install -m 0644 $(BUILD)/libmemlock.pc $(DESTDIR)$(PKGCONFIGDIR)/libmemlock.pc
	$(if $(MAN1),install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN3),install -m 0644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	$(if $(MAN8),install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 0644 completions/memlock $(DESTDIR)$(BASHCOMPDIR)/memlock
	install -m 0644 schema/memlock-check-1.schema.json schema/memlock-status-1.schema.json \
	    $(DESTDIR)$(SCHEMADIR)/
	@scripts/setcap-exec $(DESTDIR)$(BINDIR)/memlock-exec $(BINDIR)/memlock-exec '$(EXEC_GROUP)'

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/memlock $(DESTDIR)$(BINDIR)/memlock-exec \
	    $(DESTDIR)$(PKGLIBDIR)/libmemlock-preload.so \
	    $(DESTDIR)$(PKGLIBDIR)/memlock-trace \
	    $(DESTDIR)$(LIBDIR)/libmemlock.a $(DESTDIR)$(LIBDIR)/libmemlock.so \
	    $(DESTDIR)$(LIBDIR)/libmemlock.so.$(SOVER) \
	    $(DESTDIR)$(INCLUDEDIR)/memlock.h $(DESTDIR)$(PKGCONFIGDIR)/libmemlock.pc \
	    $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8))) \
	    $(DESTDIR)$(BASHCOMPDIR)/memlock \
	    $(DESTDIR)$(SCHEMADIR)/memlock-check-1.schema.json \
	    $(DESTDIR)$(SCHEMADIR)/memlock-status-1.schema.json
	-rmdir $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(SCHEMADIR) 2>/dev/null

demo:
	demo/run

bench:
	bench/run

FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

# The ABI of a release, for tests/abi.bats to abidiff every later build
# against: run it once a release is made (its MEMLOCK_VERSION and its node
# in lib/libmemlock.map), commit abi/X.Y, and never rewrite an older one.
# The header is kept beside it: the test compiles a program against it, and
# a shallow clone has no history to take it from.
ABI_DIR  := abi/$(basename $(VERSION))
abi-baseline: $(BUILD)/libmemlock.so.$(SOVER)
	mkdir -p $(ABI_DIR)
	{ printf '/* $(ABI_DIR)/memlock.h: the header of release $(VERSION), a release\n * artifact (make abi-baseline) for tests/abi.bats: never edit it. */\n'; \
	    cat include/memlock.h; } > $(ABI_DIR)/memlock.h
	cp lib/libmemlock.map $(ABI_DIR)/
	abidw --no-corpus-path --no-comp-dir-path --short-locs \
	    --headers-dir $(ABI_DIR) --out-file $(ABI_DIR)/libmemlock.so.$(SOVER).abi $<

clean:
	rm -rf $(BUILD)

# The compiler's header dependencies (see DEPFLAGS above).
DEPFILES := $(SO_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(EXEC_OBJ:.o=.d) \
            $(addsuffix .d,$(PROGS) $(BUILD)/memlock-trace $(BUILD)/libmemlock-preload.so \
                $(BUILD)/unit $(BUILD)/aarch64/compiled)
$(DEPFILES):
include $(wildcard $(DEPFILES))
