"""Receipts and yearly statements as one-page PDFs (reportlab), in the active language.

A French receipt carries what the Cerfa n°11580 form asks (beneficiary, donor, amount in
figures and words, date, form and nature of the gift, CGI articles, signatory); a Belgian one
is an acknowledgement of a gift in kind that says it is no tax certificate.
"""

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from entraide.core.formats import format_money, format_number
from entraide.core.links import absolute_url
from entraide.core.pdf import totals_table
from entraide.receipts.models import Receipt, ReceiptLine
from entraide.receipts.selectors import Line, Statement
from entraide.receipts.words import euros_in_words


def _money(cents: int) -> str:
    """Return euros the reader's way with spaces the PDF's fonts can draw."""
    return format_money(cents).replace("\u202f", "\u00a0")


def _kg(kg: object) -> str:
    return "" if kg is None else f"{format_number(kg)} kg"  # type: ignore[arg-type]


def _document(buffer: BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=settings.SITE_NAME,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.5 * cm,
    )


def _lines_table(lines: Sequence[Line | ReceiptLine], total_cents: int) -> Table:
    """Return the table of goods: category, kilograms, declared value, and the total."""
    rows: list[list[Any]] = [[_("Goods"), _("Weight"), _("Value declared by the donor")]]
    for line in lines:
        rows.append([line.description, _kg(line.kg), _money(line.value_cents)])
    rows.append([_("Total"), "", _money(total_cents)])
    return totals_table(rows, col_widths=[8 * cm, 3.5 * cm, 5.5 * cm], right_columns=(1, 2))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def receipt_pdf(*, receipt: Receipt, verify_url: str) -> bytes:
    """Return the PDF bytes of a receipt in the active language."""
    styles = getSampleStyleSheet()
    normal, small = styles["Normal"], ParagraphStyle("small", fontSize=8, leading=10)
    title = (
        _("Receipt for gifts to certain organisations of general interest")
        if receipt.is_tax_receipt
        else _("Acknowledgement of a gift in kind")
    )
    buffer = BytesIO()
    document = _document(buffer, title)
    story: list[Any] = []
    if receipt.is_cancelled:
        stamp = ParagraphStyle("stamp", parent=styles["Title"], textColor=colors.red, fontSize=28)
        story += [
            _p(_("CANCELLED"), stamp),
            _p(_("Reason: %(reason)s") % {"reason": receipt.cancel_reason}, normal),
            Spacer(1, 0.4 * cm),
        ]
    story.append(_p(title, styles["Title"]))
    if receipt.is_tax_receipt:
        story.append(
            _p(
                _("Cerfa n°11580 · Articles 200, 238 bis and 978 of the French tax code (CGI)"),
                small,
            )
        )
    story += [
        _p(_("Receipt number: %(number)s") % {"number": receipt.reference}, styles["Heading3"]),
        _p(_("Beneficiary"), styles["Heading2"]),
        _p(receipt.issuer_name, normal),
        _p(receipt.issuer_address, normal),
        _p(
            _("SIREN or enterprise number: %(n)s") % {"n": receipt.issuer_registration_number},
            normal,
        ),
        _p(_("Object: %(purpose)s") % {"purpose": receipt.issuer_purpose}, normal),
    ]
    if receipt.is_tax_receipt:
        story.append(_p(_("Organisation of general interest."), normal))
    story += [
        _p(_("Donor"), styles["Heading2"]),
        _p(receipt.donor_name, normal),
    ]
    if receipt.donor_address:
        story.append(_p(receipt.donor_address, normal))
    if receipt.donor_registration_number:
        story.append(
            _p(
                _("SIREN or enterprise number: %(n)s") % {"n": receipt.donor_registration_number},
                normal,
            )
        )
    language = (get_language() or "fr")[:2]
    words = euros_in_words(receipt.value_cents, language)
    gift_day = formats.date_format(receipt.gift_date, "DATE_FORMAT")
    story += [
        _p(_("The gift"), styles["Heading2"]),
        _p(
            (
                _(
                    "The beneficiary acknowledges receiving, as gifts that qualify for a tax "
                    "reduction, goods valued at:"
                )
                if receipt.is_tax_receipt
                else _("The beneficiary acknowledges receiving goods valued at:")
            ),
            normal,
        ),
        _p(_("Amount: %(amount)s") % {"amount": _money(receipt.value_cents)}, styles["Heading3"]),
        _p(_("In words: %(words)s") % {"words": words}, normal),
        _p(_("Date of the gift: %(day)s") % {"day": gift_day}, normal),
        _p(_("Form of the gift: gift by hand (don manuel)"), normal),
        _p(_("Nature of the gift: other, a gift in kind of the goods below"), normal),
        Spacer(1, 0.3 * cm),
        _lines_table(list(receipt.lines.all()), receipt.value_cents),
        _p(_("Valuation declared by the donor, in proportion to the kilograms received."), small),
        Spacer(1, 0.3 * cm),
    ]
    if receipt.is_tax_receipt:
        ticked = receipt.tax_article
        for article in ("200", "238 bis"):
            box = "[X]" if article == ticked else "[ ]"
            story.append(
                _p(
                    _("%(box)s article %(article)s of the CGI") % {"box": box, "article": article},
                    normal,
                )
            )
    else:
        story.append(
            _p(
                _(
                    "In Belgium a gift in kind gives no tax reduction: this acknowledgement is "
                    "not a tax certificate."
                ),
                normal,
            )
        )
    issued = formats.date_format(timezone.localtime(receipt.issued_at), "DATE_FORMAT")
    story += [
        Spacer(1, 0.5 * cm),
        _p(
            _("Issued on %(day)s by %(name)s, %(role)s.")
            % {"day": issued, "name": receipt.signatory_name, "role": receipt.signatory_role},
            normal,
        ),
        _p(_("Signature:"), normal),
        Spacer(1, 1 * cm),
        _p("_" * 40, normal),
        Spacer(1, 0.5 * cm),
        _p(_("Check this receipt at %(url)s") % {"url": verify_url}, small),
    ]
    document.build(story)
    return buffer.getvalue()


def receipt_response(receipt: Receipt) -> HttpResponse:
    """Return the receipt's PDF as a download, with its verification link in the language."""
    verify_url = absolute_url("receipts:verify", language=get_language(), args=[receipt.token])
    response = HttpResponse(receipt_pdf(receipt=receipt, verify_url=verify_url), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.reference}.pdf"'
    return response


def statement_pdf(*, statement: Statement) -> bytes:
    """Return the PDF bytes of a donor's yearly statement in the active language."""
    styles = getSampleStyleSheet()
    normal = styles["Normal"]
    title = _("Statement of gifts in kind %(year)s") % {"year": statement.year}
    buffer = BytesIO()
    document = _document(buffer, title)
    story: list[Any] = [
        _p(title, styles["Title"]),
        _p(statement.donor_name, styles["Heading2"]),
        _p(_("Goods received by associations from 1 January to 31 December."), normal),
        Spacer(1, 0.4 * cm),
        _lines_table(statement.lines, statement.value_cents),
        Spacer(1, 0.3 * cm),
        _p(
            _("Meal equivalents: %(meals)s") % {"meals": format_number(round(statement.meals))},
            normal,
        ),
        _p(_("Values as the donor declared them."), normal),
        _p(_("Receipts"), styles["Heading2"]),
    ]
    rows: list[list[Any]] = [[_("Number"), _("Association"), _("Date"), _("Value")]]
    for receipt in statement.receipts:
        rows.append(
            [
                receipt.reference + (f" ({_('cancelled')})" if receipt.is_cancelled else ""),
                Paragraph(escape(receipt.issuer_name), normal),
                formats.date_format(receipt.gift_date, "SHORT_DATE_FORMAT"),
                _money(receipt.value_cents),
            ]
        )
    if len(rows) == 1:
        story.append(_p(_("No receipt this year."), normal))
    else:
        table = Table(rows, colWidths=[4 * cm, 7 * cm, 3 * cm, 3 * cm])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
        story.append(table)
    document.build(story)
    return buffer.getvalue()
