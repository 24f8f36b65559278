# Broadsheet: GNU make, pkg-config, out-of-tree objects under build/.
#   make run     install dependencies, build, serve the demo paper on :8080
#   make check   install dependencies, build, run every test layer
#   make SAN=asan ...   AddressSanitizer + UBSan build under build/asan/

SAN ?=
ifeq ($(SAN),asan)
BUILD   := build/asan
OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SANLD   := -fsanitize=address,undefined
else
BUILD   := build
OPTFLAGS := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SANLD   :=
endif

CC      ?= cc
PKGS    := libh2o-evloop sqlite3 libcmark-gfm libutf8proc libsodium jansson libcurl \
           libxml-2.0 vips libwebpmux inih gmime-3.0
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wvla -Wwrite-strings -Wimplicit-fallthrough -Werror
CFLAGS  += -std=c11 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 $(OPTFLAGS) $(WARN) -Isrc -MMD -MP \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions -lssl -lcrypto -lz -lpthread -lm
LDFLAGS += $(SANLD)

SRCS    := $(shell find src -name '*.c' ! -name main.c | sort)
OBJS    := $(SRCS:%.c=$(BUILD)/obj/%.o)
LIB     := $(BUILD)/libbroadsheet.a
BIN     := $(BUILD)/broadsheet

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(BUILD)/unit-tests
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all run check deps unit httptest browsertest fuzz-replay asan-check banned bench bench-dict format clean

all: $(BIN)

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) serve

check: deps
	@$(MAKE) --no-print-directory all banned
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory httptest
	@$(MAKE) --no-print-directory asan-check
	@$(MAKE) --no-print-directory browsertest
	@echo "check: all test layers passed"

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT_BIN): $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

unit: $(UNIT_BIN)
	$(UNIT_BIN) --jobs 2 --short-filename

httptest: $(BIN)
	BROADSHEET_BIN=$(abspath $(BIN)) node --test --test-concurrency=2 tests/http/

browsertest: $(BIN)
	BROADSHEET_BIN=$(abspath $(BIN)) node --test --test-concurrency=1 tests/browser/

LSAN_SUPP := LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0

asan-check:
	@$(MAKE) --no-print-directory SAN=asan build/asan/broadsheet build/asan/unit-tests
	@# Criterion reports results before LeakSanitizer speaks: look for it in the log
	ASAN_OPTIONS=detect_leaks=1 $(LSAN_SUPP) build/asan/unit-tests --jobs 2 --short-filename \
		2>build/asan/unit-tests.log; st=$$?; cat build/asan/unit-tests.log; \
	if grep -q LeakSanitizer build/asan/unit-tests.log; then \
		echo "asan-check: the unit tests leak memory" >&2; exit 1; fi; exit $$st
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $(LSAN_SUPP) BROADSHEET_BIN=$(abspath build/asan/broadsheet) \
		node --test --test-concurrency=2 tests/http/

# libFuzzer targets: the sources built once more with clang and sanitizer
# coverage, one binary per target; the seeds replay as an ordinary test.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -g -O1 -Isrc -MMD -MP \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	$(shell pkg-config --cflags $(PKGS))
FUZZ_OBJS := $(SRCS:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	@clang $(FUZZ_CFLAGS) -c -o $@ $<
build/fuzz/libfuzzlib.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/%: build/fuzz/obj/tests/fuzz/%.o build/fuzz/libfuzzlib.a
	clang -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS) -lcmark-gfm-extensions

fuzz-replay: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); \
		echo "fuzz-replay: $$n"; \
		$$f -runs=0 tests/fuzz/corpus/$$n >/dev/null 2>build/fuzz/$$n.log || { cat build/fuzz/$$n.log; exit 1; }; \
	done

banned:
	@sh scripts/banned.sh

bench: deps all
	sh bench/run.sh

bench-dict: $(BUILD)/dict-bench
	$(BUILD)/dict-bench tests/data/dict/article-700.md $(BUILD)/bench-dict
$(BUILD)/dict-bench: $(BUILD)/obj/bench/dict_bench.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

format:
	clang-format -i $$(find src tests/unit tests/fuzz -name '*.[ch]')

clean:
	rm -rf build

-include $(FUZZ_OBJS:.o=.d) $(OBJS:.o=.d) $(BUILD)/obj/src/main.d $(UNIT_SRCS:%.c=$(BUILD)/obj/%.d)
