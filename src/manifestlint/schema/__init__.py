"""Strict schema validation: the bundled Kubernetes schemas, CRD schemas, and plain-words errors."""
