"""Helm: find chart sources and report findings of rendered output in the templates that produced them."""
