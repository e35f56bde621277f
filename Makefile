# Thin wrappers over the real commands; see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
PYTHON ?= python3
EXAMPLE ?= hello
ZONG = ./.build/release/zong

.PHONY: all build test run bench spec-test fuzz install uninstall clean

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

# The optimizer's differential fuzzer, longer than the test run's: 10,000 random programs in the
# IR interpreter under every pipeline, and 100 through the binary natively and interpreted.
fuzz:
	$(SWIFT) build --build-tests
	ZONG_FUZZ_COUNT=10000 ZONG_NATIVE_FUZZ_COUNT=100 $(SWIFT) test --skip-build --filter "DifferentialTests"

# A binary that runs without the Swift toolchain (the Swift runtime and Foundation linked in
# statically; it still needs clang and the C library's static archives to build programs),
# the shell completions and the man page. Built in its own scratch directory so that the
# everyday release build keeps its flags.
STATIC_BUILD = .build/static
STATIC_ZONG = $(STATIC_BUILD)/release/zong
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
COMPLETIONS = $(DESTDIR)$(PREFIX)/share

install:
	$(SWIFT) build -c release --product zong --static-swift-stdlib --scratch-path $(STATIC_BUILD)
	install -d $(BINDIR) $(MANDIR) $(COMPLETIONS)/bash-completion/completions \
		$(COMPLETIONS)/zsh/site-functions $(COMPLETIONS)/fish/vendor_completions.d
	install -m 755 $(STATIC_ZONG) $(BINDIR)/zong
	$(STATIC_ZONG) --generate-completion-script bash > $(COMPLETIONS)/bash-completion/completions/zong
	$(STATIC_ZONG) --generate-completion-script zsh > $(COMPLETIONS)/zsh/site-functions/_zong
	$(STATIC_ZONG) --generate-completion-script fish > $(COMPLETIONS)/fish/vendor_completions.d/zong.fish
	install -m 644 docs/man/zong.1 $(MANDIR)/zong.1

uninstall:
	rm -f $(BINDIR)/zong $(MANDIR)/zong.1 $(COMPLETIONS)/bash-completion/completions/zong \
		$(COMPLETIONS)/zsh/site-functions/_zong $(COMPLETIONS)/fish/vendor_completions.d/zong.fish

clean:
	rm -rf .build out
