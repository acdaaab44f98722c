"""The exact nearest-helper index; `HelperIndex` is the one name the rest of the code needs.

`helper_index` holds the index and its queries; `tree`, `grid` and `filters` are its parts:
the k-d trees, the latitude/longitude grid scanned by the compiled loop, and the filter bits.
"""

from entraide.matching.index.helper_index import HelperIndex
from entraide.matching.index.tree import _CHORD_SLACK

__all__ = ["_CHORD_SLACK", "HelperIndex"]
