"""Model configurations to bench: from ``NAME=ARCHITECT,EDITOR`` or a file."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.context import Context

# Context fields a configuration may set besides the two models. The output
# directory and sandboxing belong to the bench as a whole, and a bench has
# nobody to approve plans.
_SETTINGS = {
    f.name
    for f in dataclasses.fields(Context)
    if f.name not in ("architect", "editor", "out_dir", "unsandboxed", "approve_plan")
}


class ConfigError(ValueError):
    """A configuration that cannot be understood."""


@dataclass(frozen=True)
class BenchConfig:
    """One configuration: who plans, who writes, with which limits.

    Attributes:
        name: Short label used in the table, the plot and file names.
        architect: Model spec of the architect, or a chat model instance.
        editor: Model spec of the editor, or a chat model instance.
        settings: Other ``Context`` fields, e.g. ``max_retries`` or
            ``architect_base_url``.
    """

    name: str
    architect: Any
    editor: Any
    settings: dict[str, Any] = field(default_factory=dict)

    def context(self, out_dir: Path, *, unsandboxed: bool) -> Context:
        """The run context of this configuration, writing under ``out_dir``."""
        return Context(
            architect=self.architect,
            editor=self.editor,
            out_dir=str(out_dir),
            unsandboxed=unsandboxed,
            **self.settings,
        )

    def describe(self) -> dict[str, Any]:
        """The configuration as plain data, for bench.json."""
        return {
            "name": self.name,
            "architect": _spec(self.architect),
            "editor": _spec(self.editor),
            "settings": dict(self.settings),
        }


def parse_config(text: str) -> BenchConfig:
    """Parse ``NAME=ARCHITECT,EDITOR``, e.g. ``hybrid=openai:gpt-4.1,local``."""
    name, sep, models = text.partition("=")
    architect, comma, editor = models.partition(",")
    if not sep or not comma or not name.strip() or not architect or not editor:
        raise ConfigError(
            f"configuration {text!r} is not NAME=ARCHITECT,EDITOR, e.g. "
            "hybrid=openai:gpt-4.1,local"
        )
    return make_config(name.strip(), architect.strip(), editor.strip(), {})


def load_config_file(path: str | Path) -> list[BenchConfig]:
    """Configurations from a YAML or JSON file.

    The file maps each name to its settings::

        hybrid:
          architect: openai:gpt-4.1
          editor: local
          max_retries: 2
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read configurations from {path}: {err}") from err
    if not isinstance(data, dict) or not data:
        raise ConfigError(
            f"{path} must map configuration names to settings, e.g. "
            + json.dumps({"hybrid": {"architect": "openai:gpt-4.1", "editor": "local"}})
        )
    configs = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"configuration {name!r} in {path} is not a mapping")
        entry = dict(entry)
        architect = entry.pop("architect", "local")
        editor = entry.pop("editor", "local")
        configs.append(make_config(str(name), architect, editor, entry))
    return configs


def make_config(
    name: str, architect: Any, editor: Any, settings: dict[str, Any]
) -> BenchConfig:
    """A checked configuration.

    Raises:
        ConfigError: if the name cannot label files or a setting is unknown.
    """
    if not name.replace("-", "").replace("_", "").isalnum():
        raise ConfigError(
            f"configuration name {name!r} may hold only letters, digits, '-' and '_'"
        )
    unknown = sorted(set(settings) - _SETTINGS)
    if unknown:
        raise ConfigError(
            f"configuration {name!r} has unknown settings {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_SETTINGS))}"
        )
    return BenchConfig(name, architect, editor, settings)


def unique(configs: list[BenchConfig]) -> list[BenchConfig]:
    """``configs`` unchanged, after checking no two share a name."""
    names = [config.name for config in configs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigError(f"configuration names must differ: {', '.join(twice)}")
    if not configs:
        raise ConfigError(
            "no configuration: pass --config NAME=ARCHITECT,EDITOR or --config-file"
        )
    return configs


def _spec(model: Any) -> str:
    if isinstance(model, str):
        return model
    return f"instance:{type(model).__name__}"
