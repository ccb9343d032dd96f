"""Customer-name search: substring, case- and width-insensitive, pinyin initials and syllables."""

import pytest

from qsales_tui.domain.search import matches, name_keys


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("华鑫科技", "华鑫"),
        ("华鑫科技", "hxkj"),
        ("华鑫科技", "HXKJ"),
        ("华鑫科技", "xk"),
        ("华鑫科技", "huaxin"),
        ("华鑫科技", "hua xin"),
        ("Acme Trading", "acme"),
        ("Acme Trading", "TRADING"),
        ("Acme Trading", "at"),
        ("ＡＣＭＥ 贸易", "acme"),
        ("中国银行", "zgyh"),  # 行 read as hang in 银行, not xing
        ("中国银行", "yinhang"),
        ("华鑫 Acme", "hxa"),
        ("Northwind Ltd", ""),
    ],
)
def test_matches(name, query):
    assert matches(name, query)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("华鑫科技", "hxkx"),
        ("华鑫科技", "恒达"),
        ("Acme Trading", "acme corp"),
        ("中国银行", "zgyx"),
        ("华鑫科技", "h-x"),
    ],
)
def test_does_not_match(name, query):
    assert not matches(name, query)


def test_name_keys_hold_initials_and_pinyin():
    keys = name_keys("华鑫 Acme Trading")
    assert keys.initials == "hxat"
    assert keys.pinyin == "huaxinacmetrading"
