"""Pace status at its thresholds: compared exactly, not in floats (PRODUCT.md:
off track when 10 % or more behind the expected-to-date)."""

import pytest

from qsales_tui.analytics.kpis import pace_figure, pace_status

DEFAULT = (0.05, 0.10)
AT_AND_AROUND = [
    (90, 100, "off_track"),  # exactly 10 % behind (1 − 0.9 is 0.0999… in floats)
    (900_000_001, 1_000_000_000, "caution"),  # just under 10 % behind
    (899_999_999, 1_000_000_000, "off_track"),
    (95, 100, "caution"),  # exactly 5 % behind
    (950_000_001, 1_000_000_000, "on_track"),
    (949_999_999, 1_000_000_000, "caution"),
    (100, 100, "on_track"),
    (130, 100, "on_track"),
    (0, 100, "off_track"),
]


@pytest.mark.parametrize(("actual", "expected", "status"), AT_AND_AROUND)
def test_pace_figure_status_at_and_either_side_of_the_thresholds(actual, expected, status):
    figure = pace_figure(actual, 1000, expected, DEFAULT)
    assert figure.status == status
    assert (figure.numerator, figure.denominator) == (actual, expected)


@pytest.mark.parametrize(("actual", "expected", "status"), AT_AND_AROUND)
def test_pace_status_compares_the_integers(actual, expected, status):
    assert pace_status(actual, expected, DEFAULT) == status


def test_thresholds_are_read_as_written():
    # 1 − 0.8 = 0.19999… in floats: exactly 20 % behind is still "caution or more"
    assert pace_figure(80, 1000, 100, (0.2, 0.3)).status == "caution"
    assert pace_figure(70, 1000, 100, (0.2, 0.3)).status == "off_track"
    assert pace_figure(799, 1000, 1000, (0.2, 0.3)).status == "caution"
    assert pace_figure(801, 1000, 1000, (0.2, 0.3)).status == "on_track"
    assert pace_figure(100, 1000, 100, (0.0, 0.10)).status == "caution"  # the demo's 0
