#!/usr/bin/env bash
# Clients nobody here wrote, against a live node: grpcurl (Go) lists the services through
# reflection and describes a method; Python grpcio asks the health service and reflection.
# Installs both tools if missing, starts a node on a free loopback port, stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

GRPCURL_VERSION=v1.9.3
GRPCIO_VERSION=1.85.1
GOBIN="${GOBIN:-$(go env GOPATH)/bin}"
GRPCURL="$GOBIN/grpcurl"

# `go install` builds carry no version string; the module version is in the binary's build info.
if ! go version -m "$GRPCURL" 2>/dev/null | grep -q "fullstorydev/grpcurl[[:space:]]*$GRPCURL_VERSION"; then
  echo "interop: installing grpcurl $GRPCURL_VERSION with go install"
  GOFLAGS=-mod=mod go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
fi
VENV="${AURIGRAPH_INTEROP_VENV:-$HOME/.cache/aurigraph/interop-venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import grpc_health.v1, grpc_reflection.v1alpha" 2>/dev/null; then
  echo "interop: installing Python grpcio $GRPCIO_VERSION with pip"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "grpcio==$GRPCIO_VERSION" "grpcio-health-checking==$GRPCIO_VERSION" "grpcio-reflection==$GRPCIO_VERSION"
fi

PORT="${AURIGRAPH_INTEROP_PORT:-$(node_modules/.bin/node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
DATA_DIR="$(mktemp -d)"
LOG="$DATA_DIR/node.log"
cleanup() {
  if [ -n "${NODE_PID:-}" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID"
    wait "$NODE_PID" || true
  fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

node_modules/.bin/node dist/src/cli/main.js start --profile dev --port "$PORT" --data-dir "$DATA_DIR/node" 2>"$LOG" &
NODE_PID=$!
ADDRESS="127.0.0.1:$PORT"

for _ in $(seq 1 60); do
  if "$GRPCURL" -plaintext -max-time 2 "$ADDRESS" list >/dev/null 2>&1; then break; fi
  if ! kill -0 "$NODE_PID" 2>/dev/null; then echo "interop: the node exited"; cat "$LOG"; exit 1; fi
  sleep 0.5
done

fail() { echo "interop: FAIL: $*"; echo "--- node log"; cat "$LOG"; exit 1; }

echo "interop: grpcurl list"
SERVICES="$("$GRPCURL" -plaintext "$ADDRESS" list)" || fail "grpcurl list"
echo "$SERVICES"
echo "$SERVICES" | grep -qx 'grpc.health.v1.Health' || fail "reflection does not list grpc.health.v1.Health"

echo "interop: grpcurl describe grpc.health.v1.Health.Check"
DESCRIBED="$("$GRPCURL" -plaintext "$ADDRESS" describe grpc.health.v1.Health.Check)" || fail "grpcurl describe"
echo "$DESCRIBED"
echo "$DESCRIBED" | grep -q 'rpc Check' || fail "grpcurl describe does not show rpc Check"
for service in $(echo "$SERVICES" | grep '^aurigraph\.'); do
  "$GRPCURL" -plaintext "$ADDRESS" describe "$service" >/dev/null || fail "grpcurl describe $service"
  echo "interop: described $service"
done

echo "interop: grpcurl health check"
"$GRPCURL" -plaintext -d '{"service": ""}' "$ADDRESS" grpc.health.v1.Health/Check | grep -q '"SERVING"' \
  || fail "grpcurl health is not SERVING"

echo "interop: Python grpcio health and reflection"
"$VENV/bin/python" - "$ADDRESS" "$SERVICES" <<'PY' || fail "Python grpcio"
import sys
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

address, expected = sys.argv[1], set(sys.argv[2].split())
with grpc.insecure_channel(address) as channel:
    health = health_pb2_grpc.HealthStub(channel)
    for service in [""] + sorted(s for s in expected if s.startswith("aurigraph.")):
        status = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
        assert status == health_pb2.HealthCheckResponse.SERVING, (service, status)
        print(f"python: health {service or '(server)'}: SERVING")
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    listed = {s.name for r in responses for s in r.list_services_response.service}
    assert expected <= listed, (expected - listed)
    print(f"python: reflection lists {len(listed)} services")
PY

echo "interop: SIGTERM drains the node"
kill -TERM "$NODE_PID"
code=0
wait "$NODE_PID" || code=$?
NODE_PID=
[ "$code" -eq 0 ] || fail "node exit code $code after SIGTERM"
echo "interop: every check passed"
