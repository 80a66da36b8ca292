# SPDX-License-Identifier: GPL-2.0
#
# MPUDP top-level Makefile. `make help` lists the targets.
#
# The module is built out of tree against a Debian kernel's headers, which
# tools/kernel.sh downloads into .cache/ (KERNEL=6.1 or 6.12), or against the
# headers in KDIR= (e.g. KDIR=/lib/modules/$(uname -r)/build on a real host).
# Each kernel and variant builds in its own directory under build/.

KERNEL ?= 6.1
# Kernels `make check` runs the VM tests on: the first runs every test, the
# others the control-plane ones (tests marked "# tier: control").
CHECK_KERNELS ?= 6.1 6.12

TOP := $(CURDIR)
ifeq ($(origin KDIR),undefined)
KDIR = $(shell $(TOP)/tools/kernel.sh kdir $(KERNEL))
BUILD = $(TOP)/build/$(shell $(TOP)/tools/kernel.sh abi $(KERNEL))
else
BUILD = $(TOP)/build/kdir$(subst /,_,$(abspath $(KDIR)))
endif

KMAKE = $(MAKE) -C $(KDIR) M=$(BUILD)/$(1)/mpudp $(2)

.PHONY: all module module-debug mpudpctl deps kernel check check-unit \
	check-vm style sparse clean help demo bench bench-compare bench-quick

all: module mpudpctl

deps:
	tools/deps.sh

kernel:
	@[ "$(origin KDIR)" != undefined ] || tools/kernel.sh fetch $(KERNEL)

# $(1): variant (release or debug). A tree of symbolic links to the sources,
# so that every kernel and variant keeps its own objects.
define prepare_tree
	@mkdir -p $(BUILD)/$(1)/mpudp
	@cp -rsf $(TOP)/mpudp/. $(BUILD)/$(1)/mpudp/
	@ln -sfn $(TOP)/include $(BUILD)/$(1)/include
endef

module: kernel
	$(call prepare_tree,release)
	+$(call KMAKE,release,W=1 modules)
	@ln -sf $(BUILD)/release/mpudp/mpudp.ko mpudp.ko

module-debug: kernel
	$(call prepare_tree,debug)
	+$(call KMAKE,debug,W=1 MPUDP_DEBUG=y modules)

sparse: kernel
	$(call prepare_tree,sparse)
	+$(call KMAKE,sparse,C=2 CF=-D__CHECK_ENDIAN__ W=1 modules)

mpudpctl:
	+$(MAKE) -C tools/mpudpctl

style:
	tools/style.sh

check:
	tools/check.sh

demo:
	tools/demo.sh

bench:
	tools/bench.sh
	tools/bench-compare.sh

bench-compare:
	tools/bench-compare.sh

bench-quick:
	tools/bench-compare.sh quick

clean:
	rm -rf build mpudp.ko
	+$(MAKE) -C tools/mpudpctl clean

help:
	@echo "make [KERNEL=6.1|6.12] [KDIR=DIR]  build mpudp.ko and mpudpctl"
	@echo "make module-debug                 mpudp.ko with DEBUG and self-tests"
	@echo "make deps                         install what building and testing need"
	@echo "make check                        unit tests, then the VM tests on $(CHECK_KERNELS)"
	@echo "make demo                         WireGuard over MPUDP in a VM, with numbers"
	@echo "make bench                        benchmarks (not part of check): bench.sh, bench-compare"
	@echo "make bench-compare                MPUDP against WireGuard, OpenVPN, bonding, MPTCP"
	@echo "make bench-quick                  bench-compare on one cell, under 10 minutes"
	@echo "make style / sparse               checkpatch / sparse on the module"
