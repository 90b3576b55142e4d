"""ML205: images from registries outside the configured allow-list."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.images.common import REGISTRY_PREFIXES_SCHEMA, container_images
from manifestlint.builtin.images.reference import normalise_prefix, registry_matches
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define

_ALLOWED_SCHEMA = {**REGISTRY_PREFIXES_SCHEMA,
                   "description": "Registry or repository prefixes images may come from; empty allows every image."}
_SHOWN = 3  # allowed prefixes quoted in a message


@define(id="ML205", name="image-registry-not-allowed", title="Image comes from a registry that is not allowed",
        severity="error", checklist=["RA-6"], tags=["security"], security_severity="6.5",
        targets=WORKLOAD_KINDS, enabled=False,
        options_schema={"type": "object", "additionalProperties": False,
                        "properties": {"allowed-registries": _ALLOWED_SCHEMA}})
class ImageRegistryNotAllowed(Rule):
    """
    ## What it does
    Flags every container, init container and ephemeral container whose image does not come from one
    of the prefixes in the `allowed-registries` option. The rule is off by default, because only you
    know your registries: enable it and configure it together, e.g.

    ```yaml
    extend-select: [ML205]
    rules:
      image-registry-not-allowed:
        allowed-registries: [registry.example.com, ghcr.io/acme, docker.io/library]
    ```

    With an empty list it passes every image. Prefixes match whole path components (`ghcr.io/acme`
    admits `ghcr.io/acme/api` but not `ghcr.io/acme-fork/api`, and `registry.example.com` does not
    admit `registry.example.com.evil.io/x`). Images without a registry host are on Docker Hub and
    are compared by their full name: `nginx` is `docker.io/library/nginx`, `bitnami/redis` is
    `docker.io/bitnami/redis`; `index.docker.io` counts as `docker.io`. Unrendered placeholders such as
    `${REGISTRY}/app` are not judged.

    ## Why is this bad?
    An image from an unvetted registry bypasses whatever your own registry enforces: vulnerability
    scanning, signature checks, licence review, retention and a pull-through cache that keeps
    working when the public registry rate-limits or goes away. A typo-squatted name on a public
    registry runs attacker code with the pod's service account and network access.

    ## How to fix
    Mirror or rebuild the image into an allowed registry and reference it there, or, if the source
    is trustworthy, add its prefix to `allowed-registries`. Enforce the same list at admission time
    (a ValidatingAdmissionPolicy, Kyverno or Gatekeeper `allowedrepos`) so manifests that skip the
    linter are caught too.

    ## References
    - https://kubernetes.io/docs/concepts/containers/images/#image-names
    - https://open-policy-agent.github.io/gatekeeper-library/website/validation/allowedrepos/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        allowed = [p for p in ctx.options.get("allowed-registries", []) if normalise_prefix(p)]
        if not allowed:
            return
        for container, path, ref in container_images(doc):
            if any(registry_matches(ref, prefix) for prefix in allowed):
                continue
            shown = ", ".join(normalise_prefix(p) for p in allowed[:_SHOWN]) + (", …" if len(allowed) > _SHOWN else "")
            yield Violation(path, f"{container.describe()} image {ref.text!r} ({ref.full_name}) is not from an "
                                  f"allowed registry ({shown}): use a copy from one of them, or add its registry to "
                                  "allowed-registries")
