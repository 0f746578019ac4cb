"""Read models cached across reruns and sessions, keyed by the database's change counter.

A page that opens reads the same plan, matrix or log as the run before unless something was
saved in between, by anyone on any instance: the counter (the audit chain's head, one tiny
query) is part of the key, so a save makes every older entry unreachable at once. The
identity is part of the key too, because what a user may read depends on their roles.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, TypeVar, cast

import streamlit as st

from riskmotor.bootstrap import UnitOfWork
from riskmotor.services import changes

P = ParamSpec("P")
T = TypeVar("T")

MAX_ENTRIES = 256


class _ReadCache:
    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, object]:
        with self.lock:
            if key not in self.entries:
                return False, None
            self.entries.move_to_end(key)
            return True, self.entries[key]

    def put(self, key: Hashable, value: object) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _store() -> _ReadCache:
    return _ReadCache()


def _frozen(value: object) -> Hashable:
    """A key part for an argument: the value when hashable, else the object's identity
    (the catalog and other shared objects live as long as the process)."""
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return cast(Hashable, value)


def cached_read(
    new_uow: Callable[[], UnitOfWork],
    identity_key: str,
    fn: Callable[Concatenate[UnitOfWork, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """``fn(new_uow(), *args, **kwargs)``, from the cache while nothing has changed."""
    stamp = changes.change_stamp(new_uow())
    key = (
        fn.__module__,
        fn.__qualname__,
        identity_key,
        stamp,
        tuple(_frozen(a) for a in args),
        tuple(sorted((k, _frozen(v)) for k, v in kwargs.items())),
    )
    store = _store()
    found, value = store.get(key)
    if found:
        return cast(T, value)
    result = fn(new_uow(), *args, **kwargs)
    store.put(key, result)
    return result


def clear() -> None:
    """Forget everything (tests start from an empty cache)."""
    store = _store()
    with store.lock:
        store.entries.clear()
