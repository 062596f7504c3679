"""Dutch stemming for search on SQLite (`make run`), so "moestuinen" finds what "moestuin" finds
as PostgreSQL's Dutch full-text search does there. PostgreSQL keeps its own text search.

SQLite gets a function `bk_dutch_stems(text)` on every new connection: the Snowball stems of the
words of `text`, each surrounded by spaces, so a stem is matched as a whole word with LIKE.
"""

import functools
import re
import threading

import snowballstemmer

WORD = re.compile(r"\w+")
SQLITE_FUNCTION = "bk_dutch_stems"
_local = threading.local()


def _stemmer():
    # A Snowball stemmer keeps state while it works: one per thread.
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("dutch")
    return _local.stemmer


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The Dutch stem of one word, lower case: "moestuinen" -> "moestuin"."""
    return _stemmer().stemWord(word.casefold())


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def stems_of(text: str | None) -> str:
    """ " stem1 stem2 … " for the words of `text` (spaces on both ends, for whole-word LIKE)."""
    return " " + " ".join(stem(word) for word in words(text or "")) + " "


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: give SQLite the stemming function (deterministic)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, stems_of, deterministic=True)
