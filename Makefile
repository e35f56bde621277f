# Thin wrappers over the real commands; see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
EXAMPLE ?= hello

.PHONY: all build test run bench spec-test install clean

all: build

build:
	$(SWIFT) build -c release --product zong

# The whole test suite: unit tests per module, conformance (native and interpreted), examples.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

run: build
	./.build/release/zong run Examples/$(EXAMPLE).zong

install: build
	install -d $(PREFIX)/bin
	install -m 755 .build/release/zong $(PREFIX)/bin/zong

clean:
	rm -rf .build out
