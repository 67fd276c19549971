"""The ``newslineage`` command line: each command parses, calls one library function, renders.

Run ``newslineage --help`` or ``newslineage COMMAND --help``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import api
from .errors import NewslineageError
from .report import terminal

app = typer.Typer(
    help="Trace how news travels: stories, derivations, originals and what each copy changed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="NEWSLINEAGE_DB",
        help="SQLite file or postgresql:// URL (default ./newslineage.db).",
        show_default=False,
    ),
]
AllowPrivate = Annotated[bool, typer.Option(help="Allow URLs on private/loopback addresses.")]
OutletLabel = Annotated[
    str | None, typer.Option(help="Outlet label for inputs with no URL or feed site.")
]
MaxBytes = Annotated[int, typer.Option(help="Largest file or download accepted, in bytes.")]
Strict = Annotated[bool, typer.Option(help="Exit non-zero when any input is skipped.")]
ModelDir = Annotated[
    Path | None,
    typer.Option(
        "--model",
        envvar="NEWSLINEAGE_MODEL",
        help="Local ONNX model folder for a second opinion on findings (docs/models.md).",
        show_default=False,
    ),
]
Semantic = Annotated[
    bool,
    typer.Option(
        "--semantic/--no-semantic",
        envvar="NEWSLINEAGE_SEMANTIC",
        help="Use the semantic layer (multilingual sentence embeddings; docs/lineage.md).",
    ),
]
Sources = Annotated[
    list[str],
    typer.Argument(help="Files, directories, globs, feed/page URLs, or - for stdin."),
]


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int], None]]:
    """A rich progress display; yields a ``(what, n)`` callback the library calls."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, Any] = {}

        def advance(what: str, n: int) -> None:
            if what.startswith("total:"):
                name = what[6:]
                tasks.setdefault(name, bar.add_task(f"{label} {name}", total=None))
                bar.update(tasks[name], total=n)
                return
            if what not in tasks:
                tasks[what] = bar.add_task(f"{label} {what}", total=None)
            bar.advance(tasks[what], n)

        yield advance


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a library error into one red line and exit code 2, never a traceback."""
    try:
        yield
    except NewslineageError as exc:
        raise _fail(exc) from None


def _fail(exc: NewslineageError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {terminal.markup_safe(exc)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _add(
    sources: list[str],
    db: str | None,
    allow_private: bool,
    outlet: str | None,
    max_bytes: int,
    strict: bool,
) -> tuple[Any, api.AddResult]:
    store = api.open_store(db)
    with _progress("reading") as advance:
        result = api.add(
            sources,
            store,
            allow_private=allow_private,
            outlet=outlet,
            max_bytes=max_bytes,
            stdin=sys.stdin.buffer,
            progress=advance,
        )
    terminal.print_add_result(err, result, store.url)
    if (result.skipped and result.seen == 0) or (strict and result.skipped):
        raise typer.Exit(1)
    return store, result


@app.command()
def add(
    sources: Sources,
    db: DbOption = None,
    allow_private: AllowPrivate = False,
    outlet: OutletLabel = None,
    max_bytes: MaxBytes = 50_000_000,
    strict: Strict = False,
) -> None:
    """Ingest feeds, pages, files and archives into the store."""
    with _user_errors():
        _add(sources, db, allow_private, outlet, max_bytes, strict)


@app.command()
def analyze(
    db: DbOption = None,
    full: Annotated[
        bool, typer.Option(help="Re-analyse every article, not only new ones.")
    ] = False,
    model: ModelDir = None,
    semantic: Semantic = True,
) -> None:
    """Find derivations, originals and stories for articles not yet analysed."""
    with _user_errors():
        store = api.open_store(db)
        with _progress("analysing") as advance:
            summary = api.analyze(
                store, progress=advance, full=full, model=model, semantic=semantic
            )
        terminal.print_analyze_summary(err, summary)


@app.command()
def run(
    sources: Sources,
    db: DbOption = None,
    allow_private: AllowPrivate = False,
    outlet: OutletLabel = None,
    max_bytes: MaxBytes = 50_000_000,
    strict: Strict = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the HTML report into this folder.")
    ] = None,
    model: ModelDir = None,
    semantic: Semantic = True,
) -> None:
    """Add the sources, analyse, and print the stories with their lineage."""
    with _user_errors():
        if model is not None:  # a bad --model fails before the sources are read
            from .models import check_model_dir

            check_model_dir(model)
        store, _ = _add(sources, db, allow_private, outlet, max_bytes, strict)
        with _progress("analysing") as advance:
            summary = api.analyze(store, progress=advance, model=model, semantic=semantic)
        terminal.print_analyze_summary(err, summary)
        terminal.print_stories(out, store)
        if report is not None:
            index = api.report(store, report)
            out.print(
                f"\nReport: [bold]{terminal.markup_safe(index.resolve())}[/]  (open it in a browser)",
                highlight=False,
            )
        url = terminal.markup_safe(store.url)
        out.print(
            f"\nStore: [bold]{url}[/]  (export with `newslineage export --db {url}`)",
            highlight=False,
        )


@app.command("outlets")
def show_outlets(db: DbOption = None) -> None:
    """Profile each outlet: original vs derived, attribution, findings, lag, content-farm signs."""
    with _user_errors():
        terminal.print_outlets(out, api.outlets(api.open_store(db)))


@app.command("report")
def write_report(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the static site into.")],
    db: DbOption = None,
) -> None:
    """Write a static HTML report (opens from disk, no server): stories, graphs, articles, outlets."""
    with _user_errors():
        index = api.report(api.open_store(db), out_dir)
        out.print(f"wrote {terminal.markup_safe(index)}", highlight=False)


@app.command()
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(help="JSONL, Parquet, WARC, feed or HTML paths (local, hdfs://, s3a://)."),
    ],
    out_dir: Annotated[
        str, typer.Option("--out", help="Folder for the Parquet tables and export.json.")
    ],
    engine: Annotated[
        str, typer.Option(help="local (one machine) or spark (pip install 'newslineage[spark]').")
    ] = "local",
    master: Annotated[
        str | None, typer.Option(help="Spark master, e.g. local[4] (default: spark-submit's).")
    ] = None,
    max_bytes: MaxBytes = 50_000_000,
) -> None:
    """Analyse a corpus in one batch (no store kept): the whole pipeline, on Spark or locally."""
    with _user_errors():
        if engine not in ("local", "spark"):
            raise api.InputError("--engine", f"unknown engine {engine!r}", "use local or spark")
        result = api.run_batch(inputs, out_dir, engine, master=master, max_bytes=max_bytes)  # type: ignore[arg-type]
        out.print(terminal.markup_safe(result), highlight=False)


@app.command("list")
def list_articles(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="Show at most this many articles (0 = all).")] = 50,
) -> None:
    """List stored articles."""
    with _user_errors():
        terminal.print_articles(out, api.open_store(db), limit=limit)


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json, jsonl or csv.")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
    table: Annotated[
        str, typer.Option(help="For csv: articles, relations, stories, findings or outlets.")
    ] = "articles",
) -> None:
    """Export articles, relations, stories, findings and outlets (the JSON contract)."""
    with _user_errors():
        store = api.open_store(db)
        if format not in ("json", "jsonl", "csv"):
            raise api.InputError("--format", f"unknown format {format!r}", "use json, jsonl or csv")
        if output is None:
            api.export(store, format, sys.stdout, table=table)
            return
        with output.open("w", encoding="utf-8", newline="") as fh:
            api.export(store, format, fh, table=table)
        err.print(f"wrote {terminal.markup_safe(output)}", highlight=False)


@app.command()
def stories(db: DbOption = None) -> None:
    """Show the stories: each with its original, its copies and their relation."""
    with _user_errors():
        terminal.print_stories(out, api.open_store(db))


@app.command()
def show(
    article: Annotated[str, typer.Argument(help="Article id (or prefix), URL or input file name.")],
    db: DbOption = None,
) -> None:
    """Show one article's lineage, with aligned sentences side by side."""
    with _user_errors():
        store = api.open_store(db)
        terminal.print_lineage(out, store, api.lineage_of(store, article))


@app.command("eval")
def evaluate(
    truth: Annotated[Path, typer.Argument(help="Ground truth JSON (see examples/truth.json).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Score the analysed store against a ground truth: P/R/F1 per kind, direction, stories."""
    with _user_errors():
        report = api.evaluate_store(api.open_store(db), truth)
        if as_json:
            out.print_json(json.dumps(report.to_dict()))
        else:
            out.print(report.render_table(), highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8750,
    token: Annotated[
        str | None,
        typer.Option(envvar="NEWSLINEAGE_TOKEN", help="Bearer token required by write endpoints."),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Let POSTed URLs reach private addresses.")
    ] = False,
) -> None:
    """Serve the report pages, the REST API (/docs) and /feeds/originals.xml from the store."""
    from .web import serve as serve_app
    from .web.guards import check_bind

    with _user_errors():
        check_bind(host, token)
        err.print(
            f"serving {terminal.markup_safe(db or 'the default store')} on "
            f"http://{terminal.markup_safe(host)}:{port}/  (API docs: /docs)",
            highlight=False,
        )
        serve_app(db, host=host, port=port, token=token, allow_private=allow_private)


def main() -> None:
    """Entry point: run the app; turn an interrupt into a calm message."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: everything stored so far is kept; run the command again to finish")
        raise SystemExit(130) from None
