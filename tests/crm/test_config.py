from __future__ import annotations

import stat

from crm.config import Settings


def test_defaults_are_a_sqlite_file_and_a_generated_secret_kept_private(tmp_path) -> None:
    instance = tmp_path / "instance"
    settings = Settings.from_environment({"WEAVER_INSTANCE_PATH": str(instance)})

    assert settings.database_url == f"sqlite:///{instance / 'weaver.sqlite3'}"
    assert len(settings.secret_key) >= 64
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = Settings.from_environment({"WEAVER_INSTANCE_PATH": str(instance)})
    assert again.secret_key == settings.secret_key


def test_each_instance_gets_its_own_secret(tmp_path) -> None:
    one = Settings.from_environment({"WEAVER_INSTANCE_PATH": str(tmp_path / "one")})
    two = Settings.from_environment({"WEAVER_INSTANCE_PATH": str(tmp_path / "two")})
    assert one.secret_key != two.secret_key


def test_the_environment_overrides_the_defaults(tmp_path) -> None:
    settings = Settings.from_environment(
        {
            "WEAVER_INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": "postgresql+psycopg://weaver@db/weaver",
            "SECRET_KEY": "from-the-environment",
            "SESSION_COOKIE_SECURE": "true",
        }
    )
    assert settings.database_url == "postgresql+psycopg://weaver@db/weaver"
    assert settings.secret_key == "from-the-environment"
    assert settings.session_cookie_secure is True
    assert not (tmp_path / "secret_key").exists()
