#!/usr/bin/env python3
"""Prints the counter-0 refresh token (SPEC section 2, format v2) of every session seeded by run.sh.

Session i (1..N) has id md5('s' || i)::uuid and HMAC key sha256('bench-key-' || i), exactly as the
seeding SQL in run.sh computes them, so the tokens are derived here without reading the database.
Usage: tokens.py FIRST LAST > tokens.txt
"""
import base64
import hashlib
import hmac
import sys


def main():
    first, last = int(sys.argv[1]), int(sys.argv[2])
    md5, sha256, new_hmac = hashlib.md5, hashlib.sha256, hmac.new
    b64 = base64.urlsafe_b64encode
    out = []
    for i in range(first, last + 1):
        n = str(i).encode()
        # version 0x00 | session id (16 bytes) | uvarint(0) = 0x00
        signed = b"\x00" + md5(b"s" + n).digest() + b"\x00"
        key = sha256(b"bench-key-" + n).digest()
        body = signed + new_hmac(key, signed, sha256).digest()[:16]
        token = body + sha256(body).digest()[:4]
        out.append(b64(token).rstrip(b"=").decode())
        if len(out) == 65536:
            sys.stdout.write("\n".join(out) + "\n")
            out.clear()
    if out:
        sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
