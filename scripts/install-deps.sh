#!/bin/sh
# install-deps.sh: installs the Debian 12 packages Safepoint builds, tests and demos with (dpkg-dev,
# make and Tcl build the Debian source packages of test/realworld). Installs only what is missing,
# so a second run costs a few dpkg queries. Needs root (apt-get).
set -eu

packages="clang-19 llvm-19 llvm-19-dev llvm-19-tools libclang-19-dev cmake ninja-build python3
          libclang-rt-19-dev lld-19 libgtest-dev libgmock-dev libbenchmark-dev valgrind
          dpkg-dev make tcl8.6 tcl8.6-dev"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps.sh: these packages are missing and installing them needs root:$missing" >&2
    exit 1
  fi
  echo "install-deps.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086 # the list is meant to split into words
  apt-get install -y -q --no-install-recommends $missing
fi
