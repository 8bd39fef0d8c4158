"""Inbound mail that reaches a case (placeholder until issue 7 lands)."""
