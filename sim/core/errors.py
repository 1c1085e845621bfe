"""Errors that carry a message for the user. The command line prints the message and
exits with code 2 (see experiments/_cli.py); no traceback unless CADRESIM_TRACEBACK=1."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the key and what is valid."""


class InputError(ValueError):
    """A data file (roster CSV, organisation, scenario) is wrong.

    The message names the file, the line and the field when they are known.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, column: str | None = None):
        where = []
        if file:
            where.append(str(file))
        if line is not None:
            where.append(f"line {line}")
        if column:
            where.append(f"column '{column}'")
        self.file, self.line, self.column = file, line, column
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


USER_ERRORS = (ConfigError, InputError)
