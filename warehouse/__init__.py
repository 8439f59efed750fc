"""The DuckDB warehouse: schema + numbered migrations, bulk idempotent writes, views for people."""

from warehouse.db import Warehouse, connect_read_only, export_parquet

__all__ = ["Warehouse", "connect_read_only", "export_parquet"]
