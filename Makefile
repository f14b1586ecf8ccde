# The two commands of the quick start. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= 2

PREFIX ?= $(HOME)/.local

.PHONY: run demo test build program configure deps install clean sanitize

deps:
	scripts/install-deps.sh $(BUILD_DIR)

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja

# Everything, tests included.
build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The escalator program alone: what run and demo need.
program: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target escalator

# The service on 127.0.0.1 with its store under ./data (docs/http.md); Ctrl-C stops it.
run: program
	$(BUILD_DIR)/tools/escalator serve --config escalator.json

# A month of sample cases, into a store of its own that is new on every run.
demo: program
	rm -rf demo-data
	$(BUILD_DIR)/tools/escalator demo --config escalator.json --data demo-data

# The program, escalator(1) and the bash completion under PREFIX (default ~/.local;
# `make install PREFIX=/usr/local` as root for every user). docs/cli.md.
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The whole test suite built with GCC's AddressSanitizer and UndefinedBehaviorSanitizer,
# in a tree of its own; any report fails the test that made it (docs/testing.md).
SANITIZE_DIR ?= build-sanitize
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
sanitize:
	scripts/install-deps.sh $(SANITIZE_DIR)
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DESCALATOR_FUZZ=OFF \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)"
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
