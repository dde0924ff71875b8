import pytest
from library.db import connect


@pytest.fixture
def conn():
    return connect()
