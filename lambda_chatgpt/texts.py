"""What the fallback says when it cannot give the model's answer, in the user's language.

Korean for ko_KR, English for en_US and every other locale. The "not configured" texts tell the
person running the bot exactly what to do; the others are short and friendly. `answer_notice` is the
line a streamed answer's reader shows when the answer was stopped or failed.
"""

from __future__ import annotations

from collections.abc import Mapping

from conversation_memory import MARKERS

_PUT_VALUE_COMMAND = "aws secretsmanager put-secret-value --secret-id {secret} --secret-string 'YOUR_API_KEY'"

_TEXTS: Mapping[str, Mapping[str, str]] = {
    "timeout": {
        "ko": "죄송합니다. 답변을 준비하는 데 시간이 너무 오래 걸렸어요. 잠시 후 다시 물어봐 주세요.",
        "en": "Sorry, that took too long to answer. Please ask again in a moment.",
    },
    "rate_limited": {
        "ko": "지금은 요청이 많아 답변하기 어려워요. 잠시 후 다시 시도해 주세요.",
        "en": "I'm getting too many requests right now. Please try again in a moment.",
    },
    "unavailable": {
        "ko": "죄송합니다. 지금은 답변을 가져올 수 없어요. 잠시 후 다시 시도해 주세요.",
        "en": "Sorry, I can't get an answer right now. Please try again in a moment.",
    },
    "bad_response": {
        "ko": "죄송합니다. 답변을 제대로 받지 못했어요. 다시 한 번 물어봐 주세요.",
        "en": "Sorry, I didn't get a proper answer. Please ask again.",
    },
    "key_unavailable": {
        "ko": "지금은 언어 모델 설정을 읽을 수 없어요. 잠시 후 다시 시도해 주세요.",
        "en": "I can't read my language model settings right now. Please try again later.",
    },
    "misconfigured": {
        "ko": "대화 모델 설정에 문제가 있어 답변할 수 없어요. 관리자가 Lambda 로그를 확인해야 합니다.",
        "en": "My language model is misconfigured, so I can't answer. "
        "The administrator should check the Lambda logs.",
    },
    "empty_input": {
        "ko": "무엇을 도와드릴까요? 질문을 입력해 주세요.",
        "en": "How can I help? Please type your question.",
    },
    "not_configured_secret": {
        "ko": "아직 LLM API 키가 설정되지 않았어요. 관리자가 다음 명령으로 키를 설정하면 답변할 수 있어요: "
        + _PUT_VALUE_COMMAND,
        "en": "The LLM API key has not been set yet. The administrator can set it with: "
        + _PUT_VALUE_COMMAND,
    },
    "not_configured_local": {
        "ko": "LLM이 설정되지 않았어요. OpenAI를 쓰려면 OPENAI_API_KEY를, 호환 서버(Ollama, vLLM, "
        "llama.cpp)를 쓰려면 OPENAI_BASE_URL과 LLM_MODEL을 설정한 뒤 make serve를 다시 실행해 주세요.",
        "en": "No LLM is configured. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL and LLM_MODEL for a "
        "compatible server (Ollama, vLLM, llama.cpp), then run make serve again.",
    },
    "auth_failed_secret": {
        "ko": "LLM 서비스가 API 키를 거부했어요. 관리자가 올바른 키를 다시 설정해야 합니다: "
        + _PUT_VALUE_COMMAND,
        "en": "The LLM service rejected the API key. The administrator needs to set a valid key with: "
        + _PUT_VALUE_COMMAND,
    },
    "auth_failed_local": {
        "ko": "LLM 서비스가 API 키를 거부했어요. OPENAI_API_KEY 값을 확인해 주세요.",
        "en": "The LLM service rejected the API key. Please check OPENAI_API_KEY.",
    },
    "budget_conversation": {
        "ko": "이 대화에서 답변할 수 있는 양을 모두 썼어요. '새 대화'를 눌러 새로 시작해 주세요.",
        "en": "This conversation has used up its share of answers. Press 'New chat' to start a new one.",
    },
    "budget_client_day": {
        "ko": "오늘 답변할 수 있는 양을 모두 썼어요. 내일 다시 이용해 주세요.",
        "en": "You've reached today's limit for answers. Please come back tomorrow.",
    },
    "truncated": {
        "ko": "…(답변이 너무 길어 나머지는 생략했어요)",
        "en": "… (the answer was too long, so the rest was cut)",
    },
    # Streamed answers (issue 11): the code hook's placeholder while the worker writes the answer,
    # the refusal while another answer of the session is being written, the notice of a stopped
    # answer, and the markers a cut answer gets in the memory (conversation_memory owns those).
    "streaming": {
        "ko": "답변을 작성하고 있어요…",
        "en": "Writing the answer…",
    },
    "session_busy": {
        "ko": "아직 이전 답변을 작성하고 있어요. 답변이 끝나거나 멈춘 뒤에 다시 보내 주세요.",
        "en": "I'm still writing the previous answer. Please wait for it to finish, or stop it, "
        "then send your message again.",
    },
    "stopped": {
        "ko": "답변을 중간에 멈췄어요.",
        "en": "The answer was stopped.",
    },
    "stopped_marker": MARKERS["stopped"],
    "interrupted_marker": MARKERS["interrupted"],
}

LANGUAGE_NAMES = {"ko_KR": "Korean", "en_US": "English", "en_GB": "English", "ja_JP": "Japanese"}


def language(locale: str) -> str:
    """ "ko" for Korean locales, "en" for everything else."""
    return "ko" if locale.startswith("ko") else "en"


def say(kind: str, locale: str, *, secret_name: str | None = None) -> str:
    """The text for `kind` in the locale's language ("unavailable" for unknown kinds)."""
    texts = _TEXTS.get(kind, _TEXTS["unavailable"])
    return texts[language(locale)].format(secret=secret_name or "<secret name>")


def failure_text(kind: str, locale: str, *, secret_name: str | None) -> str:
    """The message for an LlmError kind, choosing the secret or local variant where there are two."""
    if kind in ("not_configured", "auth_failed"):
        return say(f"{kind}_{'secret' if secret_name else 'local'}", locale, secret_name=secret_name)
    return say(kind, locale, secret_name=secret_name)


def answer_notice(
    status: str, error_kind: str | None, locale: str, *, secret_name: str | None = None
) -> str | None:
    """What a reader shows under a streamed answer that ended: None when it is done, the stopped
    notice, or the failure's message (its LlmError kind; "unavailable" when unknown)."""
    if status == "done":
        return None
    if status == "stopped":
        return say("stopped", locale)
    return failure_text(error_kind or "unavailable", locale, secret_name=secret_name)
