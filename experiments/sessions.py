"""The session log of a results directory: one line when a batch starts, one when it ends.

`sessions.jsonl` is append-only and tolerates a torn last line, so it survives any crash. The
end record says how the session ended (finished, interrupted, backend failure, error), how
many runs it finished, how long start-up and the steady state took, and the driver's peak
memory: the figures the benchmarks read.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
from collections.abc import Iterator

from experiments.codehash import code_fingerprint
from experiments.manifest import now_iso
from experiments.progress import Progress
from experiments.runners import Backend, BackendFailure
from experiments.store import ResultsStore


@contextlib.contextmanager
def logged_session(
    store: ResultsStore,
    progress: Progress,
    retry_failed: bool,
    backend: Backend | None,
    to_run: int,
) -> Iterator[None]:
    """Log the session's start and end (with how it ended) in sessions.jsonl."""
    started = time.perf_counter()
    store.append_session(
        {
            "event": "start",
            "time": now_iso(),
            "pid": os.getpid(),
            "argv": sys.argv,
            "backend": backend.description if backend else None,
            "planned": progress.total,
            "to_run": to_run,
            "retry_failed": retry_failed,
            "code": code_fingerprint(),
        }
    )
    result = "finished"
    timing: dict[str, float] = {}
    try:
        yield
    except KeyboardInterrupt:
        result = "interrupted"
        raise
    except BackendFailure as error:
        result = f"backend failure: {error}"
        raise
    except BaseException as error:
        result = f"error: {type(error).__name__}: {error}"
        raise
    finally:
        progress.close()
        if progress.first_result_at is not None and progress.last_result_at is not None:
            # Start-up (workers importing the world) vs steady state, for throughput figures.
            timing = {
                "startup_s": round(progress.first_result_at - started, 3),
                "between_first_and_last_result_s": round(
                    progress.last_result_at - progress.first_result_at, 3
                ),
            }
        store.append_session(
            {
                "event": "end",
                "time": now_iso(),
                "pid": os.getpid(),
                "ok": progress.ok,
                "failed": progress.failed,
                "result": result,
                "wall_s": round(time.perf_counter() - started, 3),
                **timing,
                # The driver's own peak memory: what must stay flat however many runs there are.
                "driver_peak_rss_mb": round(peak_rss_mb(), 1),
            }
        )


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started its program.

    Linux's ru_maxrss keeps the peak of the process that started this one (it carries over
    `exec`): a batch launched by a 1.4 GB benchmark reported 1.4 GB. VmHWM does not.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass  # no procfs (macOS): ru_maxrss, in bytes there, KiB elsewhere
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
