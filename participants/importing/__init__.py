"""The participant import's write path: rows in batches, at near the database's speed.

What the file says is settled row by row, in file order, with the same rules
as before (phone, then NIK, then name and place; a household phone shared; a
conflict never written without a person's decision). What costs time is done
once per column value or once per batch instead of once per row:

- cells a village repeats (birth year, RT, RW, dusun, the "Jalur" column) are
  checked once per distinct value;
- the organization's people are read once as plain values (no NIK decrypted,
  no model instance); those a batch's rows may touch are loaded in one query
  per batch;
- new people are written as prepared rows: one executemany INSERT per batch
  (COPY on PostgreSQL), enrolments likewise.

Everything runs in one transaction: an invalid row (unless `valid_only`), a
conflict left undecided or a crash rolls all of it back.
"""

from participants.importing.cells import normalize_nik_cell, normalize_phone_cell
from participants.importing.people import IMPORTED_FIELDS, Conflict, Person
from participants.importing.run import BATCH_SIZE, ImportRun

__all__ = [
    "BATCH_SIZE",
    "IMPORTED_FIELDS",
    "Conflict",
    "ImportRun",
    "Person",
    "normalize_nik_cell",
    "normalize_phone_cell",
]
