"""The reports' fonts: files of installed Python packages, never fetched while rendering.

A system's fonts differ from machine to machine and few carry Arabic or Chinese, so the reports
bring their own, from packages on PyPI (pyproject.toml), registered with ``@font-face`` by the
path where the package was installed:

- Noto Sans (``fontpkg-noto-sans``): Latin, Greek and Cyrillic; one variable file, every weight.
- Almarai (``fontpkg-almarai``): Arabic, static regular and bold. Chosen for a PDF whose text
  reads back as written: WeasyPrint's instance of the variable Noto Sans Arabic maps glyphs to
  the wrong letters, and the many ligatures of IBM Plex Sans Arabic (one glyph for two
  letters) come out of pypdf and pdftotext with their letters swapped.
- Noto Sans SC (``pylopdf-fonts-zh-cn``): Simplified Chinese (regular only; bold is drawn by
  the renderer).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

LATIN = "Noto Sans"
ARABIC = "Almarai"
CHINESE = "Noto Sans SC"


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    weight: str  # a CSS font-weight: "400", or a range "100 900" for a variable font
    style: str = "normal"

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def css(self) -> str:
        return (
            f'@font-face {{ font-family: "{self.family}"; src: url("{self.url}"); '
            f"font-weight: {self.weight}; font-style: {self.style}; }}"
        )


@functools.cache
def report_fonts() -> tuple[FontFace, ...]:
    """The font files of the reports, from the packages that ship them."""
    import fontpkg
    import pylopdf_fonts_zh_cn

    return (
        FontFace(LATIN, fontpkg.path(LATIN), "100 900"),
        FontFace(LATIN, fontpkg.path(LATIN, style="italic"), "100 900", "italic"),
        FontFace(ARABIC, fontpkg.path(ARABIC, "regular"), "400"),
        FontFace(ARABIC, fontpkg.path(ARABIC, "bold"), "700"),
        FontFace(CHINESE, pylopdf_fonts_zh_cn.sans_path(), "400"),
    )


def font_face_css() -> str:
    return "\n".join(face.css() for face in report_fonts())


def font_file(url: str) -> Path | None:
    """The file behind one of the reports' font URLs; None for any other URL."""
    return next((face.path for face in report_fonts() if face.url == url), None)
