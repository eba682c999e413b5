"""What the sample shop's customers and agents write: message texts in Vietnamese and English.

Written by the cs8 team for the sample (no data set is copied): for each ticket category a few
openings in a neutral and in an unhappy tone, follow-ups, a complaint on reopening, and agents'
replies; some are typed the way people chat ("sp", "ko", "dc", no diacritics). The texts are
drawn from their own random stream, seeded by the sample's seed, after everything else is
generated, so adding them changes no other field of the sample.

Example:
    >>> from cs8.datasets import sample_shop
    >>> shop = sample_shop(n_customers=200, weeks=2)
    >>> first = next(e for e in shop.tickets[0].events if getattr(e, "text", None))
    >>> isinstance(first.text, str) and len(first.text) > 10
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._models import Message, StatusChange, Ticket, TicketEvent

__all__ = ["with_text"]

Lines = tuple[str, ...]

# category -> language -> (neutral openings, unhappy openings)
_OPENINGS: dict[str, dict[str, tuple[Lines, Lines]]] = {
    "delivery": {
        "vi": (
            (
                "Shop ơi đơn hàng của em đang giao đến đâu rồi ạ?",
                "Cho mình hỏi bao giờ đơn của mình được giao vậy shop?",
                "shop check giup e don hang voi, bao gio ship toi a",
            ),
            (
                "Đơn hàng giao chậm quá, đã một tuần rồi vẫn chưa nhận được hàng.",
                "Shipper không gọi mà báo giao thất bại, bực mình quá.",
            ),
        ),
        "en": (
            (
                "Hi, where is my order? When will it arrive?",
                "Could you tell me the delivery date for my order?",
            ),
            (
                "My order is a week late and still not here. Very disappointed.",
                "The courier marked my parcel as delivered but I never got it.",
            ),
        ),
    },
    "product": {
        "vi": (
            (
                "Sản phẩm này có bảo hành không shop?",
                "Cho em hỏi cách sử dụng máy này với ạ.",
                "sp nay con mau trang ko shop",
            ),
            (
                "Sản phẩm bị lỗi, dùng được hai ngày đã hỏng.",
                "Hàng nhận được không giống mô tả, rất thất vọng.",
            ),
        ),
        "en": (
            ("Does this product come with a warranty?", "How do I set up the device I bought?"),
            (
                "The product stopped working after two days. It is defective.",
                "What I received does not match the description at all. Disappointed.",
            ),
        ),
    },
    "refund": {
        "vi": (
            (
                "Em muốn trả hàng và hoàn tiền cho đơn này ạ.",
                "Cho mình hỏi thủ tục hoàn tiền thế nào vậy shop?",
            ),
            (
                "Đã gửi trả hàng hai tuần mà vẫn chưa được hoàn tiền, làm ăn kiểu gì vậy?",
                "ko dc hoan tien luon, chan qua",
            ),
        ),
        "en": (
            (
                "I would like to return my order and get a refund.",
                "How long does a refund take?",
            ),
            ("I returned the item two weeks ago and still have no refund. This is unacceptable.",),
        ),
    },
    "payment": {
        "vi": (
            (
                "Em chuyển khoản rồi mà đơn vẫn báo chưa thanh toán ạ.",
                "Shop có nhận thanh toán khi nhận hàng không ạ?",
            ),
            ("Bị trừ tiền hai lần cho một đơn hàng, shop xử lý gấp giúp em, bực quá.",),
        ),
        "en": (
            (
                "I paid by bank transfer but my order still shows unpaid.",
                "Can I pay cash on delivery?",
            ),
            ("I was charged twice for one order. Please fix this urgently, I am upset.",),
        ),
    },
    "order_change": {
        "vi": (
            (
                "Em muốn đổi địa chỉ giao hàng cho đơn vừa đặt.",
                "Cho mình đổi sang màu khác được không shop?",
            ),
            ("Đã nhờ đổi địa chỉ mà vẫn giao sai, tệ quá.",),
        ),
        "en": (
            (
                "Can I change the delivery address of my order?",
                "I would like to change the colour of my order.",
            ),
            ("I asked to change the address and you still sent it to the old one. Terrible.",),
        ),
    },
    "account": {
        "vi": (
            (
                "Em không đăng nhập được vào tài khoản ạ.",
                "Làm sao để đổi số điện thoại trong tài khoản vậy shop?",
            ),
            ("Tài khoản bị khóa mà không ai trả lời, quá thất vọng.",),
        ),
        "en": (
            ("I cannot log in to my account.", "How do I change the phone number on my account?"),
            ("My account is locked and nobody answers. Very frustrating.",),
        ),
    },
    "complaint": {
        "vi": (
            (),
            (
                "Nhân viên tư vấn thái độ rất tệ, tôi muốn khiếu nại.",
                "Tôi rất không hài lòng với cách shop xử lý đơn hàng của tôi.",
                "Hàng lỗi, gọi mãi không ai nghe máy, thất vọng quá.",
            ),
        ),
        "en": (
            (),
            (
                "The agent was rude to me. I want to file a complaint.",
                "I am very unhappy with how you handled my order.",
                "Faulty item and nobody answers the phone. Awful service.",
            ),
        ),
    },
}
# language -> (neutral follow-ups, impatient follow-ups, on reopening)
_FOLLOW_UPS: dict[str, tuple[Lines, Lines, Lines]] = {
    "vi": (
        (
            "Dạ em cảm ơn shop.",
            "Mã đơn của em là {order} ạ.",
            "Vâng, em đợi shop kiểm tra ạ.",
            "ok shop, cam on nhieu",
        ),
        (
            "Sao lâu vậy shop, em chờ mãi chưa thấy trả lời.",
            "Vẫn chưa được giải quyết à? Chán quá.",
        ),
        (
            "Vẫn chưa được shop ơi, vấn đề vẫn còn.",
            "Báo xong rồi mà em vẫn chưa nhận được gì, thất vọng.",
        ),
    ),
    "en": (
        ("Thanks.", "My order number is {order}.", "OK, I will wait for your update."),
        ("Why is this taking so long? Still no answer.", "Still not solved? This is annoying."),
        ("It is still not fixed.", "You marked it solved but nothing happened. Disappointed."),
    ),
}
# language -> (first replies, later replies)
_AGENT: dict[str, tuple[Lines, Lines]] = {
    "vi": (
        ("Dạ shop đã nhận được yêu cầu, shop kiểm tra và phản hồi ngay ạ.",
         "Dạ anh/chị vui lòng cho shop xin mã đơn hàng ạ."),
        ("Dạ shop đã xử lý xong, anh/chị kiểm tra giúp shop nhé.",
         "Dạ shop xin lỗi vì sự bất tiện, yêu cầu của mình đã được chuyển bộ phận phụ trách ạ."),
    ),
    "en": (
        ("Thanks for reaching out, we are checking this now.",
         "Could you send us your order number, please?"),
        ("This is done now, please check on your side.",
         "Sorry for the trouble; we have passed your request to the team in charge."),
    ),
}  # fmt: skip

_UNHAPPY = 0.2
"""Share of tickets (other than complaints) that open in an unhappy tone."""


def _text(rng: random.Random, lines: Lines) -> str:
    return rng.choice(lines).format(order=f"DH{rng.randrange(100000, 1000000)}")


def _ticket_text(ticket: Ticket, rng: random.Random) -> Ticket:
    language = "en" if ticket.language == "en" else "vi"
    calm, unhappy = _OPENINGS.get(ticket.category or "", _OPENINGS["product"])[language]
    angry = not calm or rng.random() < _UNHAPPY
    neutral, impatient, reopened = _FOLLOW_UPS[language]
    first_reply, later_reply = _AGENT[language]
    events: list[TicketEvent] = []
    said = replied = solved = False
    for event in ticket.events:
        if type(event) is StatusChange:
            solved = solved or event.status is TicketStatus.SOLVED
        if type(event) is not Message:
            events.append(event)
            continue
        if event.author is ActorKind.AGENT:
            text = _text(rng, later_reply if replied else first_reply)
            replied = True
        elif not said:
            text = _text(rng, unhappy if angry else calm)
        elif solved:
            text = _text(rng, reopened)
        else:
            text = _text(rng, impatient if rng.random() < (0.4 if angry else 0.1) else neutral)
        said = said or event.author is ActorKind.CUSTOMER
        events.append(attrs.evolve(event, text=text))
    return attrs.evolve(ticket, events=tuple(events))


def with_text(tickets: Iterable[Ticket], seed: int) -> list[Ticket]:
    """Return the tickets with a text on every message, drawn from the seed's own stream.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 7, 6, 9, tzinfo=timezone.utc)
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t,
        ...                 category="complaint", events=[Message(at=t, author="customer")])
        >>> from cs8.text import sentiment
        >>> sentiment(with_text([ticket], seed=0)[0].events[0].text).label
        'negative'
    """
    rng = random.Random(f"cs8 sample text {seed}")
    return [_ticket_text(ticket, rng) for ticket in tickets]
