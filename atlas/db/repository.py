"""Read-only access to the content database, returning plain data classes.

The UI asks this object; it never runs SQL itself. A repository owns one
connection and belongs to one thread: a worker thread opens its own with
:meth:`ContentRepository.clone`.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import sqlite3
import urllib.parse
from collections import OrderedDict
from pathlib import Path

from atlas.db.schema import APPLICATION_ID, SCHEMA_VERSION, SEARCH_WEIGHTS
from atlas.levels import matching_levels, parse_level
from atlas.model import (
    Annotation, Approach, AtlasImage, Chart, ChartBar, ChartGroup, ContentInfo, Fact, ImageInfo, ImageUse, LayerStyle, Level, Page, PageSummary,
    Reference, SafetyStatement, SearchHit, Section, Step,
)

MAX_QUERY_CHARS = 200
RANK_WINDOW = 600  # documents ranked per query; pages are then taken best first from these
TITLES_FIRST_FROM = 3000  # a query matching more documents is looked for in titles first (ranking 3000 takes ~5 ms)
MAX_QUERY_TOKENS = 12
PAGES_KEPT = 16  # whole pages kept in memory (a long page with its HTML is about 100 kB)


class ContentDatabaseError(Exception):
    """The content database cannot be used; the message is written for the user."""


def fts_terms(text: str) -> list[str]:
    """The quoted FTS5 terms of free user text, the last one a prefix (``C5.6``, ``"``, ``*`` are never syntax)."""
    tokens = re.findall(r"\w+", text[:MAX_QUERY_CHARS], flags=re.UNICODE)[:MAX_QUERY_TOKENS]
    if not tokens:
        return []
    if len(tokens) > 1 and len(tokens[-1]) == 1 and not tokens[-1].isdigit():
        tokens = tokens[:-1]  # the first letter of the next word: searched for once it has a second
    quoted = [f'"{t}"' for t in tokens]
    if len(tokens[-1]) > 1:  # a single typed letter would match half the index
        quoted[-1] += "*"
    return quoted


def fts_query(text: str) -> str | None:
    """Turn free user text into a safe FTS5 query: every term must match (see :func:`fts_terms`).

    ``C5.6``, ``"``, ``L4-5`` and ``*`` never reach FTS5 as syntax.
    """
    quoted = fts_terms(text)
    if not quoted:
        return None
    query = " ".join(quoted)
    if len(quoted) == 1 and len(quoted[0].strip('"*')) <= 2:  # two typed letters: look in titles and synonyms only
        query = "{title synonyms} : " + query
    level = parse_level(text)
    if level and "-" in level:
        upper, lower = level.split("-")
        query = f'({query}) OR "{upper}{lower}"'
    return query


def _uri(path: Path) -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"



SNIPPET_WORDS = 14


def query_words(text: str) -> list[str]:
    """The words of a query as they are matched in snippets (lower case, levels split: L4-5 -> l4, 5)."""
    return [w for w in re.findall(r"\w+", text.lower())[:MAX_QUERY_TOKENS] if w]


def _match_pattern(words: list[str]) -> re.Pattern | None:
    """Words that start with a typed prefix, or share its stem (vertebral / vertebrae, injection / injections)."""
    stems = {w if len(w) < 5 else w[: max(4, len(w) - 3)] for w in words if w}
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(x) for x in sorted(stems, key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def make_snippet(body: str, words: list[str], width: int = SNIPPET_WORDS) -> str:
    """About ``width`` words of ``body`` around the first place the query matches, matches in [brackets]."""
    pattern = _match_pattern(words)
    found = pattern.search(body) if pattern else None
    at = found.start() if found else 0
    lo, hi = max(0, at - 12 * width), min(len(body), at + 24 * width)
    before = list(re.finditer(r"\S+", body[lo:at]))[-(width // 3) :] if at else []
    after = list(itertools.islice(re.finditer(r"\S+", body[at:hi]), width - len(before)))
    first = lo + before[0].start() if before else at
    last = at + after[-1].end() if after else at
    text = " ".join(body[first:last].split())
    if pattern:
        text = pattern.sub(lambda m: f"[{m.group(0)}]", text)
    return ("…" if body[:first].strip() else "") + text + ("…" if body[last:].strip() else "")


class _PageNames:
    """Titles and synonyms of every page, indexed for telling which pages a query names."""

    def __init__(self, pages: list[tuple[str, str, list[str]]], page_doc: dict[str, int]):
        self.page_doc = page_doc
        self.title_words: dict[str, set[str]] = {}
        prefixes: list[tuple[str, str]] = []
        self.synonyms: dict[str, set[str]] = {}
        for slug, title, synonyms in pages:
            self.title_words[slug] = set(re.findall(r"\w+", title.lower()))
            prefixes += [(w, slug) for w in self.title_words[slug]]
            for synonym in synonyms:
                self.synonyms.setdefault(synonym.lower(), set()).add(slug)
        prefixes.sort()
        self._words = [w for w, _ in prefixes]
        self._slugs = [s for _, s in prefixes]
        self.order = {slug: i for i, (slug, _t, _s) in enumerate(pages)}
        self.titles = {slug: title for slug, title, _s in pages}
        synonym_words = sorted({(w, slug) for phrase, slugs in self.synonyms.items() for slug in slugs for w in re.findall(r"\w+", phrase)})
        self._synonym_words = [w for w, _ in synonym_words]
        self._synonym_slugs = [s for _, s in synonym_words]

    @staticmethod
    def _with_prefix(words: list[str], slugs: list[str], prefix: str) -> set[str]:
        lo = bisect.bisect_left(words, prefix)
        hi = bisect.bisect_left(words, prefix + "\uffff")
        return set(slugs[lo:hi])

    def _titles_with_prefix(self, prefix: str) -> set[str]:
        return self._with_prefix(self._words, self._slugs, prefix)

    def starting(self, prefix: str) -> list[str]:
        """Pages with a title word, then those with a synonym word, that starts with ``prefix``; atlas order."""
        titled = self._titles_with_prefix(prefix)
        synonyms = self._with_prefix(self._synonym_words, self._synonym_slugs, prefix) - titled
        leading = {slug for slug in titled if self.titles[slug].lower().startswith(prefix)}  # "tr": Transoral…
        return [slug for group in (leading, titled - leading, synonyms) for slug in sorted(group, key=self.order.__getitem__)]

    def named(self, text: str) -> dict[str, int]:
        """Pages the query names: every word in the title (rank 0), a synonym exactly (1) or one long word of it (2)."""
        words = query_words(text)
        if not words or (len(words) == 1 and len(words[0]) < 3):
            return {}
        named: dict[str, int] = {}
        for slug in self.synonyms.get(" ".join(words), ()):
            named[slug] = 1
        for word in words:
            if len(word) >= 4:
                for slug in self.synonyms.get(word, ()):
                    named.setdefault(slug, 2)
        titled = self._titles_with_prefix(words[0])
        for word in words[1:]:
            titled &= self._titles_with_prefix(word)
        for slug in titled:
            named[slug] = 0
        return named

class ContentRepository:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise ContentDatabaseError(
                f"The atlas content database was not found at {self.path}. Reinstall the atlas or rebuild its content."
            )
        try:
            self.conn = sqlite3.connect(_uri(self.path), uri=True)
            self.conn.row_factory = sqlite3.Row
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ContentDatabaseError(
                f"The atlas content database at {self.path} is damaged or is not a Spine Atlas database ({exc}). "
                "Reinstall the atlas or rebuild its content."
            ) from None
        if app_id != APPLICATION_ID:
            self.conn.close()
            raise ContentDatabaseError(f"{self.path} is not a Spine Atlas content database.")
        if version != SCHEMA_VERSION:
            self.conn.close()
            newer = version > SCHEMA_VERSION
            raise ContentDatabaseError(
                f"The atlas content at {self.path} uses format {version}, but this version of the app reads format "
                f"{SCHEMA_VERSION}. "
                + ("Update the app to read this content." if newer else "Rebuild or reinstall the content.")
            )
        self._approaches = [
            Approach(r["name"], r["definition"], r["parent"], tuple(json.loads(r["levels"] or "[]")))
            for r in self._rows("SELECT name, parent, definition, levels FROM approaches ORDER BY ord")
        ]
        # the content is read-only, so answers the navigator asks for again and again are kept
        self._listed: dict[tuple[str | None, str | None], tuple[PageSummary, ...]] = {}  # see list_pages
        self._approaches_at: dict[str | None, tuple[str, ...]] = {}
        self._pages: OrderedDict[str, Page] = OrderedDict()  # the most recently opened, last

    # -- plumbing ---------------------------------------------------------

    def _rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise ContentDatabaseError(f"The atlas content database at {self.path} could not be read ({exc}).") from None

    def clone(self) -> ContentRepository:
        """A new repository on the same file, for use on another thread."""
        return ContentRepository(self.path)

    def close(self) -> None:
        self.conn.close()

    # -- vocabulary -------------------------------------------------------

    def info(self) -> ContentInfo:
        meta = {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}
        pages = self._rows("SELECT count(*) FROM pages")[0][0]
        images = self._rows("SELECT count(*) FROM images WHERE available")[0][0]
        return ContentInfo(meta.get("content_version", "?"), int(meta.get("schema_version", 0)), meta.get("built_at", "?"), pages, images)

    def levels(self) -> list[Level]:
        return [Level(r["name"], r["region"], r["ord"]) for r in self._rows("SELECT name, region, ord FROM levels ORDER BY ord")]

    def approaches(self) -> list[Approach]:
        return list(self._approaches)

    def approach_family(self, name: str) -> set[str]:
        """The approach and every narrower approach under it."""
        family, changed = {name}, True
        while changed:
            changed = False
            for a in self._approaches:
                if a.parent in family and a.name not in family:
                    family.add(a.name)
                    changed = True
        return family

    def _ancestors(self, name: str) -> list[str]:
        by_name = {a.name: a for a in self._approaches}
        out = []
        while name in by_name and by_name[name].parent:
            name = by_name[name].parent
            out.append(name)
        return out

    def levels_with_pages(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT DISTINCT level FROM page_levels")}

    def layer_styles(self) -> list[LayerStyle]:
        return [LayerStyle(r["name"], r["label"], r["colour"], r["z"]) for r in self._rows("SELECT * FROM layers ORDER BY z")]

    # -- pages ------------------------------------------------------------

    def _summary(self, r: sqlite3.Row) -> PageSummary:
        return PageSummary(
            slug=r["slug"], title=r["title"], kind=r["kind"], region=r["region"], summary=r["summary"],
            levels=tuple(json.loads(r["levels"])), approaches=tuple(json.loads(r["approaches"])),
            guidance=tuple(json.loads(r["guidance"])), steps=r["n_steps"], images=r["n_images"],
        )

    _SUMMARY_SQL = """
        SELECT p.*,
          (SELECT count(*) FROM steps s WHERE s.slug = p.slug) AS n_steps,
          (SELECT count(DISTINCT image_id) FROM step_images i WHERE i.slug = p.slug) AS n_images
        FROM pages p
    """

    def list_pages(self, level: str | None = None, approach: str | None = None) -> list[PageSummary]:
        """Pages for a navigator selection. Raises ValueError naming an unknown level or approach.

        The content is read-only, so each answer is kept: the navigator asks again on every click."""
        key = (level, approach)
        if key not in self._listed:
            self._listed[key] = tuple(self._list_pages(level, approach))
        return list(self._listed[key])

    def _list_pages(self, level: str | None, approach: str | None) -> list[PageSummary]:
        where, params, order = [], [], "p.ord"
        if level:
            levels = matching_levels(level)
            if levels is None:
                raise ValueError(f"unknown level {level!r}: try C5, L4-L5, L45, C7T1 or a region such as lumbar")
            where.append(f"p.slug IN (SELECT slug FROM page_levels WHERE level IN ({','.join('?' * len(levels))}))")
            params += sorted(levels)
            exact = parse_level(level)
            if exact:  # pages written for exactly this level first, then those that only touch it
                order = "(p.slug NOT IN (SELECT slug FROM page_levels WHERE level = ?)), p.ord"
        if approach:
            name = approach.strip().lower()
            if name not in {a.name for a in self._approaches}:
                raise ValueError(f"unknown approach {approach!r}: one of {', '.join(a.name for a in self._approaches)}")
            family = self.approach_family(name)
            if level:  # transoral pages are not listed at L4-L5, even where a page's levels run that far
                family = {n for n in family if self._reaches(n, levels)}
            where.append(f"p.slug IN (SELECT slug FROM page_approaches WHERE approach IN ({','.join('?' * len(family))}))")
            params += sorted(family)
        sql = self._SUMMARY_SQL + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}"
        if order != "p.ord":
            params.append(parse_level(level))
        return [self._summary(r) for r in self._rows(sql, params)]

    def _reaches(self, approach: str, levels: set[str]) -> bool:
        """Whether an approach can reach any of these levels (most reach every level)."""
        reach = next((a.levels for a in self._approaches if a.name == approach), ())
        return not reach or bool(levels & set(reach))

    def approaches_at(self, level: str | None) -> list[str]:
        """Approaches (with their broader terms) that have pages at this level, in vocabulary order."""
        if level not in self._approaches_at:
            self._approaches_at[level] = tuple(self._approaches_found_at(level))
        return list(self._approaches_at[level])

    def _approaches_found_at(self, level: str | None) -> list[str]:
        present: set[str] = set()
        levels = matching_levels(level) if level else None
        for page in self.list_pages(level=level):
            for name in page.approaches:
                if levels is not None and not self._reaches(name, levels):
                    continue
                present.add(name)
                present.update(self._ancestors(name))
        return [a.name for a in self._approaches if a.name in present]

    def page(self, slug: str) -> Page | None:
        """The whole page, or None. The last PAGES_KEPT pages opened are kept (back, forward and revisits)."""
        page = self._pages.get(slug)
        if page is None:
            page = self._page(slug)
            if page is None:
                return None
            self._pages[slug] = page
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        self._pages.move_to_end(slug)
        return page

    def _page(self, slug: str) -> Page | None:
        rows = self._rows(self._SUMMARY_SQL + " WHERE p.slug = ?", (slug,))
        if not rows:
            return None
        r = rows[0]
        sections = tuple(
            Section(s["key"], s["title"], s["html"], s["text"])
            for s in self._rows("SELECT * FROM sections WHERE slug = ? ORDER BY ord", (slug,))
        )
        step_images: dict[int, list[str]] = {}
        for row in self._rows("SELECT step, image_id FROM step_images WHERE slug = ? ORDER BY step, ord", (slug,)):
            step_images.setdefault(row["step"], []).append(row["image_id"])
        steps = tuple(
            Step(s["number"], s["title"], s["html"], s["text"], tuple(step_images.get(s["number"], ())), tuple(json.loads(s["layers"])))
            for s in self._rows("SELECT * FROM steps WHERE slug = ? ORDER BY number", (slug,))
        )
        references = tuple(
            Reference(x["key"], x["number"], x["citation"], x["doi"], x["url"])
            for x in self._rows(
                "SELECT pr.number, b.* FROM page_references pr JOIN bibliography b ON b.key = pr.ref_key "
                "WHERE pr.slug = ? ORDER BY pr.number",
                (slug,),
            )
        )
        safety = tuple(
            SafetyStatement(x["section"], x["text"]) for x in self._rows("SELECT * FROM safety WHERE slug = ? ORDER BY ord", (slug,))
        )
        image_ids = list(dict.fromkeys(i for s in steps for i in s.image_ids))
        infos = {
            r["id"]: self._info(r)
            for r in self._rows(
                f"SELECT {self._INFO_COLUMNS} FROM images WHERE id IN (SELECT image_id FROM step_images WHERE slug = ?)", (slug,)
            )
        }
        images = tuple(infos[i] for i in image_ids if i in infos)
        return Page(
            summary=self._summary(r), authors=tuple(json.loads(r["authors"])), version=r["version"], reviewed=r["reviewed"],
            review_status=r["review_status"], synonyms=tuple(json.loads(r["synonyms"])), sections=sections, steps=steps,
            references=references, safety=safety, images=images, bleeding_risk=r["bleeding_risk"] or "",
            charts=tuple(
                self._chart(c)
                for c in self._rows("SELECT c.* FROM page_charts pc JOIN charts c ON c.id = pc.chart_id WHERE pc.slug = ?", (slug,))
            ),
        )

    @staticmethod
    def _chart(r: sqlite3.Row) -> Chart:
        groups = tuple(
            ChartGroup(g["name"], tuple(ChartBar(label, low, high) for label, low, high in g["bars"]))
            for g in json.loads(r["groups"])
        )
        return Chart(r["id"], r["title"], r["unit"], r["source"], groups)

    def slugs(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT slug FROM pages ORDER BY ord")]

    # -- images -----------------------------------------------------------

    _INFO_COLUMNS = "id, title, caption_html, modality, view, width, height, available, pending_reason, meta"

    def _info(self, r: sqlite3.Row) -> ImageInfo:
        return ImageInfo(
            r["id"], r["title"], r["caption_html"], r["modality"], r["view"], r["width"], r["height"],
            bool(r["available"]), r["pending_reason"], r["meta"] or "{}",
        )

    def image_info(self, image_id: str) -> ImageInfo | None:
        rows = self._rows(f"SELECT {self._INFO_COLUMNS} FROM images WHERE id = ?", (image_id,))
        return self._info(rows[0]) if rows else None

    def image(self, image_id: str) -> AtlasImage | None:
        rows = self._rows(f"SELECT {self._INFO_COLUMNS}, png FROM images WHERE id = ?", (image_id,))
        if not rows:
            return None
        annotations = tuple(
            Annotation(a["kind"], a["layer"], a["label"], tuple(tuple(p) for p in json.loads(a["points"])), a["description"])
            for a in self._rows("SELECT * FROM annotations WHERE image_id = ? ORDER BY ord", (image_id,))
        )
        layers = tuple(
            LayerStyle(x["name"], x["label"], x["colour"], x["z"])
            for x in self._rows("SELECT * FROM image_layers WHERE image_id = ? ORDER BY z", (image_id,))
        )
        return AtlasImage(self._info(rows[0]), bytes(rows[0]["png"] or b""), annotations, layers)

    def live_spec(self, image_id: str) -> tuple[dict, dict | None] | None:
        """The render spec and teaching prompt of a rendered image, for the virtual C-arm (None for pictures)."""
        rows = self._rows("SELECT render_spec, prompt FROM images WHERE id = ?", (image_id,))
        if not rows or not rows[0]["render_spec"]:
            return None
        return json.loads(rows[0]["render_spec"]), (json.loads(rows[0]["prompt"]) if rows[0]["prompt"] else None)

    # -- study material ---------------------------------------------------

    def facts(self) -> list[Fact]:
        return [
            Fact(r["slug"], r["ord"], r["section"], r["text"], r["cloze"])
            for r in self._rows("SELECT f.* FROM facts f JOIN pages p ON p.slug = f.slug ORDER BY p.ord, f.ord")
        ]

    def image_uses(self) -> list[ImageUse]:
        """Every available image in the step where a page first shows it, with its labels."""
        labels: dict[str, list[tuple[str, str, str]]] = {}
        for r in self._rows("SELECT image_id, label, kind, layer FROM annotations WHERE label != '' ORDER BY image_id, ord"):
            labels.setdefault(r["image_id"], []).append((r["label"], r["kind"], r["layer"]))
        rows = self._rows(
            """
            SELECT si.image_id, si.slug, min(si.step) AS step, p.region, p.title, i.modality, i.view, i.meta
            FROM step_images si JOIN images i ON i.id = si.image_id JOIN pages p ON p.slug = si.slug
            WHERE i.available
            GROUP BY si.image_id, si.slug
            ORDER BY p.ord, step
            """
        )
        return [
            ImageUse(r["image_id"], r["slug"], r["step"], r["region"], r["title"], r["modality"], r["view"],
                     r["meta"] or "{}", tuple(labels.get(r["image_id"], ())))
            for r in rows
        ]

    # -- search -----------------------------------------------------------

    def _names(self) -> "_PageNames":
        if not hasattr(self, "_names_index"):
            docs = dict(self._rows("SELECT slug, id FROM search_docs WHERE step IS NULL"))
            self._names_index = _PageNames(
                [(r["slug"], r["title"], json.loads(r["synonyms"])) for r in self._rows("SELECT slug, title, synonyms FROM pages ORDER BY ord")],
                docs,
            )
        return self._names_index

    def _ranked(self, query: str, text: str, limit: int) -> dict[str, tuple[int, float]]:
        """The best document of each page for an FTS query: pages the query names first, then pages
        with every word, then (when those are fewer than ``limit``) pages with some of the words."""
        best = self._tiered(query, limit)
        rank = {slug: 0 for slug in best}  # pages with every word first
        terms = fts_terms(text)
        if len(best) < limit and len(terms) > 1:  # too few pages with every word: then pages with some, by rank
            for slug, hit in self._tiered(" OR ".join(terms), limit).items():
                if slug not in best:
                    best[slug], rank[slug] = hit, 1
        names = self._names()
        named = names.named(text)
        for slug in named:
            if slug not in best:
                best[slug], rank[slug] = (names.page_doc[slug], 0.0), 0
        order = sorted(best, key=lambda slug: (named.get(slug, 3), rank[slug], best[slug][1]))
        return {slug: best[slug] for slug in order[:limit]}

    def _tiered(self, query: str, limit: int) -> dict[str, tuple[int, float]]:
        """Best document per page for one FTS query.

        On a large atlas a common prefix ("vert", "con") matches most documents, and ranking them
        all costs tens of milliseconds per keystroke. A query that matches more than
        TITLES_FIRST_FROM documents is first looked for in titles alone; when they give ``limit``
        pages, those are the hits (a title match outranks a body match in the full ranking
        anyway; only the order among them may differ). Otherwise the whole index is ranked.
        """
        core = query.split(" : ", 1)[1] if query.startswith("{") else query  # without its column filter
        if " OR " not in core and self._matches(query) > TITLES_FIRST_FROM:  # (a level's other spelling: everywhere)
            best = self._best_per_page("{title} : (" + core + ")")
            if len(best) >= limit:
                return best
        return self._best_per_page(query)

    def _matches(self, query: str) -> int:
        """How many documents match (counting them costs a fraction of ranking them)."""
        try:
            return self.conn.execute("SELECT count(*) FROM search_docs_fts WHERE search_docs_fts MATCH ?", (query,)).fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    def _best_per_page(self, query: str) -> dict[str, tuple[int, float]]:
        """slug -> (document id, bm25 score) of each page's best document among the top-ranked ones."""
        weights = ", ".join(str(w) for w in SEARCH_WEIGHTS)
        try:
            ranked = self.conn.execute(
                f"SELECT rowid, bm25(search_docs_fts, {weights}) AS score FROM search_docs_fts "
                "WHERE search_docs_fts MATCH ? ORDER BY score LIMIT ?",
                (query, RANK_WINDOW),
            ).fetchall()
            slugs = {}
            for start in range(0, len(ranked), 500):
                chunk = [r[0] for r in ranked[start : start + 500]]
                slugs.update(self.conn.execute(
                    f"SELECT id, slug FROM search_docs WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall())
        except sqlite3.OperationalError:
            return {}
        best: dict[str, tuple[int, float]] = {}
        for doc_id, score in ranked:  # bm25: lower is better
            slug = slugs.get(doc_id)
            if slug is not None and slug not in best:
                best[slug] = (doc_id, score)
        return best

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Ranked hits, at most one per page, best first.

        The index ranks every match (bm25, no join); the best document of each page is kept; pages
        the query names by title or synonym come first; snippets are cut for the few hits shown.
        """
        query = fts_query(text)
        if query is None:
            return []
        limit = max(1, min(int(limit), 100))
        words = query_words(text)
        if len(words) == 1 and len(words[0]) <= 2 and parse_level(text) is None:
            # one or two typed letters: the pages whose names start so, without ranking half the index
            names = self._names()
            best = {slug: (names.page_doc[slug], 0.0) for slug in names.starting(words[0]) if slug in names.page_doc}
            best = dict(list(best.items())[:limit])
        else:
            best = self._ranked(query, text, limit)
        if not best:
            return []
        ids = [doc_id for doc_id, _ in best.values()]
        rows = self.conn.execute(
            f"""
            SELECT d.id, d.slug, d.step, d.title AS doc_title, d.body, p.title AS page_title
            FROM search_docs d JOIN pages p ON p.slug = d.slug
            WHERE d.id IN ({','.join('?' * len(ids))})
            """,
            ids,
        ).fetchall()
        words = query_words(text)
        by_id = {r["id"]: r for r in rows}
        hits: list[SearchHit] = []
        for slug, (doc_id, score) in best.items():
            r = by_id.get(doc_id)
            if r is None:
                continue
            step = r["step"]
            snippet = make_snippet(r["body"], words)
            if step is not None:
                snippet = f"Step {step}: {r['doc_title']} — {snippet}"
            hits.append(SearchHit(slug, r["page_title"], snippet, "page" if step is None else f"step {step}", step, -float(score)))
        return hits
