"""make bench: Python's sqlite3 executemany of the same register readings.

    python3 bench/bench_import.py CSV ROWS METERS

Reads the CSV written by bench_import (csv module, Decimal for the value,
dates to minutes), maps each serial to its register id from a dict, and
inserts the rows with executemany into a fresh file database holding the
same readings table (WAL, synchronous NORMAL, batches of 10,000 rows in one
transaction each, checkpoints every 16,000 pages: the importer's settings),
with no validation beyond parsing. Prints one line like
bench_import's.
"""
import csv
import datetime
import decimal
import os
import resource
import sqlite3
import sys
import tempfile
import time

DDL = """
CREATE TABLE meters (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE);
CREATE TABLE registers (id INTEGER PRIMARY KEY, meter_id INTEGER NOT NULL REFERENCES meters(id),
  code TEXT NOT NULL, UNIQUE (meter_id, code));
CREATE TABLE imports (id INTEGER PRIMARY KEY, source TEXT NOT NULL);
CREATE TABLE readings (
  register_id INTEGER NOT NULL REFERENCES registers(id),
  read_at INTEGER NOT NULL,
  value TEXT NOT NULL,
  estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
  source TEXT NOT NULL DEFAULT '',
  import_id INTEGER REFERENCES imports(id),
  line INTEGER,
  PRIMARY KEY (register_id, read_at)
) WITHOUT ROWID;
"""

EPOCH = datetime.date(1970, 1, 1)


def main():
    path, rows, meters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(os.path.join(tmp, "py.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA wal_autocheckpoint = 16000")  # as libbill's importer
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(DDL)
        db.execute("BEGIN")
        db.executemany("INSERT INTO meters (id, serial) VALUES (?, ?)",
                       ((m + 1, "MTR-%06d" % m) for m in range(meters)))
        db.executemany("INSERT INTO registers (id, meter_id, code) VALUES (?, ?, 'total')",
                       ((m + 1, m + 1) for m in range(meters)))
        db.execute("INSERT INTO imports (id, source) VALUES (1, ?)", (path,))
        db.execute("COMMIT")
        regs = {serial: rid for rid, serial in db.execute("SELECT id, serial FROM meters")}
        t0, c0 = time.perf_counter(), time.process_time()
        n = 0
        with open(path, newline="") as f:
            r = csv.reader(f)
            next(r)
            batch = []
            line = 1
            for serial, reg, read_at, value, kind in r:
                line += 1
                minute = (datetime.date.fromisoformat(read_at) - EPOCH).days * 1440
                batch.append((regs[serial], minute, str(decimal.Decimal(value)),
                              1 if kind == "estimated" else 0, 1, line))
                if len(batch) == 10000:
                    db.execute("BEGIN")
                    db.executemany("INSERT INTO readings (register_id, read_at, value, estimated, "
                                   "import_id, line) VALUES (?, ?, ?, ?, ?, ?)", batch)
                    db.execute("COMMIT")
                    n += len(batch)
                    batch = []
            if batch:
                db.execute("BEGIN")
                db.executemany("INSERT INTO readings (register_id, read_at, value, estimated, "
                               "import_id, line) VALUES (?, ?, ?, ?, ?, ?)", batch)
                db.execute("COMMIT")
                n += len(batch)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        db.close()
    assert n == rows, (n, rows)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("python-executemany %d rows %d meters: wall %.2f s %.0f rows/s, cpu %.2f s %.0f rows/s, "
          "max RSS %.1f MiB" % (rows, meters, t, rows / t, c, rows / c, rss))


if __name__ == "__main__":
    main()
