#!/usr/bin/env bash
# Install the Debian packages named as arguments when any is missing.
# Usage: tools/ensure-apt-packages.sh [--optional] PACKAGE...
#   --optional: warn instead of failing when they cannot be installed (no root, no apt).
set -u
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
if [ "$sudo" = "none" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "listen: please install these system packages: ${missing[*]}" >&2
  [ $optional -eq 1 ] && exit 0 || exit 1
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  exit 0
fi
echo "listen: could not install: ${missing[*]}" >&2
[ $optional -eq 1 ] && exit 0 || exit 1
