# mlvpc — build, test, install. `make help` lists the targets.
.SUFFIXES:

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
VERSION := 0.1.0
SOVER   := 0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden $(WARN) -Iinclude $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  := -lyaml -ldeflate -lz -pthread

LIB_SRC := $(sort $(wildcard lib/util/*.c lib/inputs/*.c lib/model/*.c lib/analyses/*.c lib/outputs/*.c))
CLI_SRC := $(sort $(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
DEPS    := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

.PHONY: all clean check test install-test unit golden golden-update asan collect-test sarif-test audit-test cfn-test flows-test dask-test fuzz fuzz-run bench demo install uninstall help deps

all: $(BUILD)/mlvpc $(BUILD)/libmlvpc.a $(BUILD)/libmlvpc.so

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libmlvpc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmlvpc.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmlvpc.so.$(SOVER) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The CLI links the static library: one self-contained binary.
$(BUILD)/mlvpc: $(CLI_OBJ) $(BUILD)/libmlvpc.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmlvpc.a $(LDLIBS)

-include $(DEPS)

# ---------------------------------------------------------------- tests
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/xorshift.h $(BUILD)/libmlvpc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(BUILD)/libmlvpc.a -lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

golden: $(BUILD)/mlvpc
	@sh tests/golden/run.sh $(BUILD)/mlvpc

# Rewrite the expected outputs from the current binary (review the diff!).
golden-update: $(BUILD)/mlvpc
	@UPDATE=1 sh tests/golden/run.sh $(BUILD)/mlvpc

# CloudFormation: JSON and YAML forms agree; short-form tags read as long form.
cfn-test: $(BUILD)/mlvpc
	@sh tests/cfn/run.sh $(BUILD)/mlvpc

# Flow logs: file, stdin, gzip, gzip members and directories read alike.
flows-test: $(BUILD)/mlvpc
	@sh tests/flows/run.sh $(BUILD)/mlvpc

# Flows at scale: contrib/dask/flows_dask.py on a Dask cluster on loopback.
dask-test: $(BUILD)/mlvpc $(BUILD)/bench/gen_flows
	@sh tests/dask/run.sh $(BUILD)

# Paired fixtures: every audit rule on two variants that differ in one field.
audit-test: $(BUILD)/mlvpc
	@sh tests/audit/run.sh $(BUILD)/mlvpc

collect-test:
	@sh tests/collect/run.sh

# SARIF from `mlvpc audit` checked by Microsoft's validator and GitHub's
# ingestion rules (installs tests/sarif/node_modules with npm on first use).
sarif-test: $(BUILD)/mlvpc
	@sh tests/sarif/selftest.sh
	@sh tests/sarif/audit.sh $(BUILD)/mlvpc

install-test: all
	@sh tests/install/run.sh

test: unit golden audit-test cfn-test flows-test dask-test collect-test install-test sarif-test

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The whole suite again under ASan+UBSan, in its own build directory.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" unit golden audit-test cfn-test flows-test

CHECK_SUITES := unit golden audit-test cfn-test flows-test dask-test collect-test install-test sarif-test asan fuzz-run

# make stops at the first failing suite, so reaching the end means all passed.
check: $(CHECK_SUITES)
	@echo "suites run: $(CHECK_SUITES)"
	@echo "check: $(words $(CHECK_SUITES)) passed, 0 failed"

# ---------------------------------------------------------------- fuzzing
FUZZ_CC     ?= clang
FUZZ_FLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib
FUZZ_TARGETS := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 20

$(BUILD)/fuzz/%: fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

fuzz: $(FUZZ_TARGETS)

# A short run of every target from its seed corpus (CI); FUZZ_SECONDS each.
fuzz-run: $(FUZZ_TARGETS)
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---------------------------------------------------------------- bench
$(BUILD)/bench/%: bench/%.c $(BUILD)/libmlvpc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(BUILD)/libmlvpc.a $(LDLIBS) -lm

bench: $(BUILD)/mlvpc $(BUILD)/bench/gen_snapshot $(BUILD)/bench/load_bench $(BUILD)/bench/reach_bench \
       $(BUILD)/bench/audit_bench $(BUILD)/bench/gen_tfplan $(BUILD)/bench/tf_bench $(BUILD)/bench/gen_flows \
       $(BUILD)/bench/flows_bench $(BUILD)/bench/flows_parts
	@sh bench/run.sh $(BUILD)

# ---------------------------------------------------------------- demo
DEB_PKGS := build-essential pkg-config libcmocka-dev libyaml-dev libdeflate-dev zlib1g-dev clang libclang-rt-14-dev jq \
            python3-distributed

deps:
	@sh scripts/install-deps $(DEB_PKGS)

demo: deps
	@$(MAKE) --no-print-directory all
	@# exit 1 means "findings": expected for this example
	$(BUILD)/mlvpc audit examples/sagemaker-insecure || test $$? -eq 1

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include/mlvpc $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/mlvpc $(DESTDIR)$(PREFIX)/bin/mlvpc
	install -m 644 include/mlvpc/mlvpc.h $(DESTDIR)$(PREFIX)/include/mlvpc/mlvpc.h
	install -m 644 $(BUILD)/libmlvpc.a $(DESTDIR)$(PREFIX)/lib/libmlvpc.a
	install -m 755 $(BUILD)/libmlvpc.so $(DESTDIR)$(PREFIX)/lib/libmlvpc.so.$(VERSION)
	ln -sf libmlvpc.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libmlvpc.so.$(SOVER)
	ln -sf libmlvpc.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libmlvpc.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' mlvpc.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/mlvpc.pc
	install -m 644 man/mlvpc.1 $(DESTDIR)$(PREFIX)/share/man/man1/mlvpc.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mlvpc $(DESTDIR)$(PREFIX)/include/mlvpc/mlvpc.h \
	    $(DESTDIR)$(PREFIX)/lib/libmlvpc.a $(DESTDIR)$(PREFIX)/lib/libmlvpc.so* \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/mlvpc.pc $(DESTDIR)$(PREFIX)/share/man/man1/mlvpc.1

clean:
	rm -rf build build-asan

help:
	@echo "make            build build/mlvpc, libmlvpc.a and libmlvpc.so"
	@echo "make demo       install missing Debian packages (as root), build, show the bundled example"
	@echo "make check      all tests: unit, golden, collector, the same under ASan+UBSan, short fuzzing"
	@echo "make golden-update  regenerate expected outputs of the golden tests"
	@echo "make fuzz       build the libFuzzer targets (FUZZ_SECONDS=N make fuzz-run to run them)"
	@echo "make bench      load-time and memory benchmark at 1k, 10k, 100k resources"
	@echo "make install PREFIX=/usr/local   binary, header, libraries, pkg-config file, man page"
