"""The annotation vocabulary the stages and views share: entity labels, stance polarities and the
CSL variables a citation may carry (defined with the records, in ``pipeline/records.py``)."""
from ..records import CSL_FIELDS, LABELS, POLARITIES

__all__ = ["CSL_FIELDS", "LABELS", "POLARITIES"]
