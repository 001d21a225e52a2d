#!/usr/bin/env bash
# Writes the service's class-data archive (docs/benchmarks.md "Footprint"): starts the packaged service from
# the current directory (target/quarkus-app or /deployments) with no clusters, waits until it is
# ready, asks it what clients ask first, and stops it; the JVM writes the archive as it exits.
# Quarkus' own AppCDS stops after static init, so it misses the ~4,000 classes that runtime
# init and the first requests load; this run covers start-to-ready and the first answers.
#   train-service.sh ARCHIVE [JVM options...]
set -euo pipefail
archive=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kubeconfigs"
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off "$@" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 -Dmesh.state-dir="$work/state" \
  -Dmesh.kubeconfig-paths= -Dmesh.kubeconfig-dir="$work/kubeconfigs" \
  -jar quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!

port=
for _ in $(seq 1200); do
  port=$(sed -n 's/.*Listening on: http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/service.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the service did not start listening" >&2; kill "$pid"; exit 1; }

# One HTTP/1.1 request through bash's /dev/tcp (the runtime image has no curl); prints the status line.
request() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n%sConnection: close\r\n\r\n' "$1" "$2" "${3:-}" >&3
  head -1 <&3
  cat <&3 > /dev/null
  exec 3<&-
}

for _ in $(seq 600); do
  case "$(request GET /q/health/ready 2>/dev/null)" in *" 200"*) break ;; esac
  sleep 0.1
done
sleep 2  # the first health refresh runs right after start-up
for path in /q/health/ready /q/health/live /api/v1/health /api/v1/clusters /api/v1/links /q/metrics /q/openapi /; do
  request GET "$path" > /dev/null
done
request GET /api/v1/health "Accept-Encoding: gzip"$'\r\n' > /dev/null
request POST /api/v1/clusters/none/enable > /dev/null

kill -TERM "$pid"
wait "$pid" || true
[ -s "$archive" ] || { echo "no archive written" >&2; cat "$work/service.log" >&2; exit 1; }
