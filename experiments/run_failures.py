"""Why a run or a worker stopped short: the exceptions of the local pool and of a run's limit.

`WorkerDied` and `RunTimedOut` name a run's own failure (the driver records it and goes on);
`WorkerStartFailed` says the machinery is broken (the batch stops). Their messages are the
`error` text users read in runs.parquet.
"""

from __future__ import annotations


class WorkerDied(Exception):
    """The worker process running this task died (killed, out of memory, os._exit)."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code

    def __str__(self) -> str:
        return f"worker process died ({describe_exit(self.exit_code)})"


class WorkerStartFailed(Exception):
    """A worker process died before it was ready: nothing can run on this pool."""


class RunTimedOut(Exception):
    """The run exceeded the per-run time limit (`--run-timeout`)."""

    def __init__(self, limit_s: float) -> None:
        super().__init__(limit_s)
        self.limit_s = limit_s

    def __str__(self) -> str:
        return f"timed out after {self.limit_s:g} s"


def describe_exit(exit_code: int | None) -> str:
    """`signal 9` for a process killed by SIGKILL, `exit code 3` for one that exited."""
    if exit_code is None:
        return "no exit status"
    return f"signal {-exit_code}" if exit_code < 0 else f"exit code {exit_code}"
