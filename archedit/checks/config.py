"""Parse checks for configuration and data files: JSON, TOML, YAML, INI."""

from __future__ import annotations

import configparser
import json
import posixpath
import tomllib

import yaml

from archedit.checks.problem import Problem, one_line

PARSED_SUFFIXES = (".json", ".toml", ".yaml", ".yml", ".cfg", ".ini")


def parse_problems(path: str, content: str) -> list[Problem]:
    """Parse ``content`` by the format its suffix names; [] for other files."""
    suffix = posixpath.splitext(path)[1].lower()
    try:
        if suffix == ".json":
            json.loads(content)
        elif suffix == ".toml":
            tomllib.loads(content)
        elif suffix in (".yaml", ".yml"):
            # A YAML file may hold several documents separated by ---.
            for _ in yaml.safe_load_all(content):
                pass
        elif suffix in (".cfg", ".ini"):
            configparser.ConfigParser(interpolation=None).read_string(content)
    except json.JSONDecodeError as err:
        return [_problem(f"line {err.lineno} column {err.colno}: {err.msg}")]
    except tomllib.TOMLDecodeError as err:
        return [_problem(f"invalid TOML: {err}")]
    except yaml.YAMLError as err:
        return [_problem(_yaml_message(err))]
    except configparser.Error as err:
        return [_problem(f"invalid {suffix[1:].upper()}: {err}")]
    return []


def _yaml_message(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None)
    where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
    return f"{where}{problem}" + (f" ({context})" if context else "")


def _problem(message: str) -> Problem:
    return Problem("parse", one_line(message))
