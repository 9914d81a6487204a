# Berth: build, install, test, benchmark. Run `make help` for the targets.
SHELL       := /bin/bash
PREFIX      ?= /usr/local
CONFIG      ?= Release
RID         ?= linux-x64
PUBLISH_DIR := $(CURDIR)/artifacts/publish
RESULTS_DIR := $(CURDIR)/artifacts/test-results
# The runtime the privileged tests drive; override to validate the harness (BERTH_RUNTIME=/usr/sbin/runc).
BERTH_RUNTIME ?= $(PUBLISH_DIR)/berth-runtime
# NativeAOT links with clang when present, else gcc (what Debian's `make deps` installs).
AOT_LINKER  ?= $(if $(shell command -v clang 2>/dev/null),clang,gcc)

.NOTPARALLEL:
.PHONY: help install publish deps build test run-tests bench clean

help:
	@echo "make install [PREFIX=/usr/local]  publish berth-runtime (NativeAOT) and install it to PREFIX/bin"
	@echo "make deps                         apt-get install what the tests and AOT need (only what is missing)"
	@echo "make test                         deps, build, publish, then every test project (privileged, as root)"
	@echo "make run-tests [BERTH_RUNTIME=..] only run the already built test projects"
	@echo "make bench                        bench-runtime, bench-run and bench-pull (root, minutes)"
	@echo "make bench-runtime                bench/runtime.sh: berth-runtime vs runc vs crun"
	@echo "make bench-run [RUNS=20]          bench/run.sh: berthd/berth vs dockerd vs podman (publish first)"
	@echo "make bench-pull                   bench/pull.sh: cold pull, berth vs docker vs skopeo"

publish:
	dotnet publish src/Berth.RuntimeCli -c $(CONFIG) -r $(RID) -p:PublishAot=true -p:CppCompilerAndLinker=$(AOT_LINKER) -o $(PUBLISH_DIR)

install: publish
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(PUBLISH_DIR)/berth-runtime $(DESTDIR)$(PREFIX)/bin/berth-runtime

deps:
	scripts/deps.sh

build:
	dotnet build Berth.slnx

test: deps build publish run-tests

run-tests:
	BERTH_TEST_PRIVILEGED=1 BERTH_RUNTIME=$(abspath $(BERTH_RUNTIME)) scripts/run-tests.sh $(RESULTS_DIR)

.PHONY: bench-runtime bench-run bench-pull
bench: bench-runtime bench-run bench-pull

bench-runtime:
	bench/runtime.sh

bench-run:
	BERTH_BIN_DIR=$(PUBLISH_DIR) bench/run.sh

bench-pull:
	bench/pull.sh

clean:
	rm -rf artifacts
