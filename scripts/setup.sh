#!/usr/bin/env bash
# Installs the system packages Bounce builds against, only when something is missing.
# Safe to run repeatedly; used by scripts/bounce, scripts/test and .ci/run.
set -euo pipefail

packages=(libsndfile1-dev libsoxr-dev libsamplerate0-dev libebur128-dev libkissfft-dev libssl-dev pkg-config)
# `setup.sh --test` adds what the tests use as independent references (never needed to render): ffmpeg's
# ebur128 meter for the loudness cross-check.
if [ "${1:-}" = "--test" ]; then packages+=(ffmpeg); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bounce setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >&2
fi
command -v swift >/dev/null || { echo "bounce setup: Swift 6 is required (https://swift.org/install)" >&2; exit 1; }
