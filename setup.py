"""The compiled part of discreet (everything else is in pyproject.toml).

The matcher's inner loops (``discreet.match._kernel``) and the phonetic keys
(``discreet.text._phonetic``) are Cython: setuptools compiles them with the Cython named in
the build requirements. The kernel is one compilation unit: ``_kernel.pyx`` includes one
``.pxi`` part per Python module it mirrors (listed as its dependencies, so a change to a
part compiles it again and every part ships in the source distribution); it calls the
phonetic keys' C functions that ``text/_phonetic.pxd`` declares (a dependency too).
``-ffp-contract=off`` keeps every double operation as written (no fused multiply-add), so
the compiled scores are the numbers the Python arithmetic they mirror gives.
"""

from setuptools import Extension, setup

_FLAGS = ["-O2", "-ffp-contract=off"]
_KERNEL_PARTS = [f"src/discreet/match/_{part}.pxi" for part in (
    "distance", "strings", "similarity", "align", "score", "prune", "index", "keys")] + [
    "src/discreet/text/_phonetic.pxd"]

setup(ext_modules=[
    Extension("discreet.match._kernel", ["src/discreet/match/_kernel.pyx"],
              depends=_KERNEL_PARTS, extra_compile_args=_FLAGS),
    Extension("discreet.match._rows", ["src/discreet/match/_rows.pyx"],
              extra_compile_args=_FLAGS),
    Extension("discreet.text._phonetic", ["src/discreet/text/_phonetic.pyx"],
              extra_compile_args=_FLAGS),
])
