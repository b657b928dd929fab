"""Log records as one JSON object per line, each with the request id of the request or task it belongs to.

Switched on by LOG_FORMAT=json (the default in production settings); `RequestIdFilter` also serves the text
format, so `request_id` is on every record whatever the format.
"""

import datetime
import json
import logging

from .request_context import current_request_id

# Attributes every LogRecord has; anything else was passed in `extra=` and goes into the JSON as is.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        entry |= {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
