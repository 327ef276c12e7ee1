#!/usr/bin/env bash
# Install what the browser tests (tests/e2e) need from Debian's packages if it is missing: Chromium
# (Playwright drives /usr/bin/chromium; it never downloads a browser of its own) and the Noto CJK
# fonts, so that Japanese pages render with real glyphs. Never fails by itself, like services.sh:
# the tests skip without Chromium on a laptop and fail under CI=true (tests/e2e/conftest.py).
set -u

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  echo "browser: chromium and fonts-noto-cjk present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "browser: missing ${missing[*]}; install them (sudo apt-get install ${missing[*]}) to run tests/e2e"
  exit 0
fi
echo "browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || echo "browser: apt-get install failed"
[ -x /usr/bin/chromium ] && echo "browser: $(/usr/bin/chromium --version 2>/dev/null)" || echo "browser: chromium not available"
exit 0
