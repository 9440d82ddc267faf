#!/usr/bin/env bash
# A single-node Slurm cluster on this host, for tests and for trying the job array locally:
#   scripts/slurm/local-cluster.sh start   # installs slurm-wlm and munge when missing, starts munged, slurmctld, slurmd
#   scripts/slurm/local-cluster.sh stop
#   scripts/slurm/local-cluster.sh install # only the packages (scripts/test.sh)
# Everything lives under $RALLY_SLURM_DIR (default /tmp/rally-slurm); runs as root (CI and these
# machines) without systemd: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
# SelectType=select/cons_tres. Prints where it failed and the daemons' logs when it cannot start.
set -euo pipefail
dir=${RALLY_SLURM_DIR:-/tmp/rally-slurm}
host=$(hostname -s)

install() {
    command -v slurmctld >/dev/null && command -v munged >/dev/null && return
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge >/dev/null
}

stop() {
    local pids=()
    for d in slurmd slurmctld munged; do
        [ -f "$dir/$d.pid" ] && pids+=("$(cat "$dir/$d.pid")")
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 20); do
        kill -0 "${pids[@]}" 2>/dev/null || break
        sleep 0.25
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
    rm -f "$dir"/*.pid
}

# Runs a daemon with none of our file descriptors: no terminal, no pipe of a caller (who may
# read our output to its end), nothing but /dev/null and its log.
detached() {
    local log=$1; shift
    (
        for fd in $(ls /proc/$BASHPID/fd); do
            [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
        done
        exec "$@" </dev/null >>"$log" 2>&1
    )
}

# Fails, naming the process, when another cluster holds our ports.
check_ports() {
    local busy
    busy=$(ss -ltnp 2>/dev/null | grep -E ':1681[78] ' || true)
    if [ -n "$busy" ]; then
        echo "local-cluster: ports 16817/16818 are taken (another Slurm running?): $busy" >&2
        return 1
    fi
}

start() {
    install
    stop
    check_ports
    rm -rf "$dir/state" "$dir/spool"   # a fresh cluster: no jobs recovered from an earlier run
    mkdir -p "$dir"/{state,spool,log,munge}
    chmod 711 "$dir/munge"
    # munge: a key of our own, a socket of our own
    if [ ! -f "$dir/munge/munge.key" ]; then dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; fi
    chmod 400 "$dir/munge/munge.key"
    detached "$dir/log/munged.out" munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed"
    local cpus mem
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
    cat > "$dir/slurm.conf" <<CONF
ClusterName=rally
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
    export SLURM_CONF="$dir/slurm.conf"
    detached "$dir/log/slurmctld.out" slurmctld -f "$SLURM_CONF"
    detached "$dir/log/slurmd.out" slurmd -f "$SLURM_CONF"
    for _ in $(seq 1 60); do
        if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
            echo "local-cluster: up (SLURM_CONF=$SLURM_CONF, node $host, $cpus CPUs)"
            return 0
        fi
        sleep 1
    done
    echo "local-cluster: the node did not become idle within 60 s" >&2
    sinfo >&2 || true
    tail -n 20 "$dir"/log/*.log >&2 || true
    return 1
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
