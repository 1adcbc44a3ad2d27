from atlas.content.render import Citations, render_chunk, sanitize


def render(text, known=("a", "b")):
    problems = []
    citations = Citations(known=set(known))
    out = render_chunk(text, 5, citations, problems)
    return out, problems, citations


def test_citations_number_in_order_of_first_use():
    out, problems, citations = render("First [@b]. Then [@a; @b].")
    assert not problems
    assert citations.order == ["b", "a"]
    assert '<a href="#ref-1">1</a>' in out.html and '<a href="#ref-2">2</a>' in out.html
    assert out.text == "First [1]. Then [1, 2]."


def test_unknown_and_malformed_citations_are_reported_with_lines():
    _, problems, _ = render("ok\n\nbad [@zz] and [@a; b]")
    messages = [(p.line, p.message) for p in problems]
    assert (7, "unknown reference key 'zz' (not in content/references.yaml)") in messages
    assert any(line == 7 and "malformed citation" in m for line, m in messages)


def test_safety_and_fact_markers():
    out, problems, _ = render("- [!SAFETY] Use dexamethasone [@a].\n- [!FACT] Five lumbar vertebrae.\n\n[!SAFETY] A paragraph.")
    assert not problems
    assert out.html.count('class="safety"') == 2 and 'class="fact"' in out.html
    assert out.safety == ["Use dexamethasone.", "A paragraph."]
    assert out.facts == ["Five lumbar vertebrae."]


def test_marker_in_the_middle_is_an_error():
    _, problems, _ = render("Text then [!SAFETY] late.")
    assert problems and "must begin a paragraph" in problems[0].message


def test_sanitizer_strips_scripts_frames_events_and_remote_urls():
    dirty = (
        '<script>alert(1)</script><iframe src="x"></iframe><p onclick="x()">t</p>'
        '<a href="javascript:alert(1)">j</a><img src="http://evil/x.png"><a href="https://evil">r</a>'
        '<a href="atlas:lumbar-anatomy">ok</a>'
    )
    clean = sanitize(dirty)
    for bad in ("script", "iframe", "onclick", "javascript", "http", "<img"):
        assert bad not in clean
    assert 'href="atlas:lumbar-anatomy"' in clean


def test_internal_links_are_collected():
    out, _, _ = render("See [the anatomy](atlas:lumbar-anatomy).")
    assert out.links == [("lumbar-anatomy", 5)]


def test_editorial_notes_are_kept_from_readers_and_reported_for_the_reviewer():
    out, problems, _ = render(
        "- [!SAFETY] Check the bleeding class [@a]. *Editorial note for the expert reviewer: confirm it.*\n"
        "- *Editorial note: add the cautions.*\n- Last item."
    )
    assert [(p.line, p.message, p.severity) for p in problems] == [
        (5, "Editorial note for the expert reviewer: confirm it.", "note"), (6, "Editorial note: add the cautions.", "note")]
    assert "Editorial" not in out.html and "Editorial" not in out.text
    assert out.safety == ["Check the bleeding class."] and out.html.count("<li") == 2
