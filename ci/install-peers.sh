#!/usr/bin/env bash
# Installs the real TLS peers the interop tests talk to: Erlang/OTP's ssl, OpenSSL's s_client/s_server and
# GnuTLS's gnutls-cli (Debian packages). Idempotent: skips the install when every tool is already there.
set -euo pipefail

need=()
command -v erl >/dev/null 2>&1 || need+=(erlang-base erlang-ssl erlang-public-key erlang-crypto erlang-asn1)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v gnutls-cli >/dev/null 2>&1 || need+=(gnutls-bin)
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)   # PROXY protocol peer of the proxy tests

if [ ${#need[@]} -eq 0 ]; then
  echo "ci/install-peers: erl, openssl, gnutls-cli and haproxy already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "ci/install-peers: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# erlang-ssl & co. are separate packages on Debian; install them together with the tools.
$SUDO apt-get install -y -qq erlang-base erlang-ssl erlang-public-key erlang-crypto erlang-asn1 openssl gnutls-bin \
  haproxy >/dev/null
erl -noshell -eval 'io:format("ci/install-peers: Erlang/OTP ~s~n", [erlang:system_info(otp_release)]), halt().'
openssl version
gnutls-cli --version | head -1
haproxy -v | head -1
