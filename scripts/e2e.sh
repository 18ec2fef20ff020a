#!/usr/bin/env bash
# Browser tests of the web interface: Debian's Chromium and chromedriver, driven by Selenium,
# against the real `medk serve` (started and stopped by the test). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

missing=()
for package in chromium chromium-driver fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Устанавливаю пакеты Debian: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "selenium>=4.20,<5"

[ -x .build/debug/medk ] || swift build --product medk
python3 Tests/e2e/test_web_story.py
