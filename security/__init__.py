"""Security of input and output, shared by every app.

Plain functions and middleware with no models and no imports from our apps, so every layer
(accounts up to reports) may use them: safe spreadsheet cells, upload sniffing, input limits,
error pages, the CSP report view and security.txt.
"""
