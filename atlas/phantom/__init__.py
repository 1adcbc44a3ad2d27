"""Spine Atlas image engine: an anatomically proportioned spine phantom and its renderers.

Qt-free (numpy and scipy only).  Content declares images in YAML; the builder
calls :func:`render_image` on each definition's ``render:`` mapping::

    from atlas.phantom import render_image, validate_render_spec, RenderedImage

    problems = validate_render_spec(spec)          # [(key path, message), ...]
    result = render_image(spec, size=512, cache_dir=path)
    result.pixels, result.annotations, result.view_text, result.meta

Interactive use (a virtual C-arm) goes through :class:`Phantom` and its
:class:`Renderer` (see :mod:`atlas.phantom.phantom`).  The render-spec schema is
in docs/image-definitions.md, the landmark names in docs/landmarks.md and the
parameter table in docs/phantom-parameters.md.
"""

from .phantom import Phantom, Renderer
from .render import RenderedImage, render_image
from .spec import validate_render_spec

__all__ = ["Phantom", "RenderedImage", "Renderer", "render_image", "validate_render_spec"]
