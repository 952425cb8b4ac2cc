#!/usr/bin/env bash
# Start, inspect and stop Quorum workers on other machines over ssh.
#
#   scripts/cluster.sh up      copy the binary and keys to every host, start its workers, print their status
#   scripts/cluster.sh status  print each worker's state and the last line of its log
#   scripts/cluster.sh down    stop every worker (SIGTERM: jobs are handed back to the coordinator)
#
# Hosts file (QUORUM_HOSTS, default deploy/hosts): one host per line, "HOST [WORKERS]", '#' comments.
# HOST is anything ssh accepts (user@name, an alias); WORKERS defaults to 1.
#
# Settings (environment):
#   QUORUM_CONNECT   the coordinator as workers reach it, e.g. tcp://10.0.0.5:5555 (required for up)
#   QUORUM_BINARY    the quorum executable to copy (default .build/release/quorum;
#                    build it with: swift build -c release --static-swift-stdlib)
#   QUORUM_KEYS      key folder (default deploy/keys): coordinator.pub, and per host HOST.key/.pub,
#                    made with 'quorum keygen' on first use; each HOST.pub is copied into QUORUM_KEYS/workers/
#                    for the coordinator's --authorized-keys
#   QUORUM_REMOTE    folder on the hosts (default .quorum under the remote user's home)
#   QUORUM_ARGS      extra worker flags (default "--threads 1")
#   SSH              ssh command (default "ssh -o BatchMode=yes")
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${QUORUM_HOSTS:-deploy/hosts}
BINARY=${QUORUM_BINARY:-.build/release/quorum}
KEYS=${QUORUM_KEYS:-deploy/keys}
REMOTE=${QUORUM_REMOTE:-.quorum}
ARGS=${QUORUM_ARGS:---threads 1}
SSH=${SSH:-ssh -o BatchMode=yes}
SCP=${SCP:-scp -q -p -o BatchMode=yes}

die() { echo "cluster.sh: $*" >&2; exit 1; }

hosts() {
    [ -f "$HOSTS" ] || die "no hosts file $HOSTS (set QUORUM_HOSTS)"
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$HOSTS"
}

# A file-name-safe label for a host (user@name -> user_name).
label() { echo "$1" | tr -c 'A-Za-z0-9._\n-' '_'; }

up() {
    [ -n "${QUORUM_CONNECT:-}" ] || die "set QUORUM_CONNECT to the coordinator's address, e.g. tcp://10.0.0.5:5555"
    [ -x "$BINARY" ] || die "no executable $BINARY (swift build -c release --static-swift-stdlib)"
    [ -f "$KEYS/coordinator.pub" ] || die "no $KEYS/coordinator.pub: run '$BINARY keygen --out $KEYS --name coordinator'"
    mkdir -p "$KEYS/workers"
    hosts | while read -r host count _; do
        count=${count:-1}
        name=$(label "$host")
        [ -f "$KEYS/$name.key" ] || "$BINARY" keygen --out "$KEYS" --name "$name" >/dev/null
        cp "$KEYS/$name.pub" "$KEYS/workers/$name.pub"
        $SSH "$host" "mkdir -p $REMOTE/keys $REMOTE/logs && chmod 700 $REMOTE/keys" </dev/null
        $SCP "$BINARY" "$host:$REMOTE/quorum" </dev/null
        $SCP "$KEYS/$name.key" "$host:$REMOTE/keys/worker.key" </dev/null
        $SCP "$KEYS/coordinator.pub" "$host:$REMOTE/keys/coordinator.pub" </dev/null
        # setsid + nohup: the workers outlive this ssh session; each pid goes to a file for status/down.
        $SSH "$host" "cd $REMOTE && chmod 600 keys/worker.key && for i in \$(seq 1 $count); do
            if [ -f worker-\$i.pid ] && kill -0 \$(cat worker-\$i.pid) 2>/dev/null; then continue; fi
            setsid nohup ./quorum worker --connect '$QUORUM_CONNECT' --curve-key keys/worker.key \
                --server-key keys/coordinator.pub --name \$(hostname)-\$i $ARGS >logs/worker-\$i.log 2>&1 </dev/null &
            echo \$! >worker-\$i.pid
        done" </dev/null
    done
    echo "worker keys are in $KEYS/workers: start the coordinator with --authorized-keys $KEYS/workers"
    sleep 2
    status
}

status() {
    hosts | while read -r host count _; do
        $SSH "$host" "cd $REMOTE 2>/dev/null || { echo '$host: not set up'; exit 0; }
            for f in worker-*.pid; do
                [ -f \"\$f\" ] || { echo '$host: no workers'; break; }
                i=\${f#worker-}; i=\${i%.pid}; pid=\$(cat \$f)
                if kill -0 \$pid 2>/dev/null; then state=running; else state=stopped; fi
                echo \"$host worker \$i (pid \$pid): \$state | \$(tail -n 1 logs/worker-\$i.log 2>/dev/null)\"
            done" </dev/null
    done
}

down() {
    hosts | while read -r host _; do
        $SSH "$host" "cd $REMOTE 2>/dev/null || exit 0
            for f in worker-*.pid; do
                [ -f \"\$f\" ] || continue
                pid=\$(cat \$f)
                if kill -0 \$pid 2>/dev/null; then
                    kill -TERM \$pid
                    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 \$pid 2>/dev/null || break; sleep 1; done
                    kill -0 \$pid 2>/dev/null && kill -KILL \$pid
                fi
                rm -f \"\$f\"
                echo '$host': stopped worker pid \$pid
            done" </dev/null
    done
}

case "${1:-}" in
    up) up ;;
    status) status ;;
    down) down ;;
    *) echo "usage: $0 up|status|down   (see the comments at the top of this file)" >&2; exit 2 ;;
esac
