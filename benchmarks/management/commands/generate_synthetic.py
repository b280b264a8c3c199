"""Generate a synthetic data set (dataset="synthetic") for benchmarks.

    manage.py generate_synthetic --scale L --seed 1 --clear
    manage.py generate_synthetic --events 2 --recommendations 20 --actors 10 --assignments 60 --updates 200
    manage.py generate_synthetic --clear          # only remove earlier synthetic rows

The rows are written directly (COPY on PostgreSQL), bypassing recommendations.workflow for
speed; benchmarks/synthetic.py explains how the workflow's invariant is kept anyway.
"""

import argparse
import dataclasses
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction

from benchmarks import synthetic

COUNT_NAMES = [field.name for field in dataclasses.fields(synthetic.Counts)]


def count(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count (a whole number, zero or more)")
    return value


class Command(BaseCommand):
    help = "Generate a synthetic data set at a given scale (bypasses the workflow; see benchmarks/synthetic.py)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # A bad argument gets one line ("…: error: …") and exit status 2, without the usage block.
        parser.print_usage = lambda file=None: None
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(synthetic.SCALES),
            help="Preset counts (default small); the counts below override.",
        )
        for name in COUNT_NAMES:
            parser.add_argument(f"--{name}", type=count, help=f"Number of synthetic {name.replace('_', ' ')}.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data set (default 1).")
        parser.add_argument(
            "--clear", action="store_true", help="Remove earlier synthetic rows first; alone, only remove them."
        )

    def handle(self, *args, scale, seed, clear, **options):
        explicit = {name: options[name] for name in COUNT_NAMES if options[name] is not None}
        only_clear = clear and scale is None and not explicit
        counts = dataclasses.replace(synthetic.SCALES[scale or "small"], **explicit)
        started = time.monotonic()
        try:
            with transaction.atomic():
                if clear:
                    self.stdout.write(f"Removed {synthetic.clear()} synthetic rows.")
                if only_clear:
                    return
                problem = synthetic.check(counts)
                if problem:
                    raise CommandError(problem)
                written = synthetic.generate(counts, seed)
                connection.check_constraints()
        except IntegrityError as error:
            first_line = str(error).splitlines()[0]
            raise CommandError(f"Rows outside the synthetic data set refer to synthetic rows: {first_line}") from None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the tables that just grew
        figures = ", ".join(f"{number:,} {name}" for name, number in written.items())
        self.stdout.write(f"Generated {figures} in {time.monotonic() - started:.0f} s (seed {seed}).")
