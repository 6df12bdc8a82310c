"""Evaluation: gold annotations, matching, scores and reports."""
