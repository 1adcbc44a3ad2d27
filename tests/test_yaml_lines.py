import pytest

from atlas.content.yaml_lines import YamlError, load


def test_lines_are_remembered_with_offset():
    data = load("a: 1\nb:\n  - x\n  - y: 2\n", line_offset=10)
    assert data.line_of("a") == 11 and data.line_of("b") == 12
    assert data["b"].line_of(1) == 14 and data["b"][1].line_of("y") == 14


def test_dates_become_iso_text():
    assert load("d: 2026-11-21\n")["d"] == "2026-11-21"


@pytest.mark.parametrize(
    "text, line, message",
    [("a: 1\na: 2\n", 2, "duplicate key 'a'"), ("a: [1\n", 2, "malformed YAML"), ("a: 1\n b: 2\n", 2, "malformed YAML")],
)
def test_errors_carry_lines(text, line, message):
    with pytest.raises(YamlError) as err:
        load(text)
    assert err.value.line == line and message in err.value.message


def test_alias_bomb_is_refused():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        text += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(YamlError, match="too large"):
        load(text)
