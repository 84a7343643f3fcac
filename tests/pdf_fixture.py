"""A small real PDF made for the tests with reportlab: running header, page numbers, footnotes
with superscript markers (restarting on each page), a sentence cut by a page break, line-end
hyphenation, and a Japanese page whose lines break inside words."""
from __future__ import annotations

from pathlib import Path

HEADER = "Export Controls in Asia: A Working Paper"


def make_policy_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4

    def header_and_number(page_no: int) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, HEADER)
        c.drawString(width / 2, 30, str(page_no))

    def line(y: float, parts: list[tuple[str, bool]], font: str = "Helvetica", size: float = 11) -> None:
        """Draw a line of (text, is_superscript) parts."""
        x = 72
        for text, sup in parts:
            fsize = size * 0.6 if sup else size
            c.setFont(font, fsize)
            c.drawString(x, y + (size * 0.4 if sup else 0), text)
            x += pdfmetrics.stringWidth(text, font, fsize)

    # Page 1: body with a marker, a hyphenated line end, a sentence cut at the page foot.
    header_and_number(1)
    y = height - 90
    for parts in [
        [("The Ministry of Economy, Trade and Industry tightened export controls in 2019.", False), ("1", True)],
        [("Officials described the eco-", False)],
        [("nomic case for screening investment as compelling.", False)],
        [("The new rules require firms to report acquisitions that could", False)],
    ]:
        line(y, parts)
        y -= 16
    c.setLineWidth(0.5)
    c.line(72, 110, 200, 110)
    line(95, [("1", True), (" METI, \"Export Control Policy,\" accessed March 10, 2022, https://www.meti.go.jp/policy/.", False)],
         size=8)
    c.showPage()

    # Page 2: the cut sentence continues; a second note numbered 1 again (per-page numbering).
    header_and_number(2)
    y = height - 90
    for parts in [
        [("threaten national security in sensitive sectors.", False)],
        [("Tokyo backs a US strategy that confronts such acquisitions.", False), ("1", True)],
    ]:
        line(y, parts)
        y -= 16
    c.line(72, 110, 200, 110)
    line(95, [("1", True), (" Author interview with a METI official, 2021.", False)], size=8)
    c.showPage()

    # Page 3: Japanese body, lines breaking inside words, and a note.
    header_and_number(3)
    y = height - 90
    for parts in [
        [("経済安全保障推進法は二〇二二年に成立し、重要物資の供給", False)],
        [("網を強化することを目的とする。", False), ("1", True)],
    ]:
        line(y, parts, font="HeiseiMin-W3")
        y -= 18
    c.line(72, 110, 200, 110)
    line(95, [("1", True), (" 内閣府「経済安全保障推進法の概要」、2022年。", False)], font="HeiseiMin-W3", size=8)
    c.showPage()
    c.save()
    return path
