"""Rebuild ``data/fonts/wqy-microhei-gb.ttf``: WenQuanYi Micro Hei cut to the characters the
platform prints.

Why a cut font: a PDF must embed the glyphs it uses, and subsetting a full CJK font (30,000+
glyphs) costs seconds per document; a font holding only the ~7,700 characters we print keeps a
notice well under half a second (see docs/adr/0009-pdf-documents.md).

The characters kept:
- all of GB 2312 (levels 1 and 2: 6,763 hanzi, plus its punctuation, full-width forms, Greek,
  Cyrillic, kana and box-drawing rows), printable ASCII and Latin-1, CJK punctuation
  (U+3000–303F), the full-width forms block (U+FF00–FFEF), general punctuation, circled numbers;
- every character of the region names in ``data/regions/henan.csv`` (57 are outside GB 2312,
  e.g. 堌 濮 瀍 洺);
- every CJK character in ``src/safetynet/**/*.py`` outside ``tests/`` (labels, notice texts, the
  synthetic name vocabulary), so that anything the code can print is covered.

Source packages (Debian, fetched with ``apt-get download`` unless ``--deb-dir`` holds them):
- ``fonts-wqy-microhei`` (0.2.0-beta, Apache-2.0 or GPL-3+ with font exception): the font;
- ``fonts-droid-fallback`` (6.0.1r16, Apache-2.0): Droid Sans Fallback Full, which WQY Micro Hei
  is itself based on, supplies the few CJK extension-A characters Micro Hei lacks (䩐 in a village
  name); they are decomposed and scaled to Micro Hei's 2048 units per em.

    python scripts/build_font.py            # downloads the two .deb files to a temp folder
    python scripts/build_font.py --deb-dir /tmp/debs --out data/fonts/wqy-microhei-gb.ttf
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "fonts" / "wqy-microhei-gb.ttf"
PACKAGES = ("fonts-wqy-microhei", "fonts-droid-fallback")
MICROHEI = "usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DROID_FULL = "usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
# Printed for a character the font lacks (documents.fonts does the replacement).
REPLACEMENT = "□"

RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1: · × ÷ ° ² ±
    (0x2010, 0x203B),  # dashes, quotes, ellipsis, ※
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x2460, 0x2473),  # ①–⑳
    (0x25A0, 0x25CF),  # □ ■ ○ ●
    (0x3000, 0x303F),  # CJK punctuation 、。〈〉《》「」【】〔〕
    (0xFF00, 0xFFEF),  # full-width forms
)


def gb2312_characters() -> set[str]:
    chars = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def region_characters() -> set[str]:
    with (ROOT / "data" / "regions" / "henan.csv").open(encoding="utf-8") as handle:
        return {char for row in csv.DictReader(handle) for char in row["name"]}


def source_characters() -> set[str]:
    chars: set[str] = set()
    for path in sorted((ROOT / "src" / "safetynet").rglob("*.py")):
        if "tests" in path.parts:
            continue  # tests hold deliberately unprintable characters
        chars.update(c for c in path.read_text(encoding="utf-8") if ord(c) >= 0x2E80)
    return chars


def required_characters() -> set[str]:
    """Characters the platform must be able to print; the build fails if a font lacks one."""
    return gb2312_characters() | region_characters() | source_characters() | {REPLACEMENT}


def wanted_characters() -> set[str]:
    """The required ones plus whole blocks of symbols, kept where the font has them."""
    chars = required_characters()
    for lo, hi in RANGES:
        chars.update(chr(code) for code in range(lo, hi + 1))
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def fetch_debs(target: Path) -> None:
    subprocess.run(["apt-get", "download", *PACKAGES], cwd=target, check=True)


def extract(deb_dir: Path, into: Path) -> None:
    for deb in sorted(deb_dir.glob("*.deb")):
        if deb.name.startswith(PACKAGES):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(into)], check=True)


def cut(font: TTFont, codepoints: set[int]) -> TTFont:
    options = subset.Options()
    options.hinting = False  # PDF viewers do not use TrueType hinting; it halves the size
    options.layout_features = []  # reportlab maps characters to glyphs through cmap only
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    return font


def add_glyphs(target: TTFont, donor: TTFont, codepoints: list[int]) -> list[int]:
    """Copy the donor's outlines of ``codepoints`` into ``target`` as simple glyphs scaled to the
    target's units per em. Returns the code points added."""
    scale = target["head"].unitsPerEm / donor["head"].unitsPerEm
    donor_cmap = donor.getBestCmap()
    donor_glyphs = donor.getGlyphSet()
    glyph_order = target.getGlyphOrder()
    added = []
    for code in codepoints:
        donor_name = donor_cmap.get(code)
        if donor_name is None:
            continue
        recording = DecomposingRecordingPen(donor_glyphs)
        donor_glyphs[donor_name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
        name = f"uni{code:04X}"
        glyph_order.append(name)
        target["glyf"][name] = pen.glyph()
        advance, _ = donor["hmtx"][donor_name]
        target["glyf"][name].recalcBounds(target["glyf"])
        target["hmtx"][name] = (round(advance * scale), target["glyf"][name].xMin)
        if "vmtx" in target:
            target["vmtx"][name] = (target["head"].unitsPerEm, 0)
        for table in target["cmap"].tables:
            if table.isUnicode():
                table.cmap[code] = name
        added.append(code)
    target.setGlyphOrder(glyph_order)
    target["maxp"].numGlyphs = len(glyph_order)
    return added


def build(deb_dir: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="safetynet-font-") as tmp:
        root = Path(tmp)
        extract(deb_dir, root)
        wanted = {ord(c) for c in wanted_characters()}
        microhei = TTCollection(str(root / MICROHEI)).fonts[0]  # 0: proportional, 1: Mono
        missing = sorted(wanted - set(microhei.getBestCmap()))
        font = cut(microhei, wanted)
        donor = cut(TTFont(str(root / DROID_FULL)), set(missing))
        added = add_glyphs(font, donor, missing)
        still_missing = sorted(
            ({ord(c) for c in required_characters()} & set(missing)) - set(added)
        )
        if still_missing:
            raise SystemExit(
                "required characters in neither font: " + "".join(chr(c) for c in still_missing)
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        font.recalcTimestamp = False  # the same packages give the same file
        font.save(str(out))
    covered = len(TTFont(str(out)).getBestCmap())
    print(
        f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {covered} characters, "
        f"{out.stat().st_size / 1e6:.2f} MB; from Droid Sans Fallback: "
        f"{''.join(chr(c) for c in added) or '-'}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb-dir", type=Path, help="folder holding the two .deb files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.deb_dir:
        build(args.deb_dir, args.out)
        return 0
    with tempfile.TemporaryDirectory(prefix="safetynet-debs-") as tmp:
        fetch_debs(Path(tmp))
        build(Path(tmp), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
