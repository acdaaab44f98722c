"""Shared helpers for the benchmarks: timing summaries, memory, and updating docs/performance.md."""

import contextlib
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def rss_mib() -> float:
    """Return this process's resident memory in MiB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentiles_ms(seconds: list[float]) -> tuple[float, float]:
    """Return the median and the 99th percentile of durations, in milliseconds."""
    array = np.asarray(seconds) * 1000
    return float(np.median(array)), float(np.percentile(array, 99))


def machine() -> str:
    """Describe the machine the figures come from."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
        f"NumPy {np.__version__}; load average {load:.1f} when the run started"
    )


def command_line() -> str:
    """Return the command that reproduces this run."""
    module = sys.modules["__main__"].__spec__
    name = module.name if module is not None else sys.argv[0]
    return "python -m " + " ".join([name, *map(shlex.quote, sys.argv[1:])])


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between this benchmark's markers in docs/performance.md."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n\n_Run on {time.strftime('%Y-%m-%d')}: {machine()}._\n{end}"
    text = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else ""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE_MD.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def throwaway_postgres(port: int = 55432) -> Iterator[dict[str, str]]:
    """Run a PostgreSQL cluster in a temporary folder on localhost; yield its libpq settings."""
    bin_dir = Path("/usr/lib/postgresql/15/bin")
    folder = Path(tempfile.mkdtemp(prefix="entraide-bench-pg-"))
    data = folder / "data"
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    subprocess.run(
        [*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB"
    # Room to build a GiST index over 10M rows in memory, and no checkpoint storm while loading.
    options += " -c maintenance_work_mem=1GB -c max_wal_size=4GB"
    subprocess.run(
        [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield {"host": "127.0.0.1", "port": str(port), "user": "postgres", "dbname": "postgres"}
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)
