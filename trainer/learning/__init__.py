"""Catalogue, module pages, progress and the learner's dashboard."""
