from atlas.phantom.write_docs import outputs


def test_generated_docs_are_current():
    for path, text in outputs().items():
        assert path.exists() and path.read_text() == text, f"{path.name} is stale: run python -m atlas.phantom.write_docs"
