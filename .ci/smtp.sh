#!/bin/sh
# Installs Debian's python3-aiosmtpd: the real SMTP server the notification tests start
# (crates/likekind-cli/tests/notify.rs runs tests/notify/smtp_sink.py with /usr/bin/python3).
# Call from .ci/run before `cargo test`, then run the tests with LIKEKIND_REQUIRE_SMTP=1 so a
# missing SMTP server fails the build instead of skipping.
set -eu
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-aiosmtpd
fi
/usr/bin/python3 -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
