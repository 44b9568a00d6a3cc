#!/bin/sh
# sources.sh CACHE PACKAGE...: makes sure each Debian source package is unpacked under CACHE/src and
# prints one line per package: "PACKAGE VERSION DIRECTORY". Enables deb-src for the machine's own
# Debian mirrors if no deb-src entry exists yet (once; idempotent), and installs dpkg-dev, which
# apt-get source needs. A package already unpacked at the version chosen is not fetched again; when
# the newest version cannot be downloaded, the next older one apt knows is used.
set -eu
cache=$1
shift
mkdir -p "$cache/src"

# have_deb_src: whether apt already knows a deb-src entry, in either format Debian 12 uses.
have_deb_src() {
  grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list ||
    grep -qsE '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources
}

# enable_deb_src: a deb-src twin of every "deb" entry the machine has, in a file of our own.
enable_deb_src() {
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    # deb822 stanzas: copy each whose Types is exactly "deb", as deb-src.
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[[:space:]]*deb[[:space:]]*(\n|$)/ {
           sub(/Types:[[:space:]]*deb[[:space:]]*(\n|$)/, "Types: deb-src\n"); print }' \
      /etc/apt/sources.list.d/*.sources >/etc/apt/sources.list.d/safepoint-deb-src.sources
  fi
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list \
      >/etc/apt/sources.list.d/safepoint-deb-src.list
  fi
  apt-get update -qq
}

if ! have_deb_src; then
  echo "realworld: enabling deb-src entries (/etc/apt/sources.list.d/safepoint-deb-src.*)" >&2
  enable_deb_src
  have_deb_src || { echo "realworld: could not enable deb-src" >&2; exit 1; }
fi
command -v dpkg-source >/dev/null 2>&1 || apt-get install -y -qq dpkg-dev >&2

# fetch PACKAGE VERSION DIR: unpacks PACKAGE=VERSION into DIR; fails, leaving nothing, if apt
# cannot get it.
fetch() {
  rm -rf "$3" "$3.tmp"
  mkdir -p "$3.tmp"
  if ! (cd "$3.tmp" && apt-get source -qq "$1=$2" >&2); then
    rm -rf "$3.tmp"
    return 1
  fi
  tree=$(find "$3.tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  mv "$tree" "$3"
  rm -rf "$3.tmp"
  touch "$3/.unpacked"
}

# The newest version apt knows, or when its archive cannot be downloaded (a security update whose
# files the mirror does not serve, say) the next older one, and so on.
for package in "$@"; do
  versions=$(apt-cache showsrc "$package" | sed -n 's/^Version: //p' | sort -u -V -r)
  [ -n "$versions" ] || { echo "realworld: no source package $package (apt-get update?)" >&2; exit 1; }
  found=
  for version in $versions; do
    dir="$cache/src/${package}_$version"
    if [ -f "$dir/.unpacked" ] || fetch "$package" "$version" "$dir"; then
      found=$version
      break
    fi
    echo "realworld: $package $version could not be fetched; trying an older version" >&2
  done
  [ -n "$found" ] || { echo "realworld: no version of $package could be fetched" >&2; exit 1; }
  echo "$package $found $dir"
done
