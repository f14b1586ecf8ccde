# The two commands of the quick start. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= 2

.PHONY: run demo test build deps clean

deps:
	scripts/install-deps.sh $(BUILD_DIR)

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The service on 127.0.0.1 with its store under ./data (docs/http.md); Ctrl-C stops it.
run: build
	$(BUILD_DIR)/tools/escalator serve --config escalator.json

# A month of sample cases, into a store of its own that is new on every run.
demo: build
	rm -rf demo-data
	$(BUILD_DIR)/tools/escalator demo --config escalator.json --data demo-data

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR)
