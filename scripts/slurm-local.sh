#!/usr/bin/env bash
# A one-node Slurm cluster in a temporary folder, for the tests and for trying packaging/slurm/ on one machine.
#
#   scripts/slurm-local.sh start [DIR]   # prints the folder; then: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh status DIR    # sinfo + squeue
#   scripts/slurm-local.sh stop DIR      # cancels jobs, stops every daemon and job it started, removes DIR
#
# Needs root (slurmd runs jobs as their user, so it must be root) and Debian's slurm-wlm and munge
# (scripts/system-packages.txt). Everything lives under DIR: its own munged (key, socket), slurmctld and
# slurmd on private ports (SLURM_LOCAL_PORT, default: a free one from 20000-39999, and the next), state and
# spool folders and logs — no system file is read or written, so it runs beside a real cluster's daemons.
# The node is this host with all its CPUs and 90 % of its memory: select/cons_tres (CPUs and memory are
# the consumable resources), proctrack/linuxproc and task/none (no cgroups needed, so it runs in
# containers too). Every process it starts carries DESKPILOT_SLURM_LOCAL=DIR in its environment; `stop`
# ends those (and only those) by pid and checks that none is left.
set -euo pipefail

die() { echo "slurm-local: $*" >&2; exit "${2:-3}"; }

# Pids of the processes started for DIR: the daemons carry the marker in their environment (slurmd passes
# its environment on to slurmstepd); the jobs carry SLURM_CONF=DIR/slurm.conf (sbatch exports the
# submitter's). This shell and its ancestors (a test script that exported SLURM_CONF) are never listed.
pids_of() {
  local marker="DESKPILOT_SLURM_LOCAL=$1" conf="SLURM_CONF=$1/slurm.conf" pid env
  local -A mine=()
  pid=$BASHPID
  while [[ -n "$pid" && "$pid" != 0 ]]; do
    mine[$pid]=1
    pid="$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
  done
  mine[$$]=1
  for env in /proc/[0-9]*/environ; do
    pid="${env#/proc/}"; pid="${pid%/environ}"
    [[ -n "${mine[$pid]:-}" ]] && continue
    if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qxF -e "$marker" -e "$conf"; then echo "$pid"; fi
  done
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 19999))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
      echo "$p"; return
    fi
  done
  die "no free port pair found"
}

# Waits up to $2 seconds for command $1 to succeed.
wait_for() {
  local what="$1" limit="$2" i
  for ((i = 0; i < limit * 5; i++)); do
    if eval "$what" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

start() {
  [[ $(id -u) -eq 0 ]] || die "needs root: slurmd must be root to run jobs"
  for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$tool" >/dev/null || die "$tool not found: install slurm-wlm and munge (scripts/setup.sh)"
  done
  local dir="${1:-}"
  if [[ -z "$dir" ]]; then dir="$(mktemp -d /tmp/deskpilot-slurm.XXXXXX)"; else mkdir -p "$dir"; fi
  dir="$(cd "$dir" && pwd)"
  [[ -e "$dir/slurm.conf" ]] && die "$dir already holds a cluster (stop it first)" 2
  chmod 0755 "$dir"
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 0700 "$dir/munge"
  export DESKPILOT_SLURM_LOCAL="$dir"
  local port="${SLURM_LOCAL_PORT:-$(free_port)}" host cpus mem
  host="$(hostname -s)"
  cpus="$(nproc)"
  mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))

  mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null 2>&1 \
    || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    || die "munged did not start (see $dir/log/munged.log)"
  wait_for "[[ -S '$dir/munge/munge.socket' ]]" 10 || die "munged made no socket (see $dir/log/munged.log)"

  cat >"$dir/slurm.conf" <<EOF
# A one-node cluster made by deskpilot's scripts/slurm-local.sh; everything under $dir.
ClusterName=deskpilot-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
ReturnToService=2
KillWait=10
MinJobAge=300
SlurmdTimeout=60
InactiveLimit=0
PlugStackConfig=$dir/plugstack.conf
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  : >"$dir/plugstack.conf"
  echo "$dir/slurm.conf" >"$dir/SLURM_CONF"
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -c -f "$SLURM_CONF" || die "slurmctld did not start (see $dir/log/slurmctld.log)"
  slurmd -f "$SLURM_CONF" || die "slurmd did not start (see $dir/log/slurmd.log)"
  if ! wait_for "sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)'" 60; then
    sinfo -N -l >&2 || true
    tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    stop "$dir" >/dev/null 2>&1 || true
    die "the node did not come up within 60 s"
  fi
  echo "$dir"
}

stop() {
  local dir="${1:-}"
  [[ -n "$dir" && -f "$dir/slurm.conf" ]] || die "stop DIR: DIR must be a folder made by 'slurm-local.sh start'" 2
  dir="$(cd "$dir" && pwd)"
  export SLURM_CONF="$dir/slurm.conf"
  # Jobs first (their steps end through slurmstepd), then the daemons, then munged.
  if [[ -f "$dir/slurmctld.pid" ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    scancel --full --quiet --user=root 2>/dev/null || true
    wait_for "[[ -z \"\$(squeue -h -o %i 2>/dev/null)\" ]]" 20 || true
    scontrol shutdown >/dev/null 2>&1 || true
  fi
  local pidfile pid
  for pidfile in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    wait_for "! kill -0 $pid" 15 || kill -TERM "$pid" 2>/dev/null || true
  done
  [[ -f "$dir/munge/munged.pid" ]] && kill -TERM "$(cat "$dir/munge/munged.pid")" 2>/dev/null || true
  # Whatever is left that we started (a stuck slurmstepd, a job's child): TERM, then KILL.
  local left
  left="$(pids_of "$dir")"
  if [[ -n "$left" ]]; then
    kill -TERM $left 2>/dev/null || true
    wait_for "[[ -z \"\$(pids_of '$dir')\" ]]" 10 || { left="$(pids_of "$dir")"; [[ -n "$left" ]] && kill -KILL $left 2>/dev/null || true; }
  fi
  wait_for "[[ -z \"\$(pids_of '$dir')\" ]]" 10 || die "processes of $dir still running: $(pids_of "$dir" | tr '\n' ' ')"
  if [[ "${SLURM_LOCAL_KEEP:-0}" != 1 ]]; then rm -rf "$dir"; fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status)
    [[ -f "${2:-}/slurm.conf" ]] || die "status DIR: no cluster in '${2:-}'" 2
    export SLURM_CONF="$2/slurm.conf"; sinfo; squeue ;;
  pids) pids_of "$(cd "${2:?}" && pwd)" ;;
  *) echo "usage: $0 start [DIR] | status DIR | stop DIR" >&2; exit 2 ;;
esac
