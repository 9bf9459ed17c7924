"""Codes people type or read aloud: no 0/O, 1/I/L, so none can be misread."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CARD_LENGTH = 8  # seven random characters and a check character
VERIFICATION_LENGTH = 12


def _check_character(body):
    # Luhn mod N: catches every single wrong character and most swaps of two.
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def card_code_new():
    body = "".join(secrets.choice(ALPHABET) for _ in range(CARD_LENGTH - 1))
    return body + _check_character(body)


def normalize(text):
    """What was scanned or typed: upper-case, without spaces, dashes or dots."""
    text = re.sub(r"[\s\-–./]", "", str(text or "")).upper()
    return text[:64]


def card_code_valid(code):
    return (
        len(code) == CARD_LENGTH
        and all(char in ALPHABET for char in code)
        and _check_character(code[:-1]) == code[-1]
    )


def card_code_display(code):
    return f"{code[:4]}-{code[4:]}"


def verification_code_new():
    return "".join(secrets.choice(ALPHABET) for _ in range(VERIFICATION_LENGTH))


def verification_code_valid(code):
    return len(code) == VERIFICATION_LENGTH and all(char in ALPHABET for char in code)
