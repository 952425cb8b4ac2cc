#!/usr/bin/env bash
# Checks with ldd that a quorum binary needs no shared library outside what deploy/Containerfile's runtime
# stage installs (its RUNTIME_PACKAGES) and the C library every Debian image has. Each library the binary
# names (ELF NEEDED) must come from one of those Debian packages; what they need in turn, apt installs with them.
#
#   scripts/check_runtime_libs.sh [BINARY] [CONTAINERFILE]
#
# BINARY defaults to .build/release/quorum and must be built as the recipe builds it:
#   swift build -c release --static-swift-stdlib --product quorum
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/quorum}
recipe=${2:-deploy/Containerfile}
[ -x "$binary" ] || { echo "check_runtime_libs: no executable $binary" >&2; exit 2; }
packages=$(sed -n 's/^ARG RUNTIME_PACKAGES="\(.*\)"$/\1/p' "$recipe")
[ -n "$packages" ] || { echo "check_runtime_libs: no ARG RUNTIME_PACKAGES=\"...\" in $recipe" >&2; exit 2; }
allowed=" $packages libc6 "
problems=0
for lib in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # "NAME => PATH (ADDRESS)", or "PATH (ADDRESS)" for the dynamic loader.
    path=$(ldd "$binary" | awk -v l="$lib" '$1 == l { print $3 } $2 != "=>" && $1 ~ ("/" l "$") { print $1 }')
    if [ -z "$path" ] || [ "$path" = "not" ]; then
        echo "$lib: not found on this machine" >&2; problems=$((problems + 1)); continue
    fi
    real=$(readlink -f "$path")
    owner=""
    for candidate in "$path" "$real" "${real#/usr}" "/usr$real"; do
        owner=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$owner" ] && break
    done
    if [ -z "$owner" ]; then
        echo "$lib ($real): from no Debian package (a Swift runtime library? build with --static-swift-stdlib)" >&2
        problems=$((problems + 1))
    elif [[ "$allowed" != *" $owner "* ]]; then
        echo "$lib: from Debian package $owner, which $recipe does not install" >&2
        problems=$((problems + 1))
    else
        echo "$lib: $owner"
    fi
done
if [ "$problems" -gt 0 ]; then
    echo "check_runtime_libs: $problems librar$([ "$problems" = 1 ] && echo y || echo ies) not covered by $recipe" >&2
    exit 1
fi
echo "check_runtime_libs: every library $binary needs comes from: $packages libc6"
