#!/bin/sh
# Installs Debian's poppler-utils (pdftotext, pdftoppm, pdfinfo) for the PDF tests
# (crates/likekind-pdf/tests/report.rs, crates/likekind-web/tests/browser.rs). Call from
# .ci/run before `cargo test`, then run the tests with LIKEKIND_REQUIRE_PDFTOOLS=1 so a
# missing tool fails the build instead of skipping the checks.
set -eu
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils
fi
pdftotext -v 2>&1 | head -1
