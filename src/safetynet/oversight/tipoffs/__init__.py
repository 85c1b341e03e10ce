"""Tip-offs (举报): intake by staff, assignment, investigation and closing; figures per county."""
