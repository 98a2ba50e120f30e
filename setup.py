"""The compiled part of discreet (everything else is in pyproject.toml).

The matcher's inner loops (``discreet.match._kernel``) and the phonetic keys
(``discreet.text._phonetic``) are Cython: setuptools compiles them with the Cython named in
the build requirements. ``-ffp-contract=off`` keeps every double operation as written (no
fused multiply-add), so the compiled scores are the numbers the Python arithmetic they
mirror gives.
"""

from setuptools import Extension, setup

_FLAGS = ["-O2", "-ffp-contract=off"]

setup(ext_modules=[
    Extension("discreet.match._kernel", ["src/discreet/match/_kernel.pyx"],
              extra_compile_args=_FLAGS),
    Extension("discreet.text._phonetic", ["src/discreet/text/_phonetic.pyx"],
              extra_compile_args=_FLAGS),
])
