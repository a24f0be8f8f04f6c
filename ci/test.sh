#!/usr/bin/env bash
# The README's test command: builds everything and runs every module's tests (JUnit 5 over loopback, Netty's
# leak detector at paranoid; a leak report fails the build), then a one-iteration smoke run of the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
