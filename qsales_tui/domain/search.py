"""Customer-name search: substring in Chinese or English, and pinyin for Chinese names.

A query matches a name when, ignoring case and full-/half-width differences,

* it is a substring of the name (``华鑫``, ``acme``), or
* written without spaces in ASCII letters and digits, it is a substring of the
  name's initials (``hxkj`` → 华鑫科技; ``at`` → Acme Trading) or of its full pinyin
  (``huaxin`` → 华鑫科技).

An empty query matches everything. Pinyin comes from ``pypinyin`` (imported on first
use: it costs ~0.1 s) with phrase-aware readings, so polyphones like 银行 read
``yinhang``; the keys of each name are cached, so typing a query letter by letter
over thousands of customers stays cheap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_ASCII_QUERY = re.compile(r"^[a-z0-9]+$")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class NameKeys:
    """A name prepared for matching: folded text, initials and full pinyin."""

    folded: str
    initials: str
    pinyin: str


def fold(text: str) -> str:
    """Case- and width-insensitive form (full-width ``ＡＢＣ`` folds to ``abc``)."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=65536)
def name_keys(name: str) -> NameKeys:
    from pypinyin import lazy_pinyin

    folded = fold(name)
    initials: list[str] = []
    syllables: list[str] = []
    for chunk in lazy_pinyin(folded):
        if chunk.isascii():
            # a pinyin syllable, or a run of non-Chinese text: take each word's first letter
            words = _WORD.findall(chunk)
            initials.extend(word[0] for word in words)
            syllables.extend(words)
    return NameKeys(folded, "".join(initials), "".join(syllables))


def normalise_query(query: str) -> str:
    return fold(query).strip()


def matches(name: str, query: str) -> bool:
    """Does ``query`` find ``name``? See the module docstring for the rules."""
    wanted = normalise_query(query)
    if not wanted:
        return True
    keys = name_keys(name)
    if wanted in keys.folded:
        return True
    compact = wanted.replace(" ", "")
    if not _ASCII_QUERY.match(compact):
        return False
    return compact in keys.initials or compact in keys.pinyin
