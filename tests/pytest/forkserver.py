"""Runs `python -m <module> <args>` requests for the tests, each in a process forked from this one,
which has imported dbt and its DuckDB adapter once (docs/testing.md has what it saves). Only dbt:
what prints at import (Great Expectations, scikit-learn) must still reach the command's own
output, where tests look for third-party noise.

A request is one JSON line on stdin: module, args, env (the whole environment), cwd, and the files
stdout and stderr go to. The fork takes the request's environment, folder and files and runs the
module as `python -m` would (runpy, sys.argv as there); it ends as that interpreter would (its exit
code, a traceback for an uncaught exception). This process writes back one JSON line: the exit
code, negative for a signal as subprocess reports it. Nothing of the project is imported here:
leadscore reads its environment when imported, so only the forks import it.
"""

from __future__ import annotations

import json
import os
import runpy
import sys

import dbt.adapters.duckdb  # noqa: F401 - imported once, for every fork
import dbt.cli.main  # noqa: F401
import duckdb  # noqa: F401


def serve() -> dict:
    """Answers requests until stdin closes (then exits); in a fork, returns its request."""
    while True:
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            return request
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        sys.stdout.flush()


def run(request: dict) -> None:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        opened = os.open(path, flags)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the process's stdin until it exits
    sys.argv = [request["module"], *request["args"]]
    runpy.run_module(request["module"], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    run(serve())
