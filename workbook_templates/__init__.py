"""Declarative report templates (TOML), shipped inside the package as ``xl_tdr.workbook_templates``."""
