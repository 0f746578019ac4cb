"""Rendering pieces shared by pages: charts and sections that show a service's result."""
