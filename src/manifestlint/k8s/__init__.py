"""Kubernetes knowledge shared by rules: where pod specs and containers live."""
