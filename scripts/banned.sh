#!/bin/sh
# Refuses calls we never use (curl's checksrc idea): unbounded copies, printf
# into fixed buffers, non-reentrant tokenisers, atoi's silent failures, and SQL
# built with printf.
set -eu
cd "$(dirname "$0")/.."
bad=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(' -r src tests/unit tests/fuzz || true)
sql=$(grep -nE 'printf\([^)]*"\s*(SELECT|INSERT|UPDATE|DELETE)\b' -r src || true)
if [ -n "$bad$sql" ]; then
	echo "banned: these calls are not allowed (use buf_*, snprintf, strtol with checks, prepared statements):" >&2
	printf '%s\n%s\n' "$bad" "$sql" | sed '/^$/d' >&2
	exit 1
fi
echo "banned: no banned calls"
