"""Model specs to chat models: the embedded default, OpenAI-compatible, Ollama.

A spec is a string: ``local`` (the embedded llama.cpp server), ``openai:<model>``
(any OpenAI-compatible API: OpenAI, OpenRouter, FastRouter, vLLM, ...) or
``ollama:<model>``. From Python a chat model instance may stand in for a spec.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import Runnable
from pydantic import BaseModel

LOCAL_SPECS = ("local", "embedded")
_cache: dict[tuple[Any, ...], BaseChatModel] = {}
_cache_lock = threading.Lock()


class ProviderError(RuntimeError):
    """A model spec that cannot be turned into a working chat model."""


@dataclass(frozen=True)
class ModelHandle:
    """A chat model with the names the ledger records."""

    model: BaseChatModel
    provider: str
    name: str
    base_url: str | None = None

    @property
    def is_local(self) -> bool:
        """Whether calls run on this machine and cost nothing."""
        return self.provider in ("local", "ollama")


def resolve(
    spec: str | BaseChatModel,
    *,
    base_url: str | None = None,
    temperature: float = 0.2,
    slots: int = 1,
    timeout: float = 300.0,
) -> ModelHandle:
    """Turn a model spec into a chat model.

    Args:
        spec: ``local``, ``openai:<model>``, ``ollama:<model>`` or a chat model.
        base_url: API base URL for openai/ollama specs; env vars otherwise.
        temperature: Sampling temperature.
        slots: Parallel request slots the embedded server should offer.
        timeout: Seconds one request may take. The clients do not retry:
            ``archedit.faults`` does, so every try is seen and counted.

    Raises:
        ProviderError: for an unknown provider, a missing model name or key.
    """
    if isinstance(spec, BaseChatModel):
        name = getattr(spec, "model_name", None) or getattr(spec, "model", None)
        return ModelHandle(spec, "custom", str(name or type(spec).__name__))
    text = str(spec).strip()
    if text in LOCAL_SPECS:
        return _embedded(temperature, slots)
    provider, sep, name = text.partition(":")
    if not sep or not name:
        raise ProviderError(
            f"model spec {text!r} is not understood; use 'local', "
            "'openai:<model>' or 'ollama:<model>'"
        )
    key = (provider, name, base_url, temperature, timeout)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = _build(provider, name, base_url, temperature, timeout)
        model = _cache[key]
    where = getattr(model, "openai_api_base", None) or getattr(model, "base_url", None)
    return ModelHandle(model, provider, name, where)


def _build(
    provider: str, name: str, base_url: str | None, temperature: float, timeout: float
) -> BaseChatModel:
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        base_url = base_url or os.environ.get("OPENAI_BASE_URL")
        api_key = os.environ.get("ARCHEDIT_API_KEY") or os.environ.get("OPENAI_API_KEY")
        if not api_key and not base_url:
            raise ProviderError(
                f"model 'openai:{name}' needs an API key; set OPENAI_API_KEY "
                "(or ARCHEDIT_API_KEY), or give a base URL of a server that "
                "needs none"
            )
        return ChatOpenAI(
            model=name,
            base_url=base_url,
            api_key=api_key or "none",
            temperature=temperature,
            timeout=timeout,
            max_retries=0,
            stream_usage=True,
        )
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        host = base_url or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434"
        if not host.startswith(("http://", "https://")):
            host = f"http://{host}"
        return ChatOllama(
            model=name,
            base_url=host,
            temperature=temperature,
            client_kwargs={"timeout": timeout},
        )
    raise ProviderError(
        f"unknown provider {provider!r} in model spec '{provider}:{name}'; "
        "use 'local', 'openai:<model>' or 'ollama:<model>'"
    )


def _embedded(temperature: float, slots: int) -> ModelHandle:
    from archedit import embedded

    server = embedded.shared_server(n_parallel=max(1, slots))
    key = ("local", server.base_url, temperature)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = embedded.chat_model(server, temperature=temperature)
        model = _cache[key]
    return ModelHandle(model, "local", "smollm2-135m-instruct", server.base_url)


def invoke_constrained(
    handle: ModelHandle,
    messages: list[BaseMessage],
    schema: type[BaseModel],
    config: dict[str, Any] | None = None,
    **kwargs: Any,
) -> AIMessage:
    """Ask for output matching ``schema`` and return the raw reply.

    OpenAI-compatible servers and Ollama get the JSON schema as a decoding
    constraint; other models get the prompt alone. The raw reply is returned
    either way, even when it was cut off by the token limit, so coercion
    decides what it holds and records whether the constraint was honoured.
    ``kwargs`` go with the request (e.g. a ``timeout`` for OpenAI clients).
    """
    model = constrained(handle.model, schema)
    return _as_ai(model.invoke(messages, config=config, **kwargs))


def constrained(model: BaseChatModel, schema: type[BaseModel]) -> Runnable:
    """``model`` bound to answer in JSON matching ``schema`` where it can."""
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    json_schema = schema.model_json_schema()
    if isinstance(model, ChatOpenAI):
        # Sent as a plain body field: the client's own response_format
        # handling raises on a reply cut off by the token limit and so would
        # lose what the model did write.
        response_format = {
            "type": "json_schema",
            "json_schema": {
                "name": schema.__name__,
                "schema": json_schema,
                "strict": False,
            },
        }
        return model.bind(extra_body={"response_format": response_format})
    if isinstance(model, ChatOllama):
        return model.bind(format=json_schema)
    return model


def _as_ai(message: BaseMessage) -> AIMessage:
    if isinstance(message, AIMessage):
        return message
    return AIMessage(content=message.content)
