"""The engine: the month's phases and dated events on Mesa's event list, and the named
random streams."""
