import pytest

from config.spreadsheet import cell_restored, cell_safe


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-1+2", "'-1+2"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Alpha = Beta", "Alpha = Beta"),
        ("", ""),
    ],
)
def test_cell_safe_quotes_formulas_and_restores_them(value, cell):
    assert (cell_safe(value), cell_restored(cell)) == (cell, value)


def test_cell_restored_keeps_a_quote_it_did_not_add():
    assert cell_restored("'s-Hertogenbosch") == "'s-Hertogenbosch"
