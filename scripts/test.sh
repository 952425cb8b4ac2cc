#!/usr/bin/env bash
# The README's test command: set-up, build, and the whole test suite, ending with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-python
# The layout rules of .swift-format (120 columns, 4 spaces); `swift format format -r -i` fixes what this finds.
swift format lint -r --strict --configuration .swift-format Package.swift Sources Tests
# The Kubernetes manifests against the Kubernetes schemas, offline, when kubernetes-validate (PyPI) is installed.
if command -v kubernetes-validate >/dev/null; then
    kubernetes-validate --quiet deploy/kubernetes/coordinator.yaml deploy/kubernetes/workers.yaml
fi
# A release binary built as deploy/Containerfile builds it (static Swift runtime) needs only the recipe's libraries.
if [ -x .build/release/quorum ] && ! ldd .build/release/quorum | grep -q libswiftCore; then
    scripts/check_runtime_libs.sh .build/release/quorum >/dev/null
fi
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# XCTest's last "Executed N tests, with [S tests skipped and] F failures" line covers the whole run.
# The OpenAPI conformance run: schemathesis (installed by scripts/setup.sh --with-python) against a live
# `quorum serve` of a two-member ensemble trained here in seconds. Skipped when schemathesis is absent.
if command -v st >/dev/null; then
    scripts/serve-openapi-check.sh .build/debug/quorum 2>&1 | tee -a "$log" || status=1
else
    echo "openapi: schemathesis is not installed; the conformance run is skipped"
fi
summary=$(grep -E "Executed [0-9]+ tests?, with" "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
    total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
    failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
    skipped=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "^[0-9]+" || echo 0)
    echo "tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
