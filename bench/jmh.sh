#!/usr/bin/env bash
# JMH micro-benchmarks of the refresh-token codec and access-token signing (ES256, RS256, HS256).
# From a fresh clone: bench/jmh.sh   (extra arguments go to JMH, e.g. bench/jmh.sh -t 2 AccessToken)
# Short on purpose: 1 fork, 3 x 2 s warm-up, 3 x 2 s measurement (JMH_OPTS replaces these).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/bootstrap/target/auth-sessions.jar"
M2=${M2_REPO:-$HOME/.m2/repository}
if [[ ! -f "$JAR" ]]; then
    (cd "$ROOT" && timeout 900 mvn -B -q package -DskipTests)
fi
# Resolves jmh-core and its dependencies (online once if they are not in ~/.m2 yet), then compiles.
(cd "$ROOT/bench/jmh" && { timeout 600 mvn -B -q -o compile 2>/dev/null || timeout 600 mvn -B -q compile; })
CP="$ROOT/bench/jmh/target/classes:$M2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar"
CP="$CP:$M2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar"
CP="$CP:$M2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
CP="$CP:$M2/org/bouncycastle/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar:$JAR"
exec timeout 1800 java -cp "$CP" org.openjdk.jmh.Main ${JMH_OPTS:--f 1 -wi 3 -w 2s -i 3 -r 2s} -jvmArgs -Xmx256m "$@"
