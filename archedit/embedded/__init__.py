"""The embedded default model: SmolLM2-135M-Instruct served by llama.cpp.

``model_path`` gives a verified copy of the model file; ``EmbeddedServer``
runs llama.cpp's OpenAI-compatible HTTP server on a loopback port inside this
process, and ``chat_model`` returns a LangChain chat model talking to it.
"""

from archedit.embedded.model_file import (
    MODEL_MEMBER,
    MODEL_NAME,
    MODEL_REQUIREMENT,
    MODEL_SHA256,
    MODEL_SIZE,
    EmbeddedModelError,
    model_path,
)
from archedit.embedded.server import (
    EmbeddedServer,
    chat_model,
    shared_server,
    stop_shared_server,
)

__all__ = [
    "MODEL_MEMBER",
    "MODEL_NAME",
    "MODEL_REQUIREMENT",
    "MODEL_SHA256",
    "MODEL_SIZE",
    "EmbeddedModelError",
    "EmbeddedServer",
    "chat_model",
    "model_path",
    "shared_server",
    "stop_shared_server",
]
