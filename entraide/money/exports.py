"""A fund's movements as open data: one row per movement in or out, after 360Giving's fields.

360Giving describes grants (a funder gives an amount to a recipient on a date); a movement
into a fund is read the same way with the contributor as the funder and the fund as the
recipient. Beneficiaries are never named: their side is "beneficiary" and the territory.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from entraide.money.models import Contribution, Entry, Fund, Transaction

FIELDS = (
    "Identifier",
    "Title",
    "Currency",
    "Amount",
    "Amount (cents)",
    "Direction",
    "Award Date",
    "Funding Org:Name",
    "Recipient Org:Name",
    "Beneficiary Location:Name",
    "Transaction Kind",
    "Reverses",
    "Last Modified",
)


def counterparty(entry: Entry) -> str:
    """Return who was on the other side of a movement, as the public may read it."""
    posted = entry.transaction
    contribution: Contribution | None = getattr(posted, "contribution", None)
    if contribution is not None:
        return contribution.public_name
    if posted.kind == Transaction.Kind.REVERSAL and posted.reverses_id:
        return _("Reversal of movement #%(id)s") % {"id": posted.reverses_id}
    if posted.kind in (Transaction.Kind.COMMITMENT, Transaction.Kind.PAYOUT):
        return _("A beneficiary")
    return ""


def movement_row(fund: Fund, entry: Entry) -> dict[str, object]:
    """Return one movement of the fund with the open data's field names."""
    posted = entry.transaction
    incoming = entry.amount_cents > 0
    other = counterparty(entry)
    return {
        "Identifier": f"entraide-{fund.slug}-{posted.pk}",
        "Title": posted.get_kind_display(),
        "Currency": posted.currency,
        "Amount": str(Decimal(abs(entry.amount_cents)) / 100),
        "Amount (cents)": entry.amount_cents,
        "Direction": "in" if incoming else "out",
        "Award Date": posted.occurred_on.isoformat(),
        "Funding Org:Name": other if incoming else fund.name,
        "Recipient Org:Name": fund.name if incoming else other,
        "Beneficiary Location:Name": fund.territory.name if fund.territory else "",
        "Transaction Kind": posted.kind,
        "Reverses": f"entraide-{fund.slug}-{posted.reverses_id}" if posted.reverses_id else "",
        "Last Modified": posted.created_at.isoformat(),
    }
