# Thin wrappers over the real commands; see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
PYTHON ?= python3
EXAMPLE ?= hello
ZONG = ./.build/release/zong

.PHONY: all build test run bench spec-test install clean

# `make`: the release build of the zong executable.
all: build

build:
	$(SWIFT) build -c release --product zong

# The whole test suite: unit tests per module, conformance (native and interpreted), examples.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Build and run one example natively, with its scripted stdin when it has one:
#   make run EXAMPLE=wordcount
run: build
	@if [ ! -f Examples/$(EXAMPLE).zong ]; then \
		echo "make run: no example Examples/$(EXAMPLE).zong (have: $$(cd Examples && ls *.zong | sed 's/\.zong$$//' | tr '\n' ' '))" >&2; \
		exit 66; \
	fi
	@if [ -f Examples/$(EXAMPLE).in ]; then \
		$(ZONG) run Examples/$(EXAMPLE).zong < Examples/$(EXAMPLE).in; \
	else \
		$(ZONG) run Examples/$(EXAMPLE).zong; \
	fi

# zong vs hand-written C (clang -O2) on ../shared/bench and bench/, plus native vs interpreted.
# Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--pairs 9 fib sieve".
bench: build
	$(PYTHON) scripts/bench.py --zong $(ZONG) $(BENCH_ARGS)

# The whole WebAssembly spec suite through W2C (the default test run samples it).
spec-test:
	$(SWIFT) build --build-tests
	ZONG_SPEC_FULL=1 $(SWIFT) test --skip-build --filter SpecSuiteTests

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(ZONG) $(DESTDIR)$(PREFIX)/bin/zong

clean:
	rm -rf .build out
