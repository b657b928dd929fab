"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation. The connections
come from a shared pool either way, but building the client itself (redis-py 8 fills a table of some 170 response
callbacks in its constructor) cost about as much CPU as the rest of a page answered from the page cache
(iscm_portal/page_cache.py): half a millisecond per operation, measured with cProfile. A `redis.Redis` is safe to
share between threads (each command takes a connection from the pool), so the client is built once per pool.

It also counts and reads in one round trip (`count_and_get_many`): the API's per-address rate limit adds one to
its counter and reads the page cache's entry together (iscm_portal/api/address_limit.py), so an answer from the
page cache costs a visitor of the API one round trip to Redis, as it costs a visitor of a page. The two commands
(a three-line script that counts, and a plain MGET) are sent together and their replies read in turn. Reading the
entry inside the script instead made Redis copy the page (tens of kilobytes) into Lua and back: about 45 µs of
Redis's CPU per call against 2 µs for the MGET, about a sixth of the CPU the whole answer took.

Everything else (keys, serialisation, pools, timeouts) is Django's own. The settings choose this backend where
the environment's CACHE_URL names Redis (iscm_portal/settings/base.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ResponseError

# INCR the key (EXPIRE it on its first increment), atomically. Sent whole with EVAL (Redis keeps the compiled script
# by its digest): no "script not loaded" reply to handle after a restart, for some 130 bytes more per call.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
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
        commands = [("EVAL", _COUNT, 1, counter, timeout)]
        if keys:
            commands.append(("MGET", *keys))
        count, *values = _round_trip(self.get_client(counter, write=True), commands)
        return count, {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values[0] if keys else (), strict=True)
            if value is not None
        }


def _round_trip(client, commands: list[tuple]) -> list:
    """The replies to `commands`, sent together on one connection of `client`'s pool (as redis-py's pipeline
    does, without building one): retried and disconnected on a connection error as redis-py's commands are."""
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        return connection.retry.call_with_retry(
            lambda: _send_and_read(connection, commands), lambda _error: connection.disconnect()
        )
    finally:
        pool.release(connection)


def _send_and_read(connection, commands: list[tuple]) -> list:
    connection.send_packed_command(connection.pack_commands(commands))
    replies = []
    for _command in commands:
        try:
            replies.append(connection.read_response())
        except ResponseError as error:  # the later replies are still read: the connection stays in step
            replies.append(error)
    for reply in replies:
        if isinstance(reply, ResponseError):
            raise reply
    return replies


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_and_get_many(self, counter: str, *, timeout: int, keys=()) -> tuple[int, dict]:
        """Adds one to the counter `counter` (which the first addition gives `timeout` seconds to live) and reads
        `keys`, in one round trip: the counter's new value and the keys found, as `get_many` returns them.

        The keys are the caller's own (the page cache's and the rate limit's), so they are not checked for
        memcached's limits as Django checks every key (a Python loop over each character: about a fifth of the
        CPU this method cost the client); Redis has no such limits."""
        key_map = {self.make_key(key): key for key in keys}
        count, found = self._cache.count_and_get_many(self.make_key(counter), timeout, list(key_map))
        return count, {key_map[key]: value for key, value in found.items()}
