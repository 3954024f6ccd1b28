"""The base of the classes that own a C handle (calendar, power-factor table, tariff, usage)."""


class _Handle:
    """An owned C handle: context manager, close() twice is harmless, use after close -> StateError."""

    __slots__ = ("_h", "_closed")
    _free = None

    def close(self):
        """Free the handle. Harmless when already closed."""
        self._closed = True
        type(self)._free(self._h)

    @property
    def closed(self):
        return self._closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
