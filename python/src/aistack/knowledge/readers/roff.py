"""Man pages (roff with the man macros, as DocBook and hand-written pages use them)
to Markdown, without groff (pure).

Sections (.SH) and subsections (.SS) become headings under the page's name,
tagged paragraphs (.TP) become headings named by their tag, .nf/.fi and
.EX/.EE blocks become code, tables (.TS/.TE) become rows of cells, and the
common escapes are turned into the characters they print.
"""

from __future__ import annotations

import re

_GLYPHS = {
    "aq": "'",
    "cq": "'",
    "oq": "'",
    "lq": '"',
    "rq": '"',
    "dq": '"',
    "bu": "•",
    "em": "—",
    "en": "–",
    "hy": "-",
    "mi": "-",
    "co": "©",
    "rg": "®",
    "tm": "™",
    "ga": "`",
    "ha": "^",
    "ti": "~",
    "rs": "\\",
    "sl": "/",
    "pl": "+",
    "eq": "=",
    "<=": "<=",
    ">=": ">=",
    "->": "->",
    "<-": "<-",
    "mu": "×",
    "de": "°",
    "dg": "†",
    "sc": "§",
    "fm": "′",
    "Aq": "'",
    "dq ": '"',
    "ba": "|",
    "br": "|",
    "lh": "",
    "rh": "",
    "at": "@",
    "sh": "#",
}

_ESCAPE = re.compile(
    r"\\(?:"
    r"f(?:\[[^\]]*\]|\([A-Za-z]{2}|.)"  # font changes
    r"|s[+-]?(?:\d|\(\d\d|\[\d+\])"  # size changes
    r"|[hvwlLoxXbDkNZ]'[^']*'"  # motions, widths, drawing
    r"|m(?:\[[^\]]*\]|\(..|.)"  # colours
    r"|\*(?:\[[^\]]*\]|\(..|.)"  # strings
    r"|n(?:\[[^\]]*\]|\(..|.)"  # registers
    r"|\((..)"  # two-letter glyph
    r"|\[([^\]]*)\]"  # named glyph
    r"|(.)"  # any other one-character escape
    r")",
    re.DOTALL,
)


def _escape(match: re.Match[str]) -> str:
    two, named, single = match.group(1), match.group(2), match.group(3)
    whole = match.group(0)
    if whole.startswith("\\*"):
        return "'" if "Aq" in whole else ""
    if two is not None:
        return _GLYPHS.get(two, "")
    if named is not None:
        return _GLYPHS.get(named, "")
    if single is None:
        return ""
    return {
        "-": "-",
        "e": "\\",
        "\\": "\\",
        " ": " ",
        "~": " ",
        "0": " ",
        "|": "",
        "^": "",
        "&": "",
        "%": "",
        "c": "",
        ":": "",
        "/": "",
        ",": "",
        "'": "'",
        "`": "`",
        ".": ".",
        "t": "\t",
        "\n": "",
        "!": "",
        '"': "",
    }.get(single, single)


def inline(text: str) -> str:
    """Roff escapes in ``text`` replaced by what they print."""
    if '\\"' in text:  # an end-of-line comment
        text = text.split('\\"', 1)[0]
    return _ESCAPE.sub(_escape, text)


def _args(rest: str) -> list[str]:
    out: list[str] = []
    for m in re.finditer(r'"((?:[^"]|"")*)"|((?:\\.|\S)+)', rest):
        out.append((m.group(1) if m.group(1) is not None else m.group(2)).replace('""', '"'))
    return out


MAX_TAG_HEADING = 100

_IGNORED = frozenset(
    [
        "nh",
        "ad",
        "hy",
        "ft",
        "ne",
        "ti",
        "ll",
        "ps",
        "PD",
        "in",
        "ta",
        "na",
        "ns",
        "rs",
        "vs",
        "ss",
        "cs",
        "bp",
        "pc",
        "lf",
        "ev",
        "mk",
        "rt",
        "ch",
        "wh",
        "it",
        "em",
        "hw",
        "so",
        "nr",
        "ds",
        "as",
        "rm",
        "rn",
        "tr",
        "cc",
        "c2",
        "ec",
        "eo",
        "fam",
        "fc",
        "lg",
        "ul",
        "cu",
        "uf",
        "HP",
        "UC",
        "AT",
        "DT",
        "Dd",
        "Os",
        "Nm",
    ]
)


def _is_term(out: list[str]) -> bool:
    """The last output line is a paragraph of one short line that reads like a term."""
    if len(out) < 2 or out[-2] != "" or not out[-1].strip():
        return False
    last = out[-1]
    return (
        len(last) <= MAX_TAG_HEADING
        and not last.startswith(("#", "```", "- "))
        and (last.rstrip().endswith("...") or not last.rstrip().endswith((".", ":", ",")))
    )


def _table_rows(lines: list[str]) -> list[str]:
    """A tbl table's data as rows of ``a | b`` (options and format lines dropped)."""
    tab = "\t"
    i = 0
    if lines and lines[0].rstrip().endswith(";"):
        found = re.search(r"tab\s*\((.)\)", lines[0])
        tab = found.group(1) if found else tab
        i = 1

    def skip_format(i: int) -> int:
        while i < len(lines) and not lines[i].rstrip().endswith("."):
            i += 1
        return i + 1

    i = skip_format(i)
    data: list[str] = []
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith(".T&"):
            i = skip_format(i)
        elif not line.startswith((".", "'")):
            data.append(line)
    joined = re.sub(
        r"T\{\n(.*?)\nT\}", lambda m: m.group(1).replace("\n", " "), "\n".join(data), flags=re.S
    )
    rows = []
    for row in joined.split("\n"):
        cells = [inline(c).strip() for c in row.split(tab)]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def roff_to_markdown(source: str) -> tuple[str, str | None]:
    """The page as Markdown (``# name(section)``, ``##`` sections, ``###`` subsections)."""
    out: list[str] = []
    title: str | None = None
    verbatim = False
    table: list[str] | bool = False
    skip_until_brace = 0
    in_macro_def = False
    pending_tag = False

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    for raw in source.splitlines():
        line = raw.rstrip("\n")
        if in_macro_def:
            if line.startswith(".."):
                in_macro_def = False
            continue
        if skip_until_brace:
            if re.match(r"^[.']\s*\\}", line) or line.rstrip().endswith("\\}"):
                skip_until_brace -= 1
            continue
        if line.startswith(('.\\"', "'\\\"", '\\"')) or line in {".", "'"}:
            continue
        if table is not False:
            if line.startswith(".TE"):
                out.extend(_table_rows(table))
                out.append("```")
                blank()
                table = False
            else:
                table.append(line)
            continue
        if line.startswith((".", "'")) and len(line) > 1:
            parts = line[1:].strip().split(None, 1)
            if not parts:
                continue
            req, rest = parts[0], (parts[1] if len(parts) > 1 else "")
            if req in {"ie", "if"} and "\\{" in rest:
                # The nroff branch of DocBook's bullet idiom; the .el branch is read.
                skip_until_brace += 1 if rest.startswith("n") else 0
                continue
            if req in {"ie", "if", "el"} or req.startswith("\\}"):
                continue
            if req == "de" or req == "am":
                in_macro_def = True
                continue
            if req == "TH":
                args = _args(rest)
                if args:
                    name = inline(args[0]).lower()
                    title = f"{name}({inline(args[1])})" if len(args) > 1 else name
                    out.append(f"# {title}")
                    blank()
                continue
            if req in {"SH", "SS", "Sh", "Ss"}:
                blank()
                level = "##" if req in {"SH", "Sh"} else "###"
                out.append(f"{level} {inline(' '.join(_args(rest))).strip()}")
                blank()
                continue
            if req == "RS" and _is_term(out):
                # DocBook's variable lists: a one-line paragraph, then the
                # indented description. The term becomes a heading too.
                out[-1] = f"#### {out[-1]}"
                blank()
                continue
            if req in {"PP", "P", "LP", "sp", "RS", "RE", "Pp"}:
                blank()
                continue
            if req == "br":
                continue
            if req == "TP":
                blank()
                pending_tag = True
                continue
            if req == "IP":
                blank()
                args = _args(rest)
                if args and inline(args[0]).strip() in {"•", "-", "*", "o"}:
                    out.append("- ")
                elif args and inline(args[0]).strip():
                    out.append(inline(args[0]).strip())
                continue
            if req in {"nf", "EX"}:
                blank()
                out.append("```")
                verbatim = True
                continue
            if req in {"fi", "EE"}:
                if verbatim:
                    out.append("```")
                    blank()
                verbatim = False
                continue
            if req == "TS":
                blank()
                out.append("```")
                table = []
                continue
            if req in {"B", "I", "SM", "SB", "BI", "BR", "IB", "IR", "RB", "RI", "UR", "MT"}:
                args = _args(rest)
                sep = " " if req in {"B", "I", "SM", "SB", "UR", "MT"} else ""
                text = sep.join(inline(a) for a in args)
                line = text
            elif req in {"UE", "ME"}:
                line = inline(rest)
            elif req in _IGNORED or len(req) <= 3:
                continue
            else:
                continue
        else:
            line = inline(line)
        if verbatim:
            out.append(line)
            continue
        text = line.strip()
        if not text:
            blank()
            continue
        if pending_tag:
            pending_tag = False
            # A short tag names what follows (an option, a field): a heading of its own,
            # so each entry is chunked alone and carries its name in its heading path.
            if len(text) <= MAX_TAG_HEADING:
                blank()
                out.append(f"#### {text}")
                blank()
            else:
                out.append(text)
            continue
        if out and out[-1] == "- ":
            out[-1] = f"- {text}"
        elif out and out[-1] != "" and not out[-1].startswith(("#", "```")):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    if verbatim:
        out.append("```")
    markdown = "\n".join(out)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return markdown, title
