"""Staff pages of case handling (办案): thin views over ``selectors`` and ``services``."""

from .actions import case_action, complainant_reveal, party_id_number_reveal
from .detail import case_detail
from .intake import case_new
from .lists import case_list, lead_list

__all__ = [
    "case_action",
    "case_detail",
    "case_list",
    "case_new",
    "complainant_reveal",
    "lead_list",
    "party_id_number_reveal",
]
