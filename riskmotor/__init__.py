"""riskmotor: risk analysis and internal-control planning for Swedish municipal social services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("riskmotor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
