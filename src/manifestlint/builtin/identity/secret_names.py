"""Decide whether an environment variable holds a secret, from its name and (never shown) value.

Names are split into words (``DB_PASSWORD``, ``dbPassword`` and ``db-password`` all give ``DB``,
``PASSWORD``); a secret word or phrase must be a whole word, so ``PASSWORDLESS`` or ``PASS_DEVICE_SPECS``
are not secrets. Words after the secret that describe it rather than hold it (``TOKEN_TTL_SECONDS``,
``PASSWORD_FILE``, ``SECRET_NAME``, ``ACCESS_KEY_ID``) clear the name. Values that are empty,
references (``$(VAR)``, ``${VAR}``), booleans, file paths, plain URLs or obvious placeholders are not
secrets whatever the name. Whatever the name, a URL or connection string with a password in it, or a
PEM private key, is a secret.
"""

from __future__ import annotations

import functools
import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")

# Whole words that hold a secret.
SECRET_WORDS = frozenset({
    "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "APIKEY",
    "CREDENTIAL", "CREDENTIALS", "CREDS", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY",
})
# Run-together spellings: a word ending in one of these (``DBPASSWORD``, ``GITHUBTOKEN``).
SECRET_ENDINGS = ("PASSWORD", "PASSWD", "TOKEN", "SECRET", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY")
# Two-word phrases ending in KEY; KEY alone (CACHE_KEY, KEY_PREFIX) is not a secret.
KEY_PHRASES = frozenset({
    "API", "PRIVATE", "ACCESS", "SECRET", "ENCRYPTION", "SIGNING", "MASTER", "AUTH", "SESSION", "ACCOUNT",
    "SHARED", "HMAC", "LICENSE", "CLIENT", "DECRYPTION",
})
# Ambiguous words that are secrets only as the last word of a longer name (REDIS_PASS, MYSQL_PWD;
# not PWD, the working directory, nor PASS_THROUGH).
TRAILING_ONLY = frozenset({"PASS", "PWD"})
# Words after the secret that make the variable describe it rather than hold it.
QUALIFIERS = frozenset({
    "FILE", "FILES", "FILENAME", "PATH", "DIR", "DIRECTORY", "LOCATION", "MOUNT", "VOLUME",
    "NAME", "NAMES", "REF", "ID", "IDS", "KEYID", "NAMESPACE", "LABEL", "ANNOTATION", "PREFIX", "SUFFIX",
    "TTL", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME", "DURATION", "AGE", "SECONDS", "SECS",
    "SEC", "MS", "MILLIS", "MINUTES", "MINS", "HOURS", "DAYS", "INTERVAL", "PERIOD", "ROTATION",
    "LENGTH", "LEN", "SIZE", "MIN", "MAX", "COUNT", "LIMIT", "RETRIES", "ATTEMPTS",
    "URL", "URI", "ENDPOINT", "HOST", "HOSTNAME", "PORT", "ADDR", "ADDRESS", "SERVER", "SERVICE",
    "HEADER", "PARAM", "FIELD", "TYPE", "KIND", "FORMAT", "MODE", "STRATEGY", "POLICY", "PROVIDER",
    "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "ALGORITHM", "ALG", "VERSION",
    "ENABLED", "DISABLED", "ENABLE", "DISABLE", "REQUIRED", "VERIFY", "VALIDATION", "CHECK",
    "STORE", "MANAGER", "BACKEND", "ENGINE",
})
# Names whose secret-looking word is an identifier by its owner's documentation: etcd's initial cluster
# token only tells clusters apart.
NOT_SECRETS = frozenset({("INITIAL", "CLUSTER", "TOKEN")})

PLACEHOLDERS = frozenset({
    "changeme", "change-me", "change_me", "changeit", "replaceme", "replace-me", "replace_me", "placeholder",
    "todo", "tbd", "none", "null", "nil", "redacted", "dummy", "example", "your-password", "your-token",
    "your_password", "your_token", "xxx",
})
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "enabled", "disabled"})
_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*?\}\}")
_INSTRUCTION = re.compile(r"\A(?:insert|replace|your|enter|put|change|fill)(?:[-_ .]|me\b)", re.IGNORECASE)
_MASK = re.compile(r"\A[xX*#.\-_ ]+\Z")
_PATH = re.compile(r"\A(?:/|\./|\.\./|~/|[A-Za-z]:\\)\S*\Z")
_URL = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*://(?P<userinfo>[^/?#@\s]*@)?\S*\Z")
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s:]*:(?P<password>[^/?#@\s]+)@")
# ``Password=...;`` in ADO.NET / JDBC style connection strings and ``?password=...`` in URLs.
_KEYED_PASSWORD = re.compile(r"(?:\A|[;&?\s])(?:password|passwd|pwd)=(?P<password>[^;&\s]+)", re.IGNORECASE)
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


def words(name: str) -> list[str]:
    """The upper-case words of an identifier in snake, kebab, dotted or camel case."""
    return [w for w in _SEPARATORS.split(_CAMEL.sub("_", name).upper()) if w]


@functools.lru_cache(maxsize=4096)  # the same names recur in every workload of a repository
def secret_name(name: str) -> bool:
    """Whether a variable called ``name`` holds a secret, judging by the name alone."""
    parts = words(name)
    end = -1
    for i, word in enumerate(parts):
        if (word in SECRET_WORDS or word.endswith(SECRET_ENDINGS)
                or (word == "KEY" and i > 0 and parts[i - 1] in KEY_PHRASES)
                or (word in TRAILING_ONLY and i == len(parts) - 1 and i > 0)):
            end = i
    if end < 0:
        return False
    if any(parts[j:j + len(phrase)] == list(phrase) for phrase in NOT_SECRETS for j in range(len(parts))):
        return False
    return not any(word in QUALIFIERS for word in parts[end + 1:])


def obvious_placeholder(value: str) -> bool:
    """Whether ``value`` is empty, only references or templates, a mask, or an obvious stand-in for a secret."""
    text = value.strip()
    if not _REFERENCE.sub("", text).strip() or _MASK.match(text) or _INSTRUCTION.match(text):
        return True
    if text.lower() in PLACEHOLDERS or text.startswith("...") or text.endswith("..."):
        return True
    return (text[0], text[-1]) in (("<", ">"), ("[", "]"))


def placeholder(value: str, name: str = "") -> bool:
    """Whether an env value holds no secret: an obvious placeholder, a boolean, a path or a plain URL.

    A value that spells out the variable's own name (``GOOGLE_API_KEY_VAL``) is a template's stand-in.
    """
    text = value.strip()
    lowered = text.lower()
    # Built from other variables (`$(DB_USER):$(DB_PASSWORD)`): the secret, if any, is elsewhere.
    if obvious_placeholder(text) or _REFERENCE.search(text) or lowered in _BOOLEANS or _PATH.match(text):
        return True
    if name and len(name) >= 4 and name.lower() in lowered:
        return True
    url = _URL.match(text)
    return url is not None and not _URL_PASSWORD.match(text)


def embedded_secret(value: str) -> str | None:
    """What secret a value carries whatever its name: a URL password or a private key (never the value)."""
    if "=" not in value and "@" not in value and "-----" not in value:  # what each pattern needs
        return None
    match = _URL_PASSWORD.search(value)
    if match and not placeholder(match.group("password")):
        return "a URL with an embedded password"
    match = _KEYED_PASSWORD.search(value)
    if match and not placeholder(match.group("password")):
        return "a connection string with an embedded password"
    if _PRIVATE_KEY.search(value):
        return "a private key"
    return None
