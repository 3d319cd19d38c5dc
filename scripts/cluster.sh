#!/usr/bin/env bash
# A 3-node Aurigraph cluster on loopback, from the profiles config/cluster-3/node-{1,2,3}.yaml
# (gRPC ports 9101, 9102, 9103). Each node runs in the background; its data, log and pid file
# live under ./data/cluster-3/ (override with AURIGRAPH_CLUSTER_DIR).
#
#   scripts/cluster.sh start     build if needed, start the three nodes, wait until each listens
#   scripts/cluster.sh stop      SIGTERM each node (it drains), SIGKILL after 30 s
#   scripts/cluster.sh status    pid and leader/term/commit of each node (aurigraph status)
#
# Extra flags for every node go in AURIGRAPH_CLUSTER_ARGS, e.g.
#   AURIGRAPH_CLUSTER_ARGS="--set raft.stateMachine=digest" scripts/cluster.sh start
set -euo pipefail
cd "$(dirname "$0")/.."

NODE=node_modules/.bin/node
CLI=dist/src/cli/main.js
DIR="${AURIGRAPH_CLUSTER_DIR:-./data/cluster-3}"
NODES=(node-1 node-2 node-3)
PORTS=(9101 9102 9103)

pid_of() { cat "$DIR/$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start() {
  [ -f "$CLI" ] || node_modules/.bin/tsc -p tsconfig.json >/dev/null || true
  mkdir -p "$DIR"
  for i in 0 1 2; do
    local name="${NODES[$i]}"
    if running "$name"; then echo "$name already running (pid $(pid_of "$name"))"; continue; fi
    # shellcheck disable=SC2086 # AURIGRAPH_CLUSTER_ARGS holds several flags on purpose.
    "$NODE" "$CLI" start --profile "cluster-3/$name" --data-dir "$DIR/$name" ${AURIGRAPH_CLUSTER_ARGS:-} \
      >>"$DIR/$name.log" 2>&1 &
    echo $! >"$DIR/$name.pid"
    echo "$name starting (pid $!, port ${PORTS[$i]}, log $DIR/$name.log)"
  done
  for i in 0 1 2; do
    local name="${NODES[$i]}" waited=0
    until "$NODE" -e "const s=require('net').connect(${PORTS[$i]},'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))" 2>/dev/null; do
      if ! running "$name"; then echo "$name exited; see $DIR/$name.log" >&2; tail -5 "$DIR/$name.log" >&2; exit 1; fi
      waited=$((waited + 1))
      if [ "$waited" -gt 120 ]; then echo "$name does not listen on ${PORTS[$i]} after 60 s" >&2; exit 1; fi
      sleep 0.5
    done
    echo "$name listening on 127.0.0.1:${PORTS[$i]}"
  done
}

stop() {
  for name in "${NODES[@]}"; do
    if ! running "$name"; then rm -f "$DIR/$name.pid"; continue; fi
    local pid; pid="$(pid_of "$name")"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name did not drain in 30 s; SIGKILL"; kill -KILL "$pid"; fi
    rm -f "$DIR/$name.pid"
    echo "$name stopped"
  done
}

# One line from ConsensusService.GetNodeState: role, term, leader, commit and applied index.
node_state() {
  "$NODE" --input-type=module -e "
    import { createClient } from './dist/src/client/index.js';
    const roles = ['unspecified', 'follower', 'pre-candidate', 'candidate', 'leader', 'learner'];
    const client = createClient('$1', { deadlineMs: 3000 });
    try {
      const s = await client.consensus.getNodeState({});
      console.log(roles[s.role] + ', term ' + s.term + ', leader ' + (s.leaderId || 'none') + ', commit ' + s.commitIndex + ', applied ' + s.appliedIndex);
    } catch (error) {
      console.log('no answer: ' + error.message);
    } finally {
      client.close();
    }" 2>&1
}

status() {
  for i in 0 1 2; do
    local name="${NODES[$i]}"
    if running "$name"; then
      echo "$name: running (pid $(pid_of "$name")), 127.0.0.1:${PORTS[$i]}: $(node_state "127.0.0.1:${PORTS[$i]}")"
    else
      echo "$name: not running"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
