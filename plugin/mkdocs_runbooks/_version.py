"""The package version (its own module: any module may import it without the package facade)."""

__version__ = "0.1.0"
