#!/usr/bin/env python3
"""Test vectors for the encrypted refresh_token_hmac_key, computed independently of the Java code.

GoTrue's database encryption (internal/crypto: EncryptedString, alg "aes-gcm-hkdf"):
  derived = HKDF-SHA-256(ikm = the configured 32-byte key, salt = none, info = the row id's text), 32 bytes
  data    = AES-256-GCM(derived).seal(nonce (12 random bytes), plaintext, no associated data)
  stored  = {"key_id": ..., "alg": "aes-gcm-hkdf", "data": std-base64(data), "nonce": std-base64(nonce)}
For auth.sessions.refresh_token_hmac_key the plaintext is the key's stored text: base64url of the
32 key bytes, without padding (GoTrue decrypts, then base64url-decodes).

Run with python3 and the `cryptography` package:  python3 make_vectors.py > vectors.json
The output is deterministic (every input below is fixed), so re-running it must reproduce vectors.json.
"""
import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def seal(master: bytes, key_id: str, session_id: str, hmac_key: bytes, nonce: bytes) -> str:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=session_id.encode("ascii")).derive(master)
    data = AESGCM(derived).encrypt(nonce, b64url(hmac_key).encode("ascii"), None)
    # Go's json.Marshal of the struct: fields in declaration order, []byte as padded standard base64.
    return json.dumps({
        "key_id": key_id,
        "alg": "aes-gcm-hkdf",
        "data": base64.b64encode(data).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
    }, separators=(",", ":"))


def reordered(stored: str) -> str:
    """The same value as another JSON writer might lay it out: other field order, spaces."""
    value = json.loads(stored)
    return json.dumps({k: value[k] for k in ("nonce", "data", "alg", "key_id")}, indent=1)


def case(name, master, key_id, session_id, hmac_key, nonce):
    stored = seal(master, key_id, session_id, hmac_key, nonce)
    return {
        "name": name,
        "encryption_key": b64url(master),
        "key_id": key_id,
        "session_id": session_id,
        "hmac_key": b64url(hmac_key),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "stored": stored,
        "stored_reordered": reordered(stored),
    }


cases = [
    case("counting bytes", bytes(range(32)), "key-1", "6f1c3b0e-2d4a-4b8e-9f6a-1c2d3e4f5a6b",
         bytes(range(100, 132)), bytes(range(12))),
    case("all 0xff key, zero nonce", b"\xff" * 32, "2024-rotation", "00000000-0000-4000-8000-000000000001",
         bytes(32), bytes(12)),
    case("sha-derived inputs", bytes.fromhex("5d41402abc4b2a76b9719d911017c592" "7e240de74fb1ed08fa08d38063f6a6a9"),
         "primary", "ffffffff-ffff-4fff-bfff-ffffffffffff",
         bytes.fromhex("a3f1" * 16), bytes.fromhex("0102030405060708090a0b0c")),
]

print(json.dumps({"generator": "make_vectors.py (python cryptography HKDF + AESGCM)", "cases": cases}, indent=2))
