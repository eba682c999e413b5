"""Why the Zendesk Fivetran seeds give first reply n = 0: the comments name other tickets.

Checked against the raw seed files (shared/data/vendors/zendesk_dbt_seeds/seeds), so a join bug
in the reader would show as a comment that belongs to a loaded ticket and is still rejected.
"""

from __future__ import annotations

import csv
from pathlib import Path

from cs8.io import read_zendesk
from tests._data import shared_file


def _column(path: Path, column: str) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column].strip() for row in csv.DictReader(handle)]


def test_the_seed_comments_belong_to_no_seed_ticket() -> None:
    seeds = shared_file("vendors/zendesk_dbt_seeds/seeds")
    tickets = set(_column(seeds / "ticket_data.csv", "id"))
    commented = _column(seeds / "ticket_comment_data.csv", "ticket_id")
    authors = set(_column(seeds / "ticket_comment_data.csv", "user_id"))
    users = set(_column(seeds / "user_data.csv", "id"))
    assert len(commented) == 20
    assert not tickets & set(commented)  # no comment names a seed ticket
    assert not authors & users  # nor is any author a seed user
    ds = read_zendesk(seeds, before_created="clamp")
    rejected = [r for r in ds.rejected if r.source.endswith("ticket_comment_data.csv")]
    assert [r.reason for r in rejected] == [f"no ticket {t!r} was loaded" for t in commented]
    assert all(t.first_reply_at is None for t in ds.tickets)
