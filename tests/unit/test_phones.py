import pytest

from app.phones import InvalidPhoneNumber, to_e164


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+5215511111111", "+525511111111"),
        ("whatsapp:+5215511111111", "+525511111111"),
        ("+52 55 1111 1111", "+525511111111"),
        ("+1 (415) 523-8886", "+14155238886"),
        ("whatsapp:+14155238886", "+14155238886"),
        ("+56 9 1234 5678", "+56912345678"),
    ],
)
def test_numbers_become_one_canonical_e164(raw: str, expected: str) -> None:
    assert to_e164(raw) == expected


@pytest.mark.parametrize("raw", ["5511111111", "911", "+52", "hola", "", "+1 415"])
def test_what_is_not_an_international_number_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)
