#!/usr/bin/env bash
# sslkit benchmarks: builds the JMH jar, runs every benchmark (sslkit against a hand-built raw Netty pipeline), the
# Erlang/OTP baseline (erlang/otp_bench.escript) and `openssl speed`, all in one invocation, and writes
# ssl-bench/RESULTS.md and ssl-bench/results-ratios.png from JMH's JSON output.
#
#   ssl-bench/run.sh [--short | --long | --profile] [--no-build] [--only LIST]
#
#   --short    (default) every benchmark, a reduced matrix, 1 fork x (2 warmups of 2 s, 4 for the JDK provider,
#              + one 2 s measurement) per configuration: about 11 minutes on 2 cores.
#   --long     the whole matrix (both providers x TLS 1.2/1.3 x sizes x connections x receivers, resumable
#              handshakes too), 1 fork x (3 warmups + 5 measurements), 9,000 idle connections: about an hour.
#   --profile  no report: bulk and handshake benchmarks under JFR (-prof jfr) and -prof gc for a few
#              configurations, each recording summarised with io.sslkit.bench.tools.JfrSummary, the split-bulk
#              diagnostic, and tools.RecordProbe (TLS record sizes on the wire); see PROFILE.md. ~8 minutes.
#   --no-build use ssl-bench/target/benchmarks.jar as it is.
#   --only     comma-separated subset of: handshake,bulk,latency,memory,otp,openssl; the report of such a partial
#              run goes to its run directory, leaving ssl-bench/RESULTS.md and ssl-bench/results/ alone.
#
# Environment: MVN_FLAGS (default "-o": offline; set to "" to let Maven download), JAVA (default: java on PATH),
# JMH_EXTRA (more JMH arguments for every benchmark run, e.g. "-t 8"), JMH_TIMES (replaces the preset's fork/iteration
# options, e.g. "-f 1 -wi 0 -i 1 -r 500ms" to check the script itself), MEMORY_COUNT (idle connections to open).
# Raw outputs go to ssl-bench/target/bench-run/<timestamp>/ (jmh-*.json, jmh*.log, otp.jsonl, openssl-*.txt); the
# report's inputs are copied to ssl-bench/results/ and RESULTS.md is written from that copy.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JAVA="${JAVA:-java}"
MVN_FLAGS="${MVN_FLAGS--o}"
PRESET=short
BUILD=1
ALL="handshake,bulk,latency,memory,otp,openssl"
ONLY="$ALL"

while [ $# -gt 0 ]; do
  case "$1" in
    --short) PRESET=short ;;
    --long) PRESET=long ;;
    --profile) PRESET=profile ;;
    --no-build) BUILD=0 ;;
    --only) shift; ONLY="$1" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
wants() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if [ "$BUILD" = 1 ]; then
  echo "== building (mvn $MVN_FLAGS package -pl ssl-api,ssl-netty,ssl-bench -DskipTests)"
  (cd "$ROOT" && mvn -B -ntp $MVN_FLAGS -q package -pl ssl-api,ssl-netty,ssl-bench -DskipTests)
fi
JAR="$HERE/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "no $JAR: build first" >&2; exit 1; }

RUN="$HERE/target/bench-run/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
echo "== raw outputs in $RUN"

# JDK 22+ wants native access granted to tcnative/epoll in the forked JVMs too.
FORK_ARGS="-Dio.netty.leakDetection.level=disabled"
if "$JAVA" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 2[2-9]'; then
  FORK_ARGS="$FORK_ARGS --enable-native-access=ALL-UNNAMED"
fi

# The JDK provider needs longer to warm up (its AES-GCM and SSLEngine code must be compiled by C2 first: measured
# here, 4 s of warmup still left it at half speed), so its runs get their own, longer warmup.
case "$PRESET" in
  short)
    TIMES="-f 1 -wi 2 -w 2s -i 1 -r 2s"
    JDK_TIMES="-f 1 -wi 4 -w 2s -i 1 -r 2s"
    MEMORY_COUNT="${MEMORY_COUNT:-2000}" ;;
  long)
    TIMES="-f 1 -wi 3 -w 2s -i 5 -r 2s"
    JDK_TIMES="-f 1 -wi 6 -w 2s -i 5 -r 2s"
    MEMORY_COUNT="${MEMORY_COUNT:-9000}" ;;   # 18,000 descriptors: 10,000 connections (20,000) do not fit under a hard limit of 20,000
  profile)
    TIMES="-f 1 -wi 1 -w 3s -i 2 -r 10s"
    JDK_TIMES="$TIMES" ;;
esac
TIMES="${JMH_TIMES:-$TIMES}"
JDK_TIMES="${JMH_TIMES:-$JDK_TIMES}"

{
  echo "preset=$PRESET"
  echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "rundir=${RUN#$ROOT/}"
  echo "nproc=$(nproc)"
  echo "ulimit_n=$(ulimit -n)"
  echo "ulimit_hn=$(ulimit -Hn)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "openssl=$(openssl version 2>/dev/null || echo none)"
  echo "jmh=$TIMES; JDK provider: $JDK_TIMES${JMH_EXTRA:+; $JMH_EXTRA} (fork JVM: $FORK_ARGS)"
} > "$RUN/meta.txt"

FAILED=()
# jmh NAME ARGS...: one JMH invocation, progress on the terminal, JSON to jmh-NAME.json. RUN_TIMES=... overrides
# the preset's iteration options for one call.
jmh() {
  local name="$1"; shift
  local times="${RUN_TIMES:-$TIMES}"
  echo "== JMH $name: $times $*" | tee -a "$RUN/jmh.log"
  if ! "$JAVA" -jar "$JAR" $times -jvmArgsAppend "$FORK_ARGS" ${JMH_EXTRA:-} "$@" \
        -rf json -rff "$RUN/jmh-$name.json" 2>&1 | tee "$RUN/jmh-$name.log"; then
    FAILED+=("jmh-$name")
  fi
  cat "$RUN/jmh-$name.log" >> "$RUN/jmh.log"
  # JMH goes on after a failing configuration (and exits 0): say which one failed
  if grep -q '<failure>' "$RUN/jmh-$name.log"; then
    FAILED+=("jmh-$name (a configuration failed: see jmh-$name.log)")
  fi
}

if [ "$PRESET" = profile ]; then
  for cfg in "raw 16384" "recv0 16384" "true 16384" "callback 16384" "raw 1024" "recv0 1024"; do
    set -- $cfg
    jmh "profile-bulk-$1-$2" BulkThroughputBenchmark -p receiver="$1" -p writeSize="$2" -p provider=OPENSSL \
        -p version=TLS_V1_3 -p connections=1 -prof gc -prof "jfr:dir=$RUN/jfr-bulk-$1-$2"
  done
  jmh profile-split BulkSplitBenchmark -p provider=OPENSSL -p writeSize=16384,1024 -prof gc
  for impl in raw sslkit; do
    jmh "profile-handshake-$impl" HandshakeBenchmark -p impl=$impl -p provider=OPENSSL -p version=TLS_V1_3 -p key=EC_P256 \
        -p resume=false -prof gc -prof "jfr:dir=$RUN/jfr-handshake-$impl"
  done
  echo "== record sizes on the wire"
  "$JAVA" -cp "$JAR" io.sslkit.bench.tools.RecordProbe openssl 64 2>/dev/null | tee "$RUN/records.txt"
  for d in "$RUN"/jfr-*; do
    f="$(find "$d" -name '*.jfr' | head -1)"
    [ -n "$f" ] || continue
    "$JAVA" -cp "$JAR" io.sslkit.bench.tools.JfrSummary "$f" 30 > "$d-summary.txt"
    echo "== JFR summary: $d-summary.txt"
  done
  grep -h -E 'gc.alloc.rate.norm|^(Bulk|Handshake)[A-Za-z]*\.[a-z]+ ' "$RUN"/jmh-profile-*.log | grep -v ':jfr' \
      | tee "$RUN/gc.txt"
  echo "== profile outputs in $RUN"
  exit 0
fi

if wants handshake; then
  if [ "$PRESET" = long ]; then RESUME=false,true; else RESUME=false; fi
  jmh handshake-openssl HandshakeBenchmark -p provider=OPENSSL -p resume=$RESUME
  RUN_TIMES="$JDK_TIMES" jmh handshake-jdk HandshakeBenchmark -p provider=JDK -p resume=$RESUME
fi

if wants bulk; then
  if [ "$PRESET" = long ]; then
    jmh bulk-openssl BulkThroughputBenchmark -p provider=OPENSSL -p version=TLS_V1_3,TLS_V1_2
    RUN_TIMES="$JDK_TIMES" jmh bulk-jdk BulkThroughputBenchmark -p provider=JDK -p version=TLS_V1_3,TLS_V1_2
    jmh bulk-split BulkSplitBenchmark -p provider=OPENSSL -p version=TLS_V1_3 -p writeSize=16384,1024
  else
    # BoringSSL, TLS 1.3, one connection: every size and receiver (callback only at 16 KiB)
    jmh bulk-sizes BulkThroughputBenchmark -p provider=OPENSSL -p version=TLS_V1_3 -p connections=1 \
        -p writeSize=1024,16384,262144 -p receiver=raw,recv0,once,true
    # several connections
    jmh bulk-conns BulkThroughputBenchmark -p provider=OPENSSL -p version=TLS_V1_3 -p connections=4 -p writeSize=16384 \
        -p receiver=raw,recv0,true
    # the JDK provider; TLS 1.2 (the OTP comparison has both versions)
    RUN_TIMES="$JDK_TIMES" jmh bulk-jdk BulkThroughputBenchmark -p provider=JDK -p version=TLS_V1_3 -p connections=1 \
        -p writeSize=16384 -p receiver=raw,recv0,once
    jmh bulk-tls12 BulkThroughputBenchmark -p provider=OPENSSL -p version=TLS_V1_2 -p connections=1 -p writeSize=16384 \
        -p receiver=raw,recv0,once
    # sslkit on one end only: splits the gap to raw between the send and the receive path
    jmh bulk-split BulkSplitBenchmark -p provider=OPENSSL -p version=TLS_V1_3 -p writeSize=16384,1024 \
        -p sslkitEnd=send,recv0
  fi
fi

if wants latency; then
  if [ "$PRESET" = long ]; then VERSIONS=TLS_V1_3,TLS_V1_2; else VERSIONS=TLS_V1_3; fi
  jmh latency-openssl PingPongLatencyBenchmark -p provider=OPENSSL -p version=$VERSIONS
  RUN_TIMES="$JDK_TIMES" jmh latency-jdk PingPongLatencyBenchmark -p provider=JDK -p version=$VERSIONS
fi

if wants memory; then
  # single shots: two warm-up rounds (open, measure, close) before the measured one
  RUN_TIMES="-f 1 -wi 2 -i 1" jmh memory IdleMemoryBenchmark -p count="$MEMORY_COUNT"
fi

echo "== environment"
"$JAVA" -cp "$JAR" io.sslkit.bench.tools.Env > "$RUN/env.json" 2> "$RUN/env.log" || FAILED+=("env")
cat "$RUN/env.json"

if wants otp; then
  if command -v escript > /dev/null; then
    "$JAVA" -cp "$JAR" io.sslkit.bench.tools.WriteCerts "$RUN/certs" > /dev/null
    if [ "$PRESET" = long ]; then OTP_TIME="--warmup 3 --seconds 10"; else OTP_TIME="--warmup 1 --seconds 3"; fi
    echo "== Erlang/OTP baseline: escript erlang/otp_bench.escript $OTP_TIME"
    (cd "$RUN" && escript "$HERE/erlang/otp_bench.escript" --certs "$RUN/certs" $OTP_TIME --clients 4 \
        --out "$RUN/otp.jsonl") || FAILED+=("otp")
  else
    echo "== no escript on PATH: Erlang/OTP baseline skipped"; FAILED+=("otp (no escript)")
  fi
fi

if wants openssl; then
  if command -v openssl > /dev/null; then
    if [ "$PRESET" = long ]; then S=5; else S=2; fi
    echo "== openssl speed (-seconds $S)"
    for aead in aes-128-gcm aes-256-gcm; do
      openssl speed -elapsed -seconds $S -mr -evp $aead -bytes 16384 > "$RUN/openssl-$aead.txt" 2>&1 || FAILED+=("openssl $aead")
    done
    openssl speed -elapsed -seconds $S -mr ecdsap256 > "$RUN/openssl-ecdsap256.txt" 2>&1 || FAILED+=("openssl ecdsap256")
    openssl speed -elapsed -seconds $S -mr rsa2048 > "$RUN/openssl-rsa2048.txt" 2>&1 || FAILED+=("openssl rsa2048")
    grep -h '^+F' "$RUN"/openssl-*.txt || true
  else
    FAILED+=("openssl (not installed)")
  fi
fi

echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$RUN/meta.txt"
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/meta.txt"

# The report is built from a copy kept next to it (ssl-bench/results/), so that RESULTS.md can be checked against, and
# regenerated from, the very files it came from:
#   java -cp ssl-bench/target/benchmarks.jar io.sslkit.bench.report.Report ssl-bench/results ssl-bench/RESULTS.md \
#        ssl-bench/results-ratios.png
echo "== report"
if [ "$ONLY" = "$ALL" ]; then
  rm -rf "$HERE/results"
  mkdir -p "$HERE/results"
  cp "$RUN"/meta.txt "$HERE/results/"
  for f in "$RUN"/jmh-*.json "$RUN"/otp.jsonl "$RUN"/openssl-*.txt "$RUN"/env.json; do
    [ -f "$f" ] && cp "$f" "$HERE/results/"
  done
  sed -i "s|^rundir=.*|rundir=ssl-bench/results|" "$HERE/results/meta.txt"
  "$JAVA" -cp "$JAR" io.sslkit.bench.report.Report "$HERE/results" "$HERE/RESULTS.md" "$HERE/results-ratios.png"
else
  "$JAVA" -cp "$JAR" io.sslkit.bench.report.Report "$RUN" "$RUN/RESULTS.md" "$RUN/results-ratios.png"
fi
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "== some parts failed: ${FAILED[*]} (see $RUN/jmh.log)" >&2
  exit 1
fi
