"""Nhãn tiếng Việt của báo cáo (Vietnamese labels of the report)."""

from cs8.report._lang import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    code="vi",
    name="Tiếng Việt",
    decimal=",",
    thousands=".",
    date_format="%d/%m/%Y",
    time_format="%H:%M",
    short_date_format="%d/%m",
    units={"s": "giây", "min": "phút", "h": "giờ", "d": "ngày"},
    labels={
        "title": "Báo cáo chăm sóc khách hàng",
        "source": "Nguồn dữ liệu",
        "period": "Kỳ báo cáo",
        "period_range": "{start} đến {end} ({zone})",
        "period_empty": "không có bản ghi",
        "records": "Số bản ghi",
        "record.customers": "khách hàng",
        "record.agents": "nhân viên",
        "record.tickets": "phiếu hỗ trợ",
        "record.interactions": "lượt liên hệ",
        "record.orders": "đơn hàng",
        "record.surveys": "câu trả lời khảo sát",
        "record.rejected": "dòng bị loại",
        "clock.business": "giờ làm việc",
        "clock.calendar": "thời gian thực",
        "no_data": "chưa có dữ liệu",
        "n_of": "n = {n}",
        "more_rows": "... và {n} dòng nữa (xem đầy đủ trong báo cáo JSON)",
        # sections
        "section.scorecard": "Bảng điểm S8",
        "section.tickets": "Phiếu hỗ trợ",
        "section.trends": "Xu hướng theo {period}",
        "section.breakdowns": "Phân tích theo nhóm",
        "section.buckets": "Thời gian phản hồi đầu tiên",
        "section.heatmaps": "Khách hàng liên hệ vào lúc nào",
        "section.backlog": "Phiếu tồn đọng",
        "section.sla": "SLA (chính sách {policy})",
        "section.contact": "Tổng đài",
        "section.surveys": "Khảo sát",
        "section.notes": "Những gì không được tính",
        "section.definitions": "Định nghĩa",
        "period.week": "tuần",
        "period.month": "tháng",
        # columns
        "col.pillar": "Trụ cột",
        "col.measure": "Chỉ số",
        "col.value": "Giá trị",
        "col.target": "Mục tiêu",
        "col.status": "Kết quả",
        "col.trend": "Xu hướng",
        "col.n": "n",
        "col.interval": "Khoảng tin cậy 95%",
        "col.median": "Trung vị",
        "col.p90": "p90",
        "col.mean": "Trung bình",
        "col.group": "Nhóm",
        "col.tickets": "Số phiếu",
        "col.ticket": "Phiếu",
        "col.metric": "Chỉ tiêu",
        "col.priority": "Độ ưu tiên",
        "col.channel": "Kênh",
        "col.attainment": "Đạt mục tiêu",
        "col.breached_at": "Vi phạm lúc",
        "col.overdue": "Trễ",
        "col.due_at": "Hạn chót",
        "col.remaining": "Còn lại",
        "col.hour": "Giờ",
        "col.calls": "Cuộc gọi mỗi ngày",
        "col.agents": "Nhân viên",
        "col.scheduled": "Cần xếp ca",
        "col.dimension": "Khía cạnh",
        "col.gap": "Khoảng cách (P - E)",
        "col.bucket": "Phản hồi đầu tiên trong",
        "col.share": "Tỷ lệ",
        "col.count": "Số lượng",
        "col.reason": "Lý do",
        "col.what": "Chỉ số",
        "col.date": "Ngày",
        "col.open": "Phiếu đang mở",
        # status and trend
        "status.met": "đạt",
        "status.missed": "chưa đạt",
        "status.no_data": "chưa có dữ liệu",
        "target.at_least": "tối thiểu {value}",
        "target.at_most": "tối đa {value}",
        "target.nps_change": "không giảm đáng kể",
        "scorecard.summary": "{met} trên {measured} trụ cột có dữ liệu đạt mục tiêu.",
        "scorecard.trend_note": "Xu hướng: {period} gần nhất so với {period} trước đó.",
        # pillars
        "pillar.availability": "Sẵn sàng",
        "pillar.speed": "Tốc độ",
        "pillar.accuracy": "Chính xác",
        "pillar.empathy": "Thấu cảm",
        "pillar.proactivity": "Chủ động",
        "pillar.personalization": "Cá nhân hóa",
        "pillar.omnichannel": "Đa kênh",
        "pillar.continuous_learning": "Cải tiến liên tục",
        # measures
        "measure.service_level": "liên hệ trực tiếp được trả lời trong {seconds} giây",
        "measure.first_reply_sla": "phản hồi đầu tiên đúng SLA",
        "measure.first_contact_resolution": "giải quyết ngay lần liên hệ đầu",
        "measure.csat": "CSAT (tỷ lệ chấm 4-5)",
        "measure.proactive": "liên hệ do doanh nghiệp chủ động",
        "measure.language_match": "phiếu được xử lý bằng ngôn ngữ của khách",
        "measure.channel_switch": "liên hệ phải chuyển sang kênh khác",
        "measure.nps_change": "thay đổi NPS, nửa đầu so với nửa sau",
        "measure.bot_containment": "cuộc trò chuyện bot tự xử lý (không cần người trong 72 giờ)",
        "measure.negative_sentiment": "liên hệ và tin nhắn của khách mang sắc thái tiêu cực",
        # figures
        "kpi.volume": "Phiếu mới",
        "kpi.first_reply": "Thời gian phản hồi đầu tiên",
        "kpi.first_reply_business": "Thời gian phản hồi đầu tiên (giờ làm việc)",
        "kpi.resolution": "Thời gian giải quyết",
        "kpi.resolution_business": "Thời gian giải quyết (giờ làm việc)",
        "kpi.reopen_rate": "Tỷ lệ mở lại",
        "kpi.one_touch_rate": "Tỷ lệ giải quyết trong một lần trả lời",
        "kpi.first_contact_resolution": "Giải quyết ngay lần liên hệ đầu",
        "kpi.open_at_end": "Còn mở cuối kỳ",
        "kpi.service_level": "Mức phục vụ ({seconds} giây)",
        "kpi.abandonment": "Tỷ lệ bỏ cuộc",
        "kpi.asa": "Thời gian chờ được trả lời",
        "kpi.aht": "Thời gian xử lý cuộc gọi",
        "kpi.sla_first_reply": "Phản hồi đầu tiên đúng SLA",
        "kpi.csat": "CSAT (tỷ lệ chấm 4-5)",
        "kpi.nps": "NPS",
        "kpi.ces": "CES (trung bình, 1-7)",
        "kpi.arrivals": "Phiếu và lượt liên hệ mới",
        "kpi.backlog": "Phiếu còn mở cuối mỗi ngày",
        "kpi.staffing": "Erlang C: số nhân viên cần mỗi giờ",
        "trend.first_reply": "Thời gian phản hồi đầu tiên, trung vị và p90",
        "trend.resolution": "Thời gian giải quyết, trung vị và p90",
        "series.median": "trung vị",
        "series.p90": "p90",
        # breakdowns
        "dim.channel": "Theo kênh",
        "dim.priority": "Theo độ ưu tiên",
        "dim.segment": "Theo nhóm khách hàng",
        "dim.agent": "Theo nhân viên",
        "dim.team": "Theo đội",
        "group.none": "(không có)",
        # SLA
        "sla.attainment": "Tỷ lệ đạt theo chỉ tiêu và độ ưu tiên",
        "sla.breaches": "Vi phạm ({n}), mới nhất trước",
        "sla.at_risk": "Có nguy cơ trễ hạn trong {horizon} tới ({n})",
        "sla.none": "Không có.",
        "sla.all": "tất cả",
        # contact centre
        "contact.staffing_note": (
            "Số nhân viên trực điện thoại mỗi giờ của một ngày làm việc trung bình để trả lời "
            "{level} cuộc gọi trong {seconds} giây (Erlang C, thời gian xử lý {aht}); cột cần xếp "
            "ca đã tính {shrinkage} hao hụt."
        ),
        "contact.no_calls": "Quá ít cuộc gọi được trả lời để tính số nhân viên cần.",
        # heatmaps
        "heat.arrivals": "Lượt đến theo giờ và thứ trong tuần",
        "heat.service_level": "Mức phục vụ theo giờ và thứ trong tuần",
        "heat.legend": (
            "Giờ địa phương ({zone}). Màu càng đậm càng nhiều; ô mức phục vụ để trống khi có dưới "
            "{n} lượt liên hệ."
        ),
        # surveys
        "surveys.servqual": "Khoảng cách SERVQUAL theo khía cạnh (cảm nhận trừ kỳ vọng)",
        "surveys.servqual_n": "{n} phiếu SERVQUAL; khoảng cách âm là chưa đáp ứng kỳ vọng.",
        "dimension.tangibles": "Phương tiện hữu hình",
        "dimension.reliability": "Độ tin cậy",
        "dimension.responsiveness": "Khả năng đáp ứng",
        "dimension.assurance": "Sự đảm bảo",
        "dimension.empathy": "Sự thấu cảm",
        # notes
        "note.excluded": "{what}: không tính {n} ({reason})",
        "note.rejected": "{n} dòng dữ liệu bị loại khi đọc; xem --rejected.",
        "note.nothing": "Không có gì bị loại.",
        "note.rejected_tickets": (
            "{n} dòng phiếu bị bỏ qua, như trình nạp sẽ từ chối (ô bắt buộc để trống, mã trùng, "
            "sự kiện lỗi hoặc trước thời điểm tạo phiếu)."
        ),
        "note.omitted": "{what}: không tính trên máy {engine}: {reason}",
        "omit.scorecard": "Bảng điểm S8",
        "omit.sla": "Tỷ lệ đạt SLA, vi phạm và đồng hồ sắp trễ",
        "omit.backlog": "Tồn đọng theo ngày và số phiếu còn mở cuối kỳ",
        "omit.heatmaps": "Lượt đến và mức phục vụ theo giờ và thứ",
        "omit.words": "Điều khách viết",
        "omit.why.history": "cần lịch sử sự kiện của từng phiếu dưới dạng đối tượng",
        "omit.why.text": "cần đọc nội dung từng tin nhắn và liên hệ",
        "omit.why.no_engine": "chỉ số này chưa có dạng tính trên máy",
        "reason.unreplied": "chưa có nhân viên trả lời",
        "reason.unsolved": "chưa được giải quyết",
        "reason.still_open": "vẫn đang mở",
        "reason.merged": "đã gộp vào phiếu khác",
        "reason.agent_created": "do nhân viên tạo",
        "reason.no_customer_message": "không có tin nhắn của khách",
        "reason.unanswered": "chưa được trả lời",
        "reason.abandoned": "khách bỏ cuộc",
        "reason.no_response": "không trả lời khảo sát",
        "reason.other_kind": "loại khảo sát khác",
        "reason.outbound": "gọi ra",
        "reason.short_abandon": "bỏ cuộc quá nhanh",
        # definitions
        "def.first_reply": (
            "Thời gian phản hồi đầu tiên: từ lúc tạo phiếu đến tin nhắn công khai đầu tiên của nhân "
            "viên; không tính phiếu do nhân viên tạo và phiếu đã gộp."
        ),
        "def.resolution": "Thời gian giải quyết: từ lúc tạo phiếu đến lần đầu phiếu được giải quyết.",
        "def.business": (
            "Giờ làm việc: chỉ tính thời gian trong giờ mở cửa của lịch làm việc ({zone}); khi "
            "không có lịch, thời lượng là thời gian thực."
        ),
        "def.median_interval": (
            "Khoảng tin cậy của trung vị: khoảng 95% phi tham số từ thống kê thứ tự "
            "(Conover, Practical Nonparametric Statistics, tái bản lần 3, 1999, mục 3.2)."
        ),
        "def.rates": "Tỷ lệ: khoảng tin cậy Wilson 95%. NPS: tỷ lệ khách ủng hộ trừ tỷ lệ khách phản đối, tính bằng điểm.",
        "def.service_level": (
            "Mức phục vụ: các cuộc gọi và chat trực tiếp được trả lời trong {seconds} giây; cuộc "
            "gọi bị bỏ cuộc được tính là không đạt."
        ),
        "def.sla": (
            "SLA: mỗi đồng hồ đã dừng được tính một lần, đồng hồ đang chạy mà đã quá hạn tính là vi "
            "phạm; có nguy cơ là đồng hồ đang chạy sẽ đến hạn trong {horizon} sau cuối kỳ."
        ),
        "def.fcr": "Giải quyết ngay lần liên hệ đầu: phiếu đã giải quyết với tối đa một lần nhân viên trả lời công khai.",
        "def.trend": (
            "Mũi tên xu hướng so sánh chỉ số của trụ cột trong {period} gần nhất với {period} trước "
            "đó (▲ tăng, ▼ giảm, ► chênh dưới một điểm phần trăm)."
        ),
        "def.value": (
            "Với thời gian: giá trị là trung vị, kèm khoảng tin cậy 95% của trung vị; bên cạnh là "
            "giá trị trung bình và phân vị thứ 90."
        ),
        "def.buckets": "Các khoảng thời gian phản hồi đầu tiên như Chatwoot: 0-1 giờ, 1-4 giờ, 4-8 giờ, 8-24 giờ, trên 24 giờ.",
        "bucket.0-1h": "0-1 giờ",
        "bucket.1-4h": "1-4 giờ",
        "bucket.4-8h": "4-8 giờ",
        "bucket.8-24h": "8-24 giờ",
        "bucket.24h+": "trên 24 giờ",
        # what customers wrote
        "section.words": "Khách hàng viết gì",
        "words.none": "Không có tin nhắn nào của khách có nội dung, nên không có gì để đọc.",
        "words.intro": (
            "{n} tin nhắn của khách, đọc ngoại tuyến bằng cs8.text: sắc thái theo bộ từ điển kèm "
            "theo, cờ cảnh báo kèm những từ đã gây ra nó."
        ),
        "words.flagged": "Tin nhắn gần nhất cần quản lý can thiệp",
        "col.sentiment": "Sắc thái",
        "col.flag": "Cờ",
        "col.evidence": "Từ ngữ",
        "sentiment.negative": "tiêu cực",
        "sentiment.neutral": "trung tính",
        "sentiment.positive": "tích cực",
        "flag.needs_supervisor": "tiêu cực, cần quản lý",
        "flag.urgent": "khẩn cấp",
        "flag.refund_request": "yêu cầu hoàn tiền",
        # journeys
        "section.journeys": "Hành trình khách hàng",
        "journeys.no_orders": "Dữ liệu không có đơn hàng nên không có hành trình để trình bày (hành trình cần đơn hàng).",
        "journeys.customers": (
            "{n} khách hàng có phiếu, liên hệ hoặc đơn hàng thuộc một giai đoạn. Khách vào giai đoạn "
            "sau ở sự kiện đầu tiên sau khi vào giai đoạn này; ai bỏ qua một giai đoạn thì rời phễu."
        ),
        "journeys.funnel": "Phễu: khách hàng vào từng giai đoạn và đi tiếp",
        "journeys.paths": "Các lộ trình phổ biến nhất",
        "journeys.more_paths": "Hiển thị {shown} trên {n} lộ trình khác nhau; mọi số liệu có trong báo cáo JSON.",
        "journeys.graph": "Đồ thị kế tiếp trực tiếp: giai đoạn nào đến sau",
        "journeys.graph_note": (
            "{shown} chuyển tiếp thường gặp nhất trên {n}; mỗi sự kiện nhận giai đoạn cụ thể nhất của nó."
        ),
        "col.stage": "Giai đoạn",
        "col.entered": "Đã vào",
        "col.completed": "Đi tiếp",
        "col.dropped": "Rời đi",
        "col.time_to_next": "Thời gian trung vị đến giai đoạn sau",
        "col.path": "Lộ trình",
        "col.customers": "Khách hàng",
        "col.from": "Từ",
        "col.to": "Đến",
        "stage.ask": "hỏi",
        "stage.buy": "mua",
        "stage.receive": "nhận hàng",
        "stage.use": "sử dụng",
        "stage.warranty": "bảo hành",
        "stage.rebuy": "mua lại",
        # weekdays
        "weekday.0": "T2",
        "weekday.1": "T3",
        "weekday.2": "T4",
        "weekday.3": "T5",
        "weekday.4": "T6",
        "weekday.5": "T7",
        "weekday.6": "CN",
        # terms
        "channel.email": "email",
        "channel.chat": "chat",
        "channel.phone": "điện thoại",
        "channel.social": "mạng xã hội",
        "channel.messaging": "tin nhắn",
        "channel.web": "web",
        "channel.in_person": "trực tiếp",
        "channel.self_service": "tự phục vụ",
        "priority.low": "thấp",
        "priority.normal": "bình thường",
        "priority.high": "cao",
        "priority.urgent": "khẩn cấp",
        "segment.vip": "VIP",
        "segment.repeat": "khách quen",
        "segment.one_time": "khách mua một lần",
        "segment.prospect": "khách tiềm năng",
        "metric.first_reply": "phản hồi đầu tiên",
        "metric.next_reply": "phản hồi tiếp theo",
        "metric.periodic_update": "cập nhật định kỳ",
        "metric.resolution": "giải quyết",
        "metric.requester_wait": "thời gian khách chờ",
        "metric.agent_work": "thời gian nhân viên xử lý",
        "metric.group_ownership": "thời gian nhóm phụ trách",
        # kế hoạch nhân sự (cs8.report._staffing)
        "section.staffing_plan": "Kế hoạch nhân sự tuần bắt đầu {start}",
        "plan.method": (
            "Số liên hệ của từng kênh được dự báo cho tuần sau dữ liệu ({method}); mỗi khoảng "
            "{minutes} phút được tính bằng Erlang C để {level} được trả lời trong {seconds} giây, "
            "sau hao hụt {shrinkage}, rồi cộng số nhân viên của các kênh."
        ),
        "plan.channels": "Các kênh được lập kế hoạch",
        "plan.required": "Số nhân viên cần mỗi khoảng (dự báo)",
        "plan.coverage": "Số nhân viên trong ca mỗi khoảng (kế hoạch)",
        "plan.shifts": "Các ca được chọn (số ca mỗi ngày)",
        "plan.summary": "Chi phí {cost}; cận dưới {bound}; chênh lệch {gap} ({solver}).",
        "plan.days": "Giờ nhân viên mỗi ngày",
        "plan.intervals": "Cần / trong ca mỗi khoảng",
        "plan.none": (
            "Không có kế hoạch nhân sự: cần numpy và, với một kênh, ít nhất mười liên hệ được "
            "trả lời trong ba ngày."
        ),
        "solver.milp": "quy hoạch nguyên chính xác",
        "solver.greedy": "thuật toán tham lam",
        "col.aht": "Thời gian xử lý",
        "col.concurrency": "Số cuộc đồng thời",
        "col.history_days": "Số ngày lịch sử",
        "col.forecast": "Liên hệ dự báo",
        "col.peak": "Nhân viên cao điểm",
        "col.shift": "Ca",
        "col.start": "Bắt đầu",
        "col.paid_hours": "Giờ công",
        "col.cost": "Chi phí",
        "col.required": "Cần",
        "col.on_shift": "Trong ca",
        "col.under": "Thiếu",
        "col.over": "Thừa",
        "col.short_intervals": "Số khoảng thiếu",
    },
)
