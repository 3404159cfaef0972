"""Give freed memory back to the operating system between steps.

A province's steps hold millions of rows in pandas for a while (the GX frames, ingest batches, the parse
pool's results). Python frees them, but glibc keeps the freed pages in the process, so the next step —
dbt, a process of its own — would run on top of gigabytes this process no longer uses. Measured at 2,000
documents: a 3M-row frame freed leaves 3.4 GiB resident until malloc_trim, 256 MiB after.
"""
import ctypes
import gc


def release_freed_memory() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass
