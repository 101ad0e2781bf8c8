"""The automotive evidence: which industries drive a partner's deficit, and how much of the trade
is two-way (Grubel–Lloyd) — Mexico and Canada against China and Japan, 2024.

Run: python examples/automotive.py   (offline, from the bundled Census snapshot)
"""

import xl_tdr

YEAR = 2024

# 1. Vehicles and parts (HS chapter 87): the deficit ratio and the share of two-way trade.
print(f"Vehicles and parts (HS 87), {YEAR}:")
for partner in ("Mexico", "Canada", "USMCA", "China", "Japan", "Germany"):
    tdr, gl = xl_tdr.tdr(partner, YEAR, sector=87), xl_tdr.gl(partner, YEAR, sector=87)
    print(f"  {partner:<8} exports {xl_tdr.exports(partner, YEAR, sector=87) / 1e9:6.1f} bn  "
          f"imports {xl_tdr.imports(partner, YEAR, sector=87) / 1e9:6.1f} bn  TDR {tdr:6.2f}  GL {gl:.2f}")

# 2. Across all chapters: who co-produces with the United States?
print(f"\nGrubel–Lloyd index over all HS chapters, {YEAR} (1 = all trade two-way):")
for partner in ("Canada", "Mexico", "USMCA", "Germany", "Japan", "China", "Vietnam"):
    print(f"  {partner:<8} {xl_tdr.gl(partner, YEAR):.2f}   adjusted for the overall imbalance: "
          f"{xl_tdr.gl(partner, YEAR, adjusted=True):.2f}   (all-goods TDR {xl_tdr.tdr(partner, YEAR):.2f})")

# 3. The chapters behind Mexico's deficit.
print(f"\nMexico's five largest HS chapters, {YEAR}:")
for row in xl_tdr.sectors("Mexico", YEAR, top=5).itertuples():
    print(f"  {row.chapter} {row.name:<38} deficit {row.deficit / 1e9:6.1f} bn  TDR {row.tdr:5.2f}  "
          f"GL {row.gl:.2f}  {row.share:.0%} of the trade")

# 4. Sectors by name, in English or Spanish; imports by chapter are monthly.
print(f"\n'vehículos' is chapter {xl_tdr.chapter('vehículos').code}; Mexico's HS 87 imports in Q1 {YEAR}: "
      f"{xl_tdr.imports('Mexico', YEAR, 'Q1', 'autos') / 1e9:.1f} bn")
try:
    xl_tdr.exports("Mexico", YEAR, "Q1", "autos")
except xl_tdr.XlTdrError as error:
    print(error)
