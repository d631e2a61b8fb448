"""``docgen serve``: a local web page over the library API (paste or upload a draft, fix the
guesses, see the real pages, download Word and PDF), and the JSON API the page uses.

Layering: this package only calls :mod:`docgen.api` and other public library functions; nothing
below imports it. FastAPI and uvicorn are the optional extra ``docgen[serve]``, imported lazily.
"""

from __future__ import annotations


def create_app(settings=None):
    """The ASGI application (see :func:`docgen.web.app.create_app`)."""
    from docgen.web.app import create_app as _create

    return _create(settings)
