import pytest

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program


@pytest.fixture
def demo(db):
    demo_load()
    return Program.objects.get(slug=PROGRAM_SLUG)
