"""CIDR arithmetic for ``ipBlock`` peers: a block is its ``cidr`` minus its ``except`` entries.

Host bits are allowed (``10.0.0.1/8`` means ``10.0.0.0/8``), as the API accepts them. An address
family mismatch never overlaps: ``0.0.0.0/0`` does not reach ``fd00:ec2::254``.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_ENDPOINTS = ("169.254.169.254/32", "fd00:ec2::254/128")
# RFC 1918, carrier-grade NAT (RFC 6598), link-local, and the IPv6 unique-local and link-local ranges.
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
                  "fc00::/7", "fe80::/10")
EVERYWHERE = ("0.0.0.0/0", "::/0")


def network(text: Any) -> Network | None:
    """``text`` as a network (a bare address is a /32 or /128), or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def networks(texts: Iterable[Any]) -> list[Network]:
    return [n for n in (network(t) for t in texts) if n is not None]


def subtract(parts: Sequence[Network], removed: Network) -> list[Network]:
    """``parts`` without the addresses of ``removed``."""
    result: list[Network] = []
    for part in parts:
        if part.version != removed.version or not part.overlaps(removed):
            result.append(part)
        elif removed.supernet_of(part):  # type: ignore[arg-type]
            continue
        else:
            result.extend(part.address_exclude(removed))  # type: ignore[arg-type]
    return result


def intersect(a: Network, b: Network) -> Network | None:
    """The common part of two CIDRs (one contains the other, or they are disjoint)."""
    if a.version != b.version or not a.overlaps(b):
        return None
    return a if a.prefixlen >= b.prefixlen else b


@dataclass(frozen=True, slots=True)
class IPBlock:
    """The addresses ``cidr`` allows, minus ``excepts``."""

    cidr: Network
    excepts: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, cidr: Any, excepts: Any = None) -> IPBlock | None:
        """An ``ipBlock`` (``{cidr, except}``) from its fields; None when the CIDR is invalid."""
        base = network(cidr)
        if base is None:
            return None
        return cls(base, tuple(networks(excepts if isinstance(excepts, list) else [])))

    def allowed_part(self, target: Network) -> list[Network]:
        """The parts of ``target`` this block lets through."""
        return list(_allowed_part(self, target))

    def reaches(self, target: Network) -> bool:
        """Whether some address of ``target`` gets through."""
        return bool(self.allowed_part(target))

    def covers(self, target: Network) -> bool:
        """Whether every address of ``target`` gets through."""
        parts = self.allowed_part(target)
        return sum(p.num_addresses for p in parts) == target.num_addresses

    @property
    def is_everywhere(self) -> bool:
        return self.cidr.prefixlen == 0

    def describe(self) -> str:
        if not self.excepts:
            return str(self.cidr)
        return f"{self.cidr} except {', '.join(map(str, self.excepts))}"


@functools.lru_cache(maxsize=4096)
def _allowed_part(block: IPBlock, target: Network) -> tuple[Network, ...]:
    # The same few blocks recur in every namespace's policies: compute each answer once.
    common = intersect(block.cidr, target)
    if common is None:
        return ()
    parts = [common]
    for removed in block.excepts:
        parts = subtract(parts, removed)
        if not parts:
            break
    return tuple(parts)


@functools.lru_cache(maxsize=1024)
def outside(blocks: tuple[IPBlock, ...], ranges: tuple[Network, ...]) -> tuple[Network, ...]:
    """The addresses some block lets through that are in none of ``ranges`` (the same few blocks
    recur in every namespace's policies, and each subtraction splits a network into many)."""
    parts = [part for block in blocks for part in block.allowed_part(block.cidr)]
    for removed in ranges:
        parts = subtract(parts, removed)
    return tuple(parts)


@functools.lru_cache(maxsize=1024)
def covered(blocks: tuple[IPBlock, ...], targets: tuple[Network, ...]) -> tuple[Network, ...]:
    """The targets that one of the blocks lets through whole (computed once per set of blocks)."""
    return tuple(target for target in targets if any(block.covers(target) for block in blocks))
