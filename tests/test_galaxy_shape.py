"""`python -m experiments.galaxy_shape`: the galaxy's statistics over seeds, bad input refused."""

import pytest

from experiments.galaxy_shape import main


def test_it_prints_every_statistic_over_the_seeds(capsys):
    main(["--seeds", "3", "--planets", "30"])
    out = capsys.readouterr().out
    assert out.startswith("3 galaxies of 30 planets")
    for statistic in ("diameter", "mean degree", "XJ-500 mean hops", "Heart max hops", "degree 8+"):
        assert statistic in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--planets", "3"], "galaxy.initial_planets"),
        (["--planets", "20001"], "galaxy.initial_planets"),
        (["--config", "no/such.toml"], "no/such.toml"),
        (["--seeds", "0"], "--seeds must be at least 1"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
