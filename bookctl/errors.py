"""The errors users see. Every message says what is wrong, where, and the fix.

`cli.main` is the one place that turns these into a red line and an exit code:
`InputError` (the user's files, options or data are wrong) exits 2, every other
`BookctlError` (a service or the environment failed) exits 1.
"""

from __future__ import annotations


class BookctlError(Exception):
    """Base class of every error shown to users as one line."""

    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} ({self.fix})" if self.fix else self.message


class InputError(BookctlError):
    """Bad input: a malformed sidebar, broken front matter, an unknown option value."""

    exit_code = 2


class SiteError(InputError):
    """The Docusaurus site cannot be read as Docusaurus would read it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        fix: str | None = None,
    ) -> None:
        where = ""
        if path:
            where = str(path)
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        super().__init__(where + message, fix=fix)
        self.path = path
        self.line = line
        self.column = column


class ConfigError(InputError):
    """A setting (flag, BOOKCTL_* variable, bookctl.toml) has a bad value."""


class IndexStateError(BookctlError):
    """The vector index is missing, locked, corrupt or built with other settings."""


class ServiceError(BookctlError):
    """A service (database, Qdrant server, model API) cannot be reached or failed."""
