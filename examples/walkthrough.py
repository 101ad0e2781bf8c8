"""A notebook-style walk through the Python API: the 2025 table and the Mexico series.

Run: python examples/walkthrough.py   (offline, from the bundled Census snapshot)
"""

import xl_tdr

# 1. One number: the Trade Deficit Ratio, (imports − exports) / exports.
mexico = xl_tdr.tdr("Mexico", 2025)
print(f"Mexico 2025: TDR {mexico:.2f} — for every $1 the U.S. exports to Mexico, "
      f"it imports ${1 + mexico:.2f}")

# Names, ISO codes, Census codes and Spanish names all work; so do groups and the world.
for query in ("México", "CN", "5830", "USMCA", "World"):
    print(f"  {query:>7}: {xl_tdr.partner(query).name:<8} TDR {xl_tdr.tdr(query, 2025):.2f}")

# 2. The five largest partners by total trade in 2025, with every companion metric.
table = xl_tdr.table(2025, top=5)
print("\nLargest U.S. partners, 2025 ($ billions):")
for row in table.itertuples():
    print(f"  {row.rank}. {row.partner:<8} exports {row.exports / 1e9:6.1f}  imports {row.imports / 1e9:6.1f}"
          f"  TDR {row.tdr:5.2f}  ({row.band}, {row.share:.1%} of U.S. trade)")

# 3. Mexico year by year: how the ratio moved since 2013.
series = xl_tdr.series("Mexico", 2013, 2025)
print("\nMexico, TDR by year:")
for row in series.itertuples():
    print(f"  {row.year}  {row.tdr:.2f}  {'#' * round(row.tdr * 40)}")

# 4. Periods within a year (monthly data run through 2024 in the bundled snapshot).
print(f"\nMexico 2024 Q1 {xl_tdr.tdr('Mexico', 2024, 'Q1'):.3f}, H2 {xl_tdr.tdr('Mexico', 2024, 'H2'):.3f}, "
      f"Jan–Nov {xl_tdr.tdr('Mexico', 2024, '1-11'):.3f}")

# 5. Errors are plain sentences.
try:
    xl_tdr.tdr("Mexco", 2025)
except xl_tdr.XlTdrError as error:
    print(f"\n{error}")
try:
    xl_tdr.tdr("Mexico", 2025, "Q1")
except xl_tdr.XlTdrError as error:
    print(error)

print(f"\nData: {xl_tdr.info()['store']}")
