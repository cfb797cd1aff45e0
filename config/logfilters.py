"""Logging filters (settings.LOGGING)."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Django logs a refused request (403: PermissionDenied, a CSRF failure) at WARNING with the
    exception's traceback. A refusal is the application answering as designed, so it keeps its one
    line (method, path, status) and loses the traceback, which would bury real faults in the log and
    make an ordinary "not allowed" look like a crash. 5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
