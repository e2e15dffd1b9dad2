"""The `referee` command line (typer: typed options, help from the signatures, no hand parsing).

    referee serve [--host H] [--port P] [--config FILE]
    referee exec FILE --language python [--stdin FILE] [--timeout SEC] [--memory-mb N]
    referee repl [--server HOST:PORT] [--timeout SEC]   a session: cells from stdin, `# %%` between
    referee score INPUT.jsonl [-o OUT.jsonl] [--server HOST:PORT] [--rewards accuracy,format]
    referee verify --jsonl FILE [--report] [--format json]   (--report alone: every labeled set)
    referee sandbox build | referee doctor
    referee train CONFIG.yaml | referee sft … | referee filter …   (need `referee[trainer]`)

Heavy imports happen inside the commands, so `referee --help` is fast and the server
never imports torch.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    name="referee",
    help="Sandboxed reward and verification engine for RL training of reasoning models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
sandbox_app = typer.Typer(help="Manage the sandbox image.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML settings file (env REFEREE_* and flags override it)"),
]


def _settings(config: Path | None, *, off: tuple[str, ...] = (), **server: Any) -> Any:
    """Settings with the command line's server flags on top; `off` names settings turned off."""
    from pydantic import ValidationError

    from referee.config import load_settings

    overrides = {k: v for k, v in server.items() if v is not None} | dict.fromkeys(off)
    try:
        return load_settings(config, **({"server": overrides} if overrides else {}))
    except (ValidationError, FileNotFoundError) as exc:
        typer.echo(f"error: bad settings: {exc}", err=True)
        raise typer.Exit(2) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to bind [default: 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="port to bind [default: 50051]")] = None,
    metrics_port: Annotated[
        str | None, typer.Option(help="Prometheus metrics port [default: 9464]; 0: any free port; off: none")
    ] = None,
    http_port: Annotated[
        int | None,
        typer.Option(
            help="also serve HTTP here: SandboxFusion /run_code, OpenRLHF /get_reward; 0: any free port"
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Run the gRPC reward server (and its HTTP face, with --http-port) until SIGINT/SIGTERM."""
    import logging

    from referee.server import PortInUse
    from referee.server import serve as run

    if metrics_port is not None and metrics_port != "off" and not metrics_port.isdigit():
        raise _fail(f"--metrics-port: {metrics_port!r} is not a port number, 0 or off")
    metrics = int(metrics_port) if metrics_port and metrics_port.isdigit() else None
    settings = _settings(
        config,
        off=("metrics_port",) if metrics_port == "off" else (),
        host=host,
        port=port,
        metrics_port=metrics,
        http_port=http_port,
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run(settings))
    except PortInUse as exc:
        raise _fail(str(exc)) from None


@app.command("ray")
def ray_(
    replicas: Annotated[int, typer.Option(help="how many `referee serve` replicas", min=1)] = 2,
    address: Annotated[str, typer.Option(help="the Ray cluster to join")] = "auto",
    cpus_per_replica: Annotated[float, typer.Option(help="CPUs Ray reserves for each", min=0.1)] = 1.0,
) -> None:
    """Run N replicas on a Ray cluster (one actor each, spread over its nodes), print the
    client target and HTTP URLs, and stop them all on SIGINT/SIGTERM (`referee[ray]`)."""
    import signal
    import threading

    try:
        import ray

        from referee.ray_replicas import start_replicas
    except ImportError as exc:
        raise _fail(f"referee ray needs Ray: pip install 'referee[ray]' ({exc})") from None
    ray.init(address=address, log_to_driver=False)
    stop = threading.Event()
    # After ray.init (it installs its own SIGTERM exit), before the start: a stop during it
    # still stops what was started.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    running = start_replicas(replicas, cpus_per_replica=cpus_per_replica)
    print(f"referee replicas: {running.target}", flush=True)
    for url in running.http_urls:
        print(f"http on {url}", flush=True)
    try:
        stop.wait()
    finally:
        running.stop()
        ray.shutdown()


@app.command("exec")
def exec_(
    file: Annotated[Path, typer.Argument(help="program source file", exists=True, dir_okay=False)],
    language: Annotated[str, typer.Option("--language", "-l", help="python, c, cpp, …")] = "python",
    stdin: Annotated[Path | None, typer.Option(help="file fed to the program's stdin", exists=True)] = None,
    timeout: Annotated[
        float | None, typer.Option(help="CPU-time limit in seconds (the wall clock is a backstop)")
    ] = None,
    memory_mb: Annotated[int | None, typer.Option(help="memory limit in MiB")] = None,
    server: Annotated[str | None, typer.Option(help="HOST:PORT of a server; default: run in-process")] = None,
    config: ConfigOpt = None,
) -> None:
    """Run one program in the sandbox and print the result as one JSON object.

    Exits 0 whenever a result was produced, TIMEOUT and RUNTIME_ERROR included."""
    from referee.convert import execute_response_to_json, execute_result_to_proto

    source = file.read_text()
    stdin_text = stdin.read_text() if stdin else ""
    timeout_ms = int(timeout * 1000) if timeout else None
    if server:
        from referee.client import RefereeClient, RefereeError

        with RefereeClient(server) as client:
            try:
                response = client.execute(
                    language, source, stdin=stdin_text, timeout_ms=timeout_ms or 0, memory_mb=memory_mb or 0
                )
            except RefereeError as exc:
                raise _fail(str(exc)) from None
        out = execute_response_to_json(response)
    else:
        from referee.engine import Engine
        from sandbox import ExecuteSpec

        spec = ExecuteSpec(
            language=language, source=source, stdin=stdin_text, timeout_ms=timeout_ms, memory_mb=memory_mb
        )

        async def run() -> Any:
            async with Engine(_settings(config)) as engine:
                return await engine.execute(spec)

        try:
            result = asyncio.run(run())
        except ValueError as exc:
            raise _fail(str(exc)) from None
        out = execute_response_to_json(execute_result_to_proto(result))
    typer.echo(json.dumps(out, ensure_ascii=False))


@app.command()
def repl(
    server: Annotated[str | None, typer.Option(help="HOST:PORT of a server; default: run in-process")] = None,
    timeout: Annotated[float | None, typer.Option(help="CPU-time limit per cell in seconds")] = None,
    memory_mb: Annotated[int | None, typer.Option(help="memory limit of the session in MiB")] = None,
    config: ConfigOpt = None,
) -> None:
    """A sandbox session on the terminal: state kept from cell to cell, as in Jupyter.

    Interactive, a cell ends at an empty line; from a pipe or file, cells are separated by
    `# %%` lines (the cell marker of Jupytext and VS Code). Each cell prints its output, its
    value as `Out[n]: …`, and its status when it is not OK."""
    from sandbox import SessionSpec

    spec = SessionSpec(timeout_ms=int(timeout * 1000) if timeout else None, memory_mb=memory_mb)
    cells = _cells(sys.stdin, interactive=sys.stdin.isatty())

    async def run() -> None:
        if server:
            from referee.client import AsyncRefereeClient

            async with (
                AsyncRefereeClient(server) as client,
                client.session(timeout_ms=spec.timeout_ms or 0, memory_mb=spec.memory_mb or 0) as session,
            ):
                for code in cells:
                    _show(await session.run(code))
        else:
            from referee.engine import Engine

            async with Engine(_settings(config)) as engine:
                sessions = await engine.sessions()
                info = await sessions.create(spec)
                for code in cells:
                    _show(await sessions.run(info.id, code))

    try:
        asyncio.run(run())
    except (ValueError, KeyError) as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # the client's RefereeError: unreachable, refused
        from referee.client import RefereeError

        if isinstance(exc, RefereeError):
            raise _fail(str(exc)) from None
        raise


def _cells(stream: Any, *, interactive: bool) -> Any:
    """The cells of `stream`: split at empty lines (a terminal) or at `# %%` lines (a file)."""
    cell: list[str] = []
    if interactive:
        typer.echo("referee session: a cell ends at an empty line; Ctrl-D ends the session", err=True)
    for line in stream:
        ends = line.strip() == "" if interactive else line.strip().startswith("# %%")
        if ends:
            if "".join(cell).strip():
                yield "".join(cell)
            cell = []
        else:
            cell.append(line)
    if "".join(cell).strip():
        yield "".join(cell)


def _show(r: Any) -> None:
    """A cell's result as a terminal shows it."""
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.value:
        typer.echo(f"Out[{r.execution_count}]: {r.value}")
    if not r.ok or r.state_lost:
        typer.echo(f"[{r.status}] {r.detail}", err=True)
    sys.stdout.flush()


@app.command()
def score(
    input: Annotated[Path, typer.Argument(help="JSONL: one sample per line", exists=True, dir_okay=False)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL results; default stdout")
    ] = None,
    server: Annotated[
        str | None, typer.Option(help="HOST:PORT of a server; default: score in-process")
    ] = None,
    rewards: Annotated[
        str | None,
        typer.Option(help="comma-separated reward names; default: accuracy for math lines, code for code"),
    ] = None,
    batch_size: Annotated[
        int,
        typer.Option(help="samples per request; group rewards (length) compare the samples of one request"),
    ] = 16,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="each line is this dataset's own row plus `completion`; a preset of rewards/datasets "
            "(humaneval, mbpp, apps, livecodebench, codecontests, deepcoder, primeintellect, …)"
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Score a JSONL file of samples; write one result per line, in input order.

    A line is `{"id", "prompt", "completion", "gold"}` for math or has `"tests"` for code
    (assert-style test code as a string with `"entry_point"`, or a list of
    `{"stdin", "expected_stdout"}` cases; `"code_language"` defaults to python). The API's
    own `"math"`/`"code"` objects are accepted too. A bad line gets an `"error"`, the
    others are scored."""
    from referee.scoring import score_jsonl

    names = [r.strip() for r in rewards.split(",") if r.strip()] if rewards else None
    with input.open() as src, output.open("w") if output else contextlib.nullcontext(sys.stdout) as dst:
        counts = score_jsonl(
            src,
            dst,
            rewards=names,
            server=server,
            batch_size=batch_size,
            settings=None if server else _settings(config),
            dataset=dataset,
        )
    typer.echo(f"scored {counts['scored']} samples, {counts['errors']} errors", err=True)


# the labeled sets this repository ships: `referee verify --report` with no --jsonl runs them all
LABELED_SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


@app.command()
def verify(
    jsonl: Annotated[
        list[Path] | None,
        typer.Option(help="JSONL lines {gold, pred[, answer_type, expected, tags]}; repeatable", exists=True),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            help="labeled lines: accuracy, FP, FN, per tag, vs plain math-verify (no --jsonl: every"
            " labeled set in benchmarks/data)"
        ),
    ] = False,
    format: Annotated[str, typer.Option(help="text or json (with --report)")] = "text",
    config: ConfigOpt = None,
) -> None:
    """Compare gold and predicted math answers line by line (the verifier benchmark tool). A pred
    with <think>/<answer> tags is read as a whole reply, as the accuracy reward reads it."""
    from referee.verify import verify_jsonl

    if format not in ("text", "json"):
        raise _fail(f"--format must be text or json, not {format!r}")
    files = list(jsonl or [])
    if not files and report:
        files = sorted(LABELED_SETS.glob("*labeled*.jsonl"))
        if not files:
            raise _fail(f"no labeled sets (*labeled*.jsonl) in {LABELED_SETS}; pass --jsonl FILE")
    if not files:
        raise _fail("--jsonl FILE is needed (or --report alone, for the repository's labeled sets)")
    code, reports = 0, {}
    for path in files:
        out = io.StringIO()
        with path.open() as src:
            code = max(code, verify_jsonl(src, out, report=report, fmt=format, config=_settings(config).math))
        if report and format == "json" and len(files) > 1:  # one JSON document: {file: report}
            reports[str(path)] = json.loads(out.getvalue())
            continue
        if report and len(files) > 1:
            sys.stdout.write(f"== {path}\n")
        sys.stdout.write(out.getvalue())
    if reports:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=1) + "\n")
    raise typer.Exit(code)


@sandbox_app.command("build")
def sandbox_build(
    force: Annotated[bool, typer.Option(help="rebuild even if the image exists")] = False,
    prune: Annotated[bool, typer.Option(help="remove other referee-sandbox tags no container uses")] = False,
    config: ConfigOpt = None,
) -> None:
    """Build the sandbox image offline (debootstrap + docker import); a no-op when it exists."""
    from sandbox.image import build

    typer.echo(build(_settings(config).sandbox, force=force, prune=prune))


@app.command()
def doctor(config: ConfigOpt = None) -> None:
    """Check that docker, the image and the runtime work; print a fix for each failure."""
    import sandbox

    checks = sandbox.doctor(_settings(config).sandbox)
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        typer.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok and check.fix:
            typer.echo(f"       fix: {check.fix}")
    raise typer.Exit(0 if all(c.ok for c in checks) else 1)


def _register_plugin_commands() -> None:
    """Commands other packages add through `referee.commands` entry points: the trainer's
    `train`, `sft` and `filter` (pyproject.toml), which need the `trainer` extra (torch). The
    arrow runs from trainer to referee, never back: this module imports no trainer code."""
    for entry in entry_points(group="referee.commands"):
        try:
            command = entry.load()
        except ImportError as exc:
            _unavailable(entry.name, str(exc))
            continue
        app.command(entry.name)(command)


def _unavailable(name: str, missing: str) -> None:
    @app.command(name, help=f"(unavailable: {missing}; pip install 'referee[trainer]')")
    def unavailable() -> None:
        raise _fail(f"`referee {name}` needs the trainer extra: pip install 'referee[trainer]' ({missing})")


_register_plugin_commands()

if __name__ == "__main__":
    app()
