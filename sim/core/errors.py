"""Errors that carry a message for the user. The command line prints the message and
exits with code 2 (see experiments/_cli.py); no traceback unless CADRESIM_TRACEBACK=1.

* :class:`ConfigError` — a configuration value;
* :class:`InputError` — a data file (roster, organisation, scenario);
* :class:`FolderError` — the run folder itself: another process writes it, its inputs
  changed since an interrupted run, it cannot be created or written.

:func:`describe_os_error` turns an ``OSError`` (read-only file system, a file where a
folder should be, a full disk) into one line naming the path and the problem.
"""

from __future__ import annotations

import errno


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


class FolderError(InputError):
    """The run folder cannot be used: it is locked by another writer, its inputs changed
    since the parts in it were saved, or it cannot be created or written."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, or SIGTERM / SIGHUP (what schedulers send), handled alike: the command
    stops, marks its run folder failed with "interrupted ... rerun to finish"."""

    def __init__(self, signal_name: str = "SIGINT"):
        self.signal_name = signal_name
        super().__init__(signal_name)


USER_ERRORS = (ConfigError, InputError)

# errno values that mean "this path cannot be used as given": the user chose it (exit 2)
PATH_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENOENT, errno.ENAMETOOLONG}
)
# errno values of a full disk or quota
SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

_PROBLEMS = {
    errno.EACCES: "permission denied (the folder is not writable by you)",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOTDIR: "a file is in the way where a folder is needed (not a directory)",
    errno.EEXIST: "a file is in the way where a folder is needed (it already exists as a file)",
    errno.EISDIR: "is a folder where a file is needed",
    errno.ENOENT: "no such file or folder",
    errno.ENAMETOOLONG: "the path is too long",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
}


def describe_os_error(err: OSError) -> str:
    """``<path>: <problem>`` for an OSError (the path is the file it names, if any)."""
    problem = _PROBLEMS.get(err.errno, err.strerror or str(err))
    path = err.filename
    if path is None:
        return problem
    extra = f" -> {err.filename2}" if getattr(err, "filename2", None) else ""
    return f"{path}{extra}: {problem}"


def is_path_error(err: BaseException) -> bool:
    """An OSError about a path the user gave (exit code 2), not a fault of the machine."""
    return isinstance(err, OSError) and err.errno in PATH_ERRNOS


__all__ = [
    "ConfigError",
    "FolderError",
    "InputError",
    "Interrupted",
    "PATH_ERRNOS",
    "SPACE_ERRNOS",
    "USER_ERRORS",
    "describe_os_error",
    "is_path_error",
]
