"""The FAVV/AFSCA guide module 'Productie van zuivelproducten' as validated data."""

from dairyhaccp.guide.loader import CURRENT_VERSION, GuideError, available_versions, load_guide
from dairyhaccp.guide.models import Control, Flow, Guide, Limit, Text

__all__ = [
    "CURRENT_VERSION",
    "Control",
    "Flow",
    "Guide",
    "GuideError",
    "Limit",
    "Text",
    "available_versions",
    "load_guide",
]
