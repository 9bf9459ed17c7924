"""NIKs at rest: Fernet encryption and a keyed hash, both from PKK_NIK_KEY.

The ciphertext is random (the same NIK encrypts differently each time), so
nothing can be looked up by it; the keyed hash (HMAC-SHA256 with a key derived
from PKK_NIK_KEY) is what de-duplication and the unique constraint use. A
database copied without the key shows neither the NIKs nor a way to test a
guessed NIK against them.

Older keys (PKK_NIK_OLD_KEYS) still decrypt and still find, until
`manage.py rotate_nik_key` has re-encrypted and re-hashed every row.
"""

import base64
import functools
import hashlib
import hmac
import os
import struct
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with its version byte 0x80, which is "gAAAAA" in base64.
TOKEN_PREFIX = "gAAAAA"


class NikKeyError(ImproperlyConfigured):
    """A stored NIK cannot be decrypted with any configured key: a wrong key, never garbage."""


def dev_key(secret_key):
    """The key used in development and tests: derived from SECRET_KEY, never for production."""
    digest = hashlib.sha256(b"pkk-training development NIK key:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def check_key(key, name="PKK_NIK_KEY"):
    """`key` if it is a Fernet key (32 url-safe base64 bytes), else ImproperlyConfigured."""
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"{name} is not a valid key: it must be 32 url-safe base64-encoded bytes, e.g. "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from None
    return key


def current_keys():
    """(current key, *old keys) from the settings; ImproperlyConfigured without a key."""
    key = getattr(settings, "PKK_NIK_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "PKK_NIK_KEY is not set: NIKs cannot be encrypted or read. See the README."
        )
    return (key, *getattr(settings, "PKK_NIK_OLD_KEYS", ()))


@functools.lru_cache(maxsize=8)
def _fernet(keys):
    return MultiFernet([Fernet(key) for key in keys])


@functools.lru_cache(maxsize=16)
def _hash_key(key):
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"pkk-training NIK hash v1"
    ).derive(base64.urlsafe_b64decode(key))


def encrypt_nik(nik, keys=None):
    """A Fernet token for `nik` under the current key; "" stays "" (no NIK)."""
    if not nik:
        return ""
    return _fernet(keys or current_keys()).encrypt(nik.encode()).decode()


def decrypt_nik(token, keys=None):
    """The NIK in `token`; NikKeyError when no configured key opens it."""
    if not token:
        return ""
    try:
        return _fernet(keys or current_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise NikKeyError(
            "A stored NIK cannot be decrypted with PKK_NIK_KEY (nor PKK_NIK_OLD_KEYS): "
            "the key is wrong or the value was never encrypted."
        ) from None


def nik_hash(nik, key=None):
    """The keyed hash of `nik` under the current key (64 hex digits); None for no NIK."""
    if not nik:
        return None
    secret = _hash_key(key or current_keys()[0])
    return hmac.new(secret, nik.encode(), hashlib.sha256).hexdigest()


def nik_hashes(nik):
    """The hashes of `nik` under every configured key, current first: what finds her
    even between a key change and `rotate_nik_key`."""
    if not nik:
        return []
    return [nik_hash(nik, key) for key in current_keys()]


def encrypt_niks(niks):
    """encrypt_nik for each of many NIKs, at a fraction of the cost: what an import
    of 100,000 rows spends most of its Python time on otherwise.

    A Fernet token is version | time | IV | AES-128-CBC(PKCS7(data)) | HMAC-SHA256
    of all that. A NIK is 16 digits, so its padded data is two blocks: CBC makes
    them C1 = AES(P1 xor IV) and C2 = AES(P2 xor C1). Two AES passes over the
    whole list (ECB, one block at a time, is plain AES) give every token's C1
    and C2, instead of a cipher context per NIK. The tokens are Fernet's own
    (tests/participants/test_nik_encryption.py compares them byte for byte);
    anything that is not 16 ASCII characters goes through Fernet itself."""
    key = current_keys()[0]
    fernet = _fernet((key,))
    tokens = [fernet.encrypt(n.encode()).decode() if n else "" for n in _odd(niks)]
    plain = [n for n in niks if _two_blocks(n)]
    size = 16 * len(plain)
    if not size:
        return _merge(niks, tokens, [])
    raw = base64.urlsafe_b64decode(key)
    signing, encryption = raw[:16], raw[16:]
    ivs = os.urandom(size)
    aes = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor()  # noqa: S305 (CBC, see above)
    first = aes.update(_xor("".join(plain).encode(), ivs))
    second = aes.update(_xor(b"\x10" * size, first))  # PKCS7: a whole block of 16s
    aes.finalize()
    head = b"\x80" + struct.pack(">Q", int(time.time()))
    made = []
    for start in range(0, size, 16):
        end = start + 16
        body = head + ivs[start:end] + first[start:end] + second[start:end]
        made.append(base64.urlsafe_b64encode(body + hmac.digest(signing, body, "sha256")).decode())
    return _merge(niks, tokens, made)


def _two_blocks(nik):
    return len(nik) == 16 and nik.isascii()


def _odd(niks):
    return [n for n in niks if not _two_blocks(n)]


def _merge(niks, odd, made):
    odd, made = iter(odd), iter(made)
    return [next(made) if _two_blocks(n) else next(odd) for n in niks]


def _xor(a, b):
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def nik_hasher():
    """`hashes(nik)` as nik_hashes, with the keys read once: for a list of thousands."""
    secrets = [_hash_key(key) for key in current_keys()]

    def hashes(nik):
        if not nik:
            return []
        data = nik.encode()
        return [hmac.digest(secret, data, "sha256").hex() for secret in secrets]

    return hashes
