"""The volunteering certificate: confirmed hours per mission, as a one-page PDF (reportlab)."""

from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from entraide.accounts.models import User
from entraide.missions.selectors import CertificateLine


def certificate_pdf(*, volunteer: User, lines: list[CertificateLine]) -> bytes:
    """Return the PDF bytes of a volunteer's certificate in the active language."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Certificate of volunteering"),
        author=settings.SITE_NAME,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    styles = getSampleStyleSheet()
    name = volunteer.get_full_name() or volunteer.first_name or volunteer.email
    total = sum((line.hours for line in lines), start=Decimal("0"))
    story: list[Any] = [
        Paragraph(escape(_("Certificate of volunteering")), styles["Title"]),
        Paragraph(
            escape(
                _("%(site)s certifies that %(name)s gave the following hours as a volunteer.")
                % {"site": settings.SITE_NAME, "name": name}
            ),
            styles["Normal"],
        ),
        Spacer(1, 0.6 * cm),
    ]
    rows: list[list[Any]] = [[_("Mission"), _("Organisation"), _("Dates"), _("Hours")]]
    for line in lines:
        first = formats.date_format(line.first_day, "SHORT_DATE_FORMAT")
        last = formats.date_format(line.last_day, "SHORT_DATE_FORMAT")
        rows.append(
            [
                Paragraph(escape(line.mission_title), styles["Normal"]),
                Paragraph(escape(line.organisation_name), styles["Normal"]),
                first if first == last else f"{first} – {last}",
                formats.number_format(line.hours, 2),
            ]
        )
    rows.append([_("Total"), "", "", formats.number_format(total, 2)])
    table = Table(rows, colWidths=[6 * cm, 5 * cm, 4 * cm, 2 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 0.8 * cm),
        Paragraph(
            escape(
                _("Hours confirmed by the organisations. Issued on %(day)s.")
                % {"day": formats.date_format(timezone.localdate(), "DATE_FORMAT")}
            ),
            styles["Italic"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
