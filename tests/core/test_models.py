"""What a question tells a player about where its answer is in the article."""

from __future__ import annotations

from dataclasses import replace

from bot.core.models import FactKind, Question, QuestionKind


def test_a_question_names_every_paragraph_it_rests_on() -> None:
    q = Question("q", QuestionKind.CHOICE, "p?", "a", "e", "f", 11, "t", FactKind.CLAIM)
    assert q.source == "Paragraph 11"
    assert replace(q, cites=(13, 14)).source == "Paragraphs 11, 13 and 14"
    assert replace(q, cites=(0,)).source == "The title and paragraph 11"
    assert replace(q, paragraph=0).source == "The title"
    assert replace(q, cites=(11,)).paragraphs == (11,)
