"""Language and kind filters packed as bits, one word per helper."""

import numpy as np
from numpy.typing import NDArray

# Filters in the compiled loop: bit b of a helper's word is set when it accepts the value given
# bit b; the top bit means "accepts anything". Values beyond the 63 most common are checked
# through their boolean array instead.
_ANY_BIT = 63


def _bit_table(counts: dict[str, int]) -> dict[str, int]:
    common = sorted(counts, key=lambda value: (-counts[value], value))[:_ANY_BIT]
    return {value: bit for bit, value in enumerate(common)}


def _bit_array(
    any_mask: NDArray[np.bool_], accepts: dict[str, NDArray[np.bool_]], table: dict[str, int]
) -> NDArray[np.uint64]:
    bits = any_mask.astype(np.uint64) << np.uint64(_ANY_BIT)
    for value, bit in table.items():
        bits |= accepts[value].astype(np.uint64) << np.uint64(bit)
    return bits
