"""What the engine adds to every issued document: 文号, verification code and its QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from sanxiang.records import rules

VERIFY_PATH = "/verify/document/"


@dataclass(frozen=True)
class Stamp:
    """``verification_code`` is the 10-character code (rules.new_code); ``site_root`` the
    public address of this installation (settings.SITE_ROOT)."""

    verification_code: str
    site_root: str
    number: str = ""  # 文号, printed in the head when the document type has one

    @property
    def grouped_code(self) -> str:
        return rules.group_code(self.verification_code)

    @property
    def verify_url(self) -> str:
        return f"{self.site_root.rstrip('/')}{VERIFY_PATH}{self.verification_code}"

    @property
    def verify_form_url(self) -> str:
        return f"{self.site_root.rstrip('/')}{VERIFY_PATH}"

    def qr(self) -> segno.QRCode:
        # Level M (15 % recovery) survives a seal printed over a corner or a worn copy.
        return segno.make_qr(self.verify_url, error="m", boost_error=False)

    def qr_svg_data_uri(self) -> str:
        """SVG as a data: URI — vector, so it prints sharp; WeasyPrint draws it (no network)."""
        return self.qr().svg_data_uri(scale=1, border=0, omitsize=True)

    def qr_png(self, *, scale: int = 6) -> bytes:
        out = io.BytesIO()
        self.qr().save(out, kind="png", scale=scale, border=2)
        return out.getvalue()
