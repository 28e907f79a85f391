"""Assessments: item types (a registry), pure grading, attempts and item statistics."""
