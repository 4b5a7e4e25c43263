"""What a graded cell may contain, decided statically before anything runs.

Graded code is the exercise cell (every cell carrying the exercise's id, in notebook order) plus the
**helpers** it uses: a function or class defined with ``def``/``class`` at the top level of any other
code cell of the submission, when the graded code names it and does not define it itself (the last
definition in the notebook wins; helpers may use further helpers). Nothing else from other cells is
graded: a variable set in another cell is reported by name.

A graded cell may use NumPy, SciPy, the standard library and the third-party imports of the chapter's
setup cell; it may **not** reach the book's own code, which holds every reference solution:

- importing ``coursework_lib`` or the import machinery (``importlib``, ``runpy``, ``pkgutil``, ``imp``,
  ``zipimport``), calling ``__import__``, ``exec``, ``eval`` or ``compile``;
- using a name the setup cell imports from ``coursework_lib`` (``activations``, ``check`` ...) or the
  exercise registry (``get_exercise``, ``.reference``);
- introspection that walks to other modules (``__builtins__``, ``__subclasses__``, ``__globals__``,
  frame attributes), or text naming the library, notebooks or the autograder folder.

Such a cell scores 0 for that exercise with one feedback line naming what it used. The check is a
clear message for honest mistakes and a first fence; the sandbox, which does not contain the library
at all, is the guarantee.
"""

from __future__ import annotations

import ast
import io
import tokenize

FORBIDDEN_MODULES = frozenset({"coursework_lib", "importlib", "imp", "runpy", "pkgutil", "zipimport"})
FORBIDDEN_NAMES = frozenset(
    {
        "__import__",
        "__builtins__",
        "__loader__",
        "__spec__",
        "exec",
        "eval",
        "compile",
        "get_exercise",
        "all_exercises",
        "coursework_lib",
    }
)
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "reference",
        "__import__",
        "__builtins__",
        "__loader__",
        "__spec__",
        "__subclasses__",
        "__globals__",
        "__code__",
        "__closure__",
        "f_globals",
        "f_locals",
        "f_back",
        "gi_frame",
        "cr_frame",
        "tb_frame",
    }
)
FORBIDDEN_TEXT = (
    "coursework_lib",
    "importlib",
    "runpy",
    "pkgutil",
    "zipimport",
    "__import__",
    "__builtins__",
    "__subclasses__",
    "__globals__",
    "get_exercise",
    ".ipynb",
    "autograder",
)
SAFE_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


def neutralise_magics(source: str) -> str:
    """Plain Python from a cell: IPython magics and shell escapes that *start a statement* are
    commented out (``%timeit f()``, ``!ls``); a line starting with ``%`` that continues a statement
    (``a = (b\\n     % c)``) is kept. ``%%time``/``%%timeit``/``%%capture`` cells keep their body;
    any other cell magic (``%%bash``) makes the whole cell a comment. Accepts CRLF line ends."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].split()[0] if lines[0].split() else ""
        if magic in SAFE_CELL_MAGICS:
            lines[0] = "# " + lines[0]
        else:
            return "".join("# " + line + "\n" for line in lines)
    out, pending = [], []
    for line in lines:
        if not pending and line.lstrip().startswith(("%", "!")):
            out.append("# " + line)
            continue
        out.append(line)
        pending.append(line)
        if _complete("\n".join(pending) + "\n"):
            pending = []
    return "\n".join(out).rstrip("\n") + "\n"


def _complete(text: str) -> bool:
    """False while ``text`` ends inside a bracket, a backslash continuation or a triple-quoted string."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(text).readline):
            pass
    except tokenize.TokenError:
        return False
    except (SyntaxError, IndentationError):
        return True
    return True


def _bound_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
    return names


def _loaded_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def forbidden_use(sources: list[str], library_names: frozenset[str] | set[str] = frozenset()) -> str | None:
    """None if the graded sources are allowed, else a one-line reason naming what they used.

    ``library_names``: the names the chapter's setup cell imports from ``coursework_lib``. A cell that
    does not parse is allowed here (running it reports the syntax error).
    """
    trees = [tree for tree in map(_parse, sources) if tree is not None]
    bound = set().union(*map(_bound_names, trees)) if trees else set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                        return _reason(f"imports {alias.name}")
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    return _reason("uses a relative import")
                if (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                    return _reason(f"imports from {node.module}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id in FORBIDDEN_NAMES:
                    return _reason(f"uses {node.id}")
                if node.id in library_names and node.id not in bound:
                    return _reason(f"uses {node.id} from the course library")
            elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
                return _reason(f"uses the attribute .{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                for text in FORBIDDEN_TEXT:
                    if text in node.value:
                        return _reason(f"contains the text {text!r}")
    return None


def _reason(what: str) -> str:
    return (
        f"not graded: the exercise code {what}; graded cells may use NumPy, SciPy and the standard "
        "library, not the course library or the import machinery (scored 0)"
    )


def graded_sources(exercise_sources: list[str], other_sources: list[str]) -> tuple[list[str], list[str]]:
    """(helpers, exercise cells): the top-level ``def``/``class`` statements of other cells that the
    exercise cells use (transitively), as source, then the exercise cells themselves."""
    definitions: dict[str, ast.stmt] = {}
    for source in other_sources:
        tree = _parse(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                definitions[node.name] = node  # the last definition in the notebook wins
    trees = [tree for tree in map(_parse, exercise_sources) if tree is not None]
    bound = set().union(*map(_bound_names, trees)) if trees else set()
    wanted = set().union(*map(_loaded_names, trees)) - bound if trees else set()
    chosen: dict[str, ast.stmt] = {}
    while wanted:
        name = wanted.pop()
        if name in chosen or name not in definitions:
            continue
        chosen[name] = definitions[name]
        helper = ast.Module(body=[definitions[name]], type_ignores=[])
        wanted |= _loaded_names(helper) - _bound_names(helper) - bound - set(chosen)
    order = [node for node in definitions.values() if node.name in chosen]
    return [ast.unparse(node) + "\n" for node in order], list(exercise_sources)


def assigned_elsewhere(name: str, other_sources: list[str]) -> bool:
    """True if ``name`` is assigned (not defined with def/class) at the top level of another cell."""
    for source in other_sources:
        tree = _parse(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(
                node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Import, ast.ImportFrom, ast.For, ast.With)
            ) and name in _bound_names(node):
                return True
    return False
