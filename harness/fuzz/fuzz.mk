# fuzz.mk: the fuzz targets of harness/fuzz/, included by the top-level
# Makefile (after its own variables and rules).
#
#   make fuzz-replay          $(BUILD)/fuzz-replay/TARGET: each target linked
#                             with replay_main.c and the objects of $(BUILD),
#                             so under `make test` (BUILD=build/asan) they are
#                             gcc + ASan + UBSan; t_fuzz_replay.sh runs them
#                             on the seeds and the saved crashes
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="fuzz_vector ..."]
#                             clang + libFuzzer + ASan + UBSan, every object
#                             rebuilt into $(FUZZ_DIR); each target runs for
#                             FUZZ_SECONDS on one core, new inputs go to
#                             $(FUZZ_DIR)/corpus/TARGET, crashes to
#                             $(FUZZ_DIR)/crashes/TARGET (copy them, once
#                             fixed, to harness/fuzz/regressions/TARGET/)
#   make fuzz-seeds           regenerates harness/fuzz/seeds/ from vectors/
#
# Never part of `make test` itself: fuzzing takes minutes and needs clang.

FUZZ_TARGETS ?= fuzz_http_response fuzz_vector fuzz_origin_url fuzz_console
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     ?= $(BUILD)/fuzz

# ---- replay binaries (the compiler and flags of this build) ---------------
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/%)

$(FUZZ_REPLAY): $(BUILD)/fuzz-replay/%: $(BUILD)/harness/fuzz/%.o \
    $(BUILD)/harness/fuzz/replay_main.o $(HARNESS_OBJ) $(REPORT_OBJ) \
    $(LLHTTP_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -o $@ $^ $(LDLIBS)

.PHONY: fuzz-replay fuzz fuzz-build fuzz-seeds
fuzz-replay: $(FUZZ_REPLAY)

# ---- libFuzzer binaries --------------------------------------------------
# -Werror is left out: a clang-only warning must not stop a fuzzing run.
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer \
               $(filter-out -Werror,$(WARN)) $(FUZZ_SAN)
FUZZ_HARNESS_CFLAGS := $(FUZZ_CFLAGS) -D_POSIX_C_SOURCE=200809L \
                       -I$(LLHTTP_INC_DIR)
FUZZ_LIB_OBJ := $(SIM_SRC:%.c=$(FUZZ_DIR)/obj/%.o) \
                $(HARNESS_SRC:%.c=$(FUZZ_DIR)/obj/%.o) \
                $(REPORT_SRC:%.c=$(FUZZ_DIR)/obj/%.o) \
                $(LLHTTP_SRC:%.c=$(FUZZ_DIR)/obj/llhttp/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/obj/simulator/%.o: simulator/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/harness/%.o: harness/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HARNESS_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/reports/%.o: reports/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HARNESS_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/llhttp/%.o: $(LLHTTP_SRC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -O1 -g -w -I$(LLHTTP_INC_DIR) $(FUZZ_SAN) \
	  -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BINS): $(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/harness/fuzz/%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# Seeds: the checked-in seeds/TARGET (for fuzz_vector the corpus and the bad
# vectors themselves) and the saved crashes; the first directory receives
# what libFuzzer finds.
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes/$$t; \
	  case $$t in \
	    fuzz_vector) seeds="vectors harness/tests/bad-vectors"; dict=harness/fuzz/vector.dict;; \
	    *) seeds="harness/fuzz/seeds/$$t"; dict=harness/fuzz/cors.dict;; \
	  esac; \
	  [ -d harness/fuzz/regressions/$$t ] && seeds="$$seeds harness/fuzz/regressions/$$t"; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=1536 -dict=$$dict -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/crashes/$$t/ \
	    $(FUZZ_DIR)/corpus/$$t $$seeds; \
	done

fuzz-seeds:
	bash harness/fuzz/make_seeds.sh

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/obj/*/*/*.d)
