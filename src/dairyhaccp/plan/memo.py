"""What is derived from a plan, kept as long as the plan object is.

A plan never changes once built (its models are frozen), so anything worked out from it alone
holds for as long as that object lives. Entries are keyed by the object's identity and keep the
object itself, so an id reused by another plan can never give its value; the oldest entries
are dropped past `maxsize`.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from dairyhaccp.plan.models import Plan

F = TypeVar("F", bound=Callable[..., Any])

PER_PLAN_SIZE = 512


def per_plan(maxsize: int = PER_PLAN_SIZE) -> Callable[[F], F]:
    """Cache `function(plan, *args)` per plan object and (hashable) positional arguments."""

    def decorate(function: F) -> F:
        cache: OrderedDict[tuple[Hashable, ...], tuple[Plan, Any]] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def cached(plan: Plan, *args: Hashable) -> Any:
            key = (id(plan), *args)
            with lock:
                entry = cache.get(key)
                if entry is not None and entry[0] is plan:
                    cache.move_to_end(key)
                    return entry[1]
            value = function(plan, *args)
            with lock:
                cache[key] = (plan, value)
                cache.move_to_end(key)
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return value

        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cast(F, cached)

    return decorate
