"""Census data sources (API and bulk file) — the only place requests is used."""
