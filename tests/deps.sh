#!/bin/sh
# tests/deps.sh - install the Debian packages named on the command line (make deps).
#
# Idempotent: when every package is already installed it says so and changes nothing;
# otherwise it runs `apt-get update` first, then installs what is missing, from Debian's
# mirror only. Must run as root (a user account runs `sudo make deps`).
set -eu
missing=""
for p in "$@"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
if [ -z "$missing" ]; then
	echo "deps: all $# Debian packages are installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root: sudo make deps" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
