"""Child processes started by a test (gunicorn instances, say) are always stopped, and reaped."""

import subprocess


def stop_all(processes, timeout=10):
    """Ask each process to stop, then kill whichever has not stopped within ``timeout`` seconds."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
