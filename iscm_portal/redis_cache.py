"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation. The connections
come from a shared pool either way, but building the client itself (redis-py 8 fills a table of some 170 response
callbacks in its constructor) cost about as much CPU as the rest of a page answered from the page cache
(iscm_portal/page_cache.py): half a millisecond per operation, measured with cProfile. A `redis.Redis` is safe to
share between threads (each command takes a connection from the pool), so the client is built once per pool.

It also counts and reads in one round trip (`count_and_get_many`): the API's per-address rate limit adds one to
its counter and reads the page cache's entry together (iscm_portal/api/address_limit.py), so an answer from the
page cache costs a visitor of the API one round trip to Redis, as it costs a visitor of a page.

Everything else (keys, serialisation, pools, timeouts) is Django's own. The settings choose this backend where
the environment's CACHE_URL names Redis (iscm_portal/settings/base.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.functional import cached_property

# INCR the first key (EXPIRE it on its first increment) and MGET the others, atomically, in one command.
_COUNT_AND_GET = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if #KEYS == 1 then return {count, {}} end
return {count, redis.call('MGET', unpack(KEYS, 2))}
"""


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_and_get_many(self, counter: str, timeout: int, keys: list[str]) -> tuple[int, dict]:
        count, values = self._count_and_get(keys=[counter, *keys], args=[timeout], client=self.get_client(counter))
        return count, {
            key: self._serializer.loads(value) for key, value in zip(keys, values, strict=True) if value is not None
        }

    @cached_property
    def _count_and_get(self):
        # One command (EVALSHA; redis-py loads the script the first time), cheaper for the client than a pipeline.
        return self.get_client(write=True).register_script(_COUNT_AND_GET)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_and_get_many(self, counter: str, *, timeout: int, keys=()) -> tuple[int, dict]:
        """Adds one to the counter `counter` (which the first addition gives `timeout` seconds to live) and reads
        `keys`, in one round trip: the counter's new value and the keys found, as `get_many` returns them."""
        key_map = {self.make_and_validate_key(key): key for key in keys}
        count, found = self._cache.count_and_get_many(self.make_and_validate_key(counter), timeout, list(key_map))
        return count, {key_map[key]: value for key, value in found.items()}
