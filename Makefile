# Makefile: builds libcorsim, the corsim program and the test programs
# (non-recursive; objects in build/, sanitizer variant in build/asan/).

CC      ?= cc
BUILD   ?= build
LLHTTP_SRC_DIR := /usr/share/llhttp
LLHTTP_INC_DIR := /usr/share/include/llhttp

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wcast-qual -Wundef
OPT     ?= -O2 -g
CFLAGS_COMMON := -std=c11 $(OPT) $(WARN) $(EXTRA_CFLAGS)
SIM_CFLAGS     := $(CFLAGS_COMMON)
HARNESS_CFLAGS := $(CFLAGS_COMMON) -D_POSIX_C_SOURCE=200809L -I$(LLHTTP_INC_DIR)
LLHTTP_CFLAGS  := -std=c11 $(OPT) -w -I$(LLHTTP_INC_DIR) $(EXTRA_CFLAGS)
LDLIBS  := -lcjson -lssl -lcrypto -lm -pthread $(EXTRA_LDFLAGS)

SIM_SRC      := $(wildcard simulator/*.c)
SIM_TEST_SRC := $(wildcard simulator/tests/*.c)
REPORT_SRC   := $(wildcard reports/*.c)
REPORT_TEST_SRC := $(wildcard reports/tests/*.c)
HARNESS_SRC  := $(filter-out harness/main.c,$(wildcard harness/*.c))
HARNESS_TEST_SRC := $(wildcard harness/tests/*.c)
LLHTTP_SRC   := llhttp.c api.c http.c

SIM_OBJ      := $(SIM_SRC:%.c=$(BUILD)/%.o)
SIM_TEST_OBJ := $(SIM_TEST_SRC:%.c=$(BUILD)/%.o)
REPORT_OBJ   := $(REPORT_SRC:%.c=$(BUILD)/%.o)
REPORT_TEST_OBJ := $(REPORT_TEST_SRC:%.c=$(BUILD)/%.o)
HARNESS_OBJ  := $(HARNESS_SRC:%.c=$(BUILD)/%.o)
HARNESS_TEST_OBJ := $(HARNESS_TEST_SRC:%.c=$(BUILD)/%.o)
LLHTTP_OBJ   := $(LLHTTP_SRC:%.c=$(BUILD)/llhttp/%.o)
CHECK_OBJ    := $(BUILD)/harness/testing/check_main.o

LIB          := $(BUILD)/libcorsim.a
PROGRAM      := $(BUILD)/corsim
TESTS        := $(BUILD)/test-simulator $(BUILD)/test-harness $(BUILD)/test-reports

DEB_PACKAGES := build-essential libcjson-dev node-llhttp libssl-dev valgrind
# what `make test` needs beyond the build: real servers, a real browser,
# validators (each test script also checks and says SKIP when one is absent)
TEST_PACKAGES := bc openssl curl libxml2-utils chromium nginx python3-flask \
                 python3-flask-cors python3-starlette python3-fastapi python3-uvicorn

.PHONY: all run test test-only bench golden analyze clean deps deps-test asan

all: $(PROGRAM) $(LIB) $(TESTS)

# ---- dependencies: install only what is missing -------------------------
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	    >$(or $(TMPDIR),/tmp)/corsim-apt.log 2>&1 || \
	    { echo "apt-get failed, see $(or $(TMPDIR),/tmp)/corsim-apt.log"; exit 1; }; \
	fi

deps-test: deps
	@missing=""; for p in $(TEST_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing for the tests:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     --no-install-recommends $$missing) >$(or $(TMPDIR),/tmp)/corsim-apt-test.log 2>&1 || \
	    echo "apt-get failed for some test packages (see $(or $(TMPDIR),/tmp)/corsim-apt-test.log); their tests will say SKIP"; \
	fi

# ---- objects --------------------------------------------------------------
$(BUILD)/simulator/%.o: simulator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SIM_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/harness/%.o: harness/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HARNESS_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/reports/%.o: reports/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HARNESS_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/llhttp/%.o: $(LLHTTP_SRC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LLHTTP_CFLAGS) -c $< -o $@

# ---- library, program, tests ----------------------------------------------
$(LIB): $(SIM_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PROGRAM): $(BUILD)/harness/main.o $(HARNESS_OBJ) $(REPORT_OBJ) $(LLHTTP_OBJ) $(LIB)
	$(CC) $(CFLAGS_COMMON) -o $@ $^ $(LDLIBS)

$(BUILD)/test-simulator: $(SIM_TEST_OBJ) $(CHECK_OBJ) $(LIB)
	$(CC) $(CFLAGS_COMMON) -o $@ $^ $(LDLIBS)

$(BUILD)/test-harness: $(HARNESS_TEST_OBJ) $(CHECK_OBJ) $(HARNESS_OBJ) $(REPORT_OBJ) $(LLHTTP_OBJ) $(LIB)
	$(CC) $(CFLAGS_COMMON) -o $@ $^ $(LDLIBS)

$(BUILD)/test-reports: $(REPORT_TEST_OBJ) $(CHECK_OBJ) $(REPORT_OBJ) $(HARNESS_OBJ) $(LLHTTP_OBJ) $(LIB)
	$(CC) $(CFLAGS_COMMON) -o $@ $^ $(LDLIBS)

# ---- the two commands of the README ---------------------------------------
run: deps
	@$(MAKE) --no-print-directory all
	$(PROGRAM) run vectors/

test: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all
	@bash harness/tests/run_all.sh

# Only the checks, on binaries already built.
test-only:
	@bash harness/tests/run_all.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all

golden: all
	@bash reports/tests/golden.sh --update

analyze:
	$(CC) -std=c11 -fanalyzer -fsyntax-only $(WARN) $(SIM_SRC)

bench: all
	@bash harness/bench/bench.sh

clean:
	rm -rf build

# the loopback test servers and the fuzz targets (with their replay
# binaries, which make test runs on the seeds and saved crashes)
include harness/tests/servers/servers.mk
include harness/fuzz/fuzz.mk
all: $(FUZZ_REPLAY)

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d)
