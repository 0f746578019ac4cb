"""``python -m riskmotor.cli``."""

from riskmotor.cli import main

main(prog_name="riskmotor")
