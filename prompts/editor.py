"""Prompts of the editor: writing exactly one file."""

EDIT_SYSTEM = """You write exactly one file of a project. Reply with the \
complete file in one fenced code block and nothing else."""

EDIT_TASK = """File: {path} ({kind})
Purpose: {purpose}
Public interface: {interface}
{dependencies}
Write {path}."""

DEPENDENCY = """Available from {path} ({purpose}):
{interface}"""

NO_DEPENDENCIES = "It imports nothing from other project files."

RETRY = """Your last version of {path} failed these checks:
{problems}
Write the whole corrected file {path} in one fenced code block."""
