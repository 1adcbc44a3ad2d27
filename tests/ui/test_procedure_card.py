"""The printed procedure card: one PDF page with the title, the step thumbnails and the safety points."""

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


def test_card_pdf_has_title_images_and_one_page(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page("fixture-lumbar-tf")
    pdf = tmp_path / "card.pdf"
    assert window.print_card(str(pdf))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Fixture lumbar transforaminal injection", "Safety-critical points", "Target:", "Safe triangle",
                     "Avoid:", "Exiting nerve root", "educational aid", "[1] Alpha A"):
        assert expected in text, expected
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= 2, images  # header lines, then one line per embedded image
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1, "the card must fit on one page"
    assert pages[0].stat().st_size > 5000
