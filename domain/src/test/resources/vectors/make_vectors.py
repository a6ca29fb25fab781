#!/usr/bin/env python3
"""Computes v2 refresh-token vectors (SPEC section 2) without any of the Java code.

Run from this directory:  python3 make_vectors.py > refresh_tokens.tsv
Columns: session id, counter, key (base64url, no padding), token.
"""
import base64
import hashlib
import hmac
import uuid


def uvarint(value):
    # Go's binary.AppendUvarint: 7 bits per byte, least significant group first, high bit = more follows.
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(session_id, counter, key):
    body = b"\x00" + uuid.UUID(session_id).bytes + uvarint(counter)
    body += hmac.new(key, body, hashlib.sha256).digest()[:16]
    body += hashlib.sha256(body).digest()[:4]
    assert 38 <= len(body) <= 46
    return b64url(body)


SESSIONS = [
    "00000000-0000-0000-0000-000000000000",
    "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
    "ffffffff-ffff-4fff-bfff-ffffffffffff",
]
KEYS = [
    bytes(32),
    bytes(range(32)),
    hashlib.sha256(b"auth-sessions test vector key").digest(),
]
COUNTERS = [0, 1, 300, 2**32, 2**63 - 1]

print("# session_id\tcounter\tkey_base64url\ttoken")
for session_id, key in zip(SESSIONS, KEYS):
    for counter in COUNTERS:
        print("\t".join([session_id, str(counter), b64url(key), token(session_id, counter, key)]))
