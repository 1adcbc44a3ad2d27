"""The ``spine-atlas`` command: the app, and quick terminal look-ups.

Subcommand names and output shapes are a public interface; extend, never rename.
Only ``screenshot``, ``--self-test`` and the app itself load Qt.
"""

from __future__ import annotations

import argparse
import json
import re
import os
import sys
import textwrap
from pathlib import Path

from atlas import EDUCATIONAL_NOTICE, __version__, resources
from atlas.charting import chart_text

EXIT_OK, EXIT_ERROR = 0, 1


class ProgressBar:
    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        total = max(total, 1)
        if self.tty:
            filled = int(self.width * done / total)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} {phase[:40]:<40}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            key = (phase.split(" ")[0], done * 4 // total)
            if key != self.last or done == total:
                self.stream.write(f"{phase}: {done}/{total}\n")
                self.last = key


def _repository(args):
    from atlas.db.repository import ContentDatabaseError, ContentRepository

    try:
        return ContentRepository(args.db)
    except ContentDatabaseError as exc:
        print(f"spine-atlas: {exc}", file=sys.stderr)
        if not Path(args.db).exists():
            print("spine-atlas: build it with 'spine-atlas build'", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None


def cmd_build(args) -> int:
    from atlas.db.builder import BuildError, build

    out = Path(args.out) if args.out else Path(args.db)
    try:
        content = build(
            Path(args.content), Path(args.images), out, progress=ProgressBar(), cache_dir=resources.phantom_cache_dir()
        )
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"spine-atlas: build failed with {len(exc.problems)} problem(s); nothing was written", file=sys.stderr)
        return EXIT_ERROR
    for problem in content.problems.warnings:
        print(problem, file=sys.stderr)
    print(f"built {out} ({len(content.pages)} pages, {len(content.images)} images)")
    return EXIT_OK


def cmd_check(args) -> int:
    from atlas.content.loader import load_content

    content = load_content(Path(args.content), Path(args.images))
    for problem in content.problems.sorted():
        if problem.severity != "note" or args.editorial:
            print(problem, file=sys.stderr)
    errors = len(content.problems.errors)
    if errors:
        print(f"spine-atlas: {errors} error(s)", file=sys.stderr)
        return EXIT_ERROR
    notes = len(content.problems.notes)
    waiting = f"; {notes} editorial note(s) for the expert reviewer (--editorial lists them)" if notes and not args.editorial else ""
    print(f"content OK: {len(content.pages)} pages, {len(content.images)} images, {len(content.references)} references{waiting}")
    return EXIT_OK


def cmd_list(args) -> int:
    repo = _repository(args)
    try:
        pages = repo.list_pages(level=args.level, approach=args.approach)
    except ValueError as exc:
        print(f"spine-atlas: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps([p.as_json() for p in pages], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not pages:
        print("no pages for this selection")
    for p in pages:
        levels = _compact_levels(p.levels)
        print(f"{p.slug:<38} {p.title}")
        print(f"{'':<38} {p.kind} · {p.region} · {levels} · {', '.join(p.approaches)} · {', '.join(p.guidance)} · {p.steps} steps")
    return EXIT_OK


def _compact_levels(levels) -> str:
    if len(levels) <= 4:
        return ", ".join(levels)
    return f"{levels[0]} … {levels[-1]}"


def _wrap(text: str, indent: str = "") -> str:
    out = []
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        stripped = line.lstrip()
        lead = line[: len(line) - len(stripped)]
        bullet = ""
        for prefix in ("- ",):
            if stripped.startswith(prefix):
                bullet = prefix
        if not bullet and stripped[:1].isdigit() and ". " in stripped[:4]:
            bullet = stripped[: stripped.index(". ") + 2]
        out.append(
            textwrap.fill(
                stripped, width=88, initial_indent=indent + lead, subsequent_indent=indent + lead + " " * len(bullet)
            )
            if " | " not in stripped
            else indent + line
        )
    return "\n".join(out)


def render_page_text(repo, slug: str) -> str | None:
    page = repo.page(slug)
    if page is None:
        return None
    s = page.summary
    lines = [page.title.upper(), "=" * min(len(page.title), 88), ""]
    lines.append(f"Kind: {s.kind} · Region: {s.region}")
    if s.levels:
        lines.append(f"Levels: {', '.join(s.levels)}")
    if s.approaches:
        lines.append(f"Approaches: {', '.join(s.approaches)}")
    if s.guidance:
        lines.append(f"Guidance: {', '.join(s.guidance)}")
    if page.synonyms:
        lines.append(f"Also known as: {', '.join(page.synonyms)}")
    lines.append(f"Authors: {', '.join(page.authors)}")
    lines.append(f"Version {page.version} · last reviewed {page.reviewed} (internal review) · {page.review_status}")
    if s.summary:
        lines += ["", _wrap(s.summary)]
    if page.safety:
        lines += ["", "SAFETY-CRITICAL POINTS"]
        for item in page.safety:
            lines.append(_wrap(f"- {item.text} ({item.section})", "  "))
    charts = {c.id: c for c in page.charts}
    numbers = {r.key: r.number for r in page.references}
    for section in page.sections:
        lines += ["", f"## {section.title}", ""]
        for block in re.split(r"^chart:([a-z0-9-]+)$", section.text, flags=re.M):
            if block in charts:
                lines.append(chart_text(charts[block], numbers.get(charts[block].source)))
            elif block.strip():
                lines.append(_wrap(block.strip("\n")))
    if page.steps:
        lines += ["", "## Technique steps"]
    images = {i.id: i for i in page.images}
    for step in page.steps:
        lines += ["", f"Step {step.number}. {step.title}", _wrap(step.text, "   ")]
        for image_id in step.image_ids:
            info = images.get(image_id)
            if info is None:
                continue
            lines.append(f"   Image: {info.title} [{info.modality}{'; ' + info.view if info.view else ''}]")
            if not info.available:
                lines.append("     (image not yet available)")
            full = repo.image(image_id)
            from atlas.content.text import html_to_text

            lines.append(_wrap(html_to_text(info.caption_html), "     "))
            labels = list(dict.fromkeys(a.label for a in full.annotations if a.label)) if full else []
            if labels:
                lines.append(_wrap("Labels: " + ", ".join(labels), "     "))
    if page.references:
        lines += ["", "## References", ""]
        for ref in page.references:
            lines.append(textwrap.fill(f"[{ref.number}] {ref.citation}", width=88, subsequent_indent="    "))
    lines += ["", _wrap(EDUCATIONAL_NOTICE)]
    return "\n".join(lines) + "\n"


def cmd_show(args) -> int:
    repo = _repository(args)
    text = render_page_text(repo, args.slug)
    if text is None:
        hits = repo.search(args.slug, limit=5)
        print(f"spine-atlas: no page {args.slug!r}", file=sys.stderr)
        if hits:
            print("did you mean: " + ", ".join(h.slug for h in hits), file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(text)
    return EXIT_OK


def cmd_search(args) -> int:
    repo = _repository(args)
    hits = repo.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([h.as_json() for h in hits], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print("no matches")
    for hit in hits:
        print(f"{hit.slug}  {hit.title}  ({hit.where})")
        print(_wrap(hit.snippet, "    "))
    return EXIT_OK


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} must look like 1400x900") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("size must be between 200 and 8000 pixels each way")
    return w, h


def cmd_screenshot(args) -> int:
    from atlas.ui.headless import screenshot

    return screenshot(Path(args.db), args.page, args.step, Path(args.out), args.size, level=args.level, approach=args.approach)


def cmd_app(args) -> int:
    if args.self_test:
        from atlas.ui.headless import self_test

        return self_test(Path(args.db), Path(args.report) if args.report else None)
    from atlas.entry import start_app

    return start_app(Path(args.db))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="spine-atlas",
        description="Spine Atlas: an offline atlas of image-guided spine interventions. Without a subcommand, starts the app.",
        epilog=EDUCATIONAL_NOTICE,
    )
    p.add_argument("--version", action="version", version=f"spine-atlas {__version__}")
    p.add_argument("--db", default=str(resources.default_database()), help="content database (default: %(default)s)")
    p.add_argument("--self-test", action="store_true", help="open the window, visit a page, render an image; exit 0 if all went right")
    p.add_argument("--report", help="with --self-test: write a JSON report here")
    p.set_defaults(func=cmd_app)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        return sp

    for name, func, help_ in (("build", cmd_build, "build the content database from content/ and images/"),
                              ("check", cmd_check, "validate content without writing anything")):
        sp = add(name, func, help_)
        sp.add_argument("--content", default=str(resources.content_dir()), help="content folder (default: %(default)s)")
        sp.add_argument("--images", default=str(resources.images_dir()), help="images folder (default: %(default)s)")
        if name == "build":
            sp.add_argument("--out", help="database to write (default: --db)")
        else:
            sp.add_argument("--editorial", action="store_true",
                            help="also list the editorial notes for the expert reviewer (never shown in the app)")
    sp = add("list", cmd_list, "list the pages for a level and/or approach")
    sp.add_argument("--level", help="vertebra (C5), segment (L4-L5, L45, C7T1) or region (lumbar)")
    sp.add_argument("--approach", help="approach, e.g. transforaminal, posterior (finds narrower ones too)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp = add("show", cmd_show, "print a whole page as plain text")
    sp.add_argument("slug")
    sp = add("search", cmd_search, "search the atlas")
    sp.add_argument("query")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.add_argument("--limit", type=int, default=20, help="at most this many hits (default: %(default)s)")
    sp = add("screenshot", cmd_screenshot, "render the main window offscreen to a PNG")
    sp.add_argument("--page", required=True, help="page slug")
    sp.add_argument("--step", type=int, help="open this step (1-based)")
    sp.add_argument("--out", required=True, help="PNG file to write")
    sp.add_argument("--size", type=_size, default=(1400, 900), help="window size WxH (default: 1400x900)")
    sp.add_argument("--level", help="also select this level in the navigator")
    sp.add_argument("--approach", help="also select this approach in the navigator")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
