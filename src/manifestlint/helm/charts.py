"""Chart source folders: found in the scanned tree or named with ``--chart-dir``, indexed by chart name."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml


def chart_root(path: Path) -> Path | None:
    """The chart folder (holding ``Chart.yaml``) of a file inside its ``templates/``, or None."""
    for parent in path.parents:
        if parent.name == "templates" and (parent.parent / "Chart.yaml").is_file():
            return parent.parent
    return None


def outermost_chart(chart: Path) -> Path:
    """The chart to render for ``chart``: itself, or the parent chart it is a subchart of (``parent/charts/x``)."""
    while chart.parent.name == "charts" and (chart.parent.parent / "Chart.yaml").is_file():
        chart = chart.parent.parent
    return chart


def chart_name(folder: Path) -> str:
    """The chart's ``name`` from ``Chart.yaml`` (what ``# Source:`` lines start with), else the folder name."""
    try:
        data = yaml.load((folder / "Chart.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else folder.name


class ChartIndex:
    """Chart folders by name; resolves a ``# Source:`` path to the template file it names."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.by_name: dict[str, Path] = {}
        for folder in folders:
            folder = folder.resolve()
            if (folder / "Chart.yaml").is_file():
                self.by_name.setdefault(chart_name(folder), folder)
                self.by_name.setdefault(folder.name, folder)

    def __bool__(self) -> bool:
        return bool(self.by_name)

    def template_for(self, source: str) -> Path | None:
        """``mychart/templates/deploy.yaml`` (or ``mychart/charts/sub/templates/…``, ``mychart/crds/…``) as a file."""
        chart, _, rest = source.strip().partition("/")
        folder = self.by_name.get(chart)
        if folder is None or not rest:
            return None
        candidate = (folder / rest).resolve()
        if folder not in candidate.parents or not candidate.is_file():
            return None
        return candidate
