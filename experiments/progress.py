"""The batch's progress bar (tqdm, on stderr) and its final summary line.

The bar counts the whole experiment, so a resumed batch starts where the last one stopped:

    invite_ablation  45%|#####     | 9/20 runs, 1 failed, 11 left [00:12<00:14, 0.73 run/s]

The ETA is tqdm's, from this session's own rate (runs done before a resume do not skew it).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from tqdm import tqdm

BAR_FORMAT = (
    "{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} runs{postfix} "
    "[{elapsed}<{remaining}, {rate_fmt}]"
)


@dataclass
class Progress:
    """Counts of one batch session, drawn as a progress bar unless `quiet`."""

    name: str
    total: int
    already_done: int
    already_failed: int
    quiet: bool = False
    ok: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)
    first_result_at: float | None = None  # perf_counter() times, for throughput figures
    last_result_at: float | None = None
    _bar: tqdm | None = None

    def __post_init__(self) -> None:
        if not self.quiet:
            self._bar = tqdm(
                total=self.total,
                initial=self.already_done,
                desc=self.name,
                unit="run",
                file=sys.stderr,
                bar_format=BAR_FORMAT,
                dynamic_ncols=True,
                mininterval=0.5,
                smoothing=0.1,
            )
            self._bar.set_postfix_str(self._counts(), refresh=True)

    @property
    def done(self) -> int:
        return self.already_done + self.ok + self.failed

    @property
    def remaining(self) -> int:
        return self.total - self.done

    def _counts(self) -> str:
        return f"{self.already_failed + self.failed} failed, {self.remaining} left"

    def note(self, text: str) -> None:
        """A line above the bar (nothing when quiet)."""
        if self._bar is not None:
            self._bar.write(text, file=sys.stderr)

    def advance(self, ok: bool) -> None:
        self.last_result_at = time.perf_counter()
        if self.first_result_at is None:
            self.first_result_at = self.last_result_at
        if ok:
            self.ok += 1
        else:
            self.failed += 1
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def summary(self, out_dir: str) -> str:
        """One line for the end of the batch: what ran, how it went, where it is."""
        elapsed = time.perf_counter() - self.started
        ran = self.ok + self.failed
        rate = f", {elapsed / ran:.2f} s/run" if ran else ""
        parts = [f"{self.name}: {self.done}/{self.total} runs done"]
        parts.append(
            f"this session {ran} ({self.ok} ok, {self.failed} failed) in {elapsed:.1f} s{rate}"
        )
        if self.already_done:
            parts.append(f"{self.already_done} done before (resumed)")
        total_failed = self.already_failed + self.failed
        if total_failed:
            parts.append(f"{total_failed} failed in all (see the error column)")
        return "; ".join(parts) + f" -> {out_dir}"
