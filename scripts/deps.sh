#!/bin/sh
# Installs what Broadsheet needs to build, run and test, from Debian's
# packages and the npm registry (pinned by package-lock.json). Idempotent and
# quiet when everything is present. Run as root on Debian 12.
set -eu

cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libh2o-evloop-dev libsqlite3-dev sqlite3 libcmark-gfm-dev libcmark-gfm-extensions-dev
libutf8proc-dev libsodium-dev libjansson-dev libcurl4-openssl-dev libssl-dev libxml2-dev
libvips-dev libwebp-dev libinih-dev libgmime-3.0-dev wordnet-base libcriterion-dev
chromium fonts-noto-cjk curl jq openssl glewlwyd python3-feedparser libxml2-utils
dict-freedict-eng-deu varnish varnish-modules"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages:$missing" >&2
		echo "deps: run 'make deps' as root, or install them with apt-get" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# services installed as a side effect (glewlwyd) must not start
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ -f package-lock.json ]; then
	stamp=node_modules/.lock-stamp
	if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
		echo "deps: npm ci"
		npm ci --no-audit --no-fund --loglevel=error
		cp package-lock.json "$stamp"
	fi
fi
