from library.extraction import Entry, split_entries


def test_split_entries_list_items_each_become_an_entry():
    text = "- First practice. With detail.\n- Second practice\n\n* Third one"
    assert split_entries(text) == [
        Entry(title="First practice", body="First practice. With detail."),
        Entry(title="Second practice", body="Second practice"),
        Entry(title="Third one", body="Third one"),
    ]


def test_split_entries_paragraphs_take_their_first_sentence_as_title():
    text = "Skills partnerships grew. Ten States joined in 2023.\n\nA regional portal, e.g. for jobs, opened."
    assert split_entries(text) == [
        Entry(title="Skills partnerships grew", body="Skills partnerships grew. Ten States joined in 2023."),
        Entry(title="A regional portal, e.g. for jobs, opened", body="A regional portal, e.g. for jobs, opened."),
    ]


def test_split_entries_bold_lead_phrase_is_the_title_and_formatting_is_removed():
    text = "1. **Fair recruitment:** a *regional* code, see [the code](https://example.org/code).\n2) Numbered too"
    assert split_entries(text) == [
        Entry(title="Fair recruitment", body="a regional code, see the code."),
        Entry(title="Numbered too", body="Numbered too"),
    ]


def test_split_entries_introduction_line_and_continuation_lines():
    text = "States reported:\n- Bilateral labour agreements\n  signed with three States\n- Joint inspections"
    assert split_entries(text) == [
        Entry(
            title="Bilateral labour agreements signed with three States",
            body="Bilateral labour agreements signed with three States",
        ),
        Entry(title="Joint inspections", body="Joint inspections"),
    ]


def test_split_entries_empty_text_gives_no_entry():
    assert split_entries("") == []
    assert split_entries("  \n\n ") == []


def test_split_entries_long_title_is_cut_at_a_word():
    text = "word " * 60
    [entry] = split_entries(text)
    assert len(entry.title) <= 140
    assert entry.title.endswith("word…")
