"""Certificates: credit hours, requirement sets, issuance and verification."""
