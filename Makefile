# Berth: build, install, test, benchmark. Run `make help` for the targets.
SHELL       := /bin/bash
PREFIX      ?= /usr/local
CONFIG      ?= Release
RID         ?= linux-x64
PUBLISH_DIR := $(CURDIR)/artifacts/publish
RESULTS_DIR := $(CURDIR)/artifacts/test-results
# The runtime the privileged tests drive; override to validate the harness (BERTH_RUNTIME=/usr/sbin/runc).
BERTH_RUNTIME ?= $(PUBLISH_DIR)/berth-runtime
# The daemon and CLI the daemon integration tests drive.
BERTH_DAEMON  ?= $(PUBLISH_DIR)/berthd
BERTH_CLI     ?= $(PUBLISH_DIR)/berth
SYSTEMD_DIR ?= /etc/systemd/system
# The three NativeAOT executables, one `dotnet publish` each into the same directory. Global properties are the
# same for all three, so the libraries they share build once and are up to date for the second and third.
PUBLISH_PROJECTS := src/Berth.RuntimeCli src/Berth.Daemon src/Berth.Cli
BINARIES    := berth berthd berth-runtime
# NativeAOT links with clang when present, else gcc (what Debian's `make deps` installs).
AOT_LINKER  ?= $(if $(shell command -v clang 2>/dev/null),clang,gcc)

.NOTPARALLEL:
.PHONY: help install publish deps build test run-tests quickstart bench clean

help:
	@echo "make quickstart [KEEP_DAEMON=1]   deps, install, then \`berth run hello-world\` (a local registry when offline)"
	@echo "make install [PREFIX=/usr/local]  publish berth, berthd, berth-runtime (NativeAOT) into PREFIX/bin and"
	@echo "                                  berthd.service into /etc/systemd/system (not enabled, not started)"
	@echo "make publish                      only publish the three binaries into artifacts/publish"
	@echo "make deps                         apt-get install what the tests and AOT need (only what is missing)"
	@echo "make test                         deps, build, publish, then every test project (privileged, as root)"
	@echo "make run-tests [BERTH_RUNTIME=..] only run the already built test projects"
	@echo "make bench                        bench-runtime, bench-run and bench-pull (root, minutes)"
	@echo "make bench-runtime                bench/runtime.sh: berth-runtime vs runc vs crun"
	@echo "make bench-run [RUNS=20]          bench/run.sh: berthd/berth vs dockerd vs podman (publish first)"
	@echo "make bench-pull                   bench/pull.sh: cold pull, berth vs docker vs skopeo"

publish:
	set -e; for project in $(PUBLISH_PROJECTS); do \
	  dotnet publish $$project -c $(CONFIG) -r $(RID) -p:PublishAot=true -p:CppCompilerAndLinker=$(AOT_LINKER) -o $(PUBLISH_DIR); \
	done

install: publish
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSTEMD_DIR)
	for binary in $(BINARIES); do install -m 0755 $(PUBLISH_DIR)/$$binary $(DESTDIR)$(PREFIX)/bin/$$binary; done
	sed 's|@PREFIX@|$(PREFIX)|g' packaging/berthd.service > $(DESTDIR)$(SYSTEMD_DIR)/berthd.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_DIR)/berthd.service

# KEEP_DAEMON=1 leaves running a berthd the quickstart started; OFFLINE=1 skips the Docker Hub probe.
quickstart: deps install
	scripts/quickstart.sh --bin $(DESTDIR)$(PREFIX)/bin $(if $(KEEP_DAEMON),--keep-daemon) $(if $(OFFLINE),--offline)

deps:
	scripts/deps.sh

build:
	dotnet build Berth.slnx

test: deps build publish run-tests

run-tests:
	BERTH_TEST_PRIVILEGED=1 BERTH_RUNTIME=$(abspath $(BERTH_RUNTIME)) BERTH_DAEMON=$(abspath $(BERTH_DAEMON)) \
	  BERTH_CLI=$(abspath $(BERTH_CLI)) scripts/run-tests.sh $(RESULTS_DIR)

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
