"""Prefect flows only. Thin: each task calls one plain function from mentions.pipeline."""
