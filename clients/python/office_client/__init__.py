"""A small client for the office's API, for other offices' systems (townships, departments).

from office_client import OfficeClient, OfficeApiError

with OfficeClient("https://office.example.gov.cn", api_key="...") as office:
    report = office.submit_urgent_report("山洪冲毁村道", "general", {"place": "石门村"}, "现场已封闭。")
"""

from .client import OPERATIONS, OfficeApiError, OfficeClient

__all__ = ["OPERATIONS", "OfficeApiError", "OfficeClient"]
__version__ = "1.0.0"
