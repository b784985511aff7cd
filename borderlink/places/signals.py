"""Signals of the gazetteer that Django's model signals do not cover."""

from django.dispatch import Signal

# Sent after a bulk load wrote units or successions without per-row save signals, so that
# caches of the tree (places.scope) are dropped as they are after an ordinary save.
gazetteer_changed = Signal()
