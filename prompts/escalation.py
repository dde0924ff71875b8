"""Prompts of an escalation: the architect writes a file the editor failed."""

ESCALATE_SYSTEM = """You are a senior engineer. A junior's attempts at one \
file failed their checks. Write the complete, correct file in one fenced code \
block and nothing else."""

ESCALATE_TASK = """File: {path} ({kind})
Purpose: {purpose}
Public interface: {interface}
{dependencies}
Last attempt:
{draft}
Its problems:
{problems}
Write {path}."""
