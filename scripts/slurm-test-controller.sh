#!/usr/bin/env bash
# slurm-test-controller.sh - run a throw-away Slurm controller (slurmctld only,
# no slurmd) on loopback so tests can exercise `scontrol show node`, `sinfo`,
# `squeue` and `sbatch --test-only` against declared (fake) GPU nodes.
#
# Usage:
#   slurm-test-controller.sh install
#       apt-get install slurm-wlm + munge if slurmctld is missing (CI helper).
#   slurm-test-controller.sh start DIR CONF_FRAGMENT [PORT]
#       DIR            scratch directory (created); holds slurm.conf, state, logs, pid.
#       CONF_FRAGMENT  file with NodeName=/PartitionName= lines (caller-written).
#       PORT           SlurmctldPort; default $SLURMCTLD_PORT, else the first
#                      free port from 6817 upwards.
#       On success prints `export SLURM_CONF=DIR/slurm.conf` on stdout.
#   slurm-test-controller.sh stop DIR
#       Stops the slurmctld started for DIR (pid file); munged is left running.
#
# How the "no slurmd" problem is solved (verified on Debian bookworm, Slurm 22.05.8):
#   * Nodes with a normal state (UNKNOWN/IDLE) are contacted by slurmctld right
#     after startup (REQUEST_NODE_REGISTRATION_STATUS). Without a slurmd they
#     become IDLE*/NOT_RESPONDING within ~15 s, and from then on EVERY
#     `sbatch --test-only` is refused with "Requested node configuration is not
#     available" - even valid ones. SlurmdTimeout=0, `scontrol update
#     state=idle|resume` or ReturnToService do not help (the flag comes back /
#     stays), and a name that does not resolve makes slurmctld drop the node.
#   * Nodes declared State=CLOUD start "powered down" (IDLE+CLOUD+POWERED_DOWN,
#     shown as idle~). slurmctld never pings powered-down nodes, never resolves
#     their names, and the scheduler treats them as available (it would power
#     them up on a real allocation), so --test-only answers correctly and stays
#     stable for as long as the controller runs. This script therefore appends
#     State=CLOUD to every NodeName line that does not set State= itself.
#   * PrivateData=cloud is required, otherwise powered-down cloud nodes are
#     hidden from scontrol/sinfo ("Node X not found", empty sinfo).
#   * No gres.conf is needed: slurmctld takes GRES counts from the NodeName
#     Gres= field; GresTypes=gpu is sufficient. (A gres.conf without File= is
#     ignored by slurmctld anyway: "Removing file-less GPU ... from final GRES list".)
set -euo pipefail

SBIN_PATH="/usr/sbin:/sbin"
export PATH="$PATH:$SBIN_PATH"

die() { echo "slurm-test-controller: $*" >&2; exit 1; }
log() { echo "slurm-test-controller: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
    else die "need root (or passwordless sudo) for: $*"
    fi
}

cmd_install() {
    if command -v slurmctld >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
        return 0
    fi
    log "installing slurm-wlm and munge via apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends slurm-wlm munge >/dev/null
    command -v slurmctld >/dev/null 2>&1 || die "slurmctld still missing after install"
}

munge_works() {
    # A round trip through the local socket proves a usable munged is running.
    command -v munge >/dev/null 2>&1 && command -v unmunge >/dev/null 2>&1 \
        && munge -n 2>/dev/null | unmunge >/dev/null 2>&1
}

ensure_munged() {
    if munge_works; then
        return 0                       # idempotent: reuse the running munged
    fi
    local key=/etc/munge/munge.key
    if [ ! -s "$key" ]; then
        log "creating $key"
        as_root mkdir -p /etc/munge
        if command -v mungekey >/dev/null 2>&1; then
            as_root mungekey --create --keyfile="$key" --force
        else
            as_root dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
        fi
        if id munge >/dev/null 2>&1; then as_root chown munge:munge "$key"; fi
        as_root chmod 0400 "$key"
    fi
    # The package creates /run/munge only via its systemd/init unit; containers
    # without an init system do not have it.
    as_root mkdir -p /run/munge /var/log/munge /var/lib/munge
    if id munge >/dev/null 2>&1; then
        as_root chown munge:munge /run/munge /var/log/munge /var/lib/munge
        as_root chmod 0755 /run/munge
        # Run as the munge user (owner of the key) the way the unit file does;
        # munged forks into the background by itself.
        as_root runuser -u munge -- munged
    else
        # No munge user: running as root needs --force.
        as_root munged --force
    fi
    local i
    for i in $(seq 1 50); do
        munge_works && return 0
        sleep 0.2
    done
    die "munged did not come up (see /var/log/munge/munged.log)"
}

port_in_use() {
    # bash /dev/tcp: connect succeeds => someone listens on the port.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local p
    if [ -n "${1:-}" ]; then
        port_in_use "$1" && die "port $1 is already in use"
        echo "$1"; return 0
    fi
    for p in $(seq 6817 6917); do
        if ! port_in_use "$p"; then echo "$p"; return 0; fi
    done
    die "no free port in 6817-6917"
}

# Rewrite the caller's fragment: every NodeName line (except NodeName=DEFAULT)
# without an explicit State= gets State=CLOUD (see header for why). Lines with an
# explicit non-CLOUD state are kept as the caller asked, but get NodeAddr=127.0.0.1
# if they have none, because slurmctld drops non-cloud nodes whose name does not
# resolve (after ~10 s of getaddrinfo retries per node).
rewrite_fragment() {
    local line lower
    while IFS= read -r line || [ -n "$line" ]; do
        lower=$(printf '%s' "$line" | tr '[:upper:]' '[:lower:]' | sed 's/^[[:space:]]*//')
        case "$lower" in
            nodename=default*) ;;
            nodename=*)
                if ! printf '%s' "$lower" | grep -Eq '(^|[[:space:]])state='; then
                    line="$line State=CLOUD"
                elif ! printf '%s' "$lower" | grep -Eq '(^|[[:space:]])state=cloud([[:space:]]|$)'; then
                    log "warning: node line keeps its own State= (not CLOUD); such nodes become NOT_RESPONDING and --test-only will reject them: $line"
                    if ! printf '%s' "$lower" | grep -Eq '(^|[[:space:]])(nodeaddr|nodehostname)='; then
                        line="$line NodeAddr=127.0.0.1"
                    fi
                fi
                ;;
        esac
        printf '%s\n' "$line"
    done
}

cmd_start() {
    [ $# -ge 2 ] || die "usage: start DIR CONF_FRAGMENT [PORT]"
    local dir=$1 frag=$2 want_port=${3:-${SLURMCTLD_PORT:-}}
    [ -r "$frag" ] || die "cannot read fragment $frag"
    command -v slurmctld >/dev/null 2>&1 || die "slurmctld not installed (run: $0 install)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)             # slurm.conf paths must be absolute
    local conf="$dir/slurm.conf" pidfile="$dir/slurmctld.pid"

    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        die "a slurmctld for $dir is already running (pid $(cat "$pidfile")); stop it first"
    fi

    ensure_munged
    local port; port=$(pick_port "$want_port")
    mkdir -p "$dir/state" "$dir/spool"

    {
        cat <<EOF
# Generated by slurm-test-controller.sh - controller-only test cluster.
ClusterName=gpupool-test
# "localhost" is special-cased by slurmctld (matches whatever the real hostname
# is), so this works in containers/CI runners with arbitrary hostnames.
SlurmctldHost=localhost
SlurmctldPort=$port
# Never contacted (no slurmd, cloud nodes are never pinged), but keep it off the
# default so a system slurmd on this host could not interfere.
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Everything below lives in DIR so nothing under /etc or /var is touched.
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SelectType=select/cons_tres
# Default for cons_tres, written out: cores and memory are consumable, so
# --mem/--ntasks-per-node beyond a node's RealMemory/CPUs are rejected.
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Avoid "Configured MailProg is invalid" (mailutils is not installed).
MailProg=/bin/true
# Without this, powered-down CLOUD nodes are invisible to scontrol/sinfo.
PrivateData=cloud
# Never declare nodes DOWN for not answering pings (there is no slurmd).
SlurmdTimeout=0
# Keep the power-save machinery off: cloud nodes stay "powered down" forever.
SuspendTime=INFINITE
# ---- caller fragment ($frag), NodeName lines defaulted to State=CLOUD ----
EOF
        rewrite_fragment <"$frag"
    } >"$conf"

    : >"$dir/slurmctld.log"
    # -c: start from a clean state even if DIR is reused (no old jobs/drains).
    SLURM_CONF="$conf" slurmctld -c -f "$conf" \
        || die "slurmctld failed to start; log: $dir/slurmctld.log"

    local i up=0
    for i in $(seq 1 150); do              # up to ~30 s
        if SLURM_CONF="$conf" scontrol ping 2>/dev/null | grep -q 'is UP'; then
            up=1; break
        fi
        if [ -s "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            break                          # daemon died
        fi
        sleep 0.2
    done
    if [ "$up" -ne 1 ]; then
        tail -n 30 "$dir/slurmctld.log" >&2 || true
        die "slurmctld did not answer scontrol ping"
    fi
    # Nodes are ready once the controller answers: CLOUD nodes are idle~ from
    # the start, so nothing has to be updated. Sanity check that they exist.
    if ! SLURM_CONF="$conf" scontrol -o show node >/dev/null 2>&1; then
        tail -n 30 "$dir/slurmctld.log" >&2 || true
        die "controller is up but reports no nodes; check the fragment"
    fi
    echo "export SLURM_CONF=$conf"
}

cmd_stop() {
    [ $# -ge 1 ] || die "usage: stop DIR"
    local pidfile="$1/slurmctld.pid" pid i
    [ -s "$pidfile" ] || { log "no pid file in $1; nothing to stop"; return 0; }
    pid=$(cat "$pidfile")
    if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$pidfile"; return 0
    fi
    kill -TERM "$pid"
    for i in $(seq 1 100); do            # up to ~20 s; it saves state on exit
        kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
        sleep 0.2
    done
    log "slurmctld $pid ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

case "${1:-}" in
    install) shift; cmd_install "$@" ;;
    start)   shift; cmd_start "$@" ;;
    stop)    shift; cmd_stop "$@" ;;
    *) die "usage: $0 {install | start DIR CONF_FRAGMENT [PORT] | stop DIR}" ;;
esac
