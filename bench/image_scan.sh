#!/usr/bin/env bash
# Scanning a disk image against scanning the folder it was made from, side by
# side: the demo scenario as a folder, a FAT16 and an NTFS file system, and
# the FAT16 disk as E01, VMDK and VHD. Runs are interleaved (one of each per
# round) so that a busy machine slows them alike; prints the mean time per
# scan, its ratio to the folder's, and the peak memory (GNU time, when there).
# Usage: bench/image_scan.sh [ROUNDS]   (after scripts/build.sh and setup.sh --tests)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
bin=build/hotfix-audit
export PATH="$PATH:/usr/sbin:/sbin" TZ=UTC MTOOLS_SKIP_CHECK=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build/testdata/make-fixtures "$work" demo
mkfs.fat -F 16 -s 1 -n NTSYSTEM -C "$work/fat16.img" 8192 >/dev/null
(cd "$work/demo" && mcopy -s -m -Q -i "$work/fat16.img" ./* ::/)
truncate -s 8M "$work/ntfs.img"
mkntfs -F -Q -q "$work/ntfs.img" >/dev/null 2>&1
build/testdata/ntfs-populate "$work/ntfs.img" "$work/demo"
qemu-img convert -f raw -O vmdk "$work/fat16.img" "$work/fat16.vmdk"
qemu-img convert -f raw -O vpc "$work/fat16.img" "$work/fat16.vhd"
ewfacquire -u -q -c deflate:fast -t "$work/fat16" "$work/fat16.img" >/dev/null

roots=(demo fat16.img ntfs.img fat16.E01 fat16.vmdk fat16.vhd)
declare -A total
for r in "${roots[@]}"; do total[$r]=0; done
for ((i = 0; i < rounds; i++)); do
  for r in "${roots[@]}"; do
    start=$(date +%s%N)
    "$bin" scan --format json "$work/$r" >/dev/null || [[ $? -eq 1 ]]
    total[$r]=$((total[$r] + $(date +%s%N) - start))
  done
done

base=${total[demo]}
printf '%-12s %10s %8s %10s\n' root ms/scan ratio peak-KiB
for r in "${roots[@]}"; do
  rss=-
  if [[ -x /usr/bin/time ]]; then
    rss=$( (/usr/bin/time -f '%M' "$bin" scan "$work/$r" 2>&1 >/dev/null || true) | tail -1)
  fi
  awk -v r="$r" -v t="${total[$r]}" -v b="$base" -v n="$rounds" -v m="$rss" \
    'BEGIN { printf "%-12s %10.1f %8.2f %10s\n", r, t / n / 1e6, t / b, m }'
done
