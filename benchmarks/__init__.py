"""Benchmarks of the matching core; each module is a script that updates docs/performance.md."""
