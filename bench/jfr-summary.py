#!/usr/bin/env python3
"""Summarises the jdk.ExecutionSample events of a JFR recording: the hottest top frames, and where
the samples are by subsystem (first matching frame from the top of each stack).
Usage: jfr-summary.py recording.jfr [top]"""
import collections
import re
import subprocess
import sys

# First frame (from the top of the stack) that matches decides the subsystem of a sample.
SUBSYSTEMS = [
    ("ECDSA / EC arithmetic (ES256 signing)", re.compile(r"sun\.security\.(ec|util\.math)|ECDSA|ECOperations")),
    ("RSA", re.compile(r"sun\.security\.rsa|java\.math\.BigInteger")),
    ("HMAC / SHA-256", re.compile(r"sun\.security\.provider\.(SHA|Digest)|com\.sun\.crypto\.provider\.Hmac|javax\.crypto\.Mac")),
    ("JDBC driver (pgjdbc)", re.compile(r"org\.postgresql\.")),
    ("HikariCP", re.compile(r"com\.zaxxer\.hikari")),
    ("JDBI", re.compile(r"org\.jdbi\.")),
    ("logging (logback/slf4j)", re.compile(r"ch\.qos\.logback|org\.slf4j")),
    ("Jackson", re.compile(r"com\.fasterxml\.jackson")),
    ("nimbus-jose-jwt (other than crypto)", re.compile(r"com\.nimbusds\.")),
    ("auth-sessions code", re.compile(r"dev\.authsessions\.")),
    ("Javalin", re.compile(r"io\.javalin\.")),
    ("Jetty", re.compile(r"org\.eclipse\.jetty\.")),
    ("socket / NIO", re.compile(r"sun\.nio\.|java\.net\.|sun\.net\.")),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          check=True, capture_output=True, text=True).stdout
    top_frames = collections.Counter()
    subsystems = collections.Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+\.[\w$<>]+)\(", event.split("stackTrace = [", 1)[-1], re.M)
        if not frames:
            continue
        total += 1
        top_frames[frames[0]] += 1
        for name, pattern in SUBSYSTEMS:
            if any(pattern.search(f) for f in frames):
                subsystems[name] += 1
                break
        else:
            subsystems["other (JDK, JIT-compiled glue)"] += 1
    print(f"{total} execution samples")
    print("by subsystem (a sample counts for the first subsystem in this list found anywhere in its stack):")
    for name, count in subsystems.most_common():
        print(f"  {100 * count / total:5.1f}%  {name}")
    print(f"top {top} frames:")
    for frame, count in top_frames.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
