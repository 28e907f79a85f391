"""Referral directories and protocols per organisation and unit (issue 18)."""
