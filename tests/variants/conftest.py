import sys
from pathlib import Path

# The variants share one helper module (mutation.py); make it importable by name.
sys.path.insert(0, str(Path(__file__).parent))
