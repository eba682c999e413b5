"""Bundled sample data: a deterministic, realistic quarter of a Vietnamese online shop's service.

Example:
    >>> from cs8.datasets import sample_shop
    >>> shop = sample_shop(n_customers=200, weeks=2)
    >>> len(shop.customers), shop.timezone
    (200, 'Asia/Ho_Chi_Minh')
"""

from cs8.datasets._shop import SampleShop, sample_shop

__all__ = ["SampleShop", "sample_shop"]
