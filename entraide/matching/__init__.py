"""The pure matching core: plain values in, plain values out, no Django."""

from entraide.matching.assignment import (
    PairExplanation,
    assign,
    assign_greedy,
    explain,
    maximum_matchable,
)
from entraide.matching.index import HelperIndex
from entraide.matching.types import Helper, Need

__all__ = [
    "Helper",
    "HelperIndex",
    "Need",
    "PairExplanation",
    "assign",
    "assign_greedy",
    "explain",
    "maximum_matchable",
]
