#!/bin/sh
# Benchmark: Broadsheet against nginx serving the same bytes, in one run.
#
#   sh bench/run.sh            (or: make bench)
#
# Starts broadsheet on a fresh demo paper, saves the bytes of one article
# page and of the front page, serves those files from nginx with the same
# number of worker processes, and runs wrk against each. Prints requests/s,
# p99 latency and the ratio ours/nginx. Installs nginx and wrk from Debian
# when they are missing (as root).
set -eu
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-$(nproc)}
BIN=${BROADSHEET_BIN:-build/broadsheet}
PORT_US=${PORT_US:-18080}
PORT_NGINX=${PORT_NGINX:-18081}

need=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
if [ -n "$need" ]; then
	echo "bench: installing$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$BIN" ] || { echo "bench: build first (make)" >&2; exit 1; }

work=$(mktemp -d /tmp/broadsheet-bench.XXXXXX)
cleanup() {
	[ -n "${us_pid:-}" ] && kill "$us_pid" 2>/dev/null || true
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/data"
"$BIN" serve --db "$work/data/bench.db" --listen "127.0.0.1:$PORT_US" --web web \
	--threads "$THREADS" --config /dev/null >"$work/us.log" 2>&1 &
us_pid=$!
for i in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$PORT_US/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

base="http://127.0.0.1:$PORT_US"
article=$(curl -sf "$base/" | grep -o 'href="/article/[^"]*"' | head -n 1 | sed 's/href="//; s/"$//')
[ -n "$article" ] || { echo "bench: no article on the front page" >&2; exit 1; }
mkdir -p "$work/www/article" "$work/www/front"
curl -sf "$base$article" -o "$work/www/article/index.html"
curl -sf "$base/" -o "$work/www/front/index.html"

cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    default_type text/html;
    server {
        listen 127.0.0.1:$PORT_NGINX;
        root $work/www;
        location = /article { try_files /article/index.html =404; }
        location = /front { try_files /front/index.html =404; }
    }
}
CONF
"$NGINX" -p "$work" -c "$work/nginx.conf"
sleep 0.3

run() { # url -> "rps p99"
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency "$1" 2>/dev/null |
		awk '/^Requests\/sec:/ { rps = $2 } / 99% / { p99 = $2 } END { print rps, p99 }'
}

echo "bench: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per run"
echo "bench: article $article ($(wc -c <"$work/www/article/index.html") bytes)"
# the access log is on by default; turn it off for both sides to compare serving
kill "$us_pid"; wait "$us_pid" 2>/dev/null || true
printf '[server]\naccess_log = off\n' >"$work/bench.ini"
"$BIN" serve --db "$work/data/bench.db" --listen "127.0.0.1:$PORT_US" --web web \
	--threads "$THREADS" --config "$work/bench.ini" >"$work/us.log" 2>&1 &
us_pid=$!
for i in $(seq 1 100); do
	curl -sf "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -sf "$base$article" -o /dev/null
curl -sf "$base/" -o /dev/null

# Rounds alternate between the two servers so that other load on the
# machine falls on both alike; each figure is the median of the rounds.
ROUNDS=${ROUNDS:-3}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for round in $(seq 1 "$ROUNDS"); do
	run "$base$article" >>"$work/ua"
	run "http://127.0.0.1:$PORT_NGINX/article" >>"$work/na"
	run "$base/" >>"$work/uf"
	run "http://127.0.0.1:$PORT_NGINX/front" >>"$work/nf"
done
rps() { awk '{ print $1 }' "$work/$1" | median; }
p99() { awk '{ v = $2; if (v ~ /ms$/) v += 0; else if (v ~ /us$/) v = v / 1000; else if (v ~ /s$/) v = v * 1000; print v }' "$work/$1" | median; }

printf '%-22s %12s %12s\n' "target" "requests/s" "p99 (ms)"
printf '%-22s %12s %12s\n' "broadsheet article" "$(rps ua)" "$(p99 ua)"
printf '%-22s %12s %12s\n' "nginx article" "$(rps na)" "$(p99 na)"
printf '%-22s %12s %12s\n' "broadsheet front" "$(rps uf)" "$(p99 uf)"
printf '%-22s %12s %12s\n' "nginx front" "$(rps nf)" "$(p99 nf)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "ratio article (ours/nginx): $(ratio "$(rps ua)" "$(rps na)")   ($ROUNDS alternating rounds, medians)"
echo "ratio front   (ours/nginx): $(ratio "$(rps uf)" "$(rps nf)")"
