"""Charts as text, for the terminal (Qt-free; the app draws them in atlas.ui.charts)."""

from __future__ import annotations

from atlas.model import Chart


def chart_text(chart: Chart, source_number: int | None) -> str:
    """The same chart for a terminal (``spine-atlas show``)."""
    lines = [f"[Chart] {chart.title}"]
    top = max((b.high for g in chart.groups for b in g.bars), default=1.0)
    scale = 40 / (100.0 if chart.unit == "%" and top <= 100 else top)
    for group in chart.groups:
        lines.append(f"  {group.name}")
        for bar in group.bars:
            value = f"{bar.low:g}–{bar.high:g}{chart.unit}" if bar.is_range else f"{bar.low:g}{chart.unit}"
            lines.append(f"    {bar.label:<22} {'█' * round(bar.low * scale)}{'░' * round((bar.high - bar.low) * scale)} {value}")
    if source_number:
        lines.append(f"  Source: [{source_number}]")
    return "\n".join(lines)
