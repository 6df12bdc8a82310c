"""The ``nekg`` command line: each command parses options, calls one library function, prints.

Errors from the library (:class:`graph.errors.NekgError`) become one line on stderr
and exit code 1; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import click

from graph import __version__, display
from graph.cli import build, evaluate, outputs, query
from graph.errors import NekgError


class _Group(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NekgError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except UnicodeDecodeError as exc:
            raise click.ClickException(
                f"cannot decode input as {exc.encoding}: {exc.reason}"
            ) from None
        except OSError as exc:
            name = f"{display.shown(exc.filename)}: " if exc.filename else ""
            raise click.ClickException(f"{name}{exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nekg")
def cli() -> None:
    """nekg: turn Chinese regional-industry news into a knowledge graph.

    Every fact keeps the article, sentence and character offsets that state it.
    """


for command in (
    build.build,
    evaluate.eval_command,
    evaluate.candidates_command,
    outputs.validate_command,
    outputs.export_command,
    query.query_command,
    query.queries_command,
    outputs.html_command,
    build.add_command,
    build.remove_command,
    build.serve_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the ``nekg`` console script."""
    cli(prog_name="nekg")
