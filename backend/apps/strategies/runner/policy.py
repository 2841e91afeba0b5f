"""Politique de compilation du code des stratégies : syntaxe, imports permis, noms et attributs interdits.

Pur (aucun Django, aucune exécution) : le web l'applique pour « Tester », le runner avant d'exécuter.
Chaque refus est une erreur française avec sa ligne et sa colonne.
"""

import ast
import re
from dataclasses import dataclass

from RestrictedPython import compile_restricted_exec
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer, copy_locations

STRATEGY_FILENAME = "<stratégie>"
MAX_CODE_CHARS = 100_000

ALLOWED_MODULES = frozenset(
    {
        "aristobot.strategies",
        "aristobot.indicators",
        "aristobot.utils",
        "math",
        "statistics",
        "decimal",
        "datetime",
        "numpy",
        "pandas",
    }
)
# Sous-modules importables de ces paquets (import numpy.linalg, from pandas import …).
ALLOWED_PACKAGES = ("numpy", "pandas")

FORBIDDEN_NAMES = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "open",
        "globals",
        "locals",
        "vars",
        "dir",
        "breakpoint",
        "input",
        "help",
        "memoryview",
        "type",
        "exit",
        "quit",
    }
)
ATTRIBUTE_CALLS = frozenset({"getattr", "setattr", "delattr", "hasattr"})
# Noms qui contournent les gardes : numpy y lit et écrit la mémoire hors de ses tableaux ; les évaluateurs
# de pandas (DataFrame.eval / query, pd.eval) lisent les attributs sans elles.
_MEMORY = "accès direct à la mémoire"
_EVALUATOR = "évaluateur d'expressions de pandas, sans les gardes"
UNGUARDED_NAMES = {
    "as_strided": _MEMORY,
    "ctypes": _MEMORY,
    "ctypeslib": _MEMORY,
    "DummyArray": _MEMORY,
    "eval": _EVALUATOR,
    "query": _EVALUATOR,
}
# Méthodes de pandas qui acceptent le *nom* d'une fonction ("eval", "query", "to_pickle"…) et l'appellent
# sans les gardes : seuls les noms de réductions simples y passent (politique et gardes).
DISPATCH_METHODS = frozenset({"apply", "agg", "aggregate", "transform", "pipe", "pivot_table", "crosstab"})
# Paramètres qui reçoivent la fonction ; pivot_table et crosstab ne la prennent que par `aggfunc`.
FUNCTION_PARAMETERS = ("func", "arg", "aggfunc")
_KEYWORD_ONLY = frozenset({"pivot_table", "crosstab"})
ALLOWED_FUNCTION_NAMES = frozenset(
    {
        "sum",
        "mean",
        "median",
        "min",
        "max",
        "std",
        "var",
        "sem",
        "skew",
        "kurt",
        "count",
        "size",
        "nunique",
        "first",
        "last",
        "prod",
        "ohlc",
        "any",
        "all",
        "idxmin",
        "idxmax",
        "cumsum",
        "cumprod",
        "cummin",
        "cummax",
        "diff",
        "pct_change",
        "rank",
        "shift",
        "abs",
    }
)
# Sous-modules refusés : lecture de fichiers et évaluateur d'expressions de pandas.
DENIED_SUBMODULES = ("pandas.io", "pandas.core.computation")


@dataclass(frozen=True)
class CodeError:
    line: int | None
    column: int | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


def dispatch_refusal(method: str, name: str) -> str:
    return (
        f'Interdit dans une stratégie : « {method}("{name}") » (fonction donnée par son nom). '
        f"Noms permis : {', '.join(sorted(ALLOWED_FUNCTION_NAMES))} ; sinon passez une fonction."
    )


def module_allowed(name: str) -> bool:
    parts = name.split(".")
    if name in ALLOWED_MODULES:
        return True
    return (
        parts[0] in ALLOWED_PACKAGES
        and not UNGUARDED_NAMES.keys() & set(parts)
        and not any(name == denied or name.startswith(denied + ".") for denied in DENIED_SUBMODULES)
    )


def _is_strategy_base(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Strategy") or (
        isinstance(node, ast.Attribute) and node.attr == "Strategy"
    )


class _PolicyVisitor(ast.NodeVisitor):
    def __init__(self):
        self.errors: list[CodeError] = []
        self.strategy_classes: list[ast.ClassDef] = []

    def _refuse(self, node: ast.AST, message: str) -> None:
        self.errors.append(CodeError(node.lineno, node.col_offset + 1, message))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not module_allowed(alias.name):
                self._refuse(node, f"Import interdit : « {alias.name} ». Modules permis : {_allowed_text()}.")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self._refuse(node, "Import relatif interdit dans une stratégie.")
        elif not (module_allowed(module) or module == "aristobot"):
            self._refuse(node, f"Import interdit : « {module} ». Modules permis : {_allowed_text()}.")
        else:
            for alias in node.names:
                if alias.name == "*":
                    self._refuse(node, "« import * » est interdit : nommez ce que vous importez.")
                elif module == "aristobot" and f"aristobot.{alias.name}" not in ALLOWED_MODULES:
                    self._refuse(node, f"Import interdit : « aristobot.{alias.name} ».")
                elif alias.name.startswith("_"):
                    self._refuse(node, f"Import interdit : « {alias.name} » (nom privé).")
                elif alias.name in UNGUARDED_NAMES:
                    self._refuse(node, f"Import interdit : « {alias.name} » ({UNGUARDED_NAMES[alias.name]}).")
                elif alias.name in DISPATCH_METHODS:
                    self._refuse(node, f"Import interdit : « {alias.name} » : utilisez la méthode du DataFrame.")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("_"):
            self._refuse(node, f"Nom interdit « {node.id} » : les noms commençant par « _ » sont réservés.")
        elif node.id in FORBIDDEN_NAMES:
            self._refuse(node, f"« {node.id} » est interdit dans une stratégie.")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # Comme RestrictedPython : seul __init__ parmi les noms en « _ » (pas de __array_interface__, __getattr__…).
        if node.name.startswith("_") and node.name != "__init__":
            self._refuse(
                node, f"Nom de méthode interdit « {node.name} » : les noms commençant par « _ » sont réservés."
            )
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("_"):
            self._refuse(node, f"Attribut interdit « {node.attr} » : les attributs commençant par « _ » sont réservés.")
        elif node.attr in INSPECT_ATTRIBUTES:
            self._refuse(node, f"Attribut interdit « {node.attr} » : objet interne de Python.")
        elif node.attr in UNGUARDED_NAMES:
            self._refuse(node, f"Attribut interdit « {node.attr} » : {UNGUARDED_NAMES[node.attr]}.")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr in DISPATCH_METHODS:
            self._check_dispatch(node, node.func.attr)
        if isinstance(node.func, ast.Name) and node.func.id in ATTRIBUTE_CALLS and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.startswith("_"):
                self._refuse(
                    node, f"Attribut interdit « {name.value} » : les attributs commençant par « _ » sont réservés."
                )
        self.generic_visit(node)

    def _check_dispatch(self, node: ast.Call, method: str) -> None:
        """Le nom écrit en toutes lettres ; un nom calculé est arrêté par les gardes dans le runner."""
        values = [k.value for k in node.keywords if k.arg in FUNCTION_PARAMETERS]
        if node.args and method not in _KEYWORD_ONLY:
            values.append(node.args[0])
        if method in ("agg", "aggregate"):  # agrégations nommées : agg(haut=("high", "max"))
            values += [
                k.value.elts[1] for k in node.keywords if isinstance(k.value, ast.Tuple) and len(k.value.elts) == 2
            ]
        while values:
            value = values.pop()
            if isinstance(value, (ast.List, ast.Tuple)):
                values += value.elts
            elif isinstance(value, ast.Dict):
                values += value.values
            elif (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.value not in ALLOWED_FUNCTION_NAMES
            ):
                self._refuse(node, dispatch_refusal(method, value.value))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if any(_is_strategy_base(base) for base in node.bases):
            self.strategy_classes.append(node)
        self.generic_visit(node)


class _Transformer(RestrictingNodeTransformer):
    """RestrictedPython sans garde de dépaquetage : l'itération n'est pas gardée ici (_getiter_ = iter),
    le dépaquetage natif fait donc la même chose, sans un appel de fonction par affectation."""

    def protect_unpack_sequence(self, target, value):
        return value

    def guard_iter(self, node):
        node = self.node_contents_visit(node)
        guarded = ast.Call(func=ast.Name("_getiter_", ast.Load()), args=[node.iter], keywords=[])
        copy_locations(guarded, node.iter)
        node.iter = guarded
        return node


def _allowed_text() -> str:
    return ", ".join(sorted(ALLOWED_MODULES))


# Les messages du compilateur Python les plus fréquents, en français ; un autre reste en anglais.
_SYNTAX_MESSAGES = [
    (r"invalid syntax\. Perhaps you forgot a comma\?", "syntaxe invalide, une virgule oubliée ?"),
    (r"invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?", "syntaxe invalide : « == » au lieu de « = » ?"),
    (r"invalid syntax", "syntaxe invalide"),
    (r"expected '(.+)'", r"« \1 » attendu"),
    (r"unexpected indent", "indentation inattendue"),
    (r"unindent does not match any outer indentation level", "le retrait ne correspond à aucun niveau englobant"),
    (
        r"expected an indented block after (.+) on line (\d+)",
        r"bloc indenté attendu après « \1 » de la ligne \2",
    ),
    (r"expected an indented block", "bloc indenté attendu"),
    (r"inconsistent use of tabs and spaces in indentation", "tabulations et espaces mélangés dans l'indentation"),
    (r"'(.)' was never closed", r"« \1 » jamais fermé"),
    (r"unmatched '(.)'", r"« \1 » fermé sans avoir été ouvert"),
    (r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", r"« \1 » ne ferme pas « \2 »"),
    (r"unterminated string literal \(detected at line (\d+)\)", r"texte entre guillemets non fermé (ligne \1)"),
    (r"unterminated triple-quoted string literal.*", "texte entre triples guillemets non fermé"),
    (r"invalid decimal literal", "nombre invalide"),
    (r"unexpected EOF while parsing", "fin du code inattendue"),
    (r"cannot assign to (.+)", r"impossible d'affecter à \1"),
    (r"'return' outside function", "« return » hors d'une fonction"),
]


def french_syntax_message(message: str) -> str:
    for pattern, french in _SYNTAX_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, french, message)
    return message


def _syntax_error(exc: SyntaxError) -> CodeError:
    kind = "Erreur d'indentation" if isinstance(exc, IndentationError) else "Erreur de syntaxe"
    return CodeError(exc.lineno, exc.offset, f"{kind} : {french_syntax_message(exc.msg)}")


def _restricted_errors(messages) -> list[CodeError]:
    errors = []
    for text in messages:
        head, _, rest = text.partition(":")
        line = int(head.removeprefix("Line ").strip()) if head.startswith("Line ") else None
        errors.append(CodeError(line, None, f"Refusé par la politique de sécurité : {rest.strip() or text}"))
    return errors


def _class_errors(classes: list[ast.ClassDef]) -> list[CodeError]:
    if not classes:
        return [
            CodeError(None, None, "Aucune classe ne dérive de Strategy : écrivez « class MaStrategie(Strategy): ».")
        ]
    if len(classes) > 1:
        names = ", ".join(c.name for c in classes)
        return [
            CodeError(c.lineno, c.col_offset + 1, f"Une seule classe Strategy par stratégie ; trouvées : {names}.")
            for c in classes[1:]
        ]
    return []


def compile_strategy(code: str):
    """Compile `code` sous la politique. Rend (objet code, nom de la classe, []) ou (None, None, erreurs)."""
    if len(code) > MAX_CODE_CHARS:
        return (
            None,
            None,
            [CodeError(None, None, f"Code trop long : {len(code)} caractères (maximum {MAX_CODE_CHARS}).")],
        )
    try:
        tree = ast.parse(code, filename=STRATEGY_FILENAME)
    except SyntaxError as exc:
        return None, None, [_syntax_error(exc)]
    except ValueError as exc:
        return None, None, [CodeError(None, None, f"Code illisible : {exc}")]
    visitor = _PolicyVisitor()
    visitor.visit(tree)
    errors = visitor.errors + _class_errors(visitor.strategy_classes)
    if errors:
        return None, None, sorted(errors, key=lambda e: (e.line or 0, e.column or 0))
    result = compile_restricted_exec(tree, filename=STRATEGY_FILENAME, policy=_Transformer)
    if result.errors:
        return None, None, _restricted_errors(result.errors)
    return result.code, visitor.strategy_classes[0].name, []
