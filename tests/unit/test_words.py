"""The words the bot recognises: every language knows every meaning, written as compared."""

from __future__ import annotations

import pytest

from bot_flows.doctor import BY_WORD, COMMANDS
from bot_flows.doctor_parsing import fold_word
from bot_flows.engine import option_words
from bot_flows.texts import RED_FLAG_PATTERNS, VOCABULARIES, recognised


@pytest.mark.parametrize("tables", [VOCABULARIES, RED_FLAG_PATTERNS], ids=["words", "red flags"])
def test_both_languages_recognise_the_same_things(tables: dict[str, dict[str, object]]) -> None:
    spanish = tables["es"]
    for language, table in tables.items():
        assert set(table) == set(spanish), language


def test_words_are_written_folded_as_the_flows_compare_them() -> None:
    """Lower case, no accents, single spaces: "sí" in a table would never match."""
    for language, table in VOCABULARIES.items():
        for key, words in table.items():
            for word in words:
                assert fold_word(word) == word == " ".join(word.split()), (language, key, word)


def test_no_word_names_two_doctor_commands() -> None:
    assert len(BY_WORD) == sum(len(recognised(command.meaning)) for command in COMMANDS)


def test_a_word_that_would_pick_two_options_is_refused() -> None:
    with pytest.raises(ValueError, match="picks both option 1 and 2"):
        option_words("yes", "summary.send")
