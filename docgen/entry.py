"""The ``docgen`` console script: a quick path for a plain ``docgen render``, else the Typer CLI.

Starting Typer (with click and rich) costs more than a third of a cold ``docgen render -f pdf``.
A command line of the plain form ``docgen render 提纲 [-f 格式]… [-o 目录]`` is therefore parsed
here and rendered directly; everything else — other commands, other options, ``--help``, any
mistake — goes to :func:`docgen.cli.main` unchanged. The quick path prints exactly what the
full command prints: on any error it discards what it has (rendering is all or nothing, so no
file was written) and hands the same command line to the full CLI, which reports the error in
its own words and exit code. Notices are kept until the outputs are written, then printed in
order before the paths, as the full command does.

Once the outputs are written, closed and renamed and the streams flushed, the process ends with
``os._exit`` instead of paying for interpreter teardown (≈ 0.1 s with reportlab, pydantic and the
fonts loaded); nothing docgen writes is pending at that point.

Before anything else the console script skips what a new process would pay for nothing
(:mod:`docgen.startup`): pydantic's plugin loader, PIL.Image until a picture is drawn, compiling
again what the last process compiled (dataclass methods, string annotations, regular expressions),
and finding and reading one by one the modules the last process imported.
"""

from __future__ import annotations

import os
import sys

_FORMAT = ("-f", "--format")
_OUTDIR = ("-o", "--outdir")


def parse_render(args: list[str]) -> tuple[str, list[str], str] | None:
    """(outline, formats, outdir) for a plain ``render`` command line, else None."""
    if not args or args[0] != "render":
        return None
    outline: str | None = None
    formats: list[str] = []
    outdir: str | None = None
    rest = args[1:]
    index = 0
    while index < len(rest):
        arg = rest[index]
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        if name in _FORMAT or name in _OUTDIR:
            if value is None:
                index += 1
                if index >= len(rest):
                    return None
                value = rest[index]
            if not value or value.startswith("-"):
                return None
            if name in _FORMAT:
                formats.append(value)
            elif outdir is not None:
                return None
            else:
                outdir = value
        elif arg.startswith("-") or outline is not None or not arg:
            return None  # another option, "--", "-" or a second argument: the full CLI decides
        else:
            outline = arg
        index += 1
    if outline is None:
        return None
    return outline, formats or ["docx"], outdir if outdir is not None else "outputs"


def _plain_notice(message: str) -> str | None:
    """The line rich prints for ``[yellow]提示：[/]message`` on a non-terminal stderr, when that
    is the text itself (no emoji codes, tabs or control characters to translate), else None."""
    if ":" in message or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in message):
        return None
    return f"提示：{message}"


def _quick_render(outline: str, formats: list[str], outdir: str) -> int | None:
    """Render; the exit code, or None to hand over to the full CLI (an error, or notices that
    need rich to print)."""
    import gc
    from pathlib import Path

    from docgen.api import render as render_outline

    notices: list[str] = []
    try:
        paths = render_outline(Path(outline), formats, Path(outdir), warn=notices.append)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - the full CLI reports it in its own words
        gc.enable()
        return None
    lines = [_plain_notice(message) for message in notices]
    if notices and (sys.stderr.isatty() or any(line is None for line in lines) or _rich_env()):
        from docgen.cli import _console
        from rich.markup import escape

        console = _console(stderr=True)
        for message in notices:
            console.print(f"[yellow]提示：[/]{escape(message)}")
    elif lines:
        sys.stderr.write("".join(f"{line}\n" for line in lines))
    for path in paths:
        print(path)
    return 0


def _rich_env() -> bool:
    """Environment variables that change what rich prints (colours, width, legacy Windows)."""
    return any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                                                  "COLUMNS", "JUPYTER_COLUMNS"))


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]) and not os.environ.get("DOCGEN_FULL_CLI"):
        from docgen import __version__

        print(f"docgen {__version__}")  # what the full CLI's --version prints
        return
    parsed = parse_render(sys.argv[1:])
    quick = parsed is not None and not os.environ.get("DOCGEN_FULL_CLI")
    if quick:
        import gc

        # One render allocates many small objects that all live until the end (start-up and
        # imports included): collecting them is wasted work (same output; the process ends right
        # after). _quick_render turns it back on if it hands over to the full CLI.
        gc.disable()
    from docgen import startup

    startup.prepare("render" if quick else "cli")
    if quick:
        try:
            code = _quick_render(*parsed)
        except KeyboardInterrupt:
            from docgen.cli import _console

            _console(stderr=True).print("[yellow]已中断，未写出不完整的文件。[/]")
            sys.exit(130)
        if code is not None:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001 - a closed pipe: let Python report it as usual
                sys.exit(code)
            startup.finish()
            os._exit(code)
        startup.hand_over()
    from docgen.cli import main as full_main

    try:
        full_main()
    finally:
        startup.finish()


if __name__ == "__main__":
    main()
