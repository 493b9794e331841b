"""One typed settings object, read from the environment.

Secrets have no defaults. In development (the default) a missing secret key,
or shared secret between the assistant's own processes, is generated once and
kept in the data folder with owner-only permissions, so `make run` works on a
fresh machine; in production each must be set explicitly.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_PLACEHOLDERS = {"", "changethis", "change-me", "secret"}
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/sendnav"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Rasa 3.6 runs on Python 3.10 only, so it has an environment of its own (make install-rasa);
# every other process runs on the service environment's newer Python.
DEFAULT_RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"


class SettingsError(ValueError):
    """A setting is missing or unsafe."""


@dataclass(frozen=True)
class Settings:
    """Runtime configuration for every process of SEND Navigator."""

    env: str = "development"
    data_dir: Path = PROJECT_ROOT / "var"
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    area: str = "kent"
    database_url: str = ""
    tracker_url: str = ""
    secret_key: str = field(default="", repr=False)
    # Sent by Rasa to the action server, and by the web proxy and the bridge to Rasa (security review F9).
    actions_secret: str = field(default="", repr=False)
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    rasa_jwt_secret: str = field(default="", repr=False)
    rasa_timeout: float = 15.0
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    review_host: str = "127.0.0.1"
    review_port: int = 8001
    public_url: str = ""
    trusted_proxies: Tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For is believed
    allowed_origins: Tuple[str, ...] = ()
    telegram_token: str = field(default="", repr=False)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    log_level: str = "INFO"
    kb_stale_days: int = 365
    retention_days: int = 90
    db_write_timeout: float = 2.0
    # Web rate limits per minute; the defaults match bot.web.ratelimit.Limits().
    rate_per_conversation: int = 20
    rate_per_ip: int = 60
    rate_sessions_per_ip: int = 10
    # Scale-out: PostgreSQL for every table, Redis for Rasa's conversation locks, several replicas.
    scale_out: bool = False
    postgres_url: str = DEFAULT_POSTGRES_URL
    redis_url: str = DEFAULT_REDIS_URL
    rasa_replicas: int = 1
    actions_replicas: int = 1
    rasa_url_override: Tuple[str, ...] = ()  # replicas on other hosts (docker compose); wins over the ports
    # Notices to volunteers (bot/notify): email through SMTP with STARTTLS and a login, and/or a Telegram group.
    smtp_url: str = field(default="", repr=False)  # smtp://user:password@host:587 (holds a password)
    smtp_from: str = ""
    smtp_timeout: float = 10.0
    volunteer_group_id: int = 0  # the volunteers' Telegram group (same bot); 0 for none
    notify_interval_minutes: int = 15  # at most one notice per volunteer per interval
    # The reply-time promise: working hours (09:00-17:00 Monday to Friday, England bank holidays off).
    reply_promise_hours: int = 16
    # Each process serves /metrics, /healthz and /readyz on its own port, apart from the public one (bot/metrics).
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9400  # the first of the block (bot/metrics/ports.py); 0 turns the metrics servers off
    purge_metrics_file: Path = PROJECT_ROOT / "var" / "metrics" / "purge.prom"  # each purge run's results (bot/metrics/purge.py)
    rasa_python: Path = DEFAULT_RASA_PYTHON  # the Rasa environment's interpreter; `rasa` sits beside it

    @property
    def rasa_url(self) -> str:
        """Return the base URL of the (first) Rasa server."""
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def rasa_urls(self) -> Tuple[str, ...]:
        """Return the base URLs of every Rasa replica: SEND_NAV_RASA_URLS, else consecutive ports."""
        if self.rasa_url_override:
            return self.rasa_url_override
        return tuple(f"http://{self.rasa_host}:{self.rasa_port + i}" for i in range(self.rasa_replicas))

    @property
    def rasa_executable(self) -> Path:
        """Return the `rasa` command of the Rasa environment."""
        return self.rasa_python.with_name("rasa")

    @property
    def actions_url(self) -> str:
        """Return the webhook URL of the (first) action server."""
        return f"http://{self.actions_host}:{self.actions_port}/webhook"

    @property
    def actions_urls(self) -> Tuple[str, ...]:
        """Return the webhook URLs of every action server, on consecutive ports."""
        return tuple(f"http://{self.actions_host}:{self.actions_port + i}/webhook" for i in range(self.actions_replicas))

    @property
    def review_url(self) -> str:
        """Return the dashboard's address for links given to volunteers (never built from a request's Host)."""
        if self.public_url:
            return f"{self.public_url}/review"
        return f"http://{self.review_host}:{self.review_port}/review"

    @property
    def spool_dir(self) -> Path:
        """Return the folder where records wait while the database is down."""
        return self.data_dir / "spool"

    def to_env(self) -> Dict[str, str]:
        """Return the environment variables that reproduce these settings in a child process."""
        return {
            "SEND_NAV_ENV": self.env,
            "SEND_NAV_DATA_DIR": str(self.data_dir),
            "SEND_NAV_KNOWLEDGE_DIR": str(self.knowledge_dir),
            "SEND_NAV_AREA": self.area,
            "SEND_NAV_DATABASE_URL": self.database_url,
            "SEND_NAV_TRACKER_URL": self.tracker_url,
            "SEND_NAV_SECRET_KEY": self.secret_key,
            "SEND_NAV_ACTIONS_SECRET": self.actions_secret,
            "SEND_NAV_RASA_HOST": self.rasa_host,
            "SEND_NAV_RASA_PORT": str(self.rasa_port),
            "SEND_NAV_ACTIONS_HOST": self.actions_host,
            "SEND_NAV_ACTIONS_PORT": str(self.actions_port),
            "SEND_NAV_LOG_LEVEL": self.log_level,
            "SEND_NAV_KB_STALE_DAYS": str(self.kb_stale_days),
            "SEND_NAV_RETENTION_DAYS": str(self.retention_days),
            "SEND_NAV_RASA_TIMEOUT": str(self.rasa_timeout),
            "SEND_NAV_WEB_HOST": self.web_host,
            "SEND_NAV_WEB_PORT": str(self.web_port),
            "SEND_NAV_REVIEW_HOST": self.review_host,
            "SEND_NAV_REVIEW_PORT": str(self.review_port),
            "SEND_NAV_TRUSTED_PROXIES": ",".join(self.trusted_proxies),
            "SEND_NAV_PUBLIC_URL": self.public_url,
            "SEND_NAV_ALLOWED_ORIGINS": ",".join(self.allowed_origins),
            "TELEGRAM_BOT_TOKEN": self.telegram_token,
            "TELEGRAM_API_BASE_URL": self.telegram_api_base_url,
            "SEND_NAV_RATE_PER_CONVERSATION": str(self.rate_per_conversation),
            "SEND_NAV_RATE_PER_IP": str(self.rate_per_ip),
            "SEND_NAV_RATE_SESSIONS_PER_IP": str(self.rate_sessions_per_ip),
            "SEND_NAV_SCALE_OUT": "1" if self.scale_out else "0",
            "SEND_NAV_POSTGRES_URL": self.postgres_url,
            "SEND_NAV_REDIS_URL": self.redis_url,
            "SEND_NAV_RASA_REPLICAS": str(self.rasa_replicas),
            "SEND_NAV_ACTIONS_REPLICAS": str(self.actions_replicas),
            "SEND_NAV_RASA_URLS": ",".join(self.rasa_url_override),
            "SEND_NAV_SMTP_URL": self.smtp_url,
            "SEND_NAV_SMTP_FROM": self.smtp_from,
            "SEND_NAV_SMTP_TIMEOUT": str(self.smtp_timeout),
            "SEND_NAV_VOLUNTEER_GROUP_ID": str(self.volunteer_group_id or ""),
            "SEND_NAV_NOTIFY_INTERVAL_MINUTES": str(self.notify_interval_minutes),
            "SEND_NAV_REPLY_PROMISE_HOURS": str(self.reply_promise_hours),
            "SEND_NAV_METRICS_HOST": self.metrics_host,
            "SEND_NAV_METRICS_PORT": str(self.metrics_port),
            "SEND_NAV_PURGE_METRICS_FILE": str(self.purge_metrics_file),
            "SEND_NAV_RASA_PYTHON": str(self.rasa_python),
        }

    @property
    def notifies(self) -> bool:
        """Return True when volunteers can be told of new questions (SMTP or a Telegram group is set)."""
        return bool(self.smtp_url or (self.volunteer_group_id and self.telegram_token))

    @property
    def is_production(self) -> bool:
        """Return True when running as a live deployment."""
        return self.env == "production"


def _number(env: Mapping[str, str], name: str, default: Any, kind: Callable[[str], Any], what: str) -> Any:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from exc


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return int(_number(env, name, default, int, "a whole number"))


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return float(_number(env, name, default, float, "a number of seconds"))


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


def _port_or_off(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if not 0 <= value <= 65535 - 64:  # the metrics ports are a block of consecutive ports from this one
        raise SettingsError(f"{name} must be a port number (0 turns it off), got {value}")
    return value


def _shared_url(env: Mapping[str, str], name: str, postgres_url: str) -> str:
    """Return a PostgreSQL URL set in `name`, or the scale-out database (SQLite cannot be shared)."""
    raw = env.get(name) or ""
    return raw if raw.startswith("postgresql") else postgres_url


def _networks(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    """Return comma-separated IP addresses or CIDR networks, each checked and in canonical form."""
    found = []
    for item in (part.strip() for part in env.get(name, "").split(",")):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise SettingsError(f"{name} must list IP addresses or networks like 10.0.0.0/8, got {item!r}") from exc
    return tuple(found)


def _checked_url(name: str, url: str, schemes: Tuple[str, ...]) -> str:
    if not any(urlsplit(url).scheme.startswith(s) for s in schemes):
        raise SettingsError(f"{name} must start with {' or '.join(s + '://' for s in schemes)}, got {url!r}")
    return url


def _smtp(env: Mapping[str, str]) -> Tuple[str, str]:
    """Return the SMTP URL and sender; the URL must name a host and a login, and then a sender is required."""
    url = env.get("SEND_NAV_SMTP_URL", "").strip()
    sender = env.get("SEND_NAV_SMTP_FROM", "").strip()
    if not url:
        return "", sender
    parts = urlsplit(url)
    if parts.scheme != "smtp" or not parts.hostname or not parts.username or parts.password is None:
        # Never echo the URL: it holds a password.
        raise SettingsError("SEND_NAV_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS and a login)")
    if "@" not in sender:
        raise SettingsError("SEND_NAV_SMTP_FROM must be the address notices come from when SEND_NAV_SMTP_URL is set")
    return url, sender


def _secret_key(env_name: str, value: Optional[str], data_dir: Path, production: bool, file_name: str = "secret_key") -> str:
    if value is not None and value.strip().lower() not in _PLACEHOLDERS:
        if production and len(value) < 32:
            raise SettingsError(f"{env_name} must be at least 32 characters in production")
        return value
    if production:
        raise SettingsError(f"{env_name} must be set to a long random value in production")
    key_file = data_dir / file_name
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only (security review F2)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Build the settings from environment variables (see README)."""
    env = os.environ if env is None else env
    mode = env.get("SEND_NAV_ENV", "development")
    if mode not in {"development", "test", "production"}:
        raise SettingsError(f"SEND_NAV_ENV must be development, test or production, not {mode!r}")
    data_dir = Path(env.get("SEND_NAV_DATA_DIR") or PROJECT_ROOT / "var").resolve()
    production = mode == "production"
    database_url = env.get("SEND_NAV_DATABASE_URL") or f"sqlite:///{data_dir / 'sendnav.db'}"
    tracker_url = env.get("SEND_NAV_TRACKER_URL") or f"sqlite:///{data_dir / 'tracker.db'}"
    scale_out = _flag(env, "SEND_NAV_SCALE_OUT")
    postgres_url = _checked_url(
        "SEND_NAV_POSTGRES_URL", env.get("SEND_NAV_POSTGRES_URL") or DEFAULT_POSTGRES_URL, ("postgresql",))
    redis_url = _checked_url("SEND_NAV_REDIS_URL", env.get("SEND_NAV_REDIS_URL") or DEFAULT_REDIS_URL, ("redis",))
    smtp = _smtp(env)
    if scale_out:
        database_url = _shared_url(env, "SEND_NAV_DATABASE_URL", postgres_url)
        tracker_url = _shared_url(env, "SEND_NAV_TRACKER_URL", postgres_url)
    return Settings(
        env=mode,
        data_dir=data_dir,
        knowledge_dir=Path(env.get("SEND_NAV_KNOWLEDGE_DIR") or PROJECT_ROOT / "knowledge"),
        area=env.get("SEND_NAV_AREA", "kent"),
        database_url=database_url,
        tracker_url=tracker_url,
        secret_key=_secret_key("SEND_NAV_SECRET_KEY", env.get("SEND_NAV_SECRET_KEY"), data_dir, production),
        actions_secret=_secret_key(
            "SEND_NAV_ACTIONS_SECRET", env.get("SEND_NAV_ACTIONS_SECRET"), data_dir, production, "actions_secret"),
        rasa_host=env.get("SEND_NAV_RASA_HOST", "127.0.0.1"),
        rasa_port=_int(env, "SEND_NAV_RASA_PORT", 5005),
        actions_host=env.get("SEND_NAV_ACTIONS_HOST", "127.0.0.1"),
        actions_port=_int(env, "SEND_NAV_ACTIONS_PORT", 5055),
        rasa_jwt_secret=env.get("SEND_NAV_RASA_JWT_SECRET", ""),
        log_level=env.get("SEND_NAV_LOG_LEVEL", "INFO").upper(),
        kb_stale_days=_int(env, "SEND_NAV_KB_STALE_DAYS", 365),
        retention_days=_int(env, "SEND_NAV_RETENTION_DAYS", 90),
        rasa_timeout=_float(env, "SEND_NAV_RASA_TIMEOUT", 15.0),
        web_host=env.get("SEND_NAV_WEB_HOST", "127.0.0.1"),
        web_port=_int(env, "SEND_NAV_WEB_PORT", 8000),
        review_host=env.get("SEND_NAV_REVIEW_HOST", "127.0.0.1"),
        review_port=_int(env, "SEND_NAV_REVIEW_PORT", 8001),
        trusted_proxies=_networks(env, "SEND_NAV_TRUSTED_PROXIES"),
        public_url=env.get("SEND_NAV_PUBLIC_URL", "").rstrip("/"),
        allowed_origins=tuple(o.strip().rstrip("/") for o in env.get("SEND_NAV_ALLOWED_ORIGINS", "").split(",") if o.strip()),
        telegram_token=env.get("TELEGRAM_BOT_TOKEN", ""),
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot",
        rate_per_conversation=_positive(env, "SEND_NAV_RATE_PER_CONVERSATION", 20),
        rate_per_ip=_positive(env, "SEND_NAV_RATE_PER_IP", 60),
        rate_sessions_per_ip=_positive(env, "SEND_NAV_RATE_SESSIONS_PER_IP", 10),
        scale_out=scale_out,
        postgres_url=postgres_url,
        redis_url=redis_url,
        # Replicas need the shared stores, so without scale-out there is always exactly one.
        rasa_replicas=_positive(env, "SEND_NAV_RASA_REPLICAS", 2) if scale_out else 1,
        actions_replicas=_positive(env, "SEND_NAV_ACTIONS_REPLICAS", 2) if scale_out else 1,
        rasa_url_override=tuple(u.strip().rstrip("/") for u in env.get("SEND_NAV_RASA_URLS", "").split(",") if u.strip()),
        smtp_url=smtp[0],
        smtp_from=smtp[1],
        smtp_timeout=_float(env, "SEND_NAV_SMTP_TIMEOUT", 10.0),
        volunteer_group_id=_int(env, "SEND_NAV_VOLUNTEER_GROUP_ID", 0),
        notify_interval_minutes=_positive(env, "SEND_NAV_NOTIFY_INTERVAL_MINUTES", 15),
        reply_promise_hours=_positive(env, "SEND_NAV_REPLY_PROMISE_HOURS", 16),
        metrics_host=env.get("SEND_NAV_METRICS_HOST") or "127.0.0.1",
        metrics_port=_port_or_off(env, "SEND_NAV_METRICS_PORT", 9400),
        purge_metrics_file=Path(env.get("SEND_NAV_PURGE_METRICS_FILE") or data_dir / "metrics" / "purge.prom"),
        rasa_python=rasa_python(env),
    )


def rasa_python(env: Optional[Mapping[str, str]] = None) -> Path:
    """Return the Rasa environment's interpreter: SEND_NAV_RASA_PYTHON, else .venv-rasa's python."""
    env = os.environ if env is None else env
    return Path(env.get("SEND_NAV_RASA_PYTHON") or DEFAULT_RASA_PYTHON)
