import sys
from pathlib import Path

# The planted bugs live with the other connector variants (tests/variants/planted_bugs.py).
sys.path.insert(0, str(Path(__file__).parents[1] / "variants"))
