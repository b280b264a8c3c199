"""Log filters referred to by settings.LOGGING."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """A refused request (4xx: a 403, a bad Host header) is the client's doing, not a fault of the
    app: Django logs it with the exception's traceback, which this folds into one line.
    Server errors (5xx) keep their traceback."""

    def filter(self, record):
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            message, detail = record.getMessage(), str(record.exc_info[1])
            record.msg, record.args = (f"{message} ({detail})" if detail not in message else message), ()
            record.exc_info = record.exc_text = None
        return True
