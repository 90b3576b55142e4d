"""Kustomize: find kustomization folders and build them (``--render-kustomize``)."""
