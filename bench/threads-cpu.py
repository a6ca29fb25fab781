#!/usr/bin/env python3
"""CPU time of a process's threads, grouped by thread name (digits dropped), between two snapshots.
Usage: threads-cpu.py snapshot PID > before.txt; ...; threads-cpu.py diff PID before.txt"""
import collections
import os
import re
import sys


def snapshot(pid):
    ticks = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks[tid] = (name, int(fields[11]), int(fields[12]))
    return ticks


def main():
    mode, pid = sys.argv[1], sys.argv[2]
    if mode == "snapshot":
        for tid, (name, user, system) in snapshot(pid).items():
            print(f"{tid}\t{user}\t{system}\t{name}")
        return
    before = {}
    with open(sys.argv[3]) as f:
        for line in f:
            tid, user, system, name = line.rstrip("\n").split("\t", 3)
            before[tid] = (int(user), int(system))
    groups = collections.defaultdict(lambda: [0, 0, 0])
    for tid, (name, user, system) in snapshot(pid).items():
        u0, s0 = before.get(tid, (0, 0))
        group = groups[re.sub(r"\d+", "#", name)]
        group[0] += user - u0
        group[1] += system - s0
        group[2] += 1
    total = sum(u + s for u, s, _ in groups.values()) or 1
    print(f"service CPU by thread group (user+system clock ticks, {os.sysconf('SC_CLK_TCK')}/s):")
    for name, (user, system, count) in sorted(groups.items(), key=lambda g: -(g[1][0] + g[1][1]))[:12]:
        print(f"  {100 * (user + system) / total:5.1f}%  {name:<28} user {user:6d}  system {system:6d}  ({count} threads)")


if __name__ == "__main__":
    main()
