#!/bin/sh
# Installs Debian's Chromium and its WebDriver for the web application's end-to-end test
# (crates/likekind-web/tests/browser.rs). Call from .ci/run before `cargo test`, then run the
# tests with LIKEKIND_REQUIRE_BROWSER=1 so a missing browser fails the build.
set -eu
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
chromium --version
chromedriver --version
