"""Licensing: provider approvals held by this deployment, time on task, personal guidance."""
