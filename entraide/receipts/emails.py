"""The emails about receipts: a donor's receipt is ready to download."""

from typing import Any

from entraide.core.links import absolute_url
from entraide.notifications.models import Notification
from entraide.notifications.registry import EmailKind
from entraide.receipts.models import Receipt


def receipt_context(notification: Notification) -> dict[str, Any]:
    """Return the receipt the email is about, its issuer and the link to download it."""
    receipt = (
        Receipt.objects.filter(pk=notification.about_id).first()
        if notification.about_id is not None
        else None
    )
    if receipt is None:
        return {"receipt": None}
    return {
        "receipt": receipt,
        "reference": receipt.reference,
        "issuer": receipt.issuer_name,
        "download_url": absolute_url(
            "receipts:download", language=notification.language, args=[receipt.pk]
        ),
    }


KINDS = (EmailKind("receipts_receipt_issued", context=receipt_context),)
