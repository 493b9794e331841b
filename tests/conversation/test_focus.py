"""bot.conversation.focus: the question a long post ends on, and the blend of two rankings."""

from __future__ import annotations

import pytest

from bot.conversation.focus import blend, question_part, sentences

STORY = ("My son is 9 and has been on the CAMHS waiting list for 14 months. School have him on SEN support and "
         "he has had two exclusions since September. The SENCO keeps saying he will not meet the threshold "
         "without a diagnosis and that they have to spend more money on him first. ")


def test_a_long_post_is_read_by_the_question_it_ends_on() -> None:
    post = STORY + "Can I apply for the assessment myself without the school?"
    assert question_part(post) == "Can I apply for the assessment myself without the school?"


def test_the_last_question_wins_and_a_story_sentence_after_it_does_not_count() -> None:
    post = STORY + "Is that normal? Can I apply for the assessment myself? Thanks in advance, it's been a long year."
    assert question_part(post) == "Can I apply for the assessment myself?"


def test_a_question_without_a_question_mark_is_still_found() -> None:
    post = STORY + "How do I ask the council for an assessment myself. Thanks for reading"
    assert question_part(post) == "How do I ask the council for an assessment myself."


def test_a_short_question_borrows_the_sentence_before_it() -> None:
    post = STORY + "I have heard about Kent PACT from another mum. How do I join?"
    assert question_part(post) == "I have heard about Kent PACT from another mum. How do I join?"


def test_a_post_with_no_question_gives_its_last_sentence() -> None:
    post = STORY + "I just need to know what to do next about the assessment"
    assert question_part(post) == "I just need to know what to do next about the assessment"


@pytest.mark.parametrize("text", [
    "can i apply for an ehcp myself?",                                  # short: the whole message is the question
    " ".join(["word"] * 60),                                            # long, but one sentence
    "",
])
def test_short_or_single_sentence_messages_have_no_separate_question(text: str) -> None:
    assert question_part(text) is None


def test_sentences_split_on_ends_and_new_lines() -> None:
    assert sentences("One. Two? Three!\nFour") == ["One.", "Two?", "Three!", "Four"]


def test_blend_weighs_the_question_and_keeps_the_whole_posts_other_topics() -> None:
    whole = [("ask_health_waiting_times", 0.98), ("ask_ehc_needs_assessment_request", 0.02)]
    question = {"ask_ehc_needs_assessment_request": 0.9, "ask_health_waiting_times": 0.05, "ask_mediation": 0.05}
    ranked = blend(whole, question, 0.6)
    assert ranked[0][0] == "ask_ehc_needs_assessment_request"
    assert ranked[0][1] == pytest.approx(0.4 * 0.02 + 0.6 * 0.9)
    assert ranked[1] == ("ask_health_waiting_times", pytest.approx(0.4 * 0.98 + 0.6 * 0.05))
    assert [name for name, _ in blend(whole, question, 0.6, keep=2)] == [name for name, _ in ranked[:2]]


def test_blend_with_weight_zero_is_the_whole_posts_ranking() -> None:
    whole = [("a", 0.5), ("b", 0.5), ("c", 0.0)]
    assert blend(whole, {"c": 1.0}, 0.0) == [("a", 0.5), ("b", 0.5), ("c", 0.0)]


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_blend_refuses_a_weight_outside_zero_to_one(weight: float) -> None:
    with pytest.raises(ValueError):
        blend([("a", 1.0)], {"a": 1.0}, weight)


def test_a_question_that_points_back_borrows_the_sentence_before_it() -> None:
    post = STORY + "Someone said this could be disability discrimination. Is there a time limit for that kind of claim?"
    assert question_part(post) == ("Someone said this could be disability discrimination. "
                                   "Is there a time limit for that kind of claim?")


def test_long_posts_are_read_from_a_folder(tmp_path) -> None:
    from bot.conversation.focus import read_long_posts

    post = "word " * 30 + "can i apply myself?"
    (tmp_path / "a.yml").write_text(f"long_posts:\n- intent: ask_x\n  examples: |\n    - {post}\n    - {post} again\n")
    assert read_long_posts(tmp_path) == [(post.strip(), "ask_x"), (f"{post} again".strip(), "ask_x")]


@pytest.mark.parametrize("content", [
    "nlu:\n- intent: ask_x\n  examples: |\n    - " + "word " * 30,          # Rasa's key, not ours
    "long_posts:\n- intent: ask_x\n",                                       # no examples
    "long_posts:\n- intent: ask_x\n  examples: |\n    - too short to be a long post\n",
])
def test_long_posts_of_the_wrong_shape_are_refused(tmp_path, content: str) -> None:
    from bot.conversation.focus import read_long_posts

    (tmp_path / "a.yml").write_text(content)
    with pytest.raises(ValueError):
        read_long_posts(tmp_path)


def test_the_projects_long_posts_are_all_long_and_labelled() -> None:
    from pathlib import Path

    from bot.conversation.focus import read_long_posts

    posts = read_long_posts(Path(__file__).resolve().parents[2] / "data" / "long_posts")
    assert len(posts) >= 300 and all(intent.startswith("ask_") for _, intent in posts)


def test_rank_long_post_ranks_the_post_and_weighs_in_its_question() -> None:
    from bot.conversation.focus import rank_long_post

    def rank(text: str) -> dict:
        return {"ask_request": 0.9, "ask_waiting": 0.1} if text.startswith("Can I") else \
            {"ask_waiting": 0.8, "ask_request": 0.2}

    post = STORY + "Can I apply for the assessment myself without the school?"
    assert rank_long_post(post, rank, 0.0) == [("ask_waiting", 0.8), ("ask_request", 0.2)]
    assert rank_long_post(post, rank, 0.5, keep=1) == [("ask_request", pytest.approx(0.55))]
    assert rank_long_post("short question?", rank, 0.5) == [("ask_waiting", 0.8), ("ask_request", 0.2)]
