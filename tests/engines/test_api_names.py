"""API.md, "Engines": the contact-centre and survey KPIs take engine tables through ``.frame``."""

from __future__ import annotations

import cs8.kpi


def test_contact_and_survey_kpis_have_a_frame_form() -> None:
    names = (
        "service_level",
        "abandonment_rate",
        "average_speed_of_answer",
        "average_handle_time",
        "occupancy",
        "csat",
        "csat_mean",
        "nps",
        "ces",
        "ces_index",
    )
    missing = [n for n in names if not getattr(cs8.kpi, n).has_frame]
    assert missing == []
