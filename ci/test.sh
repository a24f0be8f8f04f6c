#!/usr/bin/env bash
# The README's test command: builds everything and runs every module's tests (JUnit 5 over loopback, Netty's
# leak detector at paranoid; a leak report fails the build), including the benchmarks' one-iteration smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Use the whole open-file allowance (the 10,000-connection load test needs 10,000+ per JVM: it runs its echo
# server in a second JVM because this container's hard limit, 20,000, cannot be raised even by root).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mvn -B -ntp verify "$@"
