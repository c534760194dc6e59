#!/usr/bin/env bash
# Puts valgrind 3.24 (Debian trixie's build) under .build-tools/valgrind, without installing it:
# bookworm's valgrind 3.19 cannot read the DWARF 5 that Swift emits (it stops on the release
# binary's debug information and crashes on a stripped one). Idempotent; prints the launcher's path.
# Run the launcher with VALGRIND_LIB=.build-tools/valgrind/usr/libexec/valgrind and, for Swift
# programs with an async main, LD_PRELOAD=.build-tools/valgrind/sigsuspend_shim.so (see
# scripts/valgrind_sigsuspend_shim.c); scripts that use it set both themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
root=.build-tools/valgrind
deb=valgrind_3.24.0-3_amd64.deb
sha256=0359e30820ccee7ee5c8d4c951ca276e3978b18f157d71bd77981de05b344907  # trixie's Packages index
if [ ! -x "$root/usr/bin/valgrind" ]; then
    mkdir -p .build-tools
    curl -fsSL -o ".build-tools/$deb" "http://deb.debian.org/debian/pool/main/v/valgrind/$deb"
    echo "$sha256  .build-tools/$deb" | sha256sum -c --quiet
    dpkg-deb -x ".build-tools/$deb" "$root"
fi
if [ ! -f "$root/sigsuspend_shim.so" ] || [ scripts/valgrind_sigsuspend_shim.c -nt "$root/sigsuspend_shim.so" ]; then
    cc -O1 -shared -fPIC -o "$root/sigsuspend_shim.so" scripts/valgrind_sigsuspend_shim.c -ldl
fi
echo "$PWD/$root/usr/bin/valgrind"
