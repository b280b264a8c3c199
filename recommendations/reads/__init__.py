"""Read models: what the pages, the API and the admin show, computed without writing.

`progress` computes figures in the database (counts per status, shares, breakdowns, the running
totals); `figures` attaches them to the objects a page lists and builds the status matrix.
"""
