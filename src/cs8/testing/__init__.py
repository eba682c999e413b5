"""Helpers for testing code that uses cs8.

:mod:`cs8.testing.strategies` holds hypothesis strategies for every model (install the ``testing``
extra, or hypothesis yourself).
"""
