#!/usr/bin/env bash
# Installs the Debian packages hotfix-audit needs, if any is missing.
# Usage: scripts/setup.sh [--tests | --fuzz]   (--tests adds what the test suite
# uses; --fuzz adds clang for the fuzz targets and the sanitizer build)
set -euo pipefail

# nettle-dev: digests (core/digest.h).
# libewf-dev, libvhdi-dev, libqcow-dev, zlib1g-dev: the disk-image containers (image/).
packages=(cmake g++ make pkg-config
  liblief-dev libpugixml-dev libcli11-dev libhivex-dev nlohmann-json3-dev libfmt-dev libtsk-dev
  libewf-dev libvhdi-dev libqcow-dev nettle-dev zlib1g-dev)
if [[ "${1:-}" == "--tests" ]]; then
  # googletest: the suite; libxml2-utils: xmllint checks builtin.xml against the XSD;
  # wine64 + python3-pefile: inspect is cross-checked against pefile on wine's PE files;
  # chromium: the HTML report is opened in headless Chromium (tests/fleet_test.cpp).
  # dosfstools + mtools (FAT16), ntfs-3g + ntfs-3g-dev (NTFS, no mount), fdisk (sfdisk),
  # qemu-utils (VMDK, VHD), ewf-tools (E01), e2fsprogs (a Linux partition beside them):
  # the disk images of the scenarios. parallel (GNU): the README's shard recipe
  # is run as written (tests/fleet_test.cpp). dpkg-dev (dpkg-shlibdeps for cpack's
  # .deb), man-db and bsdextrautils (col): the package test (tests/package_test.cpp).
  packages+=(googletest libgtest-dev libxml2-utils python3 python3-pefile wine64 chromium
    dosfstools mtools ntfs-3g ntfs-3g-dev fdisk qemu-utils ewf-tools e2fsprogs parallel dpkg-dev man-db
    bsdextrautils poppler-utils python3-jsonschema)
elif [[ "${1:-}" == "--fuzz" ]]; then
  # clang with its runtime libraries: libFuzzer, AddressSanitizer, UBSan; the
  # tools that write the disk-image target's seeds (fuzz/make_seeds.cpp).
  packages+=(clang libclang-rt-dev googletest libgtest-dev dosfstools mtools qemu-utils ewf-tools)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
