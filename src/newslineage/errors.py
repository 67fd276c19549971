"""One small error hierarchy. Every message names the input, the problem and the fix.

>>> str(InputError("feed.xml", "not RSS or Atom (found <html>)", "pass the page URL instead"))
'feed.xml: not RSS or Atom (found <html>); pass the page URL instead'
"""

from __future__ import annotations


class NewslineageError(Exception):
    """Base class: something the user can act on (never a bug)."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        msg = f"{self.where}: {self.problem}"
        return f"{msg}; {self.fix}" if self.fix else msg


class InputError(NewslineageError):
    """An input (file, URL, record) cannot be read or holds no article."""


class FetchError(InputError):
    """A URL could not be fetched (network, size cap, refused address)."""


class StoreError(NewslineageError):
    """The store cannot be opened, migrated or written."""


class ConfigError(NewslineageError):
    """A setting or command-line option is invalid."""


class MissingExtraError(NewslineageError):
    """An optional dependency is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(
            feature,
            f"needs the optional extra [{extra}]",
            f"pip install 'newslineage[{extra}]'",
        )
