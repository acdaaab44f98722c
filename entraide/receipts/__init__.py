"""Receipts: numbered gift receipts (in kind, later money) and donors' yearly statements."""
