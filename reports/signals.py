"""Worker start: warn loudly when Redis may evict queued tasks (maxmemory-policy)."""

from __future__ import annotations

import logging

from celery.signals import worker_ready

logger = logging.getLogger(__name__)

EVICTION_WARNING = (
    "Redis maxmemory-policy is %r, not 'noeviction': under memory pressure Redis may silently "
    "drop queued report tasks. Set `maxmemory-policy noeviction` in redis.conf (or "
    "`CONFIG SET maxmemory-policy noeviction`)."
)


def broker_eviction_policy(connection) -> str | None:
    """The broker's maxmemory-policy, or None when the broker is not Redis or cannot say."""
    if not connection.transport_cls.startswith(("redis", "rediss")):
        return None
    client = connection.default_channel.client
    return client.config_get("maxmemory-policy").get("maxmemory-policy")


@worker_ready.connect
def check_broker_eviction_policy(sender=None, **kwargs) -> None:
    try:
        with sender.app.connection_for_read() as connection:
            policy = broker_eviction_policy(connection)
    except Exception as exc:  # CONFIG may be disabled on managed Redis: say so, do not stop
        logger.warning("Could not read the Redis maxmemory-policy (%s); make sure it is "
                       "noeviction.", exc)
        return
    if policy is not None and policy != "noeviction":
        logger.warning(EVICTION_WARNING, policy)
    elif policy == "noeviction":
        logger.info("Redis maxmemory-policy is noeviction.")
