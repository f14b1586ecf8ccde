# The two commands of the quick start. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= 2

.PHONY: run test build deps clean

deps:
	scripts/install-deps.sh $(BUILD_DIR)

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo's month goes to a store of its own under ./data, new on every run.
run: build
	rm -rf data/demo
	$(BUILD_DIR)/tools/escalator demo --config escalator.json --data data/demo

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR)
