"""Shipped checkpoints are checked on load and can be retrained from their recipe."""

import json

import pytest
import torch

from rnncourse import checkpoints


def tiny_recipe(log):
    """A deterministic 'training run' for the tests."""
    torch.manual_seed(0)
    layer = torch.nn.Linear(3, 2)
    log("trained a 3 -> 2 linear layer")
    return {"model": layer.state_dict(), "valid_ppl": 1.5}


def test_save_load_round_trip_with_log_and_manifest(tmp_path):
    checkpoints.retrain("tiny", recipe=f"{__name__}:tiny_recipe", folder=tmp_path)
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    assert manifest["tiny"]["recipe"] == f"{__name__}:tiny_recipe"
    state = checkpoints.load("tiny", folder=tmp_path)
    assert state["valid_ppl"] == 1.5
    assert set(state["model"]) == {"weight", "bias"}
    assert "a 3 -> 2 linear layer" in checkpoints.log_of("tiny", folder=tmp_path)


def test_a_changed_file_is_refused(tmp_path):
    checkpoints.retrain("tiny", recipe=f"{__name__}:tiny_recipe", folder=tmp_path)
    path = tmp_path / "tiny.pt"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(checkpoints.ChecksumError, match="make checkpoints"):
        checkpoints.load("tiny", folder=tmp_path)


def test_retraining_is_deterministic_and_unknown_names_are_named(tmp_path):
    checkpoints.retrain("tiny", recipe=f"{__name__}:tiny_recipe", folder=tmp_path)
    first = (tmp_path / "tiny.pt").read_bytes()
    checkpoints.retrain("tiny", folder=tmp_path)   # the recipe from the manifest
    assert (tmp_path / "tiny.pt").read_bytes() == first
    with pytest.raises(FileNotFoundError, match="no shipped checkpoint 'other'"):
        checkpoints.load("other", folder=tmp_path)
    with pytest.raises(KeyError, match="no recipe"):
        checkpoints.retrain("other", folder=tmp_path)


def test_every_shipped_checkpoint_matches_its_manifest():
    if not checkpoints.MANIFEST.exists():
        pytest.skip("no checkpoints are shipped yet")
    for name, entry in json.loads(checkpoints.MANIFEST.read_text()).items():
        assert entry["bytes"] <= checkpoints.MAX_BYTES
        assert (checkpoints.FOLDER / f"{name}.log").exists(), f"{name} has no log"
        checkpoints.load(name)
