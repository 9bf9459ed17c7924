"""What the apps above sessions add to its pages.

sessions imports none of them: each registers here from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RollTool:
    """A block on the roll page for those who may mark:
    `context(request, session)` feeds `template_name`."""

    template_name: str
    context: Callable[[Any, Any], dict]


roll_tools: list[RollTool] = []
