"""Exit codes and the error a user can fix.

Every mistake a user can make ends as one line on stderr naming the fix and a documented exit
code, never a traceback: commands raise UsageError, the CLI prints it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_VALIDATION_FAILED = 1
EXIT_USAGE = 2
EXIT_BUILD_FAILED = 3


class UsageError(Exception):
    """A mistake the user can fix (a bad option, a missing file, a busy warehouse): printed as
    one line, exit code 2."""
