from library.highlight import START, STOP, highlight, marked_to_html


def test_marked_to_html_escapes_everything_but_our_marks():
    text = f"<b>Fair</b> & {START}ethical{STOP} {START}recruitment{STOP} <script>"
    assert marked_to_html(text) == "&lt;b&gt;Fair&lt;/b&gt; &amp; <mark>ethical recruitment</mark> &lt;script&gt;"


def test_highlight_marks_terms_case_insensitively_and_escapes():
    assert highlight("Ethical <i>recruitment</i> & fees", ["recruitment", "ethical"]) == (
        "<mark>Ethical</mark> &lt;i&gt;<mark>recruitment</mark>&lt;/i&gt; &amp; fees"
    )


def test_highlight_cuts_a_window_around_the_first_match():
    text = "a" * 300 + " remittances " + "b" * 300
    snippet = highlight(text, ["remittances"], window=90)
    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert "<mark>remittances</mark>" in snippet
    assert len(snippet) < 140


def test_highlight_without_terms_only_escapes():
    assert highlight("<p>x</p>", []) == "&lt;p&gt;x&lt;/p&gt;"
