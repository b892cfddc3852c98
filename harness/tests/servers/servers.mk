# servers.mk: builds the loopback test servers of harness/tests/servers/
# (replay, hostile) into $(BUILD)/servers/NAME. Include it from the
# top-level Makefile after the `all` rule: `include harness/tests/servers/servers.mk`.
# Each server is its own program: NAME.c + server.c, linked with the
# harness objects (the replay server reads vectors with vector.c).

SERVER_NAMES := replay hostile
SERVERS := $(SERVER_NAMES:%=$(BUILD)/servers/%)
SERVER_COMMON_OBJ := $(BUILD)/harness/tests/servers/server.o

all: $(SERVERS)

$(BUILD)/servers/%: $(BUILD)/harness/tests/servers/%.o $(SERVER_COMMON_OBJ) \
                    $(HARNESS_OBJ) $(REPORT_OBJ) $(LLHTTP_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -pthread -o $@ $^ $(LDLIBS)

-include $(wildcard $(BUILD)/harness/tests/servers/*.d)
