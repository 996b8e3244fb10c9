"""A bounded pool for verifying strangers' credentials: a flood waits or is turned away.

Each verification ends by its deadline (``Limits.max_seconds``), so a worker is never
held longer than that. Small documents (every ordinary badge) and large ones (where
the expensive ones are) get separate lanes: a flood of large credentials fills its own
lane and is refused ("busy", an HTTP 503 with ``Retry-After``) while ordinary badges
keep being verified in theirs.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from credstack.badges.limits import DEFAULT_LIMITS

T = TypeVar("T")

# Documents up to this size (bytes) use the small lane; an OB 3.0 badge is 5-20 KB.
SMALL_DOCUMENT_BYTES = 64_000


class PoolBusy(Exception):
    """Every worker and queue place of the lane is taken; try again after ``retry_after``."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"verification is busy; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class LaneSize:
    """Workers of one lane and how many more requests may wait for them."""

    workers: int
    queue: int


class _Lane:
    def __init__(self, size: LaneSize, name: str) -> None:
        self.size = size
        self._executor = ThreadPoolExecutor(size.workers, thread_name_prefix=f"verify-{name}")
        self._places = threading.BoundedSemaphore(size.workers + size.queue)

    def submit(self, work: Callable[[], T], retry_after: int) -> Future[T]:
        if not self._places.acquire(blocking=False):
            raise PoolBusy(retry_after)
        future = self._executor.submit(work)
        future.add_done_callback(lambda _done: self._places.release())
        return future


class VerifyPool:
    """Two bounded lanes of verification workers (small and large documents)."""

    def __init__(self, small: LaneSize = LaneSize(2, 32), large: LaneSize = LaneSize(1, 4),
                 seconds_per_job: float = DEFAULT_LIMITS.max_seconds) -> None:
        self._small = _Lane(small, "small")
        self._large = _Lane(large, "large")
        self._seconds = seconds_per_job

    def submit(self, work: Callable[[], T], *, size: int) -> Future[T]:
        """Run ``work`` (verifying a document of ``size`` bytes); ``PoolBusy`` if full."""
        lane = self._small if size <= SMALL_DOCUMENT_BYTES else self._large
        # By then the queue ahead of a new request has drained at least once.
        waves = math.ceil((lane.size.workers + lane.size.queue) / lane.size.workers)
        return lane.submit(work, retry_after=max(1, math.ceil(self._seconds * waves)))


# The process's one pool: the API and the portal's verify page share its lanes.
POOL = VerifyPool()
