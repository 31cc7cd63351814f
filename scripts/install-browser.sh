#!/bin/sh
# Install what the browser tests need outside PyPI: Debian's chromium (and CJK fonts, so
# Chinese text in the screenshots is not boxes). Idempotent; never fails the build: where it
# cannot install, it says so and the browser tests skip with the reason.
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "CJK"; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: chromium or CJK fonts missing and cannot be installed here (need root and apt-get):"
    echo "      sudo apt-get install chromium fonts-noto-cjk   # or the browser tests will be skipped"
    exit 0
fi
echo "installing Debian's chromium and fonts-noto-cjk for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null 2>&1 \
        || echo "note: apt-get could not install chromium; the browser tests will be skipped"
fi
exit 0
