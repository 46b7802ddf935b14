"""Request codes: short, unambiguous, easy to type on a phone."""

from __future__ import annotations

import secrets
import unicodedata

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing a tired doctor could misread.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
ALPHABET_SET = frozenset(ALPHABET)
LENGTH = 6


def new_code() -> str:
    """A random code; uniqueness per practice is left to the database constraint."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(text: str) -> str | None:
    """The code a doctor meant by `text` (any case, spaces, accents), or None.

    Only the code alphabet counts, so a word such as "claro" in "Sí claro" is
    never mistaken for a code.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    candidate = "".join(folded.split()).upper()
    if 4 <= len(candidate) <= 8 and set(candidate) <= ALPHABET_SET:
        return candidate
    return None
