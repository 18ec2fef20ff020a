#!/usr/bin/env bash
# Installs the Debian packages MEDK needs to build and run, when they are missing, and any
# extra packages named as arguments (the browser tests name Chromium's).
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(libsqlite3-dev sqlite3 libpq-dev pkg-config tzdata libcurl4 ca-certificates "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Устанавливаю пакеты Debian: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "swift не в PATH: добавьте /opt/swift/usr/bin" >&2
  else
    echo "Не найден Swift 6.1+ (https://www.swift.org/install/linux/)." >&2
  fi
  exit 1
fi
