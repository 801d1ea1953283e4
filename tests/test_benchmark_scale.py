"""The scaling table's arithmetic: per-tick costs net of the build, ratios and verdicts."""

from benchmarks import Case, Result, scale


def _results(seconds: dict[str, float]) -> list[Result]:
    by_name = {case.name: case for case in scale.cases()}
    return [Result(by_name[name], s, s, s) for name, s in seconds.items()]


def _timings(planets_5000_run: float, cap_runs: tuple[float, float, float]) -> dict[str, float]:
    seconds = {}
    for count in (*scale.PLANETS, scale.BUILD_ONLY):
        seconds[scale.build_name(count)] = 0.01
    for count in scale.PLANETS:
        seconds[scale.planets_name(count)] = 0.1
    seconds[scale.planets_name(5_000)] = planets_5000_run
    for count in scale.PLAYERS:
        seconds[scale.players_name(count)] = 0.1
    for cap, run in zip(scale.CAPS, cap_runs, strict=True):
        seconds[scale.filled_name(cap)] = 0.01
        seconds[scale.cap_name(cap)] = run
    return seconds


def test_the_table_nets_the_build_out_of_the_per_tick_cost_and_judges_the_targets():
    lines = scale.notes(_results(_timings(0.14, (0.04, 0.28, 2.44))))
    fifty = next(line for line in lines if " 50 planets" in line)
    assert "300.0 µs" in fifty  # (0.1 s - 0.01 s build) / 300 ticks
    assert any("5,000 planets / at 50 (build included) = 1.40" in line and "pass" in line
               for line in lines)  # fmt: skip
    # per tick: 0.1 ms, 0.9 ms, 8.1 ms: 9x per 10x of the cap
    assert any("= 9.00" in line and line.endswith("pass") for line in lines)


def test_a_slow_big_galaxy_or_a_super_linear_cap_fails():
    lines = scale.notes(_results(_timings(0.16, (0.04, 0.31, 3.31))))
    assert any("5,000 planets / at 50" in line and line.endswith("FAIL") for line in lines)
    assert any("vengeful cap" in line and line.endswith("FAIL") for line in lines)


def test_every_case_is_a_default_run_with_one_knob_changed():
    assert all(isinstance(case, Case) and case.name.startswith("scale: ") for case in scale.cases())
