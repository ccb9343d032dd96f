import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.demo._split import split_exact


@settings(max_examples=150)
@given(st.integers(0, 10**12), st.lists(st.floats(0, 1e9), min_size=1, max_size=15))
def test_parts_add_up_exactly_and_stay_near_the_share(total, weights):
    parts = split_exact(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights):
        share = total * weight / weight_sum if weight_sum else total / len(weights)
        assert abs(part - share) <= 1 + share * 1e-9


def test_leftover_goes_to_largest_remainders_first():
    assert split_exact(10, [1, 1, 1]) == [4, 3, 3]
    assert split_exact(10, [0.2, 0.35, 0.45]) == [2, 3, 5]
    assert split_exact(5, [0, 0]) == [3, 2]


@pytest.mark.parametrize("weights", [[], [1, -1]])
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        split_exact(10, weights)
