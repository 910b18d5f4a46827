# shellcheck shell=bash
# A throwaway PostgreSQL server for the tests (sourced by .ci/run, or by
# hand: `source .ci/setup/postgres.sh && cargo test`).
#
# Installs Debian's `postgresql` package when no server binaries are found,
# makes a cluster in a temporary folder (initdb), starts it on a free
# loopback port (pg_ctl) and exports its URL:
#
#   CHORUS_TEST_PG     postgres://chorus@127.0.0.1:PORT/postgres (trust auth;
#                      each test creates its own database on it)
#   CHORUS_TEST_PG_CA  the PEM root of the server's certificate: the server
#                      takes TLS too (ssl=on), with a certificate for
#                      `localhost` signed by a CA made here, so the TLS
#                      tests check require, verify-ca and verify-full for
#                      real. Unset when openssl is missing (those tests
#                      then skip, or fail under CI).
#
# The server is stopped and its folder removed when the shell exits; the
# EXIT trap is chained after any trap already set, never replacing it.
# Tuned for tests, not for data: no fsync, no synchronous commit.
# When no server can be had, it says so and exports nothing; the tests then
# skip, or fail under CI.

__chorus_pg_bindir() {
  local d
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

__chorus_pg_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "postgres.sh: PostgreSQL is not installed and installing needs root" >&2
      return 1
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "postgres.sh: no apt-get to install PostgreSQL with" >&2; return 1; }
  echo "postgres.sh: installing Debian's postgresql package"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

__chorus_pg_free_port() {
  local port tries=0
  while [ $tries -lt 50 ]; do
    port=$(( 20000 + (RANDOM % 30000) ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  return 1
}

__chorus_pg_stop() {
  if [ -n "${__CHORUS_PG_DIR:-}" ] && [ -d "$__CHORUS_PG_DIR" ]; then
    $__CHORUS_PG_AS "$__CHORUS_PG_BIN/pg_ctl" -D "$__CHORUS_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$__CHORUS_PG_DIR"
  fi
}

# A throwaway CA and a certificate for `localhost` signed by it, in $1
# (ECDSA P-256: a handshake costs little), owned by $2 when given. Prints the server options that
# turn TLS on; prints nothing when openssl is missing or fails.
__chorus_pg_tls() {
  local dir=$1 owner=$2
  if ! command -v openssl >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null 2>&1; }
  fi
  command -v openssl >/dev/null 2>&1 || { echo "postgres.sh: no openssl: the server takes no TLS" >&2; return 0; }
  (
    cd "$dir" &&
      openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout ca.key -out ca.crt \
        -days 7 -subj "/CN=chorus test CA" &&
      openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout server.key \
        -out server.csr -subj "/CN=localhost" &&
      printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >server.ext &&
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 7 \
        -extfile server.ext
  ) >"$dir/tls.log" 2>&1 || { echo "postgres.sh: making a test certificate failed: the server takes no TLS" >&2; return 0; }
  chmod 600 "$dir/server.key"
  # The server reads its key only when it owns it (it runs as $owner when
  # this shell is root).
  if [ -n "$owner" ]; then chown "$owner" "$dir/server.key" "$dir/server.crt"; fi
  chmod 644 "$dir/ca.crt"
  echo "-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
}

__chorus_pg_start() {
  local bin dir port as="" user tls
  if [ -n "${CHORUS_TEST_PG:-}" ]; then
    echo "postgres.sh: using CHORUS_TEST_PG from the environment"
    return 0
  fi
  if ! bin=$(__chorus_pg_bindir); then
    __chorus_pg_install || { echo "postgres.sh: no PostgreSQL; its tests will skip (or fail under CI)" >&2; return 0; }
    bin=$(__chorus_pg_bindir) || { echo "postgres.sh: installed, but no server binaries found" >&2; return 0; }
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/chorus-pg.XXXXXX")
  # The server refuses to run as root: as root, run it as an unprivileged
  # user (the package's `postgres`, else one made for this).
  if [ "$(id -u)" = 0 ]; then
    user=postgres
    if ! id "$user" >/dev/null 2>&1; then
      user=chorus-pg
      id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user" || { echo "postgres.sh: cannot make a user to run PostgreSQL" >&2; return 0; }
    fi
    chown "$user" "$dir"
    chmod 700 "$dir"
    as="runuser -u $user --"
  fi
  if ! $as "$bin/initdb" -D "$dir/data" -U chorus --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed:" >&2
    tail -n 20 "$dir/initdb.log" >&2
    rm -rf "$dir"
    return 0
  fi
  port=$(__chorus_pg_free_port) || { echo "postgres.sh: no free port" >&2; rm -rf "$dir"; return 0; }
  tls=$(__chorus_pg_tls "$dir" "${as:+$user}")
  # Many tests run at once, each opening a few pooled connections.
  if ! $as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $tls" \
      start >/dev/null; then
    echo "postgres.sh: the server did not start:" >&2
    tail -n 20 "$dir/server.log" >&2
    rm -rf "$dir"
    return 0
  fi
  __CHORUS_PG_DIR=$dir
  __CHORUS_PG_BIN=$bin
  __CHORUS_PG_AS=$as
  export CHORUS_TEST_PG="postgres://chorus@127.0.0.1:$port/postgres"
  if [ -n "$tls" ]; then
    export CHORUS_TEST_PG_CA="$dir/ca.crt"
  fi
  # Chain the stop before whatever EXIT trap is already set.
  local previous=""
  eval "set -- $(trap -p EXIT)"
  [ $# -ge 3 ] && previous=$3
  # shellcheck disable=SC2064
  trap "__chorus_pg_stop; $previous" EXIT
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $CHORUS_TEST_PG (data in $dir)"
}

__chorus_pg_start
