"""The data a parse produces: cells with status and source, typed tables, the report."""
