from __future__ import annotations

import pytest

from crm.errors import InvalidInput
from crm.passwords import check_new_password


@pytest.mark.parametrize(
    "password", ["1qaz2wsx3edc", "password2026!", "Qwerty123456789", "aaaaaaaaaaaaaaaa"]
)
def test_common_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput, match="too common"):
        check_new_password(password)


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "  spaces count too  ", "ÜnïcødeΣ passphrase"]
)
def test_long_uncommon_passwords_are_accepted_as_typed(password: str) -> None:
    check_new_password(password)


def test_length_limits() -> None:
    with pytest.raises(InvalidInput, match="12 characters or more"):
        check_new_password("x7#kq9!mz2v")
    check_new_password("z" * 100 + "q" * 100 + "k7")
    with pytest.raises(InvalidInput, match="256 characters or fewer"):
        check_new_password("zq7" * 90)
