"""Organisations: ministries, agencies, hospitals and academies, their members and reports."""
