#!/usr/bin/env bash
# Refresh-endpoint benchmark of auth-sessions against the same machine's raw PostgreSQL ceiling
# (SPEC section 8). From a fresh clone:   bench/run.sh
#
# Environment (all optional):
#   N=100000          sessions seeded for the main run
#   DURATION=20       seconds per wrk / pgbench run
#   CONNECTIONS="8 32" client counts of the main run
#   SIZES=""          e.g. SIZES="10000 1000000 10000": flatness mode, only the 32-connection run at each
#                     size, in this order (a size may come again, to show the drift of the run itself)
#   PORT=9998         HTTP port of the service (loopback only)
#   WARMUP=180        seconds of refresh load before the first measured run (JIT, pools, caches), not
#                     reported; later table sizes of a flatness run get 30 s. On 2 cores under full load
#                     the JIT compiler threads get little CPU: 60 s was not enough to reach steady state.
#   PROFILE=0         1: record a JFR profile of the service during the 32-connection run and summarise it
#   JAVA_OPTS=""      extra JVM options for the service (the heap is always -Xmx256m)
#   MAX_SECONDS=3600  the whole script is stopped after this long
#   JAR=...           another build of the service (default bootstrap/target/auth-sessions.jar, built if missing)
#
# Everything runs on 127.0.0.1. The service uses its default ES256 signing key and its embedded
# PostgreSQL (data under bench/.work/), seeded directly with SQL; pgbench runs against that same
# PostgreSQL server. The script stops the service and the embedded PostgreSQL when it ends, however it ends.
set -euo pipefail

# Everything is bounded in time: the script re-runs itself under timeout(1), whose TERM runs the clean-up below.
if [[ -z "${BENCH_RUN_TIMED:-}" ]]; then
    export BENCH_RUN_TIMED=1
    exec timeout -k 60 "${MAX_SECONDS:-3600}" "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
WORK="$BENCH/.work"
JAR=${JAR:-"$ROOT/bootstrap/target/auth-sessions.jar"}
N=${N:-100000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-"8 32"}
SIZES=${SIZES:-}
PORT=${PORT:-9998}
PROFILE=${PROFILE:-0}
WARMUP=${WARMUP:-180}
JAVA_OPTS=${JAVA_OPTS:-}
MAX_SECONDS=${MAX_SECONDS:-3600}
THREADS=2
ADMIN_KEY="bench-admin-key-0123456789abcdef"
BASE="http://127.0.0.1:$PORT"
DATA="$WORK/data"

JAVA_PID=""
PGPORT=""
READY_MS=""
STOPPED_PIDS=""

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- processes and clean-up

postmaster_pid() {
    [[ -f "$DATA/pgdata/postmaster.pid" ]] && head -1 "$DATA/pgdata/postmaster.pid" || true
}

alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

resume_postgres() {
    local pid
    for pid in $STOPPED_PIDS; do kill -CONT "$pid" 2>/dev/null || true; done
    STOPPED_PIDS=""
}

stop_service() {
    resume_postgres
    local pm
    pm=$(postmaster_pid)
    if alive "$JAVA_PID"; then
        kill -TERM "$JAVA_PID" 2>/dev/null || true
        for _ in $(seq 1 300); do alive "$JAVA_PID" || break; sleep 0.1; done
        if alive "$JAVA_PID"; then
            log "the service did not stop within 30 s; killing it"
            kill -KILL "$JAVA_PID" 2>/dev/null || true
        fi
        wait "$JAVA_PID" 2>/dev/null || true
    fi
    JAVA_PID=""
    # The service stops its embedded PostgreSQL on shutdown; make sure it did.
    if alive "$pm" && grep -q "$DATA/pgdata" "/proc/$pm/cmdline" 2>/dev/null; then
        log "stopping the embedded PostgreSQL (pid $pm) left behind"
        kill -INT "$pm" 2>/dev/null || true
        for _ in $(seq 1 100); do alive "$pm" || break; sleep 0.1; done
        alive "$pm" && kill -KILL "$pm" 2>/dev/null || true
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_service
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- prerequisites

prerequisites() {
    if ! command -v wrk >/dev/null; then
        log "installing wrk"
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    fi
    local tool
    for tool in java curl psql pgbench python3; do
        command -v "$tool" >/dev/null || die "$tool is required"
    done
    if [[ ! -f "$JAR" ]]; then
        log "building $JAR"
        (cd "$ROOT" && timeout 900 mvn -B -q package -DskipTests) || die "the build failed"
    fi
}

# ---------------------------------------------------------------- the service

# Starts the service; sets JAVA_PID, PGPORT and READY_MS: the milliseconds from the java command
# until a refresh with token $1 (optional) is accepted, or until /health answers when no token is given.
start_service() {
    local probe_token=${1:-}
    : > "$WORK/service.log"
    local started
    started=$(date +%s%N)
    # shellcheck disable=SC2086
    AUTH_SESSIONS_DATA_DIR="$DATA" AUTH_SESSIONS_HOST=127.0.0.1 AUTH_SESSIONS_PORT="$PORT" \
        AUTH_SESSIONS_ADMIN_KEYS="$ADMIN_KEY" \
        java -Xmx256m $JAVA_OPTS -jar "$JAR" >>"$WORK/service.log" 2>&1 &
    JAVA_PID=$!
    local deadline=$((started + 180 * 1000000000))
    while :; do
        alive "$JAVA_PID" || { cat "$WORK/service.log" >&2; die "the service exited during start"; }
        (($(date +%s%N) < deadline)) || die "the service was not ready within 180 s"
        if [[ -n "$probe_token" ]]; then
            [[ $(refresh_status "$probe_token") == 200 ]] && break
        else
            curl -s -o /dev/null --max-time 1 "$BASE/health" 2>/dev/null && break
        fi
        sleep 0.02
    done
    local ready
    ready=$(date +%s%N)
    PGPORT=$(grep -o 'embedded PostgreSQL started on port [0-9]*' "$WORK/service.log" | awk '{print $NF}')
    [[ -n "$PGPORT" ]] || die "no embedded PostgreSQL port in the service log"
    READY_MS=$(((ready - started) / 1000000))
}

refresh_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-2}" -X POST "$BASE/token?grant_type=refresh_token" \
        -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$1\"}" 2>/dev/null || true
}

sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"; }

# ---------------------------------------------------------------- seeding

# Replaces all users and sessions by $1 sessions (one user each, one password AMR claim each) and
# (re)creates bench_sessions with $1 rows for pgbench. Session i has id md5('s'||i)::uuid and HMAC
# key sha256('bench-key-'||i); tokens.py derives the same keys. Writes $WORK/tokens-$1.txt.
seed() {
    local n=$1
    log "seeding $n sessions"
    local t0
    t0=$(date +%s)
    timeout 1800 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres <<SQL
TRUNCATE auth.users CASCADE;
INSERT INTO auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
SELECT md5('u' || i)::uuid, 'authenticated', 'authenticated', 'user' || i || '@bench.example',
       '{"provider":"email","providers":["email"]}', '{"name":"Bench"}', now(), now(), false
  FROM generate_series(1, $n) AS i;
INSERT INTO auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip, refresh_token_hmac_key,
                           refresh_token_counter)
SELECT md5('s' || i)::uuid, md5('u' || i)::uuid, now(), now(), 'aal1', 'bench', '127.0.0.1',
       rtrim(translate(encode(sha256(convert_to('bench-key-' || i, 'UTF8')), 'base64'), '+/', '-_'), '='), 0
  FROM generate_series(1, $n) AS i;
INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
SELECT md5('c' || i)::uuid, md5('s' || i)::uuid, now(), now(), 'password' FROM generate_series(1, $n) AS i;
DROP TABLE IF EXISTS bench_sessions;
CREATE TABLE bench_sessions (id integer PRIMARY KEY, counter bigint NOT NULL);
INSERT INTO bench_sessions SELECT i, 0 FROM generate_series(1, $n) AS i;
VACUUM ANALYZE auth.users;
VACUUM ANALYZE auth.sessions;
VACUUM ANALYZE auth.mfa_amr_claims;
VACUUM ANALYZE bench_sessions;
SQL
    if [[ ! -s "$WORK/tokens-$n.txt" ]]; then
        timeout 600 python3 "$BENCH/tokens.py" 1 "$n" > "$WORK/tokens-$n.tmp"
        mv "$WORK/tokens-$n.tmp" "$WORK/tokens-$n.txt"
    fi
    log "seeded $n sessions in $(($(date +%s) - t0)) s"
}

# Every session back to counter 0, so the counter-0 tokens are current again.
reset_counters() {
    sql -c "UPDATE auth.sessions SET refresh_token_counter = 0 WHERE refresh_token_counter <> 0" \
        -c "VACUUM ANALYZE auth.sessions" >/dev/null
}

# ---------------------------------------------------------------- CPU accounting

cpu_ticks() { # sum of utime+stime (clock ticks) of the given pids, read in one process
    local files=() pid
    for pid in "$@"; do files+=("/proc/$pid/stat"); done
    # after "pid (comm) " the state is field 1, utime field 12, stime field 13
    { cat "${files[@]}" 2>/dev/null || true; } | awk -F') ' '{ split($NF, f, " "); total += f[12] + f[13] } END { print total + 0 }'
}
postgres_pids() { local pm; pm=$(postmaster_pid); echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; } # total idle

CPU_BEFORE=""
cpu_start() {
    CPU_BEFORE="$(cpu_ticks "$JAVA_PID") $(cpu_ticks $(postgres_pids)) $(machine_ticks)"
}
cpu_stop() { # prints "java=x.xx postgres=y.yy busy=z.zz" in cores
    local now
    # postgres backends that exit during the run lose their ticks, so read before pgbench's exit
    now="$(cpu_ticks "$JAVA_PID") $(cpu_ticks $(postgres_pids)) $(machine_ticks)"
    echo "$CPU_BEFORE $now $(nproc)" | awk '{
        wall = ($7 - $3) / $9;
        printf "java=%.2f postgres=%.2f machine_busy=%.2f", ($5 - $1) / wall, ($6 - $2) / wall, (($7 - $3) - ($8 - $4)) / wall }'
}

# ---------------------------------------------------------------- measurements

field() { grep -o "$1=[^ ]*" <<<"$2" | head -1 | cut -d= -f2; }

# wrk on the refresh endpoint with $1 connections over the tokens of $2 sessions for $3 s (default
# DURATION); prints the RESULT line and the cores used
run_wrk() {
    local connections=$1 n=$2 seconds=${3:-$DURATION} out
    reset_counters
    out="$WORK/wrk-$n-c$connections-${seconds}s.txt"
    cpu_start
    (cd "$BENCH/lua" && timeout $((seconds + 60)) wrk -t "$THREADS" -c "$connections" -d "${seconds}s" --latency \
        --timeout 10s -s refresh.lua "$BASE" -- "$WORK/tokens-$n.txt" "$THREADS") > "$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed"; }
    echo "$(grep '^RESULT' "$out") $(cpu_stop)"
}

# pgbench, one UPDATE ... RETURNING per transaction on a random row of bench_sessions ($2 rows); with
# $3 = service, the service's own two statements of a rotation (bench/sql/service-statements.sql)
run_pgbench() {
    local connections=$1 n=$2 script=${3:-update} dir out
    dir="$WORK/pgbench-$n-c$connections-$script"
    rm -rf "$dir" && mkdir -p "$dir"
    if [[ "$script" == service ]]; then
        sed "s/__N__/$n/" "$BENCH/sql/service-statements.sql" > "$dir/update.sql"
    else
        printf '\\set id random(1, %d)\nUPDATE bench_sessions SET counter = counter + 1 WHERE id = :id RETURNING counter;\n' \
            "$n" > "$dir/update.sql"
    fi
    out="$dir/pgbench.txt"
    cpu_start
    (cd "$dir" && timeout $((DURATION + 60)) pgbench -n -M prepared -c "$connections" -j "$THREADS" -T "$DURATION" \
        -l -f update.sql -h 127.0.0.1 -p "$PGPORT" -U postgres postgres) > "$out" 2>&1 &
    local bench=$!
    sleep "$((DURATION - 1))"
    local cpu
    cpu=$(cpu_stop)
    wait "$bench" || { cat "$out" >&2; die "pgbench failed"; }
    local tps p50 p99
    tps=$(grep -o 'tps = [0-9.]*' "$out" | tail -1 | awk '{print $3}')
    # per-transaction log: client, transaction, latency in microseconds, ...
    read -r p50 p99 < <(cat "$dir"/pgbench_log.* | awk '{print $3}' | sort -n | awk '
        { v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
    rm -f "$dir"/pgbench_log.*
    echo "tps=$tps p50_ms=$p50 p99_ms=$p99 $cpu"
}

# ---------------------------------------------------------------- the runs

# warm_up N SECONDS: unreported refresh load on N sessions
warm_up() {
    if (($2 > 0)); then
        log "warming up: refresh, 32 connections, $2 s (not reported)"
        log "  $(run_wrk 32 "$1" "$2")"
    fi
}

main_run() {
    seed "$N"
    warm_up "$N" "$WARMUP"
    declare -A service pg own
    local c
    for c in $CONNECTIONS; do
        if [[ "$PROFILE" == 1 && "$c" == 32 ]]; then
            jcmd "$JAVA_PID" JFR.start name=bench settings=profile filename="$WORK/refresh-c32.jfr" >/dev/null
            python3 "$BENCH/threads-cpu.py" snapshot "$JAVA_PID" > "$WORK/threads-before.txt"
        fi
        log "wrk: refresh, $c connections, ${DURATION} s"
        service[$c]=$(run_wrk "$c" "$N")
        if [[ "$PROFILE" == 1 && "$c" == 32 ]]; then
            python3 "$BENCH/threads-cpu.py" diff "$JAVA_PID" "$WORK/threads-before.txt" > "$WORK/threads-cpu.txt"
            jcmd "$JAVA_PID" JFR.stop name=bench >/dev/null
        fi
        log "  ${service[$c]}"
        log "pgbench: UPDATE ... RETURNING, $c clients, ${DURATION} s"
        pg[$c]=$(run_pgbench "$c" "$N")
        log "  ${pg[$c]}"
        log "pgbench: the service's two statements of a rotation, $c clients, ${DURATION} s"
        own[$c]=$(run_pgbench "$c" "$N" service)
        log "  ${own[$c]}"
    done
    local rss_kb
    rss_kb=$(awk '/VmHWM/{print $2}' "/proc/$JAVA_PID/status")

    # A session of our own for the restart probe, started through the admin API.
    local user_id probe
    user_id=$(python3 -c 'import uuid; print(uuid.uuid4())')
    curl -sf -o /dev/null -X PUT "$BASE/admin/users/$user_id" -H "Authorization: Bearer $ADMIN_KEY" \
        -H 'Content-Type: application/json' -d '{"email":"probe@bench.example"}' || die "admin PUT user failed"
    probe=$(curl -sf -X POST "$BASE/admin/sessions" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
        -d "{\"user_id\":\"$user_id\",\"authentication_method\":\"password\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])') || die "admin POST session failed"

    log "restarting the service on its existing database"
    stop_service
    start_service "$probe"
    local ready_ms=$READY_MS startup
    startup=$(python3 - "$WORK/service.log" <<'PY'
import re, sys
from datetime import datetime
stamps = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+Z) ", line)
    if not m:
        continue
    at = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ")
    for key, text in (("main", "Starting with"), ("pg", "embedded PostgreSQL started"), ("ready", "listening on")):
        if text in line and key not in stamps:
            stamps[key] = at
ms = lambda a, b: int((stamps[b] - stamps[a]).total_seconds() * 1000)
print(f"main() to embedded PostgreSQL up {ms('main', 'pg')} ms, then pool + migrations + HTTP {ms('pg', 'ready')} ms")
PY
)
    log "  first refresh accepted ${ready_ms} ms after the java command"

    # The same restart with an application class-data archive (AppCDS, JDK 13+): one run writes the
    # archive of the classes it loaded, the next maps it instead of loading and verifying them from the jar.
    log "restarting with an AppCDS archive (one run writes it, the next uses it)"
    local plain_opts=$JAVA_OPTS cds_ms
    rm -f "$WORK/app.jsa"
    stop_service
    JAVA_OPTS="$plain_opts -XX:ArchiveClassesAtExit=$WORK/app.jsa"
    start_service "$probe"
    stop_service
    [[ -s "$WORK/app.jsa" ]] || die "no AppCDS archive was written"
    JAVA_OPTS="$plain_opts -XX:SharedArchiveFile=$WORK/app.jsa"
    start_service "$probe"
    cds_ms=$READY_MS
    JAVA_OPTS=$plain_opts
    log "  first refresh accepted ${cds_ms} ms after the java command"

    log "stopping the embedded PostgreSQL (SIGSTOP) and sending malformed tokens for 10 s"
    local valid malformed pm pid
    valid=$(head -1 "$WORK/tokens-$N.txt")
    # a well-formed length and alphabet, but the last character (checksum) changed
    malformed="${valid:0:${#valid}-1}$([[ ${valid: -1} == A ]] && echo B || echo A)"
    pm=$(postmaster_pid)
    STOPPED_PIDS="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
    for pid in $STOPPED_PIDS; do kill -STOP "$pid"; done
    local rejected_out="$WORK/wrk-malformed.txt"
    (cd "$BENCH/lua" && timeout 60 wrk -t "$THREADS" -c 32 -d 10s --latency --timeout 5s -s malformed.lua "$BASE" \
        -- "$malformed") > "$rejected_out" 2>&1 || { cat "$rejected_out" >&2; die "wrk (malformed) failed"; }
    local rejected during
    rejected=$(grep '^RESULT' "$rejected_out")
    during=$(refresh_status "$valid" 4)
    [[ -n "$during" && "$during" != 000 ]] || during="no answer within 4 s"
    resume_postgres
    # The load above rotated the seeded sessions: back to counter 0, so the first token is current again.
    reset_counters
    local after=""
    for _ in $(seq 1 50); do
        after=$(refresh_status "$valid" 5)
        [[ "$after" == 200 ]] && break
        sleep 0.2
    done
    log "  $rejected; a well-formed token meanwhile: $during; after resuming: $after"

    echo
    echo "== auth-sessions refresh benchmark: N=$N sessions, ${DURATION} s per run, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
    printf '%-6s %14s %12s %12s %14s %12s %12s %8s %10s\n' conns service_rps p50_ms p99_ms pgbench_tps pg_p50_ms pg_p99_ms ratio non2xx_%
    for c in $CONNECTIONS; do
        local s=${service[$c]} p=${pg[$c]}
        local rps tps requests non2xx
        rps=$(field rps "$s"); tps=$(field tps "$p"); requests=$(field requests "$s")
        non2xx=$(($(field non2xx "$s") + $(field unparsed "$s") + $(field starved "$s") + $(field socket_errors "$s") + $(field timeouts "$s")))
        printf '%-6s %14s %12s %12s %14s %12s %12s %8s %10s\n' "$c" "$rps" "$(field p50_ms "$s")" "$(field p99_ms "$s")" \
            "$tps" "$(field p50_ms "$p")" "$(field p99_ms "$p")" \
            "$(awk -v a="$rps" -v b="$tps" 'BEGIN{printf "%.2f", a / b}')" \
            "$(awk -v a="$non2xx" -v b="$requests" 'BEGIN{printf "%.3f", 100 * a / b}')"
        echo "       cores used during the service run: $(grep -o 'java=.*' <<<"$s")"
        echo "       cores used during the pgbench run: $(grep -o 'java=.*' <<<"$p")"
        echo "       the service's two statements alone (pgbench, no service): $(field tps "${own[$c]}") tps," \
            "p99 $(field p99_ms "${own[$c]}") ms: the database's ceiling for refreshes," \
            "$(awk -v a="$(field tps "${own[$c]}")" -v b="$(field tps "$p")" 'BEGIN{printf "%.2f", a / b}') of the one-statement ceiling"
    done
    echo "service peak RSS (VmHWM): $((rss_kb / 1024)) MB (heap -Xmx256m)"
    echo "start to ready (existing database, java command to first accepted refresh): ${ready_ms} ms"
    echo "  from the service log: $startup"
    echo "  with an AppCDS archive (-XX:SharedArchiveFile, written by a previous run): ${cds_ms} ms"
    echo "malformed tokens with PostgreSQL stopped (10 s, 32 connections): $(field requests "$rejected") requests," \
        "$(field rejected "$rejected") rejected 400 validation_failed, $(field other "$rejected") other," \
        "$(field socket_errors "$rejected") socket errors, $(field timeouts "$rejected") timeouts;" \
        "$(field rps "$rejected") per s, p99 $(field p99_ms "$rejected") ms"
    echo "  a well-formed token during the stop: $during; after resuming PostgreSQL: $after"
    echo "raw outputs: $WORK"
    if [[ "$PROFILE" == 1 && -f "$WORK/refresh-c32.jfr" ]]; then
        echo
        echo "== JFR profile of the service during the 32-connection run (figures above are perturbed by it)"
        python3 "$BENCH/jfr-summary.py" "$WORK/refresh-c32.jfr"
        cat "$WORK/threads-cpu.txt"
    fi
}

sizes_run() {
    local -a sizes service pg
    read -r -a sizes <<<"$SIZES"
    local i n warm=$WARMUP
    for i in "${!sizes[@]}"; do
        n=${sizes[$i]}
        seed "$n"
        # The JIT is warm after the first size; the others only need their own rows in the caches.
        warm_up "$n" "$warm"
        warm=$((WARMUP < 30 ? WARMUP : 30))
        log "wrk: refresh, 32 connections, $n sessions"
        service[$i]=$(run_wrk 32 "$n")
        log "  ${service[$i]}"
        log "pgbench: 32 clients, $n rows"
        pg[$i]=$(run_pgbench 32 "$n")
        log "  ${pg[$i]}"
    done
    echo
    echo "== flatness: 32 connections, ${DURATION} s per run, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
    printf '%-10s %14s %12s %12s %14s %8s %8s\n' sessions service_rps p50_ms p99_ms pgbench_tps ratio non2xx
    local first=""
    for i in "${!sizes[@]}"; do
        local s=${service[$i]} p=${pg[$i]} rps
        rps=$(field rps "$s")
        [[ -n "$first" ]] || first=$rps
        printf '%-10s %14s %12s %12s %14s %8s %8s   (%s of the first size)\n' "${sizes[$i]}" "$rps" "$(field p50_ms "$s")" \
            "$(field p99_ms "$s")" "$(field tps "$p")" "$(awk -v a="$rps" -v b="$(field tps "$p")" 'BEGIN{printf "%.2f", a / b}')" \
            "$(($(field non2xx "$s") + $(field unparsed "$s") + $(field starved "$s")))" \
            "$(awk -v a="$rps" -v b="$first" 'BEGIN{printf "%+.1f%%", 100 * (a - b) / b}')"
    done
}

prerequisites
mkdir -p "$WORK"
rm -rf "$DATA"
log "starting the service (first start creates the embedded PostgreSQL cluster)"
start_service
log "  ready in ${READY_MS} ms, embedded PostgreSQL on port $PGPORT ($(sql -At -c 'SHOW server_version'))"
if [[ -n "$SIZES" ]]; then
    sizes_run
else
    main_run
fi
