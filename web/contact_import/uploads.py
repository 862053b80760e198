"""Uploaded CSV files between the steps of an import, in the instance folder.

A file is kept only for the officer who sent it (their id is in its name, the rest is a random
token), readable by Weaver alone, and deleted once imported; anything left over from an
abandoned import is deleted a day later. The import's report is kept as long, so it can be
read again.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from crm.models import ContactKind

KEEP_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UploadNotFound(Exception):
    pass


@dataclass(frozen=True)
class Upload:
    token: str
    file_name: str
    encoding: str
    default_kind: ContactKind
    csv_path: Path

    def open(self) -> IO[bytes]:
        return self.csv_path.open("rb")


class Uploads:
    def __init__(self, folder: Path, officer_id: int) -> None:
        self.folder = folder
        self.officer_id = officer_id

    def save(
        self, stream: IO[bytes], *, file_name: str, encoding: str, default_kind: ContactKind
    ) -> Upload:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _forget_old(self.folder)
        token = secrets.token_urlsafe(18)
        upload = Upload(token, file_name, encoding, default_kind, self._path(token, ".csv"))
        with _private(upload.csv_path) as out:
            while chunk := stream.read(64 * 1024):
                out.write(chunk)
        details = {"file_name": file_name, "encoding": encoding, "default_kind": default_kind.value}
        with _private(self._path(token, ".json")) as out:
            out.write(json.dumps(details).encode())
        return upload

    def get(self, token: str) -> Upload:
        details = json.loads(self._read(token, ".json"))
        upload = Upload(
            token,
            details["file_name"],
            details["encoding"],
            ContactKind(details["default_kind"]),
            self._path(token, ".csv"),
        )
        if not upload.csv_path.exists():
            raise UploadNotFound(token)
        return upload

    def file_name(self, token: str) -> str:
        return json.loads(self._read(token, ".json"))["file_name"]

    def save_report(self, upload: Upload, report: dict[str, Any]) -> None:
        with _private(self._path(upload.token, ".report.json")) as out:
            out.write(json.dumps(report).encode())
        # Imported: the file's personal data need not wait on disk any longer.
        upload.csv_path.unlink(missing_ok=True)

    def report(self, token: str) -> dict[str, Any]:
        return json.loads(self._read(token, ".report.json"))

    def discard(self, upload: Upload) -> None:
        for suffix in (".csv", ".json", ".report.json"):
            self._path(upload.token, suffix).unlink(missing_ok=True)

    def _path(self, token: str, suffix: str) -> Path:
        if not _TOKEN.match(token):
            raise UploadNotFound(token)
        return self.folder / f"{self.officer_id}-{token}{suffix}"

    def _read(self, token: str, suffix: str) -> bytes:
        try:
            return self._path(token, suffix).read_bytes()
        except (FileNotFoundError, NotADirectoryError) as error:
            raise UploadNotFound(token) from error


def _private(path: Path) -> IO[bytes]:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker got there first
