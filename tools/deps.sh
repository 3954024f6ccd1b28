#!/bin/sh
# Install the Debian packages libbill needs to build, test and benchmark,
# but only those that are missing: a second run does nothing.
set -e
PKGS="build-essential pkg-config libgmp-dev uuid-dev libsqlite3-dev sqlite3 swig python3 python3-dev \
python3-pytest python3-hypothesis libpython3.11-testsuite openjdk-17-jdk-headless junit5 clang"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
