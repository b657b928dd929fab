"""Request bodies of the API: every parser reads at most the body size limit, and a body past it is a 413.

Django holds its own request bodies (`request.body`, `request.POST`) to `DATA_UPLOAD_MAX_MEMORY_SIZE`, but REST
framework's parsers read `request.stream`, where that setting is not checked. Here every parser of the API
(REST_FRAMEWORK's DEFAULT_PARSER_CLASSES; no view names its own) answers `RequestBodyTooLarge` (413):

- before reading anything when Content-Length says the body is over the limit;
- after reading at most limit + 1 bytes when it is not said (`BoundedStream`), so a body is never read whole
  into memory to find out it was too large.

The limit is DATA_UPLOAD_MAX_MEMORY_SIZE. A multipart form adds the uploaded file's own limit (MAX_UPLOAD_SIZE,
the import page's): as in Django, DATA_UPLOAD_MAX_MEMORY_SIZE counts the fields, files aside, and an upload
goes to a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE.

A body sent in chunks without Content-Length is read by `BoundedRequest` (REST framework's request of every
ApiView) within the same limit, from the server's de-chunked input (gunicorn's), and spooled to a temporary file
past FILE_UPLOAD_MAX_MEMORY_SIZE; Django alone would take it for an empty body. A server that does not de-chunk
its input gets 411 (send Content-Length).

Malformed bodies are 400s: REST framework's JSON and charset errors, and here JSON nested deeper than
MAX_JSON_DEPTH (or too deep for Python's parser), and forms with too many fields or files.
"""

import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.request import Request

# Deeper than any body an endpoint reads (an import row's list is 3 levels down); Python's own parser gives up
# near 1,000 levels, and code walking a deeper value recursively could fail before it does.
MAX_JSON_DEPTH = 32
_CHUNK = 64 * 1024


class RequestBodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int):
        super().__init__(
            _("The request body is larger than %(limit)d bytes, the most the API accepts.") % {"limit": limit}
        )


class LengthRequired(exceptions.APIException):
    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_code = "length_required"

    def __init__(self):
        super().__init__(_("Send the request body with a Content-Length header."))


class BoundedStream:
    """Reads `stream` up to `limit` bytes: reading the byte after them raises RequestBodyTooLarge."""

    def __init__(self, stream, limit: int):
        self.stream = stream
        self.limit = limit
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        room = self.limit + 1 - self.consumed
        data = self.stream.read(room if size is None or size < 0 or size > room else size)
        self.consumed += len(data)
        if self.consumed > self.limit:
            raise RequestBodyTooLarge(self.limit)
        return data


def declared_length(request) -> int | None:
    """The body's size as Content-Length gives it; None without one."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class BoundedParser:
    """Mixed into a REST framework parser: the body is refused past `body_limit()` bytes, read or declared."""

    def body_limit(self) -> int | None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def parse(self, stream, media_type=None, parser_context=None):
        limit = self.body_limit()
        if limit is not None:
            if (declared_length(parser_context["request"]) or 0) > limit:
                raise RequestBodyTooLarge(limit)
            stream = BoundedStream(stream, limit)
        return super().parse(stream, media_type, parser_context)


def _deeper_than(value, limit: int) -> bool:
    containers = [(value, 1)]
    while containers:
        item, depth = containers.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        containers.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(BoundedParser, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = exceptions.ParseError(
            _("The JSON is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if isinstance(data, (dict, list)) and _deeper_than(data, MAX_JSON_DEPTH):
            raise too_deep
        return data


class FormParser(BoundedParser, parsers.FormParser):
    pass


class MultiPartParser(BoundedParser, parsers.MultiPartParser):
    def body_limit(self) -> int | None:
        fields = super().body_limit()
        return None if fields is None else fields + settings.MAX_UPLOAD_SIZE


class BoundedRequest(Request):
    """REST framework's request, reading a body sent in chunks (no Content-Length) within the limit of the parser
    its media type selects, rather than taking it for an empty body."""

    def _load_stream(self):
        meta = self._request.META
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and declared_length(self._request) is None and not self._request._read_started:
            parser = self.negotiator.select_parser(self, self.parsers)
            if parser is None:
                raise exceptions.UnsupportedMediaType(self.content_type)
            self._take_chunked_body(parser.body_limit())
        super()._load_stream()

    def _take_chunked_body(self, limit: int | None):
        meta = self._request.META
        if not meta.get("wsgi.input_terminated"):
            raise LengthRequired()
        source = meta["wsgi.input"] if limit is None else BoundedStream(meta["wsgi.input"], limit)
        body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115 - the request's stream
        while chunk := source.read(_CHUNK):
            body.write(chunk)
        size = body.tell()
        body.seek(0)
        meta["CONTENT_LENGTH"] = str(size)
        self._request._stream = LimitedStream(body, size)
