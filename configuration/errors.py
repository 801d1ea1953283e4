"""The one exception type the front doors turn into a clear message and exit code 2."""


class UserError(Exception):
    """Bad input from a user (config, override, file): the message is shown as is."""
