import pytest

from .helpers import SHARED_DATA


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip("shared data folder not present")
    return SHARED_DATA.resolve()
