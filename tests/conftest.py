"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The default corpus shipped in seeds/."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_articles():
    """The seed articles, read once."""
    from graph.articles import read_articles

    return read_articles([SEEDS])


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it, unless NEKG_REQUIRE_TOOLS is set (CI)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("NEKG_REQUIRE_TOOLS"):
            pytest.fail(f"{name} is required (NEKG_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{name} is not installed")
    return path
