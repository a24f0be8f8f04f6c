#!/usr/bin/env bash
# The neutral comparison (issue 13): one external TLS client, not Java (ssl-bench/neutral/tlsload.c, OpenSSL 3),
# against each TLS server in turn, in one sitting, on 127.0.0.1:
#
#   sslkit-openssl  sslkit echo-server --provider openssl          raw-openssl  raw Netty SslHandler echo (BoringSSL)
#   sslkit-jdk      sslkit echo-server --provider jdk              raw-jdk      raw Netty SslHandler echo (JDK engine)
#   sslkit-proxy    sslkit proxy (BoringSSL) -> plain echo backend haproxy      HAProxy mode tcp, ssl crt -> same backend
#   stunnel         stunnel -> same backend                        otp          Erlang/OTP ssl echo server (escript)
#   s_server        openssl s_server (handshakes only: it does not echo)
#
# Raw Netty runs one event loop (RawEchoServer --threads 1); the plain echo backend of the proxies is raw Netty
# without TLS, one event loop. Every server gets the same certificate (ECDSA P-256 or RSA-2048, self-signed, made
# here with openssl), and a warm-up before its cells.
#
#   ssl-bench/neutral.sh [--short | --full] [--no-build] [--only LIST] [--out DIR] [--publish]
#
#   --short     a quick sitting: full handshakes with 4 client threads (TLS 1.3 and 1.2, ECDSA and RSA), TLS 1.3
#               ticket resumption (ECDSA) and echo with 1 connection; 1.5 s per cell: about 5 minutes.
#   --full      (default) full handshakes with 1, 4 and 16 threads, resumption (TLS 1.3 tickets, TLS 1.2 tickets
#               and session ids, 4 threads), TLS 1.2/1.3, ECDSA/RSA, echo with 1 and 4 connections; 2 s per cell:
#               about 15 minutes.
#   --no-build  use ssl-examples/target/sslkit.jar and ssl-bench/target/benchmarks.jar as they are.
#   --only      comma-separated subset of the server names above.
#   --out DIR   where the run goes (default ssl-bench/target/neutral/<timestamp>): results.jsonl (one line per
#               cell, with the load average), results.json, RESULTS-neutral.md (tables and ratios), logs/.
#   --publish   also copy RESULTS-neutral.md to ssl-bench/ and results.json + meta.json to ssl-bench/results-neutral/
#               (what RESULTS.md's section on the neutral comparison quotes).
#
# Environment: JAVA (default java on PATH), MVN_FLAGS (default -o), NEUTRAL_PORT (first of the ports used,
# default 24430), SECONDS_PER_CELL / WARMUP_PER_CELL to override the preset.
# Missing peers (haproxy, stunnel4, Erlang's ssl, libssl-dev, gcc) are installed from Debian (apt-get, as root).
# Every server started here listens on 127.0.0.1 and is stopped at the end; each is also started under
# `timeout`, so it stops by itself even if this script is killed.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JAVA="${JAVA:-java}"
MVN_FLAGS="${MVN_FLAGS--o}"
PRESET=full
BUILD=1
ALL="sslkit-openssl,raw-openssl,sslkit-proxy,haproxy,stunnel,otp,s_server,sslkit-jdk,raw-jdk"
ONLY="$ALL"
OUT=""
PUBLISH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --short) PRESET=short ;;
    --full) PRESET=full ;;
    --no-build) BUILD=0 ;;
    --only) shift; ONLY="$1" ;;
    --out) shift; OUT="$1" ;;
    --publish) PUBLISH=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
wants() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if [ "$PRESET" = short ]; then
  SECS="${SECONDS_PER_CELL:-1.5}"; WARM="${WARMUP_PER_CELL:-0.5}"; SERVER_WARMUP=3; JDK_SERVER_WARMUP=8
else
  SECS="${SECONDS_PER_CELL:-2}"; WARM="${WARMUP_PER_CELL:-1}"; SERVER_WARMUP=4; JDK_SERVER_WARMUP=10
fi

RUN="${OUT:-$HERE/target/neutral/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$RUN/logs" "$RUN/certs" "$RUN/bin" "$RUN/conf"
echo "== run directory $RUN"

# ---- peers (Debian packages), only what is missing ----
need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v stunnel4 >/dev/null 2>&1 || command -v stunnel >/dev/null 2>&1 || need+=(stunnel4)
command -v escript >/dev/null 2>&1 || need+=(erlang-base erlang-ssl erlang-public-key erlang-crypto erlang-asn1)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "== installing ${need[*]} (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" > "$RUN/logs/apt.log"
fi
STUNNEL="$(command -v stunnel4 || command -v stunnel)"

# ---- the load generator ----
gcc -O2 -Wall -o "$RUN/bin/tlsload" "$HERE/neutral/tlsload.c" -lssl -lcrypto -lpthread
TLSLOAD="$RUN/bin/tlsload"

# ---- the JVM servers ----
SSLKIT_JAR="$ROOT/ssl-examples/target/sslkit.jar"
BENCH_JAR="$HERE/target/benchmarks.jar"
if [ "$BUILD" = 1 ] || [ ! -f "$SSLKIT_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  echo "== building (mvn $MVN_FLAGS package -pl ssl-examples,ssl-bench -am -DskipTests)"
  (cd "$ROOT" && mvn -B -ntp $MVN_FLAGS -q package -pl ssl-examples,ssl-bench -am -DskipTests)
fi
JVM_OPTS="-Dio.netty.leakDetection.level=disabled"
if "$JAVA" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 2[2-9]'; then
  JVM_OPTS="$JVM_OPTS --enable-native-access=ALL-UNNAMED"
fi

# ---- certificates: ECDSA P-256 and RSA-2048, self-signed for localhost ----
C="$RUN/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ec.key" -out "$C/ec.pem" \
  -days 7 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/rsa.key" -out "$C/rsa.pem" \
  -days 7 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
for k in ec rsa; do cat "$C/$k.pem" "$C/$k.key" > "$C/$k.both.pem"; done

# ---- processes: started under `timeout` (they stop by themselves), stopped by their id ----
PORT_BASE="${NEUTRAL_PORT:-24430}"
BACKEND_PORT=$PORT_BASE
# each server start gets a port of its own: a port just left by a server whose accepted sockets lacked SO_REUSEADDR
# (OTP's default, and sslkit's) cannot be bound again while those connections linger in TIME_WAIT
NEXT_PORT=$((PORT_BASE + 1))
next_port() {
  while ! port_free "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
  SERVER_PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}
LIFETIME=$([ "$PRESET" = short ] && echo 1200 || echo 3600)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -Htan "sport = :$1" | grep -q .; }  # no socket at all on it, TIME_WAIT included
# waits (at most 60 s) until something listens on 127.0.0.1:$1
wait_listening() {
  local i
  for i in $(seq 1 300); do
    if ss -Hltn "sport = :$1" | grep -q .; then return 0; fi
    sleep 0.2
  done
  return 1
}
# start NAME CMD...: starts a server in the background (stdout+stderr to logs/NAME.log); sets STARTED_PID
start() {
  local name="$1"; shift
  timeout -k 5 "$LIFETIME" "$@" > "$RUN/logs/$name.log" 2>&1 < /dev/null &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}
# the processes of a server: `timeout` puts the command in a process group of its own, led by itself
group_pids() { ps -e -o pgid=,pid= | awk -v g="$1" '$1 == g { printf "%s%s", sep, $2; sep = "," }'; }
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

port_free "$BACKEND_PORT" || { echo "port $BACKEND_PORT is taken: set NEUTRAL_PORT" >&2; exit 1; }

echo "== plain echo backend on 127.0.0.1:$BACKEND_PORT"
start backend "$JAVA" $JVM_OPTS -cp "$BENCH_JAR" io.sslkit.bench.neutral.RawEchoServer --plain --port "$BACKEND_PORT"
wait_listening "$BACKEND_PORT" || { echo "backend did not start: $(cat "$RUN/logs/backend.log")" >&2; exit 1; }

# ---- configuration files of the non-Java peers ----
write_confs() { # KEY
  local k="$1"
  cat > "$RUN/conf/haproxy-$k.cfg" <<EOF
global
    maxconn 4000
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend tls
    bind 127.0.0.1:$SERVER_PORT ssl crt $C/$k.both.pem
    default_backend echo
backend echo
    server echo 127.0.0.1:$BACKEND_PORT
EOF
  cat > "$RUN/conf/stunnel-$k.conf" <<EOF
foreground = yes
pid =
debug = 3
[echo]
accept = 127.0.0.1:$SERVER_PORT
connect = 127.0.0.1:$BACKEND_PORT
cert = $C/$k.pem
key = $C/$k.key
EOF
}

# start_server NAME KEY: starts one server on SERVER_PORT with the KEY certificate
start_server() {
  local name="$1" k="$2"
  local cert="$C/$k.pem" key="$C/$k.key" log="$name-$k"
  case "$name" in
    sslkit-openssl|sslkit-jdk)
      start "$log" "$JAVA" $JVM_OPTS -jar "$SSLKIT_JAR" echo-server --port "$SERVER_PORT" --certfile "$cert" \
        --keyfile "$key" --provider "${name#sslkit-}" ;;
    sslkit-proxy)
      start "$log" "$JAVA" $JVM_OPTS -jar "$SSLKIT_JAR" proxy --listen "$SERVER_PORT" \
        --connect "127.0.0.1:$BACKEND_PORT" --certfile "$cert" --keyfile "$key" --provider openssl ;;
    raw-openssl|raw-jdk)
      start "$log" "$JAVA" $JVM_OPTS -cp "$BENCH_JAR" io.sslkit.bench.neutral.RawEchoServer --port "$SERVER_PORT" \
        --threads 1 --cert "$cert" --key "$key" --provider "${name#raw-}" ;;
    haproxy) start "$log" haproxy -db -f "$RUN/conf/haproxy-$k.cfg" ;;
    stunnel) start "$log" "$STUNNEL" "$RUN/conf/stunnel-$k.conf" ;;
    otp) start "$log" escript "$HERE/neutral/otp_echo.escript" "$SERVER_PORT" "$cert" "$key" ;;
    s_server) start "$log" openssl s_server -accept "127.0.0.1:$SERVER_PORT" -cert "$cert" -key "$key" -quiet \
        -www ;;
  esac
}

RESULTS="$RUN/results.jsonl"
: > "$RESULTS"
# cell SERVER KEY TLSLOAD-ARGS...: one measurement, one JSON line with the server, key and load average added
cell() {
  local server="$1" k="$2"; shift 2
  local load line
  load="$(cut -d' ' -f1 /proc/loadavg)"
  line="$("$TLSLOAD" --port "$SERVER_PORT" --seconds "$SECS" --warmup "$WARM" --label "$server" \
    --server-pids "$(group_pids "$SERVER_PGID")" "$@")" || line=""
  if [ -z "$line" ]; then
    line="{\"label\":\"$server\",\"failed\":true,\"args\":\"$*\"}"
  fi
  line="{\"server\":\"$server\",\"key\":\"$k\",\"load1\":$load,${line#\{}"
  echo "$line" >> "$RESULTS"
  echo "   $line"
}

cells() { # SERVER KEY
  local s="$1" k="$2" tls t
  if [ "$PRESET" = short ]; then
    for tls in 1.3 1.2; do cell "$s" "$k" --mode full --tls $tls --threads 4; done
    if [ "$k" = ec ]; then
      cell "$s" "$k" --mode resume --tls 1.3 --threads 4
      [ "$s" = s_server ] || cell "$s" "$k" --mode echo --tls 1.3 --conns 1
    fi
  else
    for tls in 1.3 1.2; do
      for t in 1 4 16; do cell "$s" "$k" --mode full --tls $tls --threads $t; done
    done
    cell "$s" "$k" --mode resume --tls 1.3 --threads 4
    cell "$s" "$k" --mode resume --tls 1.2 --resume ticket --threads 4
    cell "$s" "$k" --mode resume --tls 1.2 --resume id --threads 4
    if [ "$k" = ec ] && [ "$s" != s_server ]; then
      for t in 1 4; do cell "$s" "$k" --mode echo --tls 1.3 --conns $t; done
    fi
  fi
}

{
  echo "{\"preset\":\"$PRESET\",\"started\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"nproc\":$(nproc),"
  echo "\"uptime_start\":\"$(uptime | sed 's/^ *//')\",\"seconds_per_cell\":$SECS,\"warmup_per_cell\":$WARM,"
  echo "\"java\":\"$("$JAVA" -version 2>&1 | head -1 | tr -d '"')\",\"openssl\":\"$(openssl version)\","
  echo "\"haproxy\":\"$(haproxy -v | head -1)\",\"stunnel\":\"$("$STUNNEL" -version 2>&1 | grep -m1 -i stunnel | tr -d '"')\","
  echo "\"otp\":\"$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().')\"}"
} > "$RUN/meta.json"
echo "== $(uptime)"

for k in ec rsa; do
  for s in ${ALL//,/ }; do
    wants "$s" || continue
    next_port
    write_confs "$k"
    echo "== $s ($k) on 127.0.0.1:$SERVER_PORT"
    start_server "$s" "$k"
    pid=$STARTED_PID
    SERVER_PGID=$pid
    if ! wait_listening "$SERVER_PORT"; then
      echo "   $s did not start: $(tail -3 "$RUN/logs/$s-$k.log")" >&2
      echo "{\"server\":\"$s\",\"key\":\"$k\",\"failed\":true,\"args\":\"start\"}" >> "$RESULTS"
      stop "$pid"; continue
    fi
    warm=$SERVER_WARMUP; case "$s" in *jdk) warm=$JDK_SERVER_WARMUP ;; esac
    "$TLSLOAD" --port "$SERVER_PORT" --mode full --tls 1.3 --threads 4 --warmup 0 --seconds "$warm" > /dev/null
    cells "$s" "$k"
    stop "$pid"
  done
done

sed -i "s|}\$|,\"uptime_end\":\"$(uptime | sed 's/^ *//')\",\"finished\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}|" \
  "$RUN/meta.json"
echo "== $(uptime)"
"$JAVA" -cp "$BENCH_JAR" io.sslkit.bench.neutral.NeutralReport "$RUN"
echo "== report: $RUN/RESULTS-neutral.md (data: $RUN/results.json)"
if [ "$PUBLISH" = 1 ]; then
  mkdir -p "$HERE/results-neutral"
  cp "$RUN/results.json" "$RUN/meta.json" "$HERE/results-neutral/"
  cp "$RUN/RESULTS-neutral.md" "$HERE/RESULTS-neutral.md"
  echo "== published: ssl-bench/RESULTS-neutral.md, ssl-bench/results-neutral/"
fi
