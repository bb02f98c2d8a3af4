"""Fallback for pycocotools, used only when the real package is missing
(Debian 12 has no python3-pycocotools).  This directory is appended to the END
of sys.path, so an installed pycocotools always wins."""
