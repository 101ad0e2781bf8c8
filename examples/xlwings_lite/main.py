"""xl_tdr's worksheet functions in Excel for Mac, Excel on the web and Windows, through xlwings Lite.

Paste this file into xlwings Lite's main.py, and requirements.txt beside it into its
requirements.txt; Lite restarts Python and registers the functions. Then type in any cell:

    =TDR("Mexico", 2025)                  0.58 — the Trade Deficit Ratio
    =TDR_EXPORTS("MX", 2024, "Q1")        U.S. exports to Mexico in the first quarter, in dollars
    =TDR_GL("Canada", 2024, , "vehicles") Grubel–Lloyd index of two-way trade in HS 87
    =TDR_TABLE(2025, 7)                   the seven largest partners, a table that spills
    =TDR_INFO()                           where the bundled figures come from, and their vintage

A bad input shows #VALUE!; the reason (for instance: unknown partner "Mexco" — did you mean
Mexico?) is on the cell's error flag. The functions read the Census figures bundled with the
package: no network, no refresh (docs/lite.md says how newer figures reach you).
"""

from xl_tdr.udfs import *  # noqa: F403 — TDR, TDR_EXPORTS, … TDR_INFO, each registered by xlwings Lite
