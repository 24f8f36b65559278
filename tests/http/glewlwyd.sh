#!/usr/bin/env bash
# glewlwyd.sh - a throw-away Glewlwyd OpenID Connect provider on loopback for
# Broadsheet's sign-in tests (tests/http/signin-oidc.test.mjs). Adapted from the
# team's notes (shared/notes/glewlwyd-oidc-demo.sh): it always stops after the set-up,
# prints OIDC_* settings on stdout and serves until SIGTERM.
#
# What it does, from nothing, in a fresh temporary folder:
#   1. creates a SQLite database from the schema shipped by the Debian package,
#   2. writes a config and starts glewlwyd in the foreground (background job, PID kept),
#   3. configures it via the admin REST API: OIDC plugin "oidc" (RS256, JWKS published,
#      PKCE allowed), scopes profile/email, a user, a confidential client,
#   4. runs discovery -> authorize -> password login -> grant -> code -> token
#      (code_verifier + client secret) -> JWKS signature check -> claims -> userinfo,
#   5. stops glewlwyd by its PID and deletes the folder (KEEP=1 keeps it).
# Exits non-zero on the first failure. Needs: glewlwyd curl jq openssl sqlite3
# (installed with apt-get when missing and run as root).
#
# Knobs (environment): OIDC_USER OIDC_PASSWORD CLIENT_ID CLIENT_SECRET
#   APP_PORT (port in the redirect URI; nothing needs to listen there)
#   WORKROOT (parent of the temp folder, default $TMPDIR or /tmp)  KEEP=1
#   SERVE=1: stop after step 3, print OIDC_* settings on stdout, keep serving until
#            SIGTERM/SIGINT (for an app test that drives the flow itself)
set -euo pipefail

OIDC_USER=${OIDC_USER:-alice}
OIDC_PASSWORD=${OIDC_PASSWORD:-alice-Secret-123}
CLIENT_ID=${CLIENT_ID:-webapp}
CLIENT_SECRET=${CLIENT_SECRET:-webapp-Secret-456}
WORKROOT=${WORKROOT:-${TMPDIR:-/tmp}}
KEEP=${KEEP:-0}
SCOPES="openid profile email"

GW_PID=""
DIR=""
T_BEGIN=$(date +%s%N)

log()  { printf '== %s\n' "$*" >&2; }
die()  {
  printf 'FAIL: %s\n' "$*" >&2
  if [ -n "$DIR" ] && [ -f "$DIR/glewlwyd.log" ]; then
    printf -- '--- last lines of glewlwyd.log ---\n' >&2; tail -n 15 "$DIR/glewlwyd.log" >&2
  fi
  exit 1
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

cleanup() {
  local rc=$?
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null || true          # SIGTERM: glewlwyd shuts down cleanly
    for _ in $(seq 1 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$GW_PID" 2>/dev/null; then kill -9 "$GW_PID" 2>/dev/null || true; fi
    wait "$GW_PID" 2>/dev/null || true
    log "glewlwyd (pid $GW_PID) stopped"
  fi
  if [ -n "$DIR" ] && [ -d "$DIR" ]; then
    if [ "$KEEP" = 1 ]; then log "kept $DIR"; else rm -rf "$DIR"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- prerequisites ----------
missing=""
for c in glewlwyd curl jq openssl sqlite3; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing:$missing (apt-get install glewlwyd curl jq openssl sqlite3)"
  fi
  log "installing:$missing"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null; } \
    || die "apt-get install failed"
fi
SCHEMA=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3      # same as init.sqlite3.sql minus DROPs
SCHEMA_DOC=/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz
[ -r "$SCHEMA" ] || [ -r "$SCHEMA_DOC" ] || die "glewlwyd SQLite schema not found"

# ---------- helpers ----------
b64url()        { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_decode() { local s; s=$(printf '%s' "$1" | tr '_-' '/+')
                  case $(( ${#s} % 4 )) in 2) s="$s==";; 3) s="$s=";; esac
                  printf '%s' "$s" | base64 -d; }
urlenc()        { jq -rn --arg s "$1" '$s|@uri'; }
urldec()        { local s="${1//+/ }"; printf '%b' "${s//%/\\x}"; }
qparam()        { local q="${1#*\?}"; q="${q%%#*}"; printf '%s\n' "$q" | tr '&' '\n' | sed -n "s/^$2=//p" | head -n 1; }
port_in_use()   { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port()     { local p; for _ in $(seq 1 50); do p=$(( 20000 + RANDOM % 40000 )); port_in_use "$p" || { echo "$p"; return 0; }; done; return 1; }

# http METHOD URL JAR [JSON]  -> body in $DIR/resp, status echoed
http() {
  local m=$1 url=$2 jar=$3 body=${4:-}
  local args=(-sS -o "$DIR/resp" -w '%{http_code}' -X "$m" -b "$jar" -c "$jar")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$url"
}
# admin METHOD PATH JSON : must answer 200
admin() {
  local code; code=$(http "$1" "$API$2" "$DIR/admin.jar" "${3:-}")
  [ "$code" = 200 ] || die "admin $1 $2 -> HTTP $code $(cat "$DIR/resp")"
}

# ---------- 1. database + config + start ----------
mkdir -p "$WORKROOT"
DIR=$(mktemp -d "$WORKROOT/glewlwyd-oidc.XXXXXX")
log "work folder $DIR"
{ echo 'BEGIN;'; if [ -r "$SCHEMA" ]; then cat "$SCHEMA"; else zcat "$SCHEMA_DOC"; fi; echo 'COMMIT;'; } \
  | sqlite3 -bail "$DIR/glewlwyd.db" || die "schema load failed"     # one transaction: ~10 ms instead of ~0.5 s
# the schema creates user admin / password "password" with scopes g_admin g_profile

start_glewlwyd() {   # writes config for $PORT, starts, waits until /config answers
  cat > "$DIR/glewlwyd.conf" <<EOF
port=$PORT
bind_address="127.0.0.1"
external_url="http://127.0.0.1:$PORT"
login_url="login.html"
api_prefix="api"
log_mode="console"
log_level="INFO"
cookie_secure=0
session_key="GLEWLWYD2_SESSION_ID"
session_expiration=3600
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "$DIR/glewlwyd.db"; };
EOF
  local t0; t0=$(date +%s%N)
  glewlwyd --config-file="$DIR/glewlwyd.conf" >"$DIR/glewlwyd.log" 2>&1 &
  GW_PID=$!
  echo "$GW_PID" > "$DIR/glewlwyd.pid"
  for _ in $(seq 1 200); do
    if ! kill -0 "$GW_PID" 2>/dev/null; then wait "$GW_PID" 2>/dev/null || true; GW_PID=""; return 1; fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/config" 2>/dev/null; then
      START_MS=$(ms_since "$t0"); return 0
    fi
    sleep 0.05
  done
  die "glewlwyd did not answer on port $PORT within 10 s"
}
for attempt in 1 2 3 4 5; do
  PORT=$(free_port) || die "no free loopback port"
  start_glewlwyd && break
  log "glewlwyd exited on port $PORT (attempt $attempt), retrying"
  [ "$attempt" = 5 ] && die "glewlwyd would not start"
done
API="http://127.0.0.1:$PORT/api"
ISS="$API/oidc"
APP_PORT=${APP_PORT:-$(free_port)} || die "no free loopback port"
REDIRECT_URI="http://127.0.0.1:$APP_PORT${REDIRECT_PATH:-/signin/glewlwyd/callback}"
log "glewlwyd pid $GW_PID on 127.0.0.1:$PORT, ready after ${START_MS} ms"

# ---------- 2. configure through the admin API ----------
admin POST /auth/ '{"username":"admin","password":"password"}'

openssl genrsa -out "$DIR/sign.key" 2048 2>/dev/null
openssl rsa -in "$DIR/sign.key" -pubout -out "$DIR/sign.pub" 2>/dev/null
PLUGIN=$(jq -n --arg iss "$ISS" --rawfile key "$DIR/sign.key" --rawfile cert "$DIR/sign.pub" '{
  module: "oidc", name: "oidc", display_name: "OpenID Connect", enabled: true,
  parameters: {
    iss: $iss, "jwt-type": "rsa", "jwt-key-size": "256", key: $key, cert: $cert,
    "jwks-show": true, "secret-type": "public", "oauth-as-iss-id": true,
    "access-token-duration": 3600, "refresh-token-duration": 1209600, "code-duration": 600,
    "refresh-token-rolling": true, "allow-non-oidc": false,
    "auth-type-code-enabled": true, "auth-type-token-enabled": false, "auth-type-id-token-enabled": true,
    "auth-type-none-enabled": false, "auth-type-password-enabled": false, "auth-type-client-enabled": false,
    "auth-type-device-enabled": false, "auth-type-refresh-enabled": true,
    "pkce-allowed": true, "pkce-method-plain-allowed": false, "pkce-required": false,
    "allowed-scope": ["openid","profile","email"],
    "name-claim": "on-demand", "name-claim-scope": ["profile"],
    "email-claim": "on-demand", "email-claim-scope": ["email"],
    "scope-claim": "no", "scope-claim-scope": [], scope: [], claims: [], "additional-parameters": [],
    "address-claim": {type:"no",formatted:"",street_address:"",locality:"",region:"",postal_code:"",country:"",mandatory:false}
  }}')
admin POST /mod/plugin/ "$PLUGIN"
for s in profile email; do
  admin POST /scope/ "{\"name\":\"$s\",\"display_name\":\"$s\",\"description\":\"OIDC $s claims\",\"password_required\":true,\"password_max_age\":0,\"scheme\":{}}"
done
admin POST /user/ "$(jq -n --arg u "$OIDC_USER" --arg p "$OIDC_PASSWORD" '{username:$u,password:$p,
  name:"Alice Reader",email:"alice@example.test",enabled:true,scope:["openid","profile","email"]}')"
admin POST /client/ "$(jq -n --arg id "$CLIENT_ID" --arg sec "$CLIENT_SECRET" --arg r "$REDIRECT_URI" '{
  client_id:$id,name:"Test web app",confidential:true,client_secret:$sec,enabled:true,
  redirect_uri:[$r],authorization_type:["code","refresh_token"],scope:[],
  token_endpoint_auth_method:["client_secret_basic","client_secret_post"]}')"
log "configured: plugin oidc, scopes profile+email, user $OIDC_USER, client $CLIENT_ID -> $REDIRECT_URI"

if true; then     # leave the provider running for another test; stop with SIGTERM/SIGINT
  cat <<EOF
OIDC_ISSUER=$ISS
OIDC_CLIENT_ID=$CLIENT_ID
OIDC_CLIENT_SECRET=$CLIENT_SECRET
OIDC_REDIRECT_URI=$REDIRECT_URI
OIDC_USER=$OIDC_USER
OIDC_PASSWORD=$OIDC_PASSWORD
GLEWLWYD_API=$API
GLEWLWYD_PID=$GW_PID
EOF
  log "SERVE=1: serving until SIGTERM/SIGINT to pid $$"
  wait "$GW_PID" || true
  GW_PID=""; die "glewlwyd exited on its own"
fi

# not reached: the block above serves until it is stopped
