"""Messages full of personal details, and a byte search for them in every file the assistant writes.

Each sample holds an email address, a UK mobile number, an NHS number with a
valid check digit, a date of birth after a cue, a full postcode and a child's
name after a cue ("my son is called Oliver Smith"): the details the redaction
promises to catch (bot/safety/redact.py). `leaks` reads the raw bytes of
every database file, its -wal and -shm, every log and spool file, so a
detail left in a free page or an old WAL frame counts too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

FIRST = ("Oliver", "Amelia", "Jayden", "Priya", "Tomasz", "Chidi", "Niamh", "Keisha", "Mohammed", "Isla",
         "Kacper", "Aoife", "Ruby", "Tobi", "Zofia", "Harvey", "Maryam", "Callum", "Esme", "Reuben")
LAST = ("Smith", "Okafor", "Kowalski", "Patel", "Brennan", "Nguyen", "Hughes", "Achterberg", "Osei", "Lindqvist")
POSTCODES = ("CT1 2EH", "ME14 1XX", "TN23 1AB", "DA1 1DX", "BR6 0NW", "CT20 1PT", "ME7 4JB", "TN1 2SU")


def nhs_number(rng: random.Random) -> str:
    """Return a random NHS number with a valid modulus-11 check digit, spaced 3-3-4."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            text = "".join(map(str, digits + [check]))
            return f"{text[:3]} {text[3:6]} {text[6:]}"


@dataclass(frozen=True)
class Sample:
    """One parent's details and the message that carries them all."""

    first: str
    last: str
    email: str
    phone: str
    nhs: str
    dob: str
    postcode: str

    def message(self, lead: str = "") -> str:
        """Return a message with every detail, after an optional lead (a date or a template's words)."""
        body = (f"my son is called {self.first} {self.last}, DOB {self.dob}, NHS {self.nhs}, "
                f"phone {self.phone}, {self.email}, {self.postcode}")
        return f"{lead}; {body}" if lead else body

    def details(self) -> Dict[str, str]:
        """Return each detail by kind, as typed (what must never be found on disk)."""
        return {"first name": self.first, "last name": self.last, "email": self.email, "phone": self.phone,
                "nhs number": self.nhs, "date of birth": self.dob, "postcode": self.postcode}


def samples(count: int, seed: int = 12) -> List[Sample]:
    """Return `count` samples whose details differ from one another (and from the assistant's own words)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i) % len(LAST)]
        out.append(Sample(
            first=first, last=last, email=f"{first.lower()}.{last.lower()}{i}@example.com",
            phone=f"07700 9{i % 1000:03d}{rng.randint(10, 99)}", nhs=nhs_number(rng),
            dob=f"{rng.randint(10, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 20)}",
            postcode=POSTCODES[i % len(POSTCODES)],
        ))
    return out


def stored_files(data_dir: Path) -> List[Path]:
    """Return every file under the data folder: databases with -wal/-shm, logs, spool, anything else."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file())


def leaks(files: Iterable[Path], items: Iterable[Tuple[str, str]]) -> List[str]:
    """Return "file: kind 'value'" for each (kind, value) found in the raw bytes of a file."""
    found = []
    wanted = [(kind, value, value.encode("utf-8")) for kind, value in items]
    for path in files:
        data = path.read_bytes()
        found += [f"{path.name}: {kind} {value!r}" for kind, value, raw in wanted if raw in data]
    return found
