"""The domains whose pages count as primary or official sources (knowledge/official-domains.yml)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional, Tuple
from urllib.parse import urlparse

from bot.knowledge.reading import validate_file
from bot.knowledge.schema import INVALID, Items, Map, Report, Str, show

DOMAINS_FILE = "official-domains.yml"
_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")  # ASCII: write an IDN in its xn-- form


def _domain_problem(name: str) -> Optional[str]:
    labels = name.split(".")
    if len(name) <= 253 and len(labels) >= 2 and all(_LABEL_RE.fullmatch(label) for label in labels) \
            and not labels[-1].isdigit():  # an IP address is not an organisation's domain
        return None
    return f"{show(name)} is not a domain name like gov.uk"


DOMAINS_SPEC = Map({"official_domains": Items(Str(lower=True, checks=[_domain_problem]), min_len=1,
                                              unique=lambda domain: domain)})


def read_official_domains(knowledge_dir: Path, report: Report) -> Optional[Tuple[str, ...]]:
    """Return the official domains, lower-cased in file order, or None after reporting what is wrong."""
    clean = validate_file(knowledge_dir / DOMAINS_FILE, DOMAINS_SPEC, report)
    return None if clean is INVALID else tuple(clean["official_domains"])


def load_official_domains(knowledge_dir: Path) -> Tuple[str, ...]:
    """Read the domains whose pages count as primary or official sources; raise KnowledgeBaseError if malformed."""
    report = Report()
    domains = read_official_domains(knowledge_dir, report)
    report.raise_if_any()
    assert domains is not None  # no problems means the file was valid
    return domains


def is_official(url: str, domains: Iterable[str]) -> bool:
    """Return True if the URL is on an official domain or one of its subdomains."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)
