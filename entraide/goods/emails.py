"""The emails about goods: offers to associations, acceptances to donors, pickups, receipts."""

from entraide.notifications.registry import EmailKind

KINDS: tuple[EmailKind, ...] = ()
