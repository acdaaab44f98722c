"""`make demo`: migrate, load the demo data, then run the web server and a task worker together."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENTRAIDE = str(BIN / "entraide")


def run(*args: str) -> None:
    """Run an entraide command and stop the demo if it fails."""
    subprocess.run([ENTRAIDE, *args], check=True, cwd=ROOT)


def main() -> int:
    """Prepare the database, then supervise the web server and the worker until Ctrl-C."""
    port = os.environ.get("PORT", "8000")
    os.environ.setdefault("DEBUG", "true")
    # Demo log-ins switch roles with a password only; set it to true to try two-factor log-in.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    run("migrate", "--no-input", "-v", "0")
    run("load_demo")
    processes = [
        subprocess.Popen([ENTRAIDE, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT),
        subprocess.Popen([ENTRAIDE, "worker"], cwd=ROOT),
    ]
    print(f"\nentraide is running on http://127.0.0.1:{port}/  (Ctrl-C to stop)\n", flush=True)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
