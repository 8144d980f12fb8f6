"""Shipped checkpoints: small trained weights for experiments that cannot train live.

A chapter trains live whatever fits its budget (a minute on two cores). Where a faithful
reproduction needs longer, the project ships a checkpoint that its own script trained:

* the weights, ``rnncourse/weights/<name>.pt`` (a ``torch.save`` of a state_dict, or
  of a dict of state_dicts and plain numbers), at most 2 MB;
* the training log that script wrote, ``rnncourse/weights/<name>.log``;
* its SHA-256 in ``rnncourse/weights/MANIFEST.json``, checked on every load, so a
  chapter never runs on weights that differ from the ones the log describes.

The manifest also records each checkpoint's *recipe*, ``"module:function"``: the
function that trains it from scratch. It takes a ``log`` callable (one line per call),
must be deterministic, and returns what to save. ``python -m rnncourse.checkpoints
--retrain`` (``make checkpoints``) retrains every checkpoint (or the names given),
rewriting weights, log and manifest; ``--retrain NAME --recipe module:function`` adds a
new one::

    from rnncourse import checkpoints
    state = checkpoints.load("shi2015_convlstm_seed0")  # raises if the file changed
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import io
import json
import sys
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "weights"
MANIFEST = FOLDER / "MANIFEST.json"
MAX_BYTES = 2 * 1024 * 1024

class ChecksumError(RuntimeError):
    """A shipped checkpoint does not match the SHA-256 recorded in the manifest."""


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _manifest() -> dict:
    if MANIFEST.exists():
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    return {}


def path_of(name: str) -> Path:
    return FOLDER / f"{name}.pt"


def load(name: str, folder: Path | None = None):
    """The saved object of checkpoint ``name``, after checking its SHA-256.

    Raises FileNotFoundError for an unknown name and :class:`ChecksumError` when the
    file differs from the manifest (retrain it with ``make checkpoints``).
    """
    import torch

    folder = Path(folder) if folder is not None else FOLDER
    manifest = (json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
                if (folder / "MANIFEST.json").exists() else {})
    path = folder / f"{name}.pt"
    if name not in manifest or not path.exists():
        known = sorted(manifest)
        raise FileNotFoundError(f"no shipped checkpoint {name!r} in {folder}; "
                                f"known: {known}")
    expected, found = manifest[name]["sha256"], sha256(path)
    if found != expected:
        raise ChecksumError(f"{path} has SHA-256 {found}, but the manifest records "
                            f"{expected}: the file was changed; retrain it with "
                            f"`make checkpoints` (python -m rnncourse.checkpoints "
                            f"--retrain {name})")
    return torch.load(io.BytesIO(path.read_bytes()), weights_only=True)


def log_of(name: str, folder: Path | None = None) -> str:
    """The training log of checkpoint ``name``."""
    folder = Path(folder) if folder is not None else FOLDER
    return (folder / f"{name}.log").read_text(encoding="utf-8")


def save(name: str, obj, log_lines: list[str], recipe: str,
         folder: Path | None = None) -> Path:
    """Write checkpoint ``name``: weights, log and its manifest entry (with the recipe,
    ``"module:function"``, that trained it)."""
    import torch

    folder = Path(folder) if folder is not None else FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"checkpoint {name!r} is {len(data)} bytes; a shipped "
                         f"checkpoint must be at most {MAX_BYTES} bytes")
    path = folder / f"{name}.pt"
    path.write_bytes(data)
    (folder / f"{name}.log").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    manifest_path = folder / "MANIFEST.json"
    manifest = (json.loads(manifest_path.read_text(encoding="utf-8"))
                if manifest_path.exists() else {})
    manifest[name] = {"sha256": sha256(path), "bytes": len(data), "recipe": recipe}
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
    return path


def retrain(name: str, recipe: str | None = None, folder: Path | None = None) -> Path:
    """Train checkpoint ``name`` from scratch with its recipe (from the manifest unless
    given) and save it."""
    folder = Path(folder) if folder is not None else FOLDER
    manifest_path = folder / "MANIFEST.json"
    manifest = (json.loads(manifest_path.read_text(encoding="utf-8"))
                if manifest_path.exists() else {})
    recipe = recipe or manifest.get(name, {}).get("recipe")
    if not recipe:
        raise KeyError(f"no recipe for checkpoint {name!r}; known: {sorted(manifest)}; "
                       "give one with --recipe module:function")
    module, function = recipe.split(":")
    train = getattr(importlib.import_module(module), function)
    lines: list[str] = []
    start = time.perf_counter()

    def log(line: str) -> None:
        lines.append(line)
        print(f"[{name}] {line}", flush=True)

    obj = train(log=log)
    log(f"trained in {time.perf_counter() - start:.0f} s")
    return save(name, obj, lines, recipe, folder)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnncourse.checkpoints",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--retrain", nargs="*", metavar="NAME",
                        help="retrain these checkpoints (all without names)")
    parser.add_argument("--recipe", metavar="MODULE:FUNCTION",
                        help="the training function of a new checkpoint (one NAME)")
    parser.add_argument("--check", action="store_true",
                        help="verify every shipped checkpoint against the manifest")
    args = parser.parse_args(argv)
    if args.recipe and (not args.retrain or len(args.retrain) != 1):
        parser.error("--recipe needs exactly one checkpoint name after --retrain")
    if args.retrain is not None:
        for name in args.retrain or sorted(_manifest()):
            retrain(name, args.recipe)
    if args.check or args.retrain is None:
        failed = 0
        for name in sorted(_manifest()):
            try:
                load(name)
                print(f"ok       {name}")
            except ChecksumError as error:
                failed += 1
                print(f"CHANGED  {name}: {error}")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
