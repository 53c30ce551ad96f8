#!/bin/sh
# Write each unit's cgroup memory use and limit as Prometheus text for
# node-exporter's textfile collector:
#   unit-memory.sh CGROUP_ROOT OUT_FILE UNIT...
# CGROUP_ROOT is the cgroup2 mount (/sys/fs/cgroup on NixOS); a unit's cgroup
# is CGROUP_ROOT/system.slice/UNIT.service. memory.max is what MemoryMax= set
# ("max" when unlimited, reported as +Inf). A unit that is not running has no
# cgroup and is left out: its panel shows a gap, not a zero.
# The file is replaced atomically (temp file + rename), so node-exporter never
# reads half of it. Metric names: aistack/common/metric_names.py.
set -eu

if [ "$#" -lt 2 ]; then
  echo "usage: $0 CGROUP_ROOT OUT_FILE UNIT..." >&2
  exit 64
fi
root=$1
out=$2
shift 2

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT

emit() {
  # emit METRIC FILE HELP UNIT...
  metric=$1
  file=$2
  help=$3
  shift 3
  printf '# HELP %s %s\n# TYPE %s gauge\n' "$metric" "$help" "$metric"
  for unit in "$@"; do
    path="$root/system.slice/$unit.service/$file"
    [ -r "$path" ] || continue
    value=$(cat "$path")
    [ "$value" = max ] && value=+Inf
    printf '%s{unit="%s"} %s\n' "$metric" "$unit" "$value"
  done
}

{
  emit aistack_unit_memory_current_bytes memory.current \
    "Memory charged to the unit's cgroup (memory.current)" "$@"
  emit aistack_unit_memory_max_bytes memory.max \
    "The unit's cgroup memory limit (memory.max, MemoryMax=); +Inf when unlimited" "$@"
} >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
