"""Packaging beyond what pyproject.toml can say: the built-in presets ride in the wheel.

presets/ (top-level in the checkout) becomes the data package `ssl_zoo._presets`, where
`ssl_zoo.preset_catalog.builtin_dir()` finds it once installed.
"""

from setuptools import find_packages
from setuptools import setup

setup(
    packages=find_packages(include=["ssl_zoo", "ssl_zoo.*"]) + ["ssl_zoo._presets"],
    package_dir={"ssl_zoo._presets": "presets"},
    package_data={"ssl_zoo._presets": ["README.md", "*/*.json", "*/*.h5", "*/assets/*/*"]},
)
