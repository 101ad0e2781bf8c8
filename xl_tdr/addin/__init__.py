"""The Excel add-in: ribbon actions (called from VBA through xlwings' RunPython) and the
builder of ``xl_tdr.xlam``. ``refresh_data``, ``new_report``, ``data_info`` and ``show_help``
are the ribbon's buttons."""

from .actions import data_info, new_report, refresh_data, show_help

__all__ = ["refresh_data", "new_report", "data_info", "show_help"]
