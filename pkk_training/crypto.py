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

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
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
    """encrypt_nik for each of many NIKs, with the key read once (an import of
    100,000 rows). Fernet itself makes every token: a hand-made faster variant
    saved about 4 µs a NIK, not worth owning cipher code for personal data."""
    fernet = Fernet(current_keys()[0])
    return [fernet.encrypt(nik.encode()).decode() if nik else "" for nik in niks]


def nik_hasher():
    """`hashes(nik)` as nik_hashes, with the keys read once: for a list of thousands."""
    # An HMAC keyed once per key, copied for each NIK: the key's set-up is not redone.
    keyed = [hmac.new(_hash_key(key), digestmod=hashlib.sha256) for key in current_keys()]

    def hashes(nik):
        if not nik:
            return []
        data = nik.encode()
        found = []
        for mac in keyed:
            mac = mac.copy()
            mac.update(data)
            found.append(mac.hexdigest())
        return found

    return hashes
