"""Errors whose body names them with a stable code beside the message.

A module of its own, free of DRF's views: the authentication and throttle classes that use it
are imported while DRF's settings load.
"""


class WithCode:
    """Mixed into an APIException: its body is {"detail": "…", "code": "…"}, for scripts that act
    on the code (sign in again, wait) rather than on the wording."""

    def __init__(self, detail=None, code=None):
        super().__init__(detail, code)
        self.detail = {"detail": self.detail, "code": self.detail.code}
