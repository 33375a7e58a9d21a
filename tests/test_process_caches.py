"""The process caches keep a value per key, build once, and forget the least recently used."""

from __future__ import annotations

import threading
import time

from catalogue.caches import ProcessCache, process_caches_clear


def test_it_keeps_the_value_until_the_key_changes():
    cache: ProcessCache[list[str]] = ProcessCache("test")
    built: list[str] = []

    def build(key: str):
        return lambda: built.append(key) or [key]

    assert cache.get("v1", build("v1")) == ["v1"]
    assert cache.get("v1", build("v1")) == ["v1"]
    assert cache.get("v2", build("v2")) == ["v2"]
    assert cache.get("v1", build("v1")) == ["v1"]  # one key kept: v1 was dropped for v2
    assert built == ["v1", "v2", "v1"]


def test_it_drops_the_least_recently_used_past_its_size():
    cache: ProcessCache[int] = ProcessCache("test", size=2)
    cache.keep("a", 1), cache.keep("b", 2)
    assert cache.find("a") == 1  # a is now the most recently used
    cache.keep("c", 3)
    assert (cache.find("a"), cache.find("b"), cache.find("c")) == (1, None, 3)


def test_one_thread_builds_while_the_others_wait_for_its_value():
    cache: ProcessCache[object] = ProcessCache("test")
    builds = []

    def build() -> object:
        builds.append(1)
        time.sleep(0.05)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.get("v", build))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len({id(v) for v in got}) == 1


def test_clearing_forgets_every_cache():
    first, second = ProcessCache("a"), ProcessCache("b")
    first.keep("k", 1), second.keep("k", 2)
    process_caches_clear()
    assert first.find("k") is None and second.find("k") is None
