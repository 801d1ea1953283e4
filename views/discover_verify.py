"""Verify a discovered box: `callister verify` in the background, then its verdict.

The verification is a batch of its own (fresh runs inside the box and in its complement,
`callister verify RESULTS --box K ... --out DIR`), started and followed like the batches of
the "Run a batch" tab (`views.batch_jobs`), so its progress shows there too. Once its store
is finished, the verdict is `callister verify ... --json` run again on it: the command
resumes, finds nothing left to run and prints its result. That keeps the statistics (the
fresh densities, the difference's interval, the rule) in one place, the command; the verify
section of the store's manifest only holds what was known before the runs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from experiments.verify import verification_name
from views import batch_jobs as bj
from views import results as rs
from views.configs import REPO, results_dir
from views.discover_charts import percent, verification_figure
from views.explorer import RESULTS_KEY

DEFAULT_RUNS = 200
MAX_RUNS = 100_000
REFRESH_S = 1.0
VERDICT_TIMEOUT_S = 300  # reading the verdict re-runs the discovery of the source batch


def default_name(result: dict[str, Any], number: int) -> str:
    """The directory `callister verify` makes by default for box `number` of this discovery."""
    return verification_name(result["experiment"], result["outcome"], result["method"], number)


@st.cache_data(show_spinner="Reading the verification…", max_entries=8)
def verification(arguments: tuple[str, ...], stamp: tuple[float, int]) -> dict[str, Any]:
    """The JSON `callister ARGUMENTS --json` prints on a finished verification, or `{"error":
    message}` (kept too: a refused store must not start a process on every rerun)."""
    command = [*bj.callister_command(), *arguments, "--json", "-q"]
    try:
        done = subprocess.run(
            command,
            cwd=REPO,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=VERDICT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"error": f"callister verify could not report: {error}"}
    try:  # exit 1 (some runs failed) still prints the verdict over the runs that did not
        return json.loads(done.stdout)
    except ValueError:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return {"error": lines[-1] if lines else f"callister verify exited with {done.returncode}"}


def _verdict(verdict: dict[str, Any], key: str) -> None:
    inside, complement = verdict["inside"], verdict["complement"]
    fresh = inside["runs"] + complement["runs"]
    said = "holds" if verdict["holds"] else "does not hold"
    (st.success if verdict["holds"] else st.warning)(
        f"Box {verdict['box']} **{said}** in {fresh} fresh runs. Rule: {verdict['rule']}"
    )
    st.plotly_chart(verification_figure(verdict), key=f"{key}_figure")
    rows = [
        {"": "discovered", **_row(verdict["discovered"])},
        {"": "fresh, inside the box", **_row(inside)},
        {"": "fresh, complement", **_row(complement)},
        {"": "inside − complement", **_difference(verdict["difference"])},
    ]
    st.dataframe(pd.DataFrame(rows).fillna(""), hide_index=True, key=f"{key}_table")


def _difference(difference: dict[str, Any]) -> dict[str, str]:
    """In percentage points; n/a when a side has no runs (the command's value is null)."""
    if difference["value"] is None:
        return {"density": "n/a", "95% interval": "n/a"}
    low, high = (f"{100 * end:+.1f}" for end in difference["ci"])
    return {"density": f"{100 * difference['value']:+.1f} pts", "95% interval": f"{low} to {high}"}


def _row(part: dict[str, Any]) -> dict[str, Any]:
    low, high = part["ci"]
    row = {"density": percent(part["density"])}
    row["95% interval"] = f"{percent(low)} to {percent(high)}"
    if "runs" in part:
        row |= {"runs": str(part["runs"]), "hits": str(part["hits"])}
    return row


def _finished(out: Path, arguments: tuple[str, ...], key: str) -> None:
    """What a verification that is not running has left: an error, a verdict, or a resume."""
    job = bj.jobs().get(str(out))
    if job is not None and job.exit_code() not in (None, 0, 1):
        st.error(
            f"callister verify ended with exit code {job.exit_code()}:\n\n"
            f"```\n{bj.log_tail(job, lines=3)}\n```"
        )
        return
    state = bj.progress(out)
    if not state.planned:
        return  # never started here
    if not bj.is_verify_store(out):
        st.caption(f"{out.name} holds another batch, not a verification: pick another name.")
        return
    if state.done < state.planned:
        st.caption(f"{out.name}: {state.done}/{state.planned} runs; press the button to resume.")
        return
    verdict = verification(arguments, rs.version(out))
    if "error" in verdict:
        st.error(verdict["error"])
        return
    _verdict(verdict, key)
    if st.button("Open its results", key=f"{key}_open"):
        st.session_state[RESULTS_KEY] = str(out)
        st.info("Opened under Explore results.")


def _status(out: Path, arguments: tuple[str, ...], key: str) -> None:
    """The verification's progress, refreshed every second while it runs, then its verdict."""
    running = bj.batch_running(out)

    @st.fragment(run_every=REFRESH_S if running else None)
    def status() -> None:
        state = bj.progress(out)
        if state.running:
            planned = state.planned if state.planned is not None else "?"
            text = f"{out.name}: {state.done}/{planned} runs, {state.failed} failed — running"
            st.progress(state.fraction, text=text)
        elif running:
            st.rerun()  # it has just finished: the whole page, to show the verdict
        else:
            _finished(out, arguments, key)

    status()


def verify_panel(source: Path, result: dict[str, Any], number: int) -> None:
    """Runs and directory of the verification of box `number`, its launch, then its state."""
    outcome, method = result["outcome"], result["method"]
    key = f"verify|{source}|{outcome}|{method}|{number}"
    st.markdown(f"**Verify box {number}** — fresh runs inside the box and in its complement")
    runs_cell, out_cell, go_cell = st.columns([1, 3, 1], vertical_alignment="bottom")
    runs = int(runs_cell.number_input("Runs", 2, MAX_RUNS, DEFAULT_RUNS, step=2, key=f"{key}_runs"))
    name = out_cell.text_input(
        "Results directory (a name; an unfinished verification there is resumed)",
        value=default_name(result, number),
        key=f"{key}_out",
        help=f"kept in {results_dir()}: the page writes nowhere else",
    )
    if go_cell.button("Verify this box", key=f"{key}_start", type="primary"):
        try:
            bj.start_verify(source, outcome, number, method, runs, name)
        except (UserError, OSError) as error:
            st.error(f"The verification was not started. {error}")
        else:
            st.rerun()  # arm the refresh of its progress, here and under Run a batch
    try:
        out = bj.results_directory(name)
    except UserError:
        return  # said when the button is pressed
    arguments = tuple(bj.verify_arguments(source, outcome, number, method, runs, out))
    _status(out, arguments, key)
