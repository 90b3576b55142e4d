"""ML304: secrets written as literal environment variable values."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.identity.secret_names import embedded_secret, placeholder, secret_name
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML304", name="secret-in-env", title="Secret written as a literal environment variable value",
        severity="error", checklist=["MS-2"], tags=["security"], targets=WORKLOAD_KINDS, security_severity="7.5")
class SecretInEnv(Rule):
    """
    ## What it does
    Flags `env` entries of every container, init container and ephemeral container that carry a literal
    `value` and either have a secret-looking name (`PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`,
    `PRIVATE_KEY`, `ACCESS_KEY`, `CREDENTIALS`, ... as whole words, in snake, kebab or camel case) or
    hold a URL or connection string with an embedded password (`postgres://user:pw@db`,
    `Host=db;Password=pw`) or a PEM private key whatever their name.

    To keep false positives down, a name is not secret when a word after the secret word says the
    variable describes it (`TOKEN_TTL_SECONDS`, `PASSWORD_FILE`, `SECRET_NAME`, `ACCESS_KEY_ID`,
    `TOKEN_URL`), and a value is fine when it is empty, a `$(VAR)` or `${VAR}` reference, a boolean, a
    file path, a URL without credentials or an obvious placeholder (`changeme`, `<password>`, `xxxx`,
    `INSERT_TOKEN`, or the variable's own name as in `GOOGLE_API_KEY_VAL`).
    The value is never shown.

    ## Why is this bad?
    The value is committed with the manifest, so it is in the repository's history, and it is readable
    by anyone who can `get` the workload (a much wider audience than those who can read Secrets), in
    `kubectl describe`, in audit logs and in every rendered copy of the chart.

    ## How to fix
    Put the value in a Secret (created outside the repository, or committed encrypted with sealed-secrets,
    external-secrets or SOPS) and reference it with `valueFrom.secretKeyRef`, or mount the Secret as a
    file. Rotate the value: it has been committed.

    ## References
    - https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
    - https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in containers(doc):
            env = container.data.get("env")
            if not isinstance(env, list):
                continue
            for i, entry in enumerate(env):
                if not isinstance(entry, dict):
                    continue
                name, value = entry.get("name"), entry.get("value")
                if not isinstance(name, str) or not isinstance(value, (str, int, float)) or isinstance(value, bool):
                    continue
                text = str(value)
                carried = embedded_secret(text)
                if carried is None and secret_name(name) and not placeholder(text, name):
                    carried = "a literal value that looks like a secret"
                if carried is None:
                    continue
                yield Violation((*container.path, "env", i, "value"),
                                f"{container.describe()} sets env {name} to {carried}: move it into a Secret and "
                                "reference it with `valueFrom.secretKeyRef`, then rotate it (it is committed)")
