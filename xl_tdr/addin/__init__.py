"""The Excel add-in: ribbon actions (called from VBA through xlwings' RunPython) and the
builder of ``xl_tdr.xlam``. ``refresh_data``, ``new_report``, ``export_chart`` and ``data_info``
are the ribbon's buttons that run Python; Help is VBA only, so that it works when Python does not."""

from .actions import data_info, export_chart, new_report, refresh_data

__all__ = ["refresh_data", "new_report", "export_chart", "data_info"]
