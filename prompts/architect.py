"""Prompts of the architect: planning the blueprint."""

PLAN_SYSTEM = """You are the architect of a software project. You plan files; \
other programmers write them. Answer with JSON only, matching this shape:
{{"summary": "...", "files": [{{"path": "pkg/mod.py", "kind": "module", \
"purpose": "...", "interface": "def name(arg) -> type", "depends_on": []}}]}}
Rules:
- paths are relative, like "shop/db.py"; at most {max_files} files;
- kind is one of module, test, config, doc;
- purpose says exactly what the file contains: names, signatures, behaviour;
- interface lists the public names other files may import;
- depends_on lists the blueprint paths this file imports or tests, never itself;
- no dependency cycles; tests depend on the modules they test."""

PLAN_TASK = """Task: {task}

Plan the files."""

PLAN_FIX = """That plan cannot be used:
{problems}
Send the whole corrected plan as JSON."""

EXAMPLE_TASK = "A module counter.py with count_words(text) and a pytest test."

EXAMPLE_PLAN = """{
 "summary": "A counter module and its test.",
 "files": [
  {"path": "counter.py", "kind": "module",
   "purpose": "Defines count_words(text: str) -> int returning the number of \
words in text.",
   "interface": "def count_words(text: str) -> int", "depends_on": []},
  {"path": "test_counter.py", "kind": "test",
   "purpose": "pytest tests: count_words('a b') == 2 and count_words('') == 0.",
   "interface": "", "depends_on": ["counter.py"]}
 ]
}"""
