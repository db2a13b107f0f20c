"""The certificate as a one-page A4 PDF (landscape), drawn with matplotlib's PDF backend
(object API, no pyplot state) and DejaVu Sans, which matplotlib ships and which has
every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І). The QR code (segno) holds the verification
deep link. Texts arrive translated; nothing here knows the database."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib
import segno

matplotlib.use("Agg")

from matplotlib.backends.backend_pdf import FigureCanvasPdf  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

A4_LANDSCAPE = (11.69, 8.27)  # inches
FONT = "DejaVu Sans"
ACCENT = "#2a7ab0"


@dataclass(frozen=True, slots=True)
class CertificateSheet:
    title: str  # "Certificate of volunteer hours"
    lead: str  # "This is to certify that"
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value): hours, tasks, period, level
    issued: str  # "Issued by {org} on {date}"
    code_line: str  # "Certificate No. C-..."
    check_line: str  # how to check it
    link: str  # the deep link in the QR code


def render_pdf(sheet: CertificateSheet) -> bytes:
    figure = Figure(figsize=A4_LANDSCAPE)
    canvas = FigureCanvasPdf(figure)
    figure.patches.append(Rectangle((0.03, 0.04), 0.94, 0.92, transform=figure.transFigure, fill=False,
                                    edgecolor=ACCENT, linewidth=3))
    figure.text(0.5, 0.86, sheet.title, fontsize=30, weight="bold", color=ACCENT, family=FONT, ha="center",
                va="center")
    figure.text(0.5, 0.75, sheet.lead, fontsize=16, family=FONT, ha="center", va="center")
    figure.text(0.5, 0.67, "\n".join(textwrap.wrap(sheet.name, 40)) or "—", fontsize=28, weight="bold",
                family=FONT, ha="center", va="center")
    y = 0.55
    for label, value in sheet.facts:
        figure.text(0.40, y, label, fontsize=16, family=FONT, ha="right", va="center", color="#444444")
        figure.text(0.42, y, value, fontsize=16, family=FONT, ha="left", va="center", weight="bold")
        y -= 0.06
    figure.text(0.06, 0.17, "\n".join(textwrap.wrap(sheet.issued, 70)), fontsize=13, family=FONT, va="center")
    figure.text(0.06, 0.11, sheet.code_line, fontsize=13, family=FONT, va="center", weight="bold")
    figure.text(0.06, 0.07, "\n".join(textwrap.wrap(sheet.check_line, 90)), fontsize=9, family=FONT,
                va="center", color="#555555")
    qr = segno.make(sheet.link, error="m")
    matrix = [[1 if cell else 0 for cell in row] for row in qr.matrix_iter(scale=1, border=2)]
    axes = figure.add_axes((0.78, 0.07, 0.16, 0.16 * A4_LANDSCAPE[0] / A4_LANDSCAPE[1]))
    axes.imshow(matrix, cmap="gray_r", interpolation="nearest", vmin=0, vmax=1)
    axes.set_axis_off()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):  # TrueType: the text can be selected and searched
        canvas.print_pdf(buffer, metadata={"Title": sheet.title, "Creator": "Birge"})
    return buffer.getvalue()
