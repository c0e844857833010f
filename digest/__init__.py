"""The daily digest: which days are due, what to report, rendering, sending, the ledger."""
