#!/usr/bin/env bash
# Browser tests of the web interface: Debian's Chromium and chromedriver, driven by Selenium,
# against the real `medk serve` (started and stopped by the test). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

./scripts/setup.sh chromium chromium-driver fonts-dejavu-core
python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "selenium>=4.20,<5"
python3 -c "import selenium_axe_python" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "selenium-axe-python>=2.2,<3"
python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "openpyxl>=3.1,<4"

[ -x .build/debug/medk ] || swift build --product medk
python3 Tests/e2e/test_web_story.py
