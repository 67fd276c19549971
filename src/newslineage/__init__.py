"""newslineage: trace how news travels.

Which articles tell the same story, which were made from which, which one is the original,
and what each copy changed. The public library lives in :mod:`newslineage.api`.
"""

__version__ = "0.1.0"
