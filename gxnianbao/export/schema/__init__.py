"""The JSON Schema of Report.to_dict(), built from the templates and shipped as data."""
