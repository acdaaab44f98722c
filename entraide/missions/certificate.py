"""The volunteering certificate: confirmed hours per mission, as a one-page PDF (reportlab)."""

from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from entraide.core.pdf import totals_table
from entraide.missions.models import Certificate
from entraide.missions.selectors import CertificateLine


def certificate_pdf(
    *, certificate: Certificate, lines: list[CertificateLine], verify_url: str
) -> bytes:
    """Return the PDF bytes of a certificate in the active language."""
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
    volunteer = certificate.volunteer
    organisation = certificate.organisation
    name = volunteer.get_full_name() or volunteer.first_name or volunteer.email
    total = sum((line.hours for line in lines), start=Decimal("0"))
    address = ", ".join(
        part
        for part in (
            organisation.address,
            f"{organisation.postcode} {organisation.town}".strip(),
            organisation.country,
        )
        if part
    )
    story: list[Any] = [
        Paragraph(escape(_("Certificate of volunteering")), styles["Title"]),
        Paragraph(escape(organisation.name), styles["Heading2"]),
        Paragraph(escape(address), styles["Normal"]),
    ]
    if organisation.registration_number:
        story.append(
            Paragraph(
                escape(
                    _("Registration number: %(number)s")
                    % {"number": organisation.registration_number}
                ),
                styles["Normal"],
            )
        )
    story += [
        Spacer(1, 0.6 * cm),
        Paragraph(
            escape(
                _(
                    "%(organisation)s certifies that %(name)s gave the following hours "
                    "as a volunteer."
                )
                % {"organisation": organisation.name, "name": name}
            ),
            styles["Normal"],
        ),
        Spacer(1, 0.6 * cm),
    ]
    rows: list[list[Any]] = [[_("Mission"), _("Dates"), _("Hours")]]
    for line in lines:
        first = formats.date_format(line.first_day, "SHORT_DATE_FORMAT")
        last = formats.date_format(line.last_day, "SHORT_DATE_FORMAT")
        rows.append(
            [
                Paragraph(escape(line.mission_title), styles["Normal"]),
                first if first == last else f"{first} – {last}",
                formats.number_format(line.hours, 2, use_l10n=True),
            ]
        )
    rows.append([_("Total"), "", formats.number_format(total, 2, use_l10n=True)])
    table = totals_table(rows, col_widths=[9 * cm, 5 * cm, 3 * cm], right_columns=(2, 2))
    story += [
        table,
        Spacer(1, 0.8 * cm),
        Paragraph(
            escape(
                _("Hours confirmed by the organisation. Issued on %(day)s.")
                % {"day": formats.date_format(certificate.issued_on, "DATE_FORMAT")}
            ),
            styles["Italic"],
        ),
        Spacer(1, 1.2 * cm),
        Paragraph(
            escape(
                _("For %(organisation)s, name and signature:") % {"organisation": organisation.name}
            ),
            styles["Normal"],
        ),
        Spacer(1, 1.2 * cm),
        Paragraph("_" * 40, styles["Normal"]),
        Spacer(1, 0.8 * cm),
        Paragraph(
            escape(
                _("Verification code: %(code)s. Check this certificate at %(url)s")
                % {"code": certificate.display_code, "url": verify_url}
            ),
            styles["Normal"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
