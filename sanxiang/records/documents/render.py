"""HTML → PDF with WeasyPrint, under GB/T 9704-2012 page geometry (assets/gbt9704.css).

Deterministic: the same type, context and stamp give the same PDF bytes — no creation date in
the metadata, the file identifier is a hash of the content, fonts come only from the project's
fontconfig file — because the PDF's hashes go into the ledger and a re-render must be
comparable.

Nothing is loaded from the network: government intranets have none, and a document must not
depend on (or leak to) an outside server. :class:`LocalFetcher` serves ``data:`` URIs and files
inside the document assets folder and refuses everything else, failing the render.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string

from sanxiang.lib.errors import DomainError

from . import context as ctx
from . import fonts, registry
from .stamp import Stamp

fonts.configure()  # before the first `import weasyprint` loads fontconfig (see fonts.py)
# fontTools warns about the stand-in AR PL KaitiM GB ("too much 'glyf' table data") on every
# subset; harmless (TECH-NOTES §5.2) and noisy in logs.
logging.getLogger("fontTools").setLevel(logging.ERROR)
# WeasyPrint logs every layout step at INFO ("Step 5 - Creating layout - Page 1").
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

ALLOWED_ROOTS = [registry.ASSETS_DIR]


class RefusedURL(ValueError):
    """A document template asked for something that is not a local asset or a data: URI."""


class LocalFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves only ``data:`` URIs and files under ALLOWED_ROOTS."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True, timeout=1)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            for root in ALLOWED_ROOTS:
                if path.is_relative_to(root.resolve()) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": content_type}
                    )
        raise RefusedURL(f"文书模板只能引用本地资源或 data: URI，已拒绝：{url}")


@cache
def _stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(
        filename=str(registry.ASSETS_DIR / "gbt9704.css"), url_fetcher=LocalFetcher()
    )


_local = threading.local()


def _font_config():
    """One FontConfiguration per thread: loading fontconfig's configuration and fonts takes
    time on every document otherwise, and Pango objects are not shared between threads."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def check_context(doc_type: registry.DocumentType, context: Any) -> None:
    """Raise a Chinese DomainError listing everything missing or wrong in ``context``."""
    if not isinstance(context, doc_type.context_class):
        raise DomainError(
            f"{doc_type.name}的内容应为 {doc_type.context_class.__name__} 数据对象", field="context"
        )
    found = ctx.problems(context)
    if found:
        raise DomainError(f"{doc_type.name}内容不完整：" + "；".join(found), field="context")


def render_html(code: str, context: Any, *, stamp: Stamp | None = None) -> str:
    """The document as HTML (checked context; ``stamp`` None renders a 样稿 without a code)."""
    doc_type = registry.get(code)
    check_context(doc_type, context)
    return render_to_string(
        doc_type.template,
        {
            "doc": context,
            "spec": doc_type,
            "stamp": stamp,
            "issued_on": doc_type.issued_on(context),
        },
    )


def html_to_pdf(html: str) -> bytes:
    try:
        document = weasyprint.HTML(
            string=html,
            base_url=registry.ASSETS_DIR.as_uri() + "/",
            url_fetcher=LocalFetcher(),
        )
        return document.write_pdf(
            stylesheets=[_stylesheet()],
            font_config=_font_config(),
            # /ID from the content hash: present (PDF/A wants one) and deterministic.
            pdf_identifier=True,
        )
    except FatalURLFetchingError as exc:
        raise DomainError(str(exc.__cause__ or exc)) from None


def render_pdf(code: str, context: Any, *, stamp: Stamp | None = None) -> bytes:
    """The document as PDF bytes."""
    return html_to_pdf(render_html(code, context, stamp=stamp))
