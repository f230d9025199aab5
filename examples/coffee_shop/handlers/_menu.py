"""The coffee shop's menu and wording, shared by its handlers (a helper module: its name starts with _)."""

from __future__ import annotations

MAX_CUPS = 10

# Prices in won (ko_KR) and dollar cents (en_US), keyed by the slot type's values in each locale.
PRICES: dict[str, dict[str, int]] = {
    "ko_KR": {"아메리카노": 4500, "카페라테": 5000, "카푸치노": 5000, "카페모카": 5500},
    "en_US": {"americano": 350, "latte": 425, "cappuccino": 425, "mocha": 475},
}

TEXTS: dict[str, dict[str, str]] = {
    "ko_KR": {
        "unknown_drink": "죄송해요, {drink}는 메뉴에 없어요. "
        "아메리카노, 카페라테, 카푸치노, 카페모카 중에서 골라 주세요.",
        "bad_quantity": "한 번에 1잔부터 {max}잔까지 주문할 수 있어요. {drink} 몇 잔 드릴까요?",
        "placed": "{drink} {quantity}잔 주문을 접수했어요. 주문 번호는 {number}번, 금액은 {price}입니다.",
    },
    "en_US": {
        "unknown_drink": "Sorry, {drink} is not on our menu. "
        "Please choose americano, latte, cappuccino or mocha.",
        "bad_quantity": "We can make 1 to {max} cups per order. How many cups of {drink}?",
        "placed": "Your order of {quantity} {drink} is in. Order number {number}, total {price}.",
    },
}


def locale_of(locale: str) -> str:
    """The menu's locale for a bot locale (Korean, or English for everything else)."""
    return "ko_KR" if locale.startswith("ko") else "en_US"


def price_text(locale: str, amount: int) -> str:
    if locale_of(locale) == "ko_KR":
        return f"{amount:,}원"
    return f"${amount / 100:.2f}"


def say(locale: str, key: str, **values: object) -> str:
    return TEXTS[locale_of(locale)][key].format(max=MAX_CUPS, **values)
