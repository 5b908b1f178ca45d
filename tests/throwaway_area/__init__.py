"""A throw-away area for tests/test_area_registry.py: what a new area writes to plug in, and nothing else."""
from asahikawa.areas import Area

AREA = Area("throwaway", "Throw-away area", order=99)
