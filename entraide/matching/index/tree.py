"""One k-d tree over a set of helpers' unit vectors, with its grid for cheap scans."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from entraide.matching.index.grid import _Grid
from entraide.matching.types import HelperId

# Relative slack on chord bounds: floating-point chords and haversines may disagree by an ulp.
_CHORD_SLACK = 1e-9


def _ids_array(ids: Sequence[HelperId]) -> NDArray[np.generic]:
    if all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return np.asarray(ids, dtype=np.int64)
    if all(isinstance(i, str) for i in ids):
        return np.asarray(ids, dtype=np.str_)
    raise TypeError("helper ids must be all integers or all strings")


@dataclass(frozen=True, slots=True)
class _Tree:
    """A k-d tree over a subset of the static helpers; `positions` maps tree rows to them."""

    tree: cKDTree
    positions: NDArray[np.intp] | None  # None means the tree holds every static helper
    grid: _Grid  # the same helpers, sorted by grid cell, for single queries

    @property
    def size(self) -> int:
        return int(self.tree.n)
