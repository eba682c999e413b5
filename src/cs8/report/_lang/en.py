"""English labels of the report (the reference catalogue: every other language has its keys)."""

from cs8.report._lang import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    code="en",
    name="English",
    decimal=".",
    thousands=",",
    date_format="%Y-%m-%d",
    time_format="%H:%M",
    short_date_format="%m-%d",
    units={"s": "s", "min": "min", "h": "h", "d": "d"},
    labels={
        "title": "Customer service report",
        "source": "Source",
        "period": "Period",
        "period_range": "{start} to {end} ({zone})",
        "period_empty": "no records",
        "records": "Records",
        "record.customers": "customers",
        "record.agents": "agents",
        "record.tickets": "tickets",
        "record.interactions": "contacts",
        "record.orders": "orders",
        "record.surveys": "survey answers",
        "record.rejected": "rejected rows",
        "clock.business": "business hours",
        "clock.calendar": "calendar time",
        "no_data": "n/a",
        "n_of": "n = {n}",
        "more_rows": "... and {n} more (all of them are in the JSON report)",
        # sections
        "section.scorecard": "S8 scorecard",
        "section.tickets": "Tickets",
        "section.trends": "Trends by {period}",
        "section.breakdowns": "Breakdowns",
        "section.buckets": "Time to first reply",
        "section.heatmaps": "When customers arrive",
        "section.backlog": "Backlog",
        "section.sla": "SLA ({policy} policy)",
        "section.contact": "Contact centre",
        "section.surveys": "Surveys",
        "section.notes": "What was left out",
        "section.definitions": "Definitions",
        "period.week": "week",
        "period.month": "month",
        # columns
        "col.pillar": "Pillar",
        "col.measure": "Measure",
        "col.value": "Value",
        "col.target": "Target",
        "col.status": "Status",
        "col.trend": "Trend",
        "col.n": "n",
        "col.interval": "95% interval",
        "col.median": "Median",
        "col.p90": "p90",
        "col.mean": "Mean",
        "col.group": "Group",
        "col.tickets": "Tickets",
        "col.ticket": "Ticket",
        "col.metric": "Metric",
        "col.priority": "Priority",
        "col.channel": "Channel",
        "col.attainment": "Within target",
        "col.breached_at": "Breached at",
        "col.overdue": "Over by",
        "col.due_at": "Due at",
        "col.remaining": "Left",
        "col.hour": "Hour",
        "col.calls": "Calls per day",
        "col.agents": "Agents",
        "col.scheduled": "Scheduled",
        "col.dimension": "Dimension",
        "col.gap": "Gap (P - E)",
        "col.bucket": "First reply within",
        "col.share": "Share",
        "col.count": "Count",
        "col.reason": "Reason",
        "col.what": "Measure",
        "col.date": "Date",
        "col.open": "Open tickets",
        # status and trend
        "status.met": "met",
        "status.missed": "missed",
        "status.no_data": "no data",
        "target.at_least": "at least {value}",
        "target.at_most": "at most {value}",
        "target.nps_change": "no significant fall",
        "scorecard.summary": "{met} of {measured} measured pillars met their target.",
        "scorecard.trend_note": "Trend: the last {period} against the one before.",
        # pillars
        "pillar.availability": "Availability",
        "pillar.speed": "Speed",
        "pillar.accuracy": "Accuracy",
        "pillar.empathy": "Empathy",
        "pillar.proactivity": "Proactivity",
        "pillar.personalization": "Personalization",
        "pillar.omnichannel": "Omnichannel",
        "pillar.continuous_learning": "Continuous learning",
        # measures
        "measure.service_level": "live contacts answered within {seconds} s",
        "measure.first_reply_sla": "first replies within SLA",
        "measure.first_contact_resolution": "first contact resolution",
        "measure.csat": "CSAT (share of 4-5)",
        "measure.proactive": "contacts started by the business",
        "measure.language_match": "tickets handled in the customer's language",
        "measure.channel_switch": "contacts that had to switch channel",
        "measure.nps_change": "NPS change, 1st to 2nd half",
        "measure.bot_containment": "bot conversations contained (no person within 72 h)",
        "measure.negative_sentiment": "customer contacts and messages that read negative",
        # figures
        "kpi.volume": "New tickets",
        "kpi.first_reply": "First reply time",
        "kpi.first_reply_business": "First reply time (business hours)",
        "kpi.resolution": "Resolution time",
        "kpi.resolution_business": "Resolution time (business hours)",
        "kpi.reopen_rate": "Reopen rate",
        "kpi.one_touch_rate": "One-touch rate",
        "kpi.first_contact_resolution": "First contact resolution",
        "kpi.open_at_end": "Open at the end of the period",
        "kpi.service_level": "Service level ({seconds} s)",
        "kpi.abandonment": "Abandonment rate",
        "kpi.asa": "Speed of answer",
        "kpi.aht": "Handle time (phone)",
        "kpi.sla_first_reply": "First replies within SLA",
        "kpi.csat": "CSAT (share of 4-5)",
        "kpi.nps": "NPS",
        "kpi.ces": "CES (mean, 1-7)",
        "kpi.arrivals": "New tickets and contacts",
        "kpi.backlog": "Open tickets at the end of each day",
        "kpi.staffing": "Erlang C: agents needed per hour",
        "trend.first_reply": "First reply time, median and p90",
        "trend.resolution": "Resolution time, median and p90",
        "series.median": "median",
        "series.p90": "p90",
        # breakdowns
        "dim.channel": "By channel",
        "dim.priority": "By priority",
        "dim.segment": "By customer segment",
        "dim.agent": "By agent",
        "dim.team": "By team",
        "group.none": "(none)",
        # SLA
        "sla.attainment": "Attainment by metric and priority",
        "sla.breaches": "Breaches ({n}), latest first",
        "sla.at_risk": "At risk: due within {horizon} ({n})",
        "sla.none": "None.",
        "sla.all": "all",
        # contact centre
        "contact.staffing_note": (
            "Agents on the phones each hour of an average open day to answer {level} of calls "
            "within {seconds} s (Erlang C, handle time {aht}); scheduled adds {shrinkage} shrinkage."
        ),
        "contact.no_calls": "Too few answered calls for a staffing line.",
        # heatmaps
        "heat.arrivals": "Arrivals by hour and weekday",
        "heat.service_level": "Service level by hour and weekday",
        "heat.legend": (
            "Local time ({zone}). Darker is more; service level is left blank where fewer than {n} "
            "contacts were measured."
        ),
        # surveys
        "surveys.servqual": "SERVQUAL gaps by dimension (perception minus expectation)",
        "surveys.servqual_n": "{n} SERVQUAL answers; a negative gap is a shortfall.",
        "dimension.tangibles": "Tangibles",
        "dimension.reliability": "Reliability",
        "dimension.responsiveness": "Responsiveness",
        "dimension.assurance": "Assurance",
        "dimension.empathy": "Empathy",
        # notes
        "note.excluded": "{what}: {n} left out ({reason})",
        "note.rejected": "{n} input rows were rejected when loading; see --rejected.",
        "note.nothing": "Nothing was left out.",
        "note.rejected_tickets": (
            "{n} ticket rows were left out, as the loader would reject them (a blank required "
            "cell, a duplicate id, a bad event or one before the ticket's creation)."
        ),
        "note.omitted": "{what}: not computed on the {engine} engine: {reason}",
        "omit.scorecard": "S8 scorecard",
        "omit.sla": "SLA attainment, breaches and clocks at risk",
        "omit.backlog": "Backlog by day and open tickets at the end",
        "omit.heatmaps": "Arrivals and service level by hour and weekday",
        "omit.words": "What customers wrote",
        "omit.why.history": "it reads each ticket's event history as objects",
        "omit.why.text": "it reads the text of each message and contact",
        "omit.why.no_engine": "the KPI has no engine form yet",
        "reason.unreplied": "no agent reply yet",
        "reason.unsolved": "not solved yet",
        "reason.still_open": "still open",
        "reason.merged": "merged into another ticket",
        "reason.agent_created": "created by an agent",
        "reason.no_customer_message": "no customer message",
        "reason.unanswered": "not answered",
        "reason.abandoned": "abandoned",
        "reason.no_response": "no answer",
        "reason.other_kind": "another survey kind",
        "reason.outbound": "outbound",
        "reason.short_abandon": "abandoned very quickly",
        # definitions
        "def.first_reply": (
            "First reply time: from ticket creation to the first public agent message; tickets "
            "created by agents and merged tickets are left out."
        ),
        "def.resolution": "Resolution time: from creation to the first time the ticket was solved.",
        "def.business": (
            "Business hours: time counted only while the calendar is open ({zone}); without a "
            "calendar, durations are calendar time."
        ),
        "def.median_interval": (
            "Median intervals: distribution-free 95% intervals from order statistics "
            "(Conover, Practical Nonparametric Statistics, 3rd ed., 1999, section 3.2)."
        ),
        "def.rates": "Rates: 95% Wilson score intervals. NPS: promoters minus detractors, in points.",
        "def.service_level": (
            "Service level: live phone and chat contacts answered within {seconds} s, abandoned "
            "contacts counting against it."
        ),
        "def.sla": (
            "SLA: a completed clock counts once, a running clock that already breached counts as "
            "breached; at risk are running clocks due within {horizon} of the end of the period."
        ),
        "def.fcr": "First contact resolution: solved tickets with at most one public agent reply.",
        "def.trend": (
            "Trend arrows compare the pillar's measure in the last {period} with the one before "
            "(▲ up, ▼ down, ► within one percentage point)."
        ),
        "def.value": (
            "Times: the value is the median, with the 95% interval of the median; the mean and "
            "the 90th percentile are beside it."
        ),
        "def.buckets": "First-reply buckets as Chatwoot reports them: 0-1 h, 1-4 h, 4-8 h, 8-24 h, over 24 h.",
        "bucket.0-1h": "0-1 h",
        "bucket.1-4h": "1-4 h",
        "bucket.4-8h": "4-8 h",
        "bucket.8-24h": "8-24 h",
        "bucket.24h+": "24 h+",
        # what customers wrote
        "section.words": "What customers wrote",
        "words.none": "No customer message has a text, so there is nothing to read.",
        "words.intro": (
            "{n} customer messages, read offline by cs8.text: sentiment from the shipped lexicons, "
            "flags with the words that raised them."
        ),
        "words.flagged": "Latest messages that need a supervisor",
        "col.sentiment": "Sentiment",
        "col.flag": "Flag",
        "col.evidence": "Words",
        "sentiment.negative": "negative",
        "sentiment.neutral": "neutral",
        "sentiment.positive": "positive",
        "flag.needs_supervisor": "negative, needs a supervisor",
        "flag.urgent": "urgent",
        "flag.refund_request": "refund request",
        # journeys
        "section.journeys": "Customer journeys",
        "journeys.no_orders": "No orders in the data, so there are no journeys to show (they need orders).",
        "journeys.customers": (
            "{n} customers with a ticket, contact or order in a stage. A customer enters the next "
            "stage at its first event after entering this one; who skips a stage leaves the funnel."
        ),
        "journeys.funnel": "Funnel: customers who entered each stage and went on",
        "journeys.paths": "Most common paths",
        "journeys.more_paths": "{shown} of {n} distinct paths shown; all counts are in the JSON report.",
        "journeys.graph": "Directly-follows graph: which stage comes next",
        "journeys.graph_note": (
            "The {shown} most frequent of {n} transitions; each event takes its most specific stage."
        ),
        "col.stage": "Stage",
        "col.entered": "Entered",
        "col.completed": "Went on",
        "col.dropped": "Dropped",
        "col.time_to_next": "Median time to next stage",
        "col.path": "Path",
        "col.customers": "Customers",
        "col.from": "From",
        "col.to": "To",
        "stage.ask": "ask",
        "stage.buy": "buy",
        "stage.receive": "receive",
        "stage.use": "use",
        "stage.warranty": "warranty",
        "stage.rebuy": "rebuy",
        # weekdays
        "weekday.0": "Mon",
        "weekday.1": "Tue",
        "weekday.2": "Wed",
        "weekday.3": "Thu",
        "weekday.4": "Fri",
        "weekday.5": "Sat",
        "weekday.6": "Sun",
        # terms
        "channel.email": "email",
        "channel.chat": "chat",
        "channel.phone": "phone",
        "channel.social": "social",
        "channel.messaging": "messaging",
        "channel.web": "web",
        "channel.in_person": "in person",
        "channel.self_service": "self-service",
        "priority.low": "low",
        "priority.normal": "normal",
        "priority.high": "high",
        "priority.urgent": "urgent",
        "segment.vip": "VIP",
        "segment.repeat": "repeat",
        "segment.one_time": "one-time",
        "segment.prospect": "prospect",
        "metric.first_reply": "first reply",
        "metric.next_reply": "next reply",
        "metric.periodic_update": "periodic update",
        "metric.resolution": "resolution",
        "metric.requester_wait": "requester wait",
        "metric.agent_work": "agent work",
        "metric.group_ownership": "group ownership",
        # staffing plan (cs8.report._staffing)
        "section.staffing_plan": "Staffing plan for the week of {start}",
        "plan.method": (
            "Each channel's contacts are forecast for the week after the data ({method}); each "
            "{minutes}-minute interval is sized with Erlang C for {level} answered within "
            "{seconds} s, after {shrinkage} shrinkage, and the channels' agents are added."
        ),
        "plan.channels": "Channels planned",
        "plan.required": "Agents required per interval (forecast)",
        "plan.coverage": "Agents on shift per interval (plan)",
        "plan.shifts": "Shifts chosen (count per day)",
        "plan.summary": "Cost {cost}; lower bound {bound}; gap {gap} ({solver}).",
        "plan.days": "Agent-hours per day",
        "plan.intervals": "Required / on shift per interval",
        "plan.none": (
            "No staffing plan: it needs numpy and, for a planned channel, at least ten answered "
            "contacts over three days."
        ),
        "solver.milp": "exact integer programme",
        "solver.greedy": "greedy heuristic",
        "col.aht": "Handle time",
        "col.concurrency": "Concurrency",
        "col.history_days": "Days of history",
        "col.forecast": "Forecast contacts",
        "col.peak": "Peak agents",
        "col.shift": "Shift",
        "col.start": "Start",
        "col.paid_hours": "Paid hours",
        "col.cost": "Cost",
        "col.required": "Required",
        "col.on_shift": "On shift",
        "col.under": "Short",
        "col.over": "Beyond need",
        "col.short_intervals": "Intervals short",
    },
)
